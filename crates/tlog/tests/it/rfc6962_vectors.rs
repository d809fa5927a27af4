//! RFC 6962 / RFC 9162 proof vectors from transparency-dev/merkle (fixtures/vectors/rfc6962):
//! every happy path must verify and every `wantErr` case must fail.
//!
//! The vectors are byte strings, and some of their "hashes" are not 32 bytes long (`""`,
//! `"WrongLeaf"`, `"don't care 1"`). Our API only takes 32-byte hashes, so such a value is
//! rejected before any verification: it cannot be decoded into a [`Hash`]. To still exercise the
//! verifier on those vectors, a malformed value is also replaced by a stand-in 32-byte hash
//! derived from its bytes (equal bytes give equal stand-ins) and verified; the test records
//! which verdicts come from the verifier and which only from the hash length.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use acta_tlog::tree::{self, Hash, MemoryTree, ProofError};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;
use sha2::{Digest, Sha256};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../fixtures/vectors/rfc6962"
);

/// Why a vector file could not be read, or a verdict that contradicts it.
type Failure = String;

/// Every `.json` file under `dir`, sorted.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|x| x == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A vector's hash: exactly 32 bytes, or something else.
#[derive(Debug, Clone, PartialEq)]
enum VHash {
    Exact(Hash),
    Malformed(Vec<u8>),
}

impl VHash {
    fn decode(v: &Value, what: &str) -> Result<VHash, Failure> {
        let s = v
            .as_str()
            .ok_or_else(|| format!("{what}: not a string: {v}"))?;
        let bytes = BASE64.decode(s).map_err(|e| format!("{what}: {e}"))?;
        Ok(match <Hash>::try_from(bytes.as_slice()) {
            Ok(h) => VHash::Exact(h),
            Err(_) => VHash::Malformed(bytes),
        })
    }

    /// The hash itself, or a 32-byte stand-in for a malformed one.
    fn stand_in(&self) -> Hash {
        match self {
            VHash::Exact(h) => *h,
            VHash::Malformed(bytes) => {
                let mut h = Sha256::new();
                h.update(b"acta test stand-in for a malformed hash\n");
                h.update(bytes);
                h.finalize().into()
            }
        }
    }

    fn is_exact(&self) -> bool {
        matches!(self, VHash::Exact(_))
    }
}

struct Vector {
    path: PathBuf,
    json: Value,
    want_err: bool,
}

impl Vector {
    fn load(path: PathBuf) -> Result<Vector, Failure> {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let json: Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let want_err = json["wantErr"]
            .as_bool()
            .ok_or_else(|| format!("{}: wantErr is not a boolean", path.display()))?;
        Ok(Vector {
            path,
            json,
            want_err,
        })
    }

    fn name(&self) -> String {
        self.path
            .strip_prefix(VECTORS)
            .unwrap_or(&self.path)
            .display()
            .to_string()
    }

    fn u64(&self, field: &str) -> Result<u64, Failure> {
        self.json[field]
            .as_u64()
            .ok_or_else(|| format!("{}: {field} is not a u64", self.name()))
    }

    fn hash(&self, field: &str) -> Result<VHash, Failure> {
        VHash::decode(&self.json[field], &format!("{}: {field}", self.name()))
    }

    /// `proof`, which may be null (an empty proof).
    fn proof(&self) -> Result<Vec<VHash>, Failure> {
        match &self.json["proof"] {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => items
                .iter()
                .map(|v| VHash::decode(v, &format!("{}: proof", self.name())))
                .collect(),
            other => Err(format!("{}: proof is {other}", self.name())),
        }
    }
}

/// The leaves of the RFC 6962 reference tree the happy paths come from (the test data of the
/// Certificate Transparency implementations): leaf i's hash is SHA-256(0x00 ‖ data i).
fn reference_tree() -> MemoryTree {
    let data: [&[u8]; 8] = [
        b"",
        b"\x00",
        b"\x10",
        b"\x20\x21",
        b"\x30\x31",
        b"\x40\x41\x42\x43",
        b"\x50\x51\x52\x53\x54\x55\x56\x57",
        b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
    ];
    MemoryTree::from_leaves(data.iter().map(|d| tree::leaf_hash(d)))
}

/// What the checks of one kind of vector found.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    /// Happy paths that verify.
    verified: usize,
    /// … of which have a hash that is not 32 bytes (verified with stand-ins).
    verified_malformed: usize,
    /// `wantErr` vectors that the verifier rejects (with stand-ins for malformed hashes).
    rejected: usize,
    /// … of which also have a hash that is not 32 bytes.
    rejected_malformed: usize,
    /// `wantErr` vectors rejected only because a hash is not 32 bytes: with stand-ins, the
    /// verifier would accept them.
    rejected_only_malformed: usize,
    /// Happy paths whose proof our prover reproduces from the reference tree.
    reproduced: usize,
    /// Why the verifier rejected the `wantErr` vectors.
    reasons: BTreeMap<String, usize>,
}

impl Tally {
    fn record(
        &mut self,
        v: &Vector,
        result: Result<(), ProofError>,
        exact: bool,
    ) -> Result<(), Failure> {
        self.files += 1;
        match (v.want_err, result, exact) {
            (false, Ok(()), _) => {
                self.verified += 1;
                self.verified_malformed += usize::from(!exact);
            }
            (true, Err(e), _) => {
                self.rejected += 1;
                self.rejected_malformed += usize::from(!exact);
                let reason = format!("{e:?}");
                let reason = reason.split([' ', '(']).next().unwrap_or_default();
                *self.reasons.entry(reason.to_owned()).or_default() += 1;
            }
            (true, Ok(()), false) => self.rejected_only_malformed += 1,
            (false, Err(e), _) => return Err(format!("{}: a happy path failed: {e}", v.name())),
            (true, Ok(()), true) => return Err(format!("{}: a wantErr vector verified", v.name())),
        }
        Ok(())
    }
}

fn reasons(counts: &[(&str, usize)]) -> BTreeMap<String, usize> {
    counts.iter().map(|&(r, n)| (r.to_owned(), n)).collect()
}

#[test]
fn inclusion_vectors() -> Result<(), Failure> {
    let reference = reference_tree();
    let mut tally = Tally::default();
    for path in json_files(&Path::new(VECTORS).join("inclusion"))? {
        let v = Vector::load(path)?;
        let (index, size) = (v.u64("leafIdx")?, v.u64("treeSize")?);
        let (root, leaf, proof) = (v.hash("root")?, v.hash("leafHash")?, v.proof()?);
        let exact = root.is_exact() && leaf.is_exact() && proof.iter().all(VHash::is_exact);
        let stand_ins: Vec<Hash> = proof.iter().map(VHash::stand_in).collect();
        let result =
            tree::verify_inclusion(leaf.stand_in(), index, size, &stand_ins, root.stand_in());
        // A happy path from the reference tree: our prover gives the very same proof.
        if !v.want_err && reference.root_at(size) == Ok(root.stand_in()) {
            assert_eq!(
                reference.prove_inclusion(size, index),
                Ok(stand_ins.clone()),
                "{}",
                v.name()
            );
            tally.reproduced += 1;
        }
        tally.record(&v, result, exact)?;
    }
    eprintln!("inclusion: {tally:?}");
    assert_eq!(tally.files, 98, "the published inclusion vectors");
    assert_eq!((tally.verified, tally.verified_malformed), (6, 0));
    assert_eq!((tally.rejected, tally.rejected_malformed), (91, 25));
    // single-entry/empty-root-and-leaf.json: leaf = root = "" in a one-leaf tree.
    assert_eq!(tally.rejected_only_malformed, 1);
    assert_eq!(tally.reproduced, 5);
    assert_eq!(
        tally.reasons,
        reasons(&[
            ("IndexOutOfRange", 17),
            ("RootMismatch", 38),
            ("WrongProofLength", 36)
        ])
    );
    Ok(())
}

#[test]
fn consistency_vectors() -> Result<(), Failure> {
    let reference = reference_tree();
    let mut tally = Tally::default();
    for path in json_files(&Path::new(VECTORS).join("consistency"))? {
        let v = Vector::load(path)?;
        let (size1, size2) = (v.u64("size1")?, v.u64("size2")?);
        let (root1, root2, proof) = (v.hash("root1")?, v.hash("root2")?, v.proof()?);
        let exact = root1.is_exact() && root2.is_exact() && proof.iter().all(VHash::is_exact);
        let stand_ins: Vec<Hash> = proof.iter().map(VHash::stand_in).collect();
        let result =
            tree::verify_consistency(size1, size2, &stand_ins, root1.stand_in(), root2.stand_in());
        if !v.want_err
            && reference.root_at(size1) == Ok(root1.stand_in())
            && reference.root_at(size2) == Ok(root2.stand_in())
        {
            assert_eq!(
                reference.prove_consistency(size1, size2),
                Ok(stand_ins.clone()),
                "{}",
                v.name()
            );
            tally.reproduced += 1;
        }
        tally.record(&v, result, exact)?;
    }
    eprintln!("consistency: {tally:?}");
    assert_eq!(tally.files, 98, "the published consistency vectors");
    // additional/sizes-are-equal-one-and-proof-is-empty.json: 1 → 1 with equal 12-byte roots.
    assert_eq!((tally.verified, tally.verified_malformed), (6, 1));
    assert_eq!((tally.rejected, tally.rejected_malformed), (92, 26));
    assert_eq!(tally.rejected_only_malformed, 0);
    assert_eq!(tally.reproduced, 5);
    assert_eq!(
        tally.reasons,
        reasons(&[
            ("EmptyOldTree", 9),
            ("OldRootMismatch", 8),
            ("RootMismatch", 17),
            ("SizesReversed", 4),
            ("WrongProofLength", 54)
        ])
    );
    Ok(())
}

/// The consistency vectors with an empty old tree all fail, even 0 → 0 with equal roots and an
/// empty proof (additional/sizes-are-equal-zero-and-proof-is-empty.json): RFC 9162 only verifies
/// 0 < first.
#[test]
fn consistency_from_the_empty_tree_is_rejected() -> Result<(), Failure> {
    let mut seen = 0;
    for path in json_files(&Path::new(VECTORS).join("consistency"))? {
        let v = Vector::load(path)?;
        if v.u64("size1")? == 0 {
            assert!(v.want_err, "{}", v.name());
            let proof: Vec<Hash> = v.proof()?.iter().map(VHash::stand_in).collect();
            let got = tree::verify_consistency(
                0,
                v.u64("size2")?,
                &proof,
                v.hash("root1")?.stand_in(),
                v.hash("root2")?.stand_in(),
            );
            assert_eq!(got, Err(ProofError::EmptyOldTree), "{}", v.name());
            seen += 1;
        }
    }
    assert_eq!(seen, 9);
    Ok(())
}
