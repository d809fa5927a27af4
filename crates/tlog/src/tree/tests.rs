use std::cell::Cell;
use std::collections::HashMap;
use std::sync::OnceLock;

use proptest::prelude::*;

use super::layout::*;
use super::proof::*;
use super::*;

fn leaf(i: usize) -> Hash {
    leaf_hash(format!("leaf {i}").as_bytes())
}

fn leaves(n: usize) -> Vec<Hash> {
    (0..n).map(leaf).collect()
}

fn tree(n: usize) -> MemoryTree {
    MemoryTree::from_leaves(leaves(n))
}

// --- Naive RFC 6962 definitions, straight from the recursion, over slices. ---

fn k_of(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn mth(d: &[Hash]) -> Hash {
    match d.len() {
        0 => Sha256::digest(b"").into(),
        1 => d[0],
        n => {
            let k = k_of(n);
            node_hash(&mth(&d[..k]), &mth(&d[k..]))
        }
    }
}

fn path(m: usize, d: &[Hash]) -> Vec<Hash> {
    let n = d.len();
    if n <= 1 {
        return vec![];
    }
    let k = k_of(n);
    let (mut p, sibling) = if m < k {
        (path(m, &d[..k]), mth(&d[k..]))
    } else {
        (path(m - k, &d[k..]), mth(&d[..k]))
    };
    p.push(sibling);
    p
}

fn subproof(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { vec![] } else { vec![mth(d)] };
    }
    let k = k_of(n);
    let (mut p, sibling) = if m <= k {
        (subproof(m, &d[..k], b), mth(&d[k..]))
    } else {
        (subproof(m - k, &d[k..], false), mth(&d[..k]))
    };
    p.push(sibling);
    p
}

/// Which side each inclusion-proof hash goes on (true: left sibling), from the RFC recursion.
fn path_shape(m: usize, n: usize) -> Option<Vec<bool>> {
    if m >= n {
        return None;
    }
    if n == 1 {
        return Some(vec![]);
    }
    let k = k_of(n);
    let mut s = if m < k {
        path_shape(m, k)?
    } else {
        path_shape(m - k, n - k)?
    };
    s.push(m >= k);
    Some(s)
}

/// The shape of a consistency proof: whether its first hash is the seed (the old root is not
/// a complete subtree), then the side of each sibling (true: left, on both paths).
fn proof_shape(m: usize, n: usize) -> Option<(bool, Vec<bool>)> {
    fn sub(m: usize, n: usize, b: bool) -> (bool, Vec<bool>) {
        if m == n {
            return (!b, vec![]);
        }
        let k = k_of(n);
        let (seed, mut s) = if m <= k {
            sub(m, k, b)
        } else {
            sub(m - k, n - k, false)
        };
        s.push(m > k);
        (seed, s)
    }
    (0 < m && m <= n).then(|| sub(m, n, true))
}

/// A reader that counts the indexes it is asked for.
struct Counting<'a> {
    hashes: &'a [Hash],
    reads: Cell<usize>,
    calls: Cell<usize>,
}

impl<'a> Counting<'a> {
    fn new(hashes: &'a [Hash]) -> Self {
        Counting {
            hashes,
            reads: Cell::new(0),
            calls: Cell::new(0),
        }
    }
}

impl HashReader for Counting<'_> {
    type Error = MissingHash;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, MissingHash> {
        self.reads.set(self.reads.get() + indexes.len());
        self.calls.set(self.calls.get() + 1);
        self.hashes.read_hashes(indexes)
    }
}

fn flip(h: &Hash, bit: usize) -> Hash {
    let mut h = *h;
    h[bit / 8] ^= 1 << (bit % 8);
    h
}

fn bitlen(x: u64) -> usize {
    (u64::BITS - x.leading_zeros()) as usize
}

// --- Hashing. ---

#[test]
fn empty_root_is_sha256_of_nothing() {
    assert_eq!(
        hex::encode(empty_root()),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(MemoryTree::new().root(), empty_root());
    assert_eq!(tree_hash(0, &Vec::<Hash>::new()), Ok(empty_root()));
}

#[test]
fn node_hash_is_sha256_of_0x01_left_right() {
    let (l, r) = (leaf(1), leaf(2));
    let mut bytes = vec![0x01];
    bytes.extend_from_slice(&l);
    bytes.extend_from_slice(&r);
    let want: Hash = Sha256::digest(&bytes).into();
    assert_eq!(node_hash(&l, &r), want);
    assert_ne!(node_hash(&r, &l), want);
}

// --- The stored layout. ---

/// Appends leaves one by one, recording where each complete subtree (level, n) lands.
fn brute_force_layout(leaves: u64) -> (HashMap<(u8, u64), u64>, Vec<u64>) {
    let mut at = HashMap::new();
    let mut counts = vec![0];
    let mut next = 0;
    for n in 0..leaves {
        // Leaf n, then every subtree whose last leaf is n, smallest first.
        let mut level = 0u8;
        loop {
            let width = 1u64 << level;
            if (n + 1) % width != 0 {
                break;
            }
            at.insert((level, (n + 1) / width - 1), next);
            next += 1;
            level += 1;
        }
        counts.push(next);
    }
    (at, counts)
}

#[test]
fn stored_layout_matches_brute_force() {
    let (at, counts) = brute_force_layout(600);
    for (&(level, n), &index) in &at {
        assert_eq!(stored_hash_index(level, n), index, "level {level}, n {n}");
    }
    for (n, &count) in counts.iter().enumerate() {
        let n = n as u64;
        assert_eq!(stored_hash_count(n), count, "count({n})");
        assert_eq!(stored_hash_index(0, n), count, "leaf {n} comes right after");
        assert_eq!(
            stored_hash_count(n),
            (0..64).map(|k| n >> k).sum::<u64>(),
            "2n − popcount(n) = Σ ⌊n/2^k⌋"
        );
    }
    // The picture in the module docs.
    let picture = [
        (0, 0),
        (0, 1),
        (1, 0),
        (0, 2),
        (0, 3),
        (1, 1),
        (2, 0),
        (0, 4),
    ];
    for (i, &(level, n)) in picture.iter().enumerate() {
        assert_eq!(stored_hash_index(level, n), i as u64);
    }
}

#[test]
fn stored_layout_at_the_maximum_size() {
    assert_eq!(stored_hash_count(MAX_TREE_SIZE), u64::MAX);
    // The root of the largest tree is the last stored hash.
    assert_eq!(stored_hash_index(63, 0), u64::MAX - 1);
    assert_eq!(stored_hash_index(0, MAX_TREE_SIZE - 1), u64::MAX - 64);
    // Out of range: meaningless but no panic.
    let _ = stored_hash_index(255, u64::MAX);
    let _ = stored_hash_count(u64::MAX);
}

#[test]
fn stored_hashes_for_leaf_builds_the_layout() {
    let n = 300;
    let mut stored: Vec<Hash> = Vec::new();
    for (i, l) in leaves(n).into_iter().enumerate() {
        assert_eq!(stored.len() as u64, stored_hash_count(i as u64));
        let new = stored_hashes_for_leaf(i as u64, l, &stored).unwrap();
        assert_eq!(new.len(), 1 + (i as u64).trailing_ones() as usize);
        stored.extend(new);
    }
    let t = tree(n);
    assert_eq!(t.stored_hashes(), &stored[..]);
    // Each stored hash is the MTH of its subtree's leaves.
    let ls = leaves(n);
    let (at, _) = brute_force_layout(n as u64);
    for (&(level, j), &index) in &at {
        let width = 1usize << level;
        let lo = j as usize * width;
        assert_eq!(stored[index as usize], mth(&ls[lo..lo + width]));
    }
}

#[test]
fn stored_hashes_for_leaf_reads_only_left_halves() {
    let t = tree(64);
    for n in 0..64u64 {
        let r = Counting::new(&t.stored_hashes()[..stored_hash_count(n) as usize]);
        stored_hashes_for_leaf(n, leaf(n as usize), &r).unwrap();
        assert_eq!(r.reads.get(), n.trailing_ones() as usize);
        assert!(r.calls.get() <= 1);
    }
}

// --- Roots. ---

#[test]
fn tree_hash_matches_naive_mth() {
    let ls = leaves(70);
    let t = tree(70);
    for size in 0..=70usize {
        let want = mth(&ls[..size]);
        let r = Counting::new(t.stored_hashes());
        assert_eq!(tree_hash(size as u64, &r), Ok(want), "size {size}");
        assert_eq!(r.reads.get(), (size as u64).count_ones() as usize);
        assert_eq!(t.root_at(size as u64), Ok(want));
        assert_eq!(tree(size).root(), want);
        // Only the hashes of the first `size` leaves are needed.
        let prefix = &t.stored_hashes()[..stored_hash_count(size as u64) as usize];
        assert_eq!(tree_hash(size as u64, prefix), Ok(want));
    }
}

// --- Inclusion proofs. ---

/// The bits to flip in a 32-byte hash. All 256 are slow in a debug build (SHA-256 runs
/// unoptimised there), so larger trees flip 9: each of the 8 bit positions, in bytes 0, 4,
/// …, 28, and the very last bit.
fn bits(all: bool) -> Vec<usize> {
    if all {
        (0..256).collect()
    } else {
        (0..8).map(|i| i * 4 * 8 + i).chain([255]).collect()
    }
}

/// Leaves, their stored tree, and the root of each prefix, for the small-tree sweeps.
struct Small {
    leaves: Vec<Hash>,
    tree: MemoryTree,
    roots: Vec<Hash>,
}

impl Small {
    const LEAVES: usize = 44;

    fn new() -> Small {
        let leaves = leaves(Small::LEAVES);
        let roots = (0..=Small::LEAVES).map(|n| mth(&leaves[..n])).collect();
        Small {
            tree: MemoryTree::from_leaves(leaves.iter().copied()),
            leaves,
            roots,
        }
    }
}

fn check_inclusion(s: &Small, size: u64, index: u64, all_bits: bool) {
    let (ls, t, root) = (&s.leaves, &s.tree, s.roots[size as usize]);
    let l = ls[index as usize];
    let r = Counting::new(t.stored_hashes());
    let proof = prove_inclusion(size, index, &r).unwrap();
    assert_eq!(proof, path(index as usize, &ls[..size as usize]));
    assert_eq!(proof.len(), path_len(index, size - 1));
    assert!(r.reads.get() <= 2 * bitlen(size), "O(log n) reads");
    assert!(r.calls.get() <= 1);
    assert_eq!(verify_inclusion(l, index, size, &proof, root), Ok(()));

    // Single-bit flips of a proof hash, the leaf or the root fail.
    for i in 0..proof.len() {
        for &bit in &bits(all_bits) {
            let mut bad = proof.clone();
            bad[i] = flip(&bad[i], bit);
            assert_eq!(
                verify_inclusion(l, index, size, &bad, root),
                Err(ProofError::RootMismatch)
            );
        }
    }
    for &bit in &bits(all_bits) {
        let bad_leaf = flip(&l, bit);
        assert!(verify_inclusion(bad_leaf, index, size, &proof, root).is_err());
        let bad_root = flip(&root, bit);
        assert!(verify_inclusion(l, index, size, &proof, bad_root).is_err());
    }

    // Too short or too long.
    let expected = proof.len();
    if let Some((_, shorter)) = proof.split_last() {
        assert_eq!(
            verify_inclusion(l, index, size, shorter, root),
            Err(ProofError::WrongProofLength {
                expected,
                got: expected - 1
            })
        );
    }
    for extra in [root, l, [0; 32]] {
        for at in [0, proof.len()] {
            let mut longer = proof.clone();
            longer.insert(at, extra);
            assert_eq!(
                verify_inclusion(l, index, size, &longer, root),
                Err(ProofError::WrongProofLength {
                    expected,
                    got: expected + 1
                })
            );
        }
    }

    // Another index always fails. Another size fails unless the proof has exactly the same
    // shape there: then the verifier computes the very same hashes (proofs don't bind the
    // size; the signed checkpoint does).
    let shape = path_shape(index as usize, size as usize);
    for other in 0..size + 3 {
        if other != index {
            let ok = verify_inclusion(l, other, size, &proof, root).is_ok();
            assert!(!ok, "index {other} for {index} of {size}");
            assert_ne!(path_shape(other as usize, size as usize), shape);
        }
        if other != size {
            let ok = verify_inclusion(l, index, other, &proof, root).is_ok();
            let same = path_shape(index as usize, other as usize) == shape;
            assert_eq!(ok, same, "size {other} for {index} of {size}");
        }
    }
    // Against a nearby size's root, the proof fails unless it is also that size's proof.
    for other in size.saturating_sub(4).max(1)..=size + 4 {
        if other != size && t.prove_inclusion(other, index).ok() != Some(proof.clone()) {
            let r = s.roots[other as usize];
            assert!(verify_inclusion(l, index, other, &proof, r).is_err());
        }
    }
}

#[test]
fn inclusion_proofs_for_every_leaf_of_every_small_tree() {
    let s = Small::new();
    for size in 1..=40u64 {
        for index in 0..size {
            check_inclusion(&s, size, index, size <= 8);
        }
    }
}

/// Every bit of every proof hash for every tree up to 40 leaves: slow in a debug build, so
/// run it with `cargo test --release -p acta-tlog -- --ignored`.
#[test]
#[ignore = "slow in debug builds; run with --release -- --ignored"]
fn inclusion_proofs_every_bit_flip() {
    let s = Small::new();
    for size in 1..=40u64 {
        for index in 0..size {
            check_inclusion(&s, size, index, true);
        }
    }
}

#[test]
fn inclusion_proof_requests_that_cannot_be_met() {
    let t = tree(5);
    assert_eq!(
        prove_inclusion(5, 5, t.stored_hashes()),
        Err(TreeError::IndexOutOfRange { index: 5, size: 5 })
    );
    assert_eq!(
        prove_inclusion(0, 0, t.stored_hashes()),
        Err(TreeError::IndexOutOfRange { index: 0, size: 0 })
    );
    assert_eq!(
        prove_inclusion(u64::MAX, 0, t.stored_hashes()),
        Err(TreeError::TooLarge { size: u64::MAX })
    );
    assert!(matches!(
        prove_inclusion(9, 0, t.stored_hashes()),
        Err(TreeError::Read(MissingHash { stored: 8, .. }))
    ));
    assert!(matches!(
        t.prove_inclusion(6, 5),
        Err(TreeError::Read(MissingHash { .. }))
    ));
    assert!(t.prove_inclusion(5, 4).is_ok());
}

#[test]
fn verify_inclusion_edge_cases() {
    let l = leaf(0);
    // A one-leaf tree: the root is the leaf, the proof is empty.
    assert_eq!(verify_inclusion(l, 0, 1, &[], l), Ok(()));
    assert_eq!(
        verify_inclusion(l, 0, 1, &[l], l),
        Err(ProofError::WrongProofLength {
            expected: 0,
            got: 1
        })
    );
    assert_eq!(
        verify_inclusion(l, 1, 1, &[], l),
        Err(ProofError::IndexOutOfRange { index: 1, size: 1 })
    );
    assert_eq!(
        verify_inclusion(l, 0, 0, &[], empty_root()),
        Err(ProofError::IndexOutOfRange { index: 0, size: 0 })
    );
    // Huge sizes: no overflow, no panic.
    let proof = vec![[7; 32]; 64];
    for (index, size) in [
        (u64::MAX - 1, u64::MAX),
        (0, u64::MAX),
        (1 << 63, u64::MAX),
        (u64::MAX, u64::MAX),
    ] {
        for len in [0, 1, 63, 64] {
            let _ = verify_inclusion(l, index, size, &proof[..len], l);
        }
    }
    assert_eq!(path_len(0, u64::MAX), 64);
    assert_eq!(path_len(u64::MAX, u64::MAX), 64);
    assert_eq!(path_len(1 << 63, u64::MAX), 64);
}

// --- Consistency proofs. ---

fn check_consistency(s: &Small, old: u64, new: u64, all_bits: bool) {
    let (ls, t) = (&s.leaves, &s.tree);
    let (r1, r2) = (s.roots[old as usize], s.roots[new as usize]);
    let r = Counting::new(t.stored_hashes());
    let proof = prove_consistency(old, new, &r).unwrap();
    assert_eq!(
        proof,
        subproof(old as usize, &ls[..new as usize], true),
        "{old} → {new}"
    );
    if old < new {
        assert_eq!(proof.len(), consistency_proof_len(old, new));
    }
    assert!(r.reads.get() <= 2 * bitlen(new), "O(log n) reads");
    assert!(r.calls.get() <= 1);
    assert_eq!(verify_consistency(old, new, &proof, r1, r2), Ok(()));

    // Single-bit flips of a proof hash or either root fail.
    for i in 0..proof.len() {
        for &bit in &bits(all_bits) {
            let mut bad = proof.clone();
            bad[i] = flip(&bad[i], bit);
            assert!(verify_consistency(old, new, &bad, r1, r2).is_err());
        }
    }
    for &bit in &bits(all_bits) {
        assert!(verify_consistency(old, new, &proof, flip(&r1, bit), r2).is_err());
        assert!(verify_consistency(old, new, &proof, r1, flip(&r2, bit)).is_err());
    }
    if old < new {
        assert!(verify_consistency(old, new, &proof, r2, r1).is_err());
    }

    // Too short or too long.
    let expected = proof.len();
    if let Some((_, shorter)) = proof.split_last() {
        assert_eq!(
            verify_consistency(old, new, shorter, r1, r2),
            Err(ProofError::WrongProofLength {
                expected,
                got: expected - 1
            })
        );
    }
    for extra in [r1, r2, [0; 32]] {
        for at in [0, proof.len()] {
            let mut longer = proof.clone();
            longer.insert(at, extra);
            assert_eq!(
                verify_consistency(old, new, &longer, r1, r2),
                Err(ProofError::WrongProofLength {
                    expected,
                    got: expected + 1
                })
            );
        }
    }

    // Other sizes fail unless the proof has exactly the same shape there.
    let shape = proof_shape(old as usize, new as usize);
    for other in 0..new + 3 {
        if other != old {
            let ok = verify_consistency(other, new, &proof, r1, r2).is_ok();
            let same = proof_shape(other as usize, new as usize) == shape;
            assert_eq!(ok, same, "old size {other} for {old} → {new}");
        }
        if other != new {
            let ok = verify_consistency(old, other, &proof, r1, r2).is_ok();
            let same = proof_shape(old as usize, other as usize) == shape;
            assert_eq!(ok, same, "new size {other} for {old} → {new}");
        }
    }
}

#[test]
fn consistency_proofs_for_every_pair_of_small_trees() {
    let s = Small::new();
    for new in 1..=40u64 {
        for old in 1..=new {
            check_consistency(&s, old, new, new <= 8);
        }
    }
}

/// Every bit of every proof hash for every pair up to 40 leaves: slow in a debug build, so
/// run it with `cargo test --release -p acta-tlog -- --ignored`.
#[test]
#[ignore = "slow in debug builds; run with --release -- --ignored"]
fn consistency_proofs_every_bit_flip() {
    let s = Small::new();
    for new in 1..=40u64 {
        for old in 1..=new {
            check_consistency(&s, old, new, true);
        }
    }
}

#[test]
fn verify_consistency_edge_cases() {
    let (a, b) = (leaf(0), leaf(1));
    assert_eq!(
        verify_consistency(2, 1, &[], a, b),
        Err(ProofError::SizesReversed {
            old_size: 2,
            new_size: 1
        })
    );
    // From the empty tree: always an error, whatever the roots and proof.
    for new in [0, 1, 5] {
        for proof in [&[][..], &[empty_root()][..]] {
            assert_eq!(
                verify_consistency(0, new, proof, empty_root(), empty_root()),
                Err(ProofError::EmptyOldTree)
            );
        }
    }
    // Equal sizes: an empty proof and equal roots.
    assert_eq!(verify_consistency(3, 3, &[], a, a), Ok(()));
    assert_eq!(
        verify_consistency(3, 3, &[], a, b),
        Err(ProofError::RootMismatch)
    );
    assert_eq!(
        verify_consistency(3, 3, &[a], a, a),
        Err(ProofError::WrongProofLength {
            expected: 0,
            got: 1
        })
    );
    // A different size but no proof.
    assert_eq!(
        verify_consistency(1, 2, &[], a, b),
        Err(ProofError::WrongProofLength {
            expected: 1,
            got: 0
        })
    );
    // The old root is checked, then the new one.
    let t = tree(8);
    let proof = t.prove_consistency(6, 8).unwrap();
    let (r6, r8) = (t.root_at(6).unwrap(), t.root());
    assert_eq!(
        verify_consistency(6, 8, &proof, b, r8),
        Err(ProofError::OldRootMismatch)
    );
    assert_eq!(
        verify_consistency(6, 8, &proof, r6, b),
        Err(ProofError::RootMismatch)
    );
    // Huge sizes: no overflow, no panic.
    let junk = vec![[7; 32]; 66];
    for (old, new) in [
        (u64::MAX - 1, u64::MAX),
        (1, u64::MAX),
        (1 << 63, u64::MAX),
        ((1 << 63) - 1, u64::MAX),
        (u64::MAX, u64::MAX),
    ] {
        for len in [0, 1, 63, 64, 65, 66] {
            let _ = verify_consistency(old, new, &junk[..len], a, b);
        }
        if old < new {
            let _ = consistency_proof_len(old, new);
        }
    }
}

#[test]
fn consistency_proof_requests_that_cannot_be_met() {
    let t = tree(5);
    let h = t.stored_hashes();
    assert_eq!(
        prove_consistency(3, 2, h),
        Err(TreeError::SizesReversed {
            old_size: 3,
            new_size: 2
        })
    );
    assert_eq!(prove_consistency(0, 3, h), Err(TreeError::EmptyOldTree));
    assert_eq!(prove_consistency(0, 0, h), Err(TreeError::EmptyOldTree));
    assert_eq!(prove_consistency(4, 4, h), Ok(vec![]));
    assert_eq!(
        prove_consistency(1, MAX_TREE_SIZE + 1, h),
        Err(TreeError::TooLarge {
            size: MAX_TREE_SIZE + 1
        })
    );
    assert!(matches!(
        t.prove_consistency(2, 6),
        Err(TreeError::Read(MissingHash { .. }))
    ));
}

// --- Misbehaving readers. ---

/// A reader that fails, or returns `extra` hashes more than asked for.
enum Lying {
    Fails,
    Extra(usize),
}

impl HashReader for Lying {
    type Error = &'static str;
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, &'static str> {
        match self {
            Lying::Fails => Err("disk on fire"),
            Lying::Extra(extra) => Ok(vec![[0; 32]; indexes.len() + extra]),
        }
    }
}

#[test]
fn reader_failures_are_errors_not_panics() {
    assert_eq!(
        tree_hash(5, &Lying::Fails),
        Err(TreeError::Read("disk on fire"))
    );
    assert_eq!(
        tree_hash(7, &Lying::Extra(1)),
        Err(TreeError::ReadCount { wanted: 3, got: 4 })
    );
    assert_eq!(
        tree_hash(7, &Lying::Extra(0)),
        Ok(fold_subtrees(&[[0; 32]; 3]))
    );
    struct Short;
    impl HashReader for Short {
        type Error = ();
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, ()> {
            Ok(vec![[0; 32]; indexes.len().saturating_sub(1)])
        }
    }
    assert_eq!(
        prove_inclusion(7, 2, &Short),
        Err(TreeError::ReadCount { wanted: 4, got: 3 })
    );
    assert_eq!(
        prove_consistency(3, 7, &Short),
        Err(TreeError::ReadCount { wanted: 5, got: 4 })
    );
    assert_eq!(
        stored_hashes_for_leaf(3, leaf(3), &Short),
        Err(TreeError::ReadCount { wanted: 2, got: 1 })
    );
    assert_eq!(
        stored_hashes_for_leaf(MAX_TREE_SIZE, leaf(0), &Short),
        Err(TreeError::TooLarge {
            size: MAX_TREE_SIZE + 1
        })
    );
    let empty: &[Hash] = &[];
    assert_eq!(
        tree_hash(1, empty),
        Err(TreeError::Read(MissingHash {
            index: 0,
            stored: 0
        }))
    );
    assert_eq!(
        empty.read_hashes(&[u64::MAX]),
        Err(MissingHash {
            index: u64::MAX,
            stored: 0
        })
    );
}

// --- Larger random trees. ---

const BIG: usize = 1500;

fn big() -> &'static (Vec<Hash>, MemoryTree) {
    static BIG_TREE: OnceLock<(Vec<Hash>, MemoryTree)> = OnceLock::new();
    BIG_TREE.get_or_init(|| (leaves(BIG), tree(BIG)))
}

proptest! {
    #[test]
    fn random_inclusion_proofs(
        size in 1..=BIG as u64,
        pick in any::<u64>(),
        bit in 0..256usize,
    ) {
        let (ls, t) = big();
        let index = pick % size;
        let root = mth(&ls[..size as usize]);
        prop_assert_eq!(t.root_at(size), Ok(root));
        let r = Counting::new(t.stored_hashes());
        let proof = prove_inclusion(size, index, &r).unwrap();
        prop_assert!(r.reads.get() <= 2 * bitlen(size));
        prop_assert_eq!(&proof, &path(index as usize, &ls[..size as usize]));
        let l = ls[index as usize];
        prop_assert_eq!(verify_inclusion(l, index, size, &proof, root), Ok(()));
        for i in 0..proof.len() {
            let mut bad = proof.clone();
            bad[i] = flip(&bad[i], bit);
            prop_assert_eq!(
                verify_inclusion(l, index, size, &bad, root),
                Err(ProofError::RootMismatch)
            );
        }
    }

    #[test]
    fn random_consistency_proofs(
        new in 1..=BIG as u64,
        pick in any::<u64>(),
        bit in 0..256usize,
    ) {
        let (ls, t) = big();
        let old = 1 + pick % new;
        let (r1, r2) = (mth(&ls[..old as usize]), mth(&ls[..new as usize]));
        let r = Counting::new(t.stored_hashes());
        let proof = prove_consistency(old, new, &r).unwrap();
        prop_assert!(r.reads.get() <= 2 * bitlen(new));
        prop_assert_eq!(&proof, &subproof(old as usize, &ls[..new as usize], true));
        prop_assert_eq!(verify_consistency(old, new, &proof, r1, r2), Ok(()));
        for i in 0..proof.len() {
            let mut bad = proof.clone();
            bad[i] = flip(&bad[i], bit);
            prop_assert!(verify_consistency(old, new, &bad, r1, r2).is_err());
        }
    }

    #[test]
    fn verifiers_never_panic(
        index in any::<u64>(),
        size in any::<u64>(),
        len in 0..70usize,
        fill in any::<u8>(),
    ) {
        let proof = vec![[fill; 32]; len];
        let _ = verify_inclusion([fill; 32], index, size, &proof, [fill; 32]);
        let _ = verify_consistency(index, size, &proof, [fill; 32], [fill; 32]);
        let (lo, hi) = (index.min(size), index.max(size));
        let _ = verify_consistency(lo, hi, &proof, [fill; 32], [fill; 32]);
    }
}
