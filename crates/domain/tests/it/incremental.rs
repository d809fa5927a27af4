//! Issue 11, case 10: the incremental checker ([`Checker`]) answers exactly what replaying
//! the whole history with the event appended answers (the algorithm `History::check_append`
//! used before), on random sequences built from the seed fixture's events, with random
//! retractions and approvals mixed in; and its replayed state stays equal to a full replay.

use acta_core::json::{Profile, Value, parse};
use acta_core::{Entry, EntryHash, Projection, Recorded};
use acta_domain::EntryRef;
use acta_domain::model::*;
use proptest::prelude::*;

use super::examples::r;

/// The domain entries of the seed fixture, as a history (real seqs and hashes).
fn seed() -> History {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/seed/non-cooperation.log"
    );
    let bytes = std::fs::read(path).expect("the seed fixture");
    let mut h = History::new();
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let d = Entry::decode(line).expect("a seed entry");
        h.apply(Recorded {
            hash: d.hash,
            entry: &d.entry,
        });
    }
    h
}

fn fake_hash(seq: u64) -> EntryHash {
    use sha2::Digest;
    EntryHash(sha2::Sha256::digest(format!("incremental {seq}").as_bytes()).into())
}

/// The check as `History::check_append` did it before the checker: replay the history
/// without and with the event, and compare.
fn reference(h: &History, item: &Item) -> Result<Vec<Warning>, Box<Violation>> {
    let data = item.object().expect("data");
    if let Err(e) = acta_domain::decode(&item.entry_type, &data) {
        return Err(Box::new(Violation {
            code: acta_domain::AnomalyCode::Schema,
            entry_type: item.entry_type.clone(),
            at: None,
            conflicting: None,
            message: acta_domain::text::inert(&e.to_string()),
        }));
    }
    let mut next = h.clone();
    next.items.push(item.clone());
    next.size = item.at.seq + 1;
    let before = h.view(ViewOptions::default());
    let after = next.view(ViewOptions::default());
    if let Some(v) = after
        .violations
        .iter()
        .find(|v| !before.violations.contains(v))
    {
        let mut v = Box::new(v.clone());
        if v.at == Some(item.at) {
            v.at = None;
        }
        return Err(v);
    }
    Ok(after
        .warnings
        .into_iter()
        .filter(|w| w.at == item.at)
        .collect())
}

/// One step of a random sequence.
#[derive(Debug, Clone)]
enum Step {
    /// The next seed event (in seed order), or skip it.
    Seed { keep: bool },
    /// A retraction of the `n`-th entry from the end, by author `a`.
    Retract { back: usize, a: usize },
    /// An approval of the `n`-th entry from the end, by author `a`.
    Approve { back: usize, a: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => Just(Step::Seed { keep: true }),
        2 => Just(Step::Seed { keep: false }),
        1 => (0usize..6, 0usize..3).prop_map(|(back, a)| Step::Retract { back, a }),
        1 => (0usize..4, 0usize..3).prop_map(|(back, a)| Step::Approve { back, a }),
    ]
}

const AUTHORS: [&str; 3] = [
    "test-only-transcriber+8007fb04",
    "test-only-reviewer+bfdf525d",
    "test-only-other+00000001",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10))]

    #[test]
    fn incremental_check_equals_full_replay_on_random_sequences(
        steps in proptest::collection::vec(step(), 1..130)
    ) {
        let seed = seed();
        let mut pending = seed.items.iter();
        // Old ref → new ref, to rewrite the seed's references after renumbering.
        let mut renamed: Vec<(String, String)> = Vec::new();
        let mut h = History::new();
        let mut checker = Checker::new(History::new());
        for s in &steps {
            let seq = h.size;
            let at = EntryRef { seq, hash: fake_hash(seq) };
            let (author, recorded_at, ty, data) = match s {
                Step::Seed { keep } => {
                    let Some(item) = pending.next() else { break };
                    if !keep {
                        continue;
                    }
                    let mut data = item.data.clone();
                    for (old, new) in &renamed {
                        data = data.replace(old.as_str(), new.as_str());
                    }
                    renamed.push((r(item.at), r(at)));
                    (item.author.clone(), item.recorded_at.clone(), item.entry_type.clone(), data)
                }
                Step::Retract { back, a } | Step::Approve { back, a } => {
                    let Some(target) = h.items.iter().rev().nth(*back).map(|i| i.at) else {
                        continue;
                    };
                    let ty = if matches!(s, Step::Retract { .. }) {
                        "event_retracted"
                    } else {
                        "approval_recorded"
                    };
                    let data = if ty == "event_retracted" {
                        format!(r#"{{"reason":"entered_in_error","target":{}}}"#, r(target))
                    } else {
                        format!(r#"{{"target":{}}}"#, r(target))
                    };
                    let recorded_at = h
                        .items
                        .last()
                        .map_or("2025-11-26T12:00:00Z".to_owned(), |i| i.recorded_at.clone());
                    (AUTHORS[*a].to_owned(), recorded_at, ty.to_owned(), data)
                }
            };
            // Canonical text, as a History holds it.
            let Ok(Value::Object(o)) = parse(data.as_bytes(), Profile::Entry) else {
                panic!("not an object: {data}");
            };
            let mut text = Vec::new();
            acta_core::json::write_object(o.iter(), &mut text);
            let item = Item {
                at,
                author,
                recorded_at,
                entry_type: ty,
                data: String::from_utf8(text).expect("UTF-8"),
            };
            let want = reference(&h, &item);
            let got = match acta_domain::decode(&item.entry_type, &o) {
                Ok(event) => checker.check_item(item.clone(), &event),
                Err(_) => want.clone(),
            };
            prop_assert_eq!(&got, &want, "step {:?} at {}", s, seq);
            // Record it either way (a refused event as a log written without the checks).
            h.items.push(item.clone());
            h.size = seq + 1;
            if got.is_err() {
                checker.push_item(item);
            }
            prop_assert_eq!(checker.history(), &h);
            prop_assert_eq!(checker.replayed(), &h.replayed(), "replayed state after {}", seq);
        }
        // The full view from the checker's history is the history's.
        prop_assert_eq!(
            checker.history().view(ViewOptions::default()),
            h.view(ViewOptions::default())
        );
    }
}

/// The seed fixture itself, checked entry by entry: the same answers as the full replay, and
/// every seed entry is accepted (it was written by acta's checks).
#[test]
fn incremental_check_accepts_the_seed_as_the_full_replay_does() {
    let seed = seed();
    let mut h = History::new();
    let mut checker = Checker::new(History::new());
    for item in &seed.items {
        while checker.history().size < item.at.seq {
            checker.skip();
            h.size += 1;
        }
        let o = item.object().expect("data");
        let event = acta_domain::decode(&item.entry_type, &o).expect("a seed event");
        let want = reference(&h, item);
        let got = checker.check_item(item.clone(), &event);
        assert_eq!(got, want, "entry {}", item.at.seq);
        assert!(got.is_ok(), "entry {}: {got:?}", item.at.seq);
        h.items.push(item.clone());
        h.size = item.at.seq + 1;
    }
    assert_eq!(checker.replayed(), &h.replayed());
}
