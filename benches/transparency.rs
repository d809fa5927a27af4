//! Transparency benchmarks: inclusion and consistency proofs (generation from the tree file
//! beside the log, and verification), and checkpointing. By default on a synthetic tree of
//! 1,000,000 leaves and a real signed log of as many entries.
//!
//! Every figure is compared with limits measured by this same binary in the same run
//! (`limits/…`): a 32-byte positional read from the tree file and one RFC 6962 node hash.
//! Each benchmark checks its result, so a fast wrong answer fails.
//!
//! ```text
//! cargo bench --bench transparency                                  # 1M entries
//! ACTA_PROOF_ENTRIES=100000 cargo bench --bench transparency        # another size
//! ACTA_PROOF_LOG=/big/big.log cargo bench --bench transparency      # proofs on an existing log
//! ```
//!
//! `ACTA_PROOF_LOG` names an existing log (for instance one kept by `benches/append_large.sh`
//! with `ACTA_KEEP_DIR`): the limits and proof benchmarks then read its tree file
//! (`LOG.tree`), at the log's whole size, instead of a synthetic tree. Before timing, the tree
//! file's root is checked against the root the log's writer resumes with (`LogWriter::open`,
//! from `LOG.state`), and leaf 0 against the hash of the log's first line. The checkpoint
//! benchmarks are skipped then (their replay of a 10M-entry log takes minutes per iteration).
//! The benchmark ids carry the size (`proof/inclusion_generate/1M`; an exact count such as
//! `…/10000021` when it is not a round number).
//!
//! Under `cargo test --benches` (no `--bench` argument) criterion runs each benchmark once,
//! and the default size is then 2,000 entries.

use std::hint::black_box;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use acta_core::EntryHash;
use acta_core::note::{Checkpoint, sign_note};
use acta_core::tree::{
    Frontier, HashReader as _, node_hash, prove_consistency, prove_inclusion, stored_hash_count,
    stored_hash_index, tree_hash, verify_consistency, verify_inclusion,
};
use acta_core::{Genesis, Roles, SigningKey};
use acta_store::log::Expect;
use acta_store::{LogWriter, TreeFile};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// The default size in bench mode (`--bench`); `ACTA_PROOF_ENTRIES` sets another.
const BENCH_ENTRIES: u64 = 1_000_000;
/// The default size under `cargo test --benches`, so that the test run stays fast.
const TEST_ENTRIES: u64 = 2_000;

/// A size as it appears in benchmark ids: `1M`, `100k`, `10000021`.
fn size_label(n: u64) -> String {
    if n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// A deterministic pseudo-random sequence (xorshift), so runs pick the same indexes.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A tree file of `n` synthetic leaves (the hash of each index's 8 bytes), and its root.
fn build_tree(dir: &Path, n: u64) -> (TreeFile, [u8; 32]) {
    let path = dir.join("bench.log.tree");
    let mut tree = TreeFile::open_writer(&path).expect("tree file");
    let mut frontier = Frontier::new();
    let mut pending = Vec::with_capacity(1 << 16);
    for i in 0..n {
        pending.extend(frontier.push(EntryHash::of_line(&i.to_be_bytes())));
        if pending.len() >= 1 << 16 {
            tree.append(&pending).expect("append");
            pending.clear();
        }
    }
    tree.append(&pending).expect("append");
    assert_eq!(tree.hash_count(), stored_hash_count(n));
    let root = frontier.root();
    assert_eq!(tree_hash(n, &tree).expect("root"), root);
    (tree, root)
}

/// The tree file of the existing log at `log`, its size and its root, checked: the root read
/// from the tree file equals the root of the log's lines (verified in full, without touching
/// the files beside the log: whose key wrote them is not known here), and leaf 0 is the hash
/// of the log's first line.
fn existing_tree(log: &Path) -> (TreeFile, u64, [u8; 32]) {
    let store = acta_store::FileStore::open_reader(log).expect("open the log");
    let writer = LogWriter::from_store(store).expect("verify the log");
    let (n, writer_root) = (writer.frontier().size(), writer.frontier().root());
    drop(writer);
    let tree = TreeFile::open_reader(&TreeFile::path_for(log))
        .expect("tree file")
        .expect("the log has a tree file");
    assert_eq!(tree.leaves(), n, "the tree file covers the whole log");
    let root = tree_hash(n, &tree).expect("root");
    assert_eq!(root, writer_root, "tree file root = writer's root");
    let mut first = Vec::new();
    std::io::BufReader::new(std::fs::File::open(log).expect("open log"))
        .read_until(b'\n', &mut first)
        .expect("read the first line");
    assert_eq!(first.pop(), Some(b'\n'));
    let leaf0 = tree.read_hashes(&[stored_hash_index(0, 0)]).expect("read");
    assert_eq!(
        leaf0[0],
        EntryHash::of_line(&first).0,
        "leaf 0 = hash of line 0"
    );
    (tree, n, root)
}

fn benches(c: &mut Criterion) {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let existing = std::env::var_os("ACTA_PROOF_LOG").map(PathBuf::from);
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, n, root) = match &existing {
        Some(log) => {
            let (tree, n, root) = existing_tree(log);
            eprintln!("proofs on {} ({n} entries)", log.display());
            (tree, n, root)
        }
        None => {
            let n = match std::env::var("ACTA_PROOF_ENTRIES") {
                Ok(v) => v.parse().expect("ACTA_PROOF_ENTRIES: a number of entries"),
                Err(_) if bench_mode => BENCH_ENTRIES,
                Err(_) => TEST_ENTRIES,
            };
            assert!(n >= 2, "ACTA_PROOF_ENTRIES: at least 2");
            let (tree, root) = build_tree(dir.path(), n);
            (tree, n, root)
        }
    };
    // The leaf hash of entry i: stored in the tree file of a real log; the synthetic leaves are
    // recomputed (as `build_tree` made them).
    let leaf_of = |tree: &TreeFile, i: u64| match existing {
        Some(_) => EntryHash(tree.read_hashes(&[stored_hash_index(0, i)]).expect("leaf")[0]),
        None => EntryHash::of_line(&i.to_be_bytes()),
    };
    let size = size_label(n);

    let mut g = c.benchmark_group("limits");
    g.measurement_time(Duration::from_secs(3));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    g.throughput(Throughput::Elements(1));
    g.bench_function(format!("tree_file_read_32B/{size}"), |b| {
        b.iter(|| {
            let i = rng.below(tree.hash_count());
            black_box(tree.read_hashes(&[i]).expect("read"))
        })
    });
    let (l, r) = ([1u8; 32], [2u8; 32]);
    g.bench_function("node_hash", |b| b.iter(|| black_box(node_hash(&l, &r))));
    g.finish();

    let mut g = c.benchmark_group("proof");
    g.measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("inclusion_generate", &size), |b| {
        b.iter(|| {
            let i = rng.below(n);
            black_box(prove_inclusion(n, i, &tree).expect("proof"))
        })
    });
    // Check before measuring verification: these proofs verify, and an altered one does not.
    let samples: Vec<(u64, EntryHash, Vec<[u8; 32]>)> = (0..256)
        .map(|_| {
            let i = rng.below(n);
            let leaf = leaf_of(&tree, i);
            (i, leaf, prove_inclusion(n, i, &tree).expect("proof"))
        })
        .collect();
    for (i, leaf, p) in &samples {
        assert!(verify_inclusion(*leaf, *i, n, p, root).is_ok());
        let mut bad = p.clone();
        bad[0][0] ^= 1;
        assert!(verify_inclusion(*leaf, *i, n, &bad, root).is_err());
    }
    let mut k = 0usize;
    g.bench_function(BenchmarkId::new("inclusion_verify", &size), |b| {
        b.iter(|| {
            let (i, leaf, p) = &samples[k % samples.len()];
            k += 1;
            verify_inclusion(*leaf, *i, n, black_box(p), root).expect("verifies")
        })
    });
    g.bench_function(BenchmarkId::new("consistency_generate", &size), |b| {
        b.iter(|| {
            let m = 1 + rng.below(n - 1);
            black_box(prove_consistency(m, n, &tree).expect("proof"))
        })
    });
    let cons: Vec<(u64, [u8; 32], Vec<[u8; 32]>)> = (0..256)
        .map(|_| {
            let m = 1 + rng.below(n - 1);
            let old = tree_hash(m, &tree).expect("old root");
            (m, old, prove_consistency(m, n, &tree).expect("proof"))
        })
        .collect();
    for (m, old, p) in &cons {
        assert!(verify_consistency(*m, n, p, *old, root).is_ok());
        assert!(verify_consistency(*m, n, p, *old, [0; 32]).is_err());
    }
    g.bench_function(BenchmarkId::new("consistency_verify", &size), |b| {
        b.iter(|| {
            let (m, old, p) = &cons[k % cons.len()];
            k += 1;
            verify_consistency(*m, n, black_box(p), *old, root).expect("verifies")
        })
    });
    g.finish();
    if existing.is_some() {
        eprintln!("ACTA_PROOF_LOG is set: the checkpoint benchmarks are skipped");
        return;
    }

    // Checkpointing: the root from the writer's frontier (computed from the log's lines when
    // it was opened), the C2SP note, and the Ed25519 signature.
    let key = SigningKey::from_seed("test-only-bench", [9; 32]).expect("key");
    let log = dir.path().join("cp.log");
    let genesis = Genesis {
        origin: "example.org/bench".into(),
        keys: vec![(key.verifier(), Roles::all())],
        domain: None,
    };
    let now = chrono::DateTime::from_timestamp(1_764_147_600, 0).expect("time");
    let mut writer = LogWriter::create(&log, &genesis, &key, now).expect("create");
    let mut data = acta_core::json::Object::new();
    data.insert("text", acta_core::json::Value::String("x".repeat(400)));
    let batch: Vec<(&str, &acta_core::json::Object)> =
        (0..n.min(10_000)).map(|_| ("b.e", &data)).collect();
    while writer.frontier().size() < n {
        writer.append_batch(&key, &batch, now).expect("append");
    }
    drop(writer);
    let writer = LogWriter::open(&log, &key).expect("open");
    let mut g = c.benchmark_group("checkpoint");
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("sign", &size), |b| {
        b.iter(|| {
            let f = writer.frontier();
            let cp = Checkpoint {
                origin: "example.org/bench".into(),
                size: f.size(),
                root: f.root(),
                extensions: Vec::new(),
            };
            let note = sign_note(&cp.to_text().expect("text"), &key).expect("sign");
            assert!(note.starts_with("example.org/bench\n"));
            black_box(note)
        })
    });
    g.finish();
    drop(writer);
    let mut g = c.benchmark_group("checkpoint");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("open_replay", &size), |b| {
        b.iter(|| {
            // What `acta checkpoint` does before signing: open the log, verifying all of it,
            // signatures included (it does not resume from the writer's state file, so that
            // the root it signs is computed from lines verified in the same pass).
            let w = LogWriter::open_replaying(&log, &key, &Expect::default()).expect("open");
            assert!(w.frontier().size() >= n);
            black_box(w.frontier().root())
        })
    });
    g.finish();
}

criterion_group!(transparency, benches);
criterion_main!(transparency);
