//! Transparency benchmarks at 1M entries: inclusion and consistency proofs (generation from
//! the tree file beside the log, and verification), and checkpointing.
//!
//! Every figure is compared with limits measured by this same binary in the same run
//! (`limits/…`): a 32-byte positional read from the tree file and one RFC 6962 node hash.
//! Each benchmark checks its result, so a fast wrong answer fails.
//!
//! Run: `cargo bench --bench transparency`

use std::hint::black_box;
use std::time::Duration;

use acta_core::EntryHash;
use acta_core::note::{Checkpoint, sign_note};
use acta_core::tree::{
    Frontier, HashReader as _, node_hash, prove_consistency, prove_inclusion, stored_hash_count,
    tree_hash, verify_consistency, verify_inclusion,
};
use acta_core::{Genesis, Roles, SigningKey};
use acta_store::{LogWriter, TreeFile};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const N: u64 = 1_000_000;

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

/// A tree file of N synthetic leaves, and its root.
fn build_tree(dir: &std::path::Path) -> (TreeFile, [u8; 32]) {
    let path = dir.join("bench.log.tree");
    let mut tree = TreeFile::open_writer(&path).expect("tree file");
    let mut frontier = Frontier::new();
    let mut pending = Vec::with_capacity(1 << 16);
    for i in 0..N {
        pending.extend(frontier.push(EntryHash::of_line(&i.to_be_bytes())));
        if pending.len() >= 1 << 16 {
            tree.append(&pending).expect("append");
            pending.clear();
        }
    }
    tree.append(&pending).expect("append");
    assert_eq!(tree.hash_count(), stored_hash_count(N));
    let root = frontier.root();
    assert_eq!(tree_hash(N, &tree).expect("root"), root);
    (tree, root)
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tree, root) = build_tree(dir.path());

    let mut g = c.benchmark_group("limits");
    g.measurement_time(Duration::from_secs(3));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    g.throughput(Throughput::Elements(1));
    g.bench_function("tree_file_read_32B/1M", |b| {
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
    g.bench_function(BenchmarkId::new("inclusion_generate", "1M"), |b| {
        b.iter(|| {
            let i = rng.below(N);
            black_box(prove_inclusion(N, i, &tree).expect("proof"))
        })
    });
    // Check before measuring verification: these proofs verify, and an altered one does not.
    let samples: Vec<(u64, EntryHash, Vec<[u8; 32]>)> = (0..256)
        .map(|_| {
            let i = rng.below(N);
            let leaf = EntryHash::of_line(&i.to_be_bytes());
            (i, leaf, prove_inclusion(N, i, &tree).expect("proof"))
        })
        .collect();
    for (i, leaf, p) in &samples {
        assert!(verify_inclusion(*leaf, *i, N, p, root).is_ok());
        let mut bad = p.clone();
        bad[0][0] ^= 1;
        assert!(verify_inclusion(*leaf, *i, N, &bad, root).is_err());
    }
    let mut k = 0usize;
    g.bench_function(BenchmarkId::new("inclusion_verify", "1M"), |b| {
        b.iter(|| {
            let (i, leaf, p) = &samples[k % samples.len()];
            k += 1;
            verify_inclusion(*leaf, *i, N, black_box(p), root).expect("verifies")
        })
    });
    g.bench_function(BenchmarkId::new("consistency_generate", "1M"), |b| {
        b.iter(|| {
            let m = 1 + rng.below(N - 1);
            black_box(prove_consistency(m, N, &tree).expect("proof"))
        })
    });
    let cons: Vec<(u64, [u8; 32], Vec<[u8; 32]>)> = (0..256)
        .map(|_| {
            let m = 1 + rng.below(N - 1);
            let old = tree_hash(m, &tree).expect("old root");
            (m, old, prove_consistency(m, N, &tree).expect("proof"))
        })
        .collect();
    for (m, old, p) in &cons {
        assert!(verify_consistency(*m, N, p, *old, root).is_ok());
        assert!(verify_consistency(*m, N, p, *old, [0; 32]).is_err());
    }
    g.bench_function(BenchmarkId::new("consistency_verify", "1M"), |b| {
        b.iter(|| {
            let (m, old, p) = &cons[k % cons.len()];
            k += 1;
            verify_consistency(*m, N, black_box(p), *old, root).expect("verifies")
        })
    });
    g.finish();

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
        (0..10_000).map(|_| ("b.e", &data)).collect();
    while writer.frontier().size() < N {
        writer.append_batch(&key, &batch, now).expect("append");
    }
    drop(writer);
    let writer = LogWriter::open(&log).expect("open");
    let mut g = c.benchmark_group("checkpoint");
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("sign", "1M"), |b| {
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
    g.bench_function(BenchmarkId::new("open_replay", "1M"), |b| {
        b.iter(|| {
            // What `acta checkpoint` does before signing: open the log, replaying all of it
            // (it does not resume from the writer's state file, so that the root it signs is
            // computed from the lines).
            let w = LogWriter::open_replaying(&log).expect("open");
            assert!(w.frontier().size() >= N);
            black_box(w.frontier().root())
        })
    });
    g.finish();
}

criterion_group!(transparency, benches);
criterion_main!(transparency);
