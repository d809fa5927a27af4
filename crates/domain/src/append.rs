//! The domain's rules on append: [`DomainCheck`], the [`AppendCheck`] of
//! `icc-noncooperation/v1` that a [`LogWriter`] runs on every entry it is about to sign.
//!
//! For each entry of an append, with exactly the type, data, author and `recorded_at` the
//! writer will sign ([`Proposed`]):
//!
//! - the core's own `acta.*` entries are left to the core (counted, not checked);
//! - a type this version does not know is accepted with a warning ([`UNKNOWN_TYPE`]) and
//!   recorded unchecked: kept and shown, never dropped;
//! - any other entry must be valid for its type ([`crate::validate`]; else
//!   [`AppendRefusal::Invalid`]) and keep the rules of DOMAIN.md §8 against the log's history
//!   and the entries of the append checked before it ([`crate::model::Checker`]; else
//!   [`AppendRefusal::Rule`]); the rules' `W_…` warnings come back as [`CheckWarning`]s.
//!
//! ## The history and its snapshot
//!
//! The rules are checked against the domain history of the log the writer verified, up to
//! the head it verified ([`AppendCheck::begin`]). The check brings it there from, in order:
//! the history it kept from its own last append on this writer; the sealed snapshot of an
//! earlier run, if it was given a place for one ([`DomainCheck::with_snapshot`]); or a replay
//! of the whole log. A snapshot is used only if it was sealed by the check's key (its MAC
//! verifies: [`Snapshot::from_sealed`]), is of the log's origin, and its position is a prefix
//! of the writer's log (the entry it ends at is still there, with the same hash, at the same
//! offset) from which the entries after it reach exactly the writer's head; otherwise it is
//! ignored and the history replayed. Either way the entries folded are those whose hashes
//! chain, through `prev`, to the head the writer verified, so nothing kept beside the log can
//! change what the rules are checked against. After a successful append the history is
//! brought up to the new head (reading only the new entries) and the snapshot replaced
//! ([`AppendCheck::appended`]); it is derived data, and a missing, stale, foreign or forged
//! snapshot only costs a replay, so failures to read or write it are ignored.
//!
//! Where the snapshot lives is the embedder's choice, through the small trait
//! [`SnapshotPlace`]: [`SnapshotFile`] keeps it beside a file log (`LOG.domain-state`, never
//! read or written through a link or FIFO), and a store that is not a file gives its own place,
//! or none ([`DomainCheck::new`] alone: the history is replayed on the first append of every
//! writer).
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use acta_domain::append::DomainCheck;
//! use acta_store::LogWriter;
//!
//! let key = acta_core::SigningKey::from_seed("test-only-doc", [7; 32])?;
//! let log = std::path::Path::new("cases.log");
//! let mut writer = LogWriter::open(log, &key)?
//!     .with_append_check(DomainCheck::beside_file_log(&key, log))?;
//! # Ok(())
//! # }
//! ```
//!
//! [`LogWriter`]: acta_store::LogWriter

use std::path::{Path, PathBuf};

use acta_core::json::Object;
use acta_core::{EntryHash, Position, SigningKey};
use acta_store::append_check::{AppendCheck, CheckError, CheckWarning, LogView, Proposed};
use acta_store::project::{ReplayError, ReplayOptions, Snapshot, replay};
use acta_store::{Store, side_file};

use crate::DOMAIN;
use crate::error::DomainError;
use crate::model::{Checker, History, Item, Violation};

/// The code of the warning about a type this version does not know (recorded unchecked).
pub const UNKNOWN_TYPE: &str = "W_UNKNOWN_TYPE";

/// Why [`DomainCheck`] refused an entry ([`AppendCheck::check`]'s error; the writer reports it
/// as [`acta_store::LogError::CheckRefused`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppendRefusal {
    /// The data is not valid for its type ([`crate::validate`]).
    #[error("{0}")]
    Invalid(DomainError),
    /// The entry breaks a rule of DOMAIN.md §8 that it does not acknowledge.
    #[error("refused by the rules of {DOMAIN}: {0}")]
    Rule(Box<Violation>),
    /// [`AppendCheck::check`] was called outside an append ([`AppendCheck::begin`] first).
    #[error("an entry was checked outside an append")]
    NotBegun,
}

/// Why [`DomainCheck`] could not bring the history up to the writer's head
/// ([`AppendCheck::begin`]'s error; the writer reports it as
/// [`acta_store::LogError::CheckUnavailable`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// Reading the log's entries failed.
    #[error("cannot replay the log to check the domain's rules")]
    Replay(#[source] ReplayError),
    /// The log's entries end elsewhere than at the head the writer verified (the log changed
    /// under the writer).
    #[error("the log's entries do not reach the head the writer verified ({seq}:{hash})")]
    NotAtHead {
        /// The head's seq.
        seq: u64,
        /// The head's hash.
        hash: EntryHash,
    },
}

/// Where a [`DomainCheck`] keeps the sealed snapshot of its history between writers (see the
/// [module documentation](self)). Every operation is best effort: a place that cannot be read
/// or written only costs a replay.
pub trait SnapshotPlace: Send {
    /// The sealed snapshot's bytes, if there is one to try.
    fn load(&self) -> Option<Vec<u8>>;
    /// Replaces the snapshot with `sealed`.
    fn save(&self, sealed: &[u8]);
    /// Removes the snapshot (it could not be brought up to the log).
    fn remove(&self);
}

/// The snapshot beside a file log: `LOG.domain-state`.
///
/// Read only if it is a regular file (never through a link, never blocking on a FIFO) no
/// longer than [`SnapshotFile::limit`]; written as a new file with an unpredictable name
/// renamed over the path (a link or FIFO planted there is replaced, never written through),
/// not synced: it is derived data.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    log: PathBuf,
    path: PathBuf,
}

/// What `LOG.domain-state` is called in errors.
const SNAPSHOT_WHAT: &str = "the domain snapshot";

impl SnapshotFile {
    /// The snapshot beside the file log at `log`.
    pub fn beside(log: &Path) -> SnapshotFile {
        let mut name = log.as_os_str().to_owned();
        name.push(".domain-state");
        SnapshotFile {
            log: log.to_path_buf(),
            path: PathBuf::from(name),
        }
    }

    /// The snapshot's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The largest snapshot read beside a log of `log_len` bytes: four times the log plus
    /// 1 MiB (the snapshot holds what the domain keeps of the log's events, in JSON much like
    /// the log's own; four times leaves room for its structure), and never more than 1 GiB. A
    /// larger file is not read at all: the history is replayed instead.
    pub fn limit(log_len: u64) -> u64 {
        log_len
            .saturating_mul(4)
            .saturating_add(1 << 20)
            .min(1 << 30)
    }
}

impl SnapshotPlace for SnapshotFile {
    fn load(&self) -> Option<Vec<u8>> {
        let log_len = std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0);
        side_file::read_bounded(&self.path, SNAPSHOT_WHAT, SnapshotFile::limit(log_len))
            .ok()
            .flatten()
    }

    fn save(&self, sealed: &[u8]) {
        // A failure leaves the old snapshot, which the next append checks against the log.
        let _ = side_file::replace(&self.path, SNAPSHOT_WHAT, sealed, false);
    }

    fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The history of a log at a position, and possibly the checker made from it.
#[derive(Debug)]
enum Ready {
    /// Not replayed into a checker yet.
    History(History),
    /// Made into a checker (its history is the log's, up to the position).
    Checker(Box<Checker>),
}

/// The domain history of the log at `position` (of the log of `origin`).
#[derive(Debug)]
struct Base {
    origin: String,
    position: Position,
    ready: Ready,
}

impl Base {
    fn history(&self) -> &History {
        match &self.ready {
            Ready::History(h) => h,
            Ready::Checker(c) => c.history(),
        }
    }

    /// Whether this is the history of `log` up to its head.
    fn at_head<S: ?Sized>(&self, log: &LogView<'_, S>) -> bool {
        self.origin == log.origin && at_head(&self.position, log)
    }
}

/// Whether `p` is the position of `log`'s head.
fn at_head<S: ?Sized>(p: &Position, log: &LogView<'_, S>) -> bool {
    p.size == log.size() && p.head == Some(log.head.hash)
}

/// The [`AppendCheck`] of [`DOMAIN`]: see the [module documentation](self).
pub struct DomainCheck {
    /// The key that seals and opens the snapshot (the writer's).
    key: SigningKey,
    snapshot: Option<Box<dyn SnapshotPlace>>,
    /// The history at the head of the last append that began or succeeded.
    base: Option<Base>,
    /// The checker of the append under way.
    working: Option<Checker>,
    /// How many items `working`'s history had when the append began.
    working_from: usize,
    /// The entries the last successful append's check accepted, as it saw them.
    last_checked: Vec<Item>,
}

impl std::fmt::Debug for DomainCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DomainCheck")
            .field("key", &self.key.key_ref())
            .field("snapshot", &self.snapshot.is_some())
            .field("base", &self.base.as_ref().map(|b| b.position))
            .finish_non_exhaustive()
    }
}

impl DomainCheck {
    /// A check with no snapshot: the history is replayed from the log on its first append,
    /// then kept in memory for the next ones. `key` seals the snapshot, if one is given
    /// ([`DomainCheck::with_snapshot`]): the key of the writer.
    pub fn new(key: &SigningKey) -> DomainCheck {
        DomainCheck {
            key: key.clone(),
            snapshot: None,
            base: None,
            working: None,
            working_from: 0,
            last_checked: Vec::new(),
        }
    }

    /// Keeps the history's sealed snapshot at `place` between writers.
    pub fn with_snapshot(mut self, place: impl SnapshotPlace + 'static) -> DomainCheck {
        self.snapshot = Some(Box::new(place));
        self
    }

    /// [`DomainCheck::new`] with the snapshot beside the file log at `log`
    /// ([`SnapshotFile::beside`]).
    pub fn beside_file_log(key: &SigningKey, log: &Path) -> DomainCheck {
        DomainCheck::new(key).with_snapshot(SnapshotFile::beside(log))
    }

    /// The domain history the next append is checked against: the log's up to the head of
    /// the last append that began or succeeded (`None` before the first).
    pub fn history(&self) -> Option<&History> {
        self.base.as_ref().map(Base::history)
    }

    /// The entries the check accepted in the last successful append, exactly as it checked
    /// them (type, data, author, `recorded_at`; entry hashes all zeros, as they were not known
    /// yet), excluding `acta.*` entries and types this version does not know.
    pub fn last_checked(&self) -> &[Item] {
        &self.last_checked
    }

    /// The history of `log` up to its head: from the kept base, the snapshot, or a replay.
    fn bring_up<S: Store + ?Sized>(&mut self, log: &LogView<'_, S>) -> Result<Base, HistoryError> {
        if let Some(base) = self.base.take() {
            if base.at_head(log) {
                return Ok(base);
            }
            if base.origin == log.origin
                && let Some(base) = resume(log, base.history().clone(), base.position)
            {
                return Ok(base);
            }
        }
        if let Some(snapshot) = self
            .snapshot
            .as_ref()
            .and_then(|place| place.load())
            .and_then(|b| Snapshot::<History>::from_sealed(&b, &self.key).ok())
            .filter(|s| s.origin == log.origin && s.state.size == s.position.size)
            && let Some(base) = resume(log, snapshot.state, snapshot.position)
        {
            return Ok(base);
        }
        let mut history = History::new();
        let position = replay(log.store, &mut history, &ReplayOptions::default())
            .map_err(HistoryError::Replay)?;
        if !at_head(&position, log) {
            return Err(HistoryError::NotAtHead {
                seq: log.head.seq,
                hash: log.head.hash,
            });
        }
        Ok(Base {
            origin: log.origin.to_owned(),
            position,
            ready: Ready::History(history),
        })
    }

    /// Saves `base` at the snapshot place, if there is one.
    fn save(&self, base: Base) -> Base {
        let Some(place) = &self.snapshot else {
            return base;
        };
        let Base {
            origin,
            position,
            ready,
        } = base;
        let history = match ready {
            Ready::History(h) => h,
            Ready::Checker(c) => c.history().clone(),
        };
        let snapshot = Snapshot::new(&origin, position, history);
        if let Ok(bytes) = snapshot.to_sealed(&self.key) {
            place.save(&bytes);
        }
        Base {
            origin,
            position,
            ready: Ready::History(snapshot.state),
        }
    }
}

/// `history` at `from`, brought up to `log`'s head by replaying the entries after `from`, if
/// `from` is a prefix of the log and the entries after it reach exactly the head.
fn resume<S: Store + ?Sized>(
    log: &LogView<'_, S>,
    mut history: History,
    from: Position,
) -> Option<Base> {
    if history.size != from.size {
        return None;
    }
    let options = ReplayOptions {
        from,
        upto_seq: None,
    };
    let position = replay(log.store, &mut history, &options).ok()?;
    (history.size == position.size && at_head(&position, log)).then(|| Base {
        origin: log.origin.to_owned(),
        position,
        ready: Ready::History(history),
    })
}

impl<S: Store + ?Sized> AppendCheck<S> for DomainCheck {
    fn domain(&self) -> &str {
        DOMAIN
    }

    fn begin(&mut self, log: &LogView<'_, S>) -> Result<(), CheckError> {
        self.working = None;
        let mut base = self.bring_up(log)?;
        let checker = match base.ready {
            Ready::Checker(c) => c,
            Ready::History(h) => Box::new(Checker::new(h)),
        };
        self.working_from = checker.history().items.len();
        self.working = Some(Checker::clone(&checker));
        base.ready = Ready::Checker(checker);
        self.base = Some(base);
        Ok(())
    }

    fn check(&mut self, entry: &Proposed<'_>) -> Result<Vec<CheckWarning>, CheckError> {
        let Some(checker) = self.working.as_mut() else {
            return Err(Box::new(AppendRefusal::NotBegun));
        };
        check_entry(
            checker,
            entry.entry_type,
            entry.data,
            entry.author,
            entry.recorded_at,
        )
        .map_err(|e| -> CheckError { Box::new(e) })
    }

    fn appended(&mut self, log: &LogView<'_, S>) {
        if let Some(working) = self.working.take() {
            self.last_checked = working
                .history()
                .items
                .get(self.working_from..)
                .unwrap_or_default()
                .to_vec();
        }
        let Some(base) = self.base.take() else {
            return;
        };
        // The history as written: the log's own new entries (with their hashes), folded onto
        // the history the append began from.
        let history = match base.ready {
            Ready::History(h) => h,
            Ready::Checker(c) => c.history().clone(),
        };
        match resume(log, history, base.position) {
            Some(new) => self.base = Some(self.save(new)),
            None => {
                if let Some(place) = &self.snapshot {
                    place.remove();
                }
            }
        }
    }

    fn abandoned(&mut self) {
        self.working = None;
    }
}

/// Checks one entry as the next after `checker`'s history; see the module documentation.
fn check_entry(
    checker: &mut Checker,
    entry_type: &str,
    data: &Object,
    author: &str,
    recorded_at: &str,
) -> Result<Vec<CheckWarning>, AppendRefusal> {
    if entry_type.starts_with("acta.") {
        checker.skip();
        return Ok(Vec::new());
    }
    match crate::validate(entry_type, data) {
        Ok(()) => {}
        Err(e) if e.is_unknown_type() => {
            checker.skip();
            return Ok(vec![CheckWarning {
                code: UNKNOWN_TYPE.to_owned(),
                message: format!(
                    "type {entry_type:?} is not one of the {DOMAIN} types this version knows; it is recorded unchecked"
                ),
            }]);
        }
        Err(e) => return Err(AppendRefusal::Invalid(e)),
    }
    let warnings = checker
        .check_append(author, recorded_at, entry_type, data)
        .map_err(AppendRefusal::Rule)?;
    Ok(warnings
        .into_iter()
        .map(|w| CheckWarning {
            code: w.code.to_string(),
            message: w.message,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    //! The domain's check on a real file log, through the real writer.
    // Test code: failing loudly is the point.
    #![allow(clippy::unwrap_used, clippy::panic)]

    use std::error::Error;
    use std::path::Path;

    use acta_core::json::{Profile, Value, parse};
    use acta_core::{Entry, Genesis, Roles};
    use acta_store::{FileStore, LogError, LogWriter};

    use super::*;

    type TestResult = Result<(), Box<dyn Error>>;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_seed("test-only-domain-check", [seed; 32]).unwrap()
    }

    /// 2025-11-26T09:00:00Z plus `second` seconds and `nanos` nanoseconds.
    fn at(second: i64, nanos: u32) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(1_764_147_600 + second, nanos).unwrap()
    }

    fn obj(text: &str) -> Object {
        match parse(text.as_bytes(), Profile::Entry) {
            Ok(Value::Object(o)) => o,
            other => panic!("{text}: {other:?}"),
        }
    }

    /// A new ICC log `icc.log` in `dir`, created at `now`, with a writer that has the domain's
    /// check installed (snapshot beside the log).
    fn icc_log(
        dir: &Path,
        key: &SigningKey,
        now: chrono::DateTime<chrono::Utc>,
    ) -> LogWriter<FileStore> {
        let genesis = Genesis {
            origin: "example.org/domain-check".to_owned(),
            keys: vec![(key.verifier(), Roles::all())],
            domain: Some(DOMAIN.to_owned()),
        };
        let log = dir.join("icc.log");
        LogWriter::create(&log, &genesis, key, now)
            .unwrap()
            .with_append_check(DomainCheck::beside_file_log(key, &log))
            .unwrap()
    }

    const SITUATION: &str = r#"{"situation":"ICC-01/11","name":"Libya","referral":"unsc_referral","occurred":"2011-03-03"}"#;
    const PARTY: &str =
        r#"{"state":"ITA","occurred":"1999-07-26","entry_into_force":"2002-07-01"}"#;
    const PERSON: &str = r#"{"person":"example-suspect","primary_name":"Example Suspect"}"#;
    const WARRANT: &str = r#"{"warrant_id":"example-warrant","person":"example-suspect","situation":"ICC-01/11","chamber":"PTC-I","visibility":"public","occurred":"2025-01-18"}"#;
    /// An arrest dated before the warrant: refused (E_DATE_ORDER) unless acknowledged.
    const EARLY_ARREST: &str = r#"{"warrant_id":"example-warrant","person":"example-suspect","state":"ITA","occurred":"2024-01-19"}"#;
    const ARREST: &str = r#"{"warrant_id":"example-warrant","person":"example-suspect","state":"ITA","occurred":"2025-01-19"}"#;

    /// The facts an arrest needs, appended as one batch (each checked after the ones before).
    fn facts(w: &mut LogWriter<FileStore>, k: &SigningKey, now: chrono::DateTime<chrono::Utc>) {
        let items = [
            ("situation_registered", obj(SITUATION)),
            ("state_became_party", obj(PARTY)),
            ("person_registered", obj(PERSON)),
            ("arrest_warrant_issued", obj(WARRANT)),
        ];
        let refs: Vec<(&str, &Object)> = items.iter().map(|(t, d)| (*t, d)).collect();
        w.append_batch(k, &refs, now).unwrap();
    }

    /// The domain's refusal inside a writer's error.
    fn refusal(e: &LogError) -> &AppendRefusal {
        match e {
            LogError::CheckRefused { source, .. } => source
                .downcast_ref::<AppendRefusal>()
                .unwrap_or_else(|| panic!("not the domain's refusal: {e}")),
            _ => panic!("not a refusal: {e}"),
        }
    }

    #[test]
    fn rules_are_checked_against_the_log_and_a_refusal_writes_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let k = key(1);
        let mut w = icc_log(dir.path(), &k, at(0, 0));
        // Without the warrant, the arrest is refused; with it (and the batch's earlier
        // entries), the same arrest dated before the warrant is refused as out of order.
        let e = w
            .append(&k, "person_arrested", &obj(ARREST), at(1, 0))
            .unwrap_err();
        assert!(matches!(refusal(&e), AppendRefusal::Rule(_)), "{e}");
        facts(&mut w, &k, at(2, 0));
        let log = dir.path().join("icc.log");
        let before = std::fs::read(&log)?;
        let e = w
            .append(&k, "person_arrested", &obj(EARLY_ARREST), at(3, 0))
            .unwrap_err();
        let AppendRefusal::Rule(v) = refusal(&e) else {
            panic!("{e}");
        };
        assert_eq!(v.code.to_string(), "E_DATE_ORDER");
        assert!(
            refusal(&e).to_string().starts_with(
                "refused by the rules of icc-noncooperation/v1: E_DATE_ORDER: person_arrested: "
            ),
            "{e}"
        );
        assert_eq!(std::fs::read(&log)?, before, "nothing written");
        // Acknowledged, it is accepted; the correct one is too.
        let ack = EARLY_ARREST.replace('}', r#","acknowledged_anomalies":["E_DATE_ORDER"]}"#);
        w.append(&k, "person_arrested", &obj(&ack), at(4, 0))?;
        assert!(std::fs::read(&log)?.len() > before.len());
        Ok(())
    }

    #[test]
    fn invalid_data_is_refused_naming_the_field_and_unknown_types_are_recorded_with_a_warning()
    -> TestResult {
        let dir = tempfile::tempdir()?;
        let k = key(2);
        let mut w = icc_log(dir.path(), &k, at(0, 0));
        let log = dir.path().join("icc.log");
        let before = std::fs::read(&log)?;
        let bad = PARTY.replace("ITA", "Italy");
        let e = w
            .append(&k, "state_became_party", &obj(&bad), at(1, 0))
            .unwrap_err();
        let AppendRefusal::Invalid(d) = refusal(&e) else {
            panic!("{e}");
        };
        assert_eq!(d.path(), Some("data.state"));
        assert_eq!(refusal(&e).to_string(), d.to_string());
        assert_eq!(std::fs::read(&log)?, before, "nothing written");
        assert!(w.take_warnings().is_empty());

        w.append(&k, "future_event_type", &obj(r#"{"x":1}"#), at(2, 0))?;
        let warnings = w.take_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].warning.code, UNKNOWN_TYPE);
        assert_eq!(
            warnings[0].warning.message,
            "type \"future_event_type\" is not one of the icc-noncooperation/v1 types this version knows; it is recorded unchecked"
        );
        assert_eq!(w.head().seq, 1, "recorded");
        // acta's own entries are the core's: no warning, and the history counts them.
        let other = key(3);
        let data = acta_core::keyring::key_add_data(&other.verifier(), &Roles::all());
        w.append(&k, acta_core::keyring::KEY_ADD_TYPE, &data, at(3, 0))?;
        assert!(w.take_warnings().is_empty());
        facts(&mut w, &k, at(4, 0));
        w.append(&k, "person_arrested", &obj(ARREST), at(5, 0))?;
        Ok(())
    }

    /// The snapshot beside the log is used by the next writer only if this key sealed it:
    /// one forged with another key, claiming a warrant the log does not have, is ignored.
    #[test]
    fn a_snapshot_not_sealed_by_the_key_is_ignored() -> TestResult {
        let dir = tempfile::tempdir()?;
        let k = key(4);
        let log = dir.path().join("icc.log");
        let mut w = icc_log(dir.path(), &k, at(0, 0));
        w.append(&k, "person_registered", &obj(PERSON), at(1, 0))?;
        drop(w);
        let place = SnapshotFile::beside(&log);
        let sealed = std::fs::read(place.path())?;
        let genuine = Snapshot::<History>::from_sealed(&sealed, &k)?;
        assert_eq!(genuine.position.size, 2);

        // A history in which the warrant exists, sealed by another key.
        let mut forged = genuine.state.clone();
        forged.items.push(Item {
            at: acta_domain_ref(forged.size),
            author: k.key_ref().to_string(),
            recorded_at: "2025-11-26T09:00:01Z".to_owned(),
            entry_type: "arrest_warrant_issued".to_owned(),
            data: WARRANT.to_owned(),
        });
        let forged = Snapshot::new(&genuine.origin, genuine.position, forged);
        for (seal, accepted) in [(key(5), false), (k.clone(), true)] {
            std::fs::write(place.path(), forged.to_sealed(&seal)?)?;
            let mut w = LogWriter::open(&log, &k)?
                .with_append_check(DomainCheck::beside_file_log(&k, &log))?;
            // The forged history's size does not match its items' (one item too many for
            // its position), but is sealed: only the key decides here whether it is read.
            let r = w.append(&k, "arrest_warrant_issued", &obj(WARRANT), at(2, 0));
            // Sealed by another key: ignored, so the warrant is new and accepted. Sealed by
            // the key (a snapshot the writer wrote): trusted, so the warrant already exists.
            assert_eq!(r.is_err(), accepted, "{r:?}");
        }
        Ok(())
    }

    fn acta_domain_ref(seq: u64) -> crate::EntryRef {
        crate::EntryRef {
            seq,
            hash: EntryHash([7; 32]),
        }
    }

    /// A writer's check, kept reachable by the test: every call goes to the real
    /// [`DomainCheck`] inside.
    struct Shared(std::sync::Arc<std::sync::Mutex<DomainCheck>>);

    impl Shared {
        fn get(&self) -> std::sync::MutexGuard<'_, DomainCheck> {
            self.0.lock().unwrap()
        }
    }

    impl<S: Store + ?Sized> AppendCheck<S> for Shared {
        fn domain(&self) -> &str {
            DOMAIN
        }
        fn begin(&mut self, log: &LogView<'_, S>) -> Result<(), CheckError> {
            self.get().begin(log)
        }
        fn check(&mut self, e: &Proposed<'_>) -> Result<Vec<CheckWarning>, CheckError> {
            AppendCheck::<S>::check(&mut *self.get(), e)
        }
        fn appended(&mut self, log: &LogView<'_, S>) {
            self.get().appended(log);
        }
        fn abandoned(&mut self) {
            AppendCheck::<S>::abandoned(&mut *self.get());
        }
    }

    /// The entries of the file log at `log` from `seq` on.
    fn entries_from(log: &Path, seq: usize) -> Vec<Entry> {
        let bytes = std::fs::read(log).unwrap();
        bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .skip(seq)
            .map(|l| Entry::decode(l).unwrap().entry)
            .collect()
    }

    /// The history the check saw is the history written (issue 12): every entry of an append
    /// is checked with exactly the `recorded_at` that is signed, even when the last entry's
    /// time is later than `now` (the clock moved back), with its sub-second digits; and the
    /// history kept after the append is the log's.
    #[test]
    fn the_history_checked_has_the_recorded_at_written() -> TestResult {
        let dir = tempfile::tempdir()?;
        let k = key(6);
        let log = dir.path().join("icc.log");
        // The genesis at 23:59:59.25 on 2025-11-26; then the clock moves back two days.
        let late = at(14 * 3600 + 59 * 60 + 59, 250_000_000);
        let now = at(-2 * 86_400, 0);
        let genesis = Genesis {
            origin: "example.org/domain-check".to_owned(),
            keys: vec![(k.verifier(), Roles::all())],
            domain: Some(DOMAIN.to_owned()),
        };
        let check = std::sync::Arc::new(std::sync::Mutex::new(DomainCheck::beside_file_log(
            &k, &log,
        )));
        let mut w = LogWriter::create(&log, &genesis, &k, late)?
            .with_append_check(Shared(check.clone()))?;
        // Dated on the genesis day: a future fact at `now` (the 24th, beyond the rule's day of
        // slack), not at the time the writer signs (the genesis time, the later of the two).
        let situation = obj(&SITUATION.replace("2011-03-03", "2025-11-26"));
        let person = obj(PERSON);
        let at_now = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let author = k.key_ref().to_string();
        let refused = History::new()
            .check_append(&author, &at_now, "situation_registered", &situation)
            .unwrap_err();
        assert_eq!(refused.code.to_string(), "E_FUTURE_FACT", "{refused}");

        w.append_batch(
            &k,
            &[
                ("situation_registered", &situation),
                ("person_registered", &person),
            ],
            now,
        )?;
        let written = entries_from(&log, 0);
        assert_eq!(written.len(), 3);
        // The writer signs the genesis time, sub-second digits and all.
        assert_eq!(written[1].recorded_at, written[0].recorded_at);
        assert!(written[1].recorded_at.starts_with("2025-11-26T23:59:59.25"));
        let check = check.lock().unwrap();
        let seen = check.last_checked();
        assert_eq!(seen.len(), 2, "{seen:?}");
        for (seen, written) in seen.iter().zip(&written[1..]) {
            assert_eq!(seen.recorded_at, written.recorded_at);
            assert_eq!(seen.author, written.author.to_string());
            assert_eq!(seen.entry_type, written.entry_type);
            assert_eq!(seen.object().as_ref(), Some(&written.data));
        }
        // The history kept for the next append (and sealed beside the log) is the log's,
        // hashes and all.
        let mut replayed = History::new();
        replay(w.store(), &mut replayed, &ReplayOptions::default())?;
        assert_eq!(check.history(), Some(&replayed));
        let sealed = std::fs::read(SnapshotFile::beside(&log).path())?;
        assert_eq!(
            Snapshot::<History>::from_sealed(&sealed, &k)?.state,
            replayed
        );
        Ok(())
    }
}
