//! Signed notes, checkpoints, cosignatures and tlog proofs (c2sp.org/signed-note,
//! tlog-checkpoint, tlog-cosignature, tlog-proof) through the public API of `acta_tlog::note`.

use acta_tlog::note::{
    Checkpoint, CheckpointError, CosignatureError, CosignerKey, CosignerKeyError, MAX_NOTE_BYTES,
    MAX_SIGNATURES, Note, NoteError, NoteSignature, NoteVerifyError, NumberProblem, OpenNoteError,
    SignatureLineProblem, TlogProof, TlogProofError, cosign, cosignature_message,
    cosignature_timestamp, cosigner_key_id, format_note, open_note, parse_note, sign_note,
    verify_cosignature, verify_cosignatures, verify_note,
};
use acta_tlog::{KeyId, KeyRef, SigningKey, VerifierKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use proptest::prelude::*;

// --- Published examples ------------------------------------------------------------------------

/// From the package documentation of Go's golang.org/x/mod/sumdb/note.
const GO_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                       then you don't know what your problem is.\n";
const GO_NOTE: &str = "If you think cryptography is the answer to your problem,\n\
                       then you don't know what your problem is.\n\
                       \n\
                       — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
/// The same documentation's doubly-signed note (EnochRoot's key is not published).
const GO_NOTE_TWO: &str = "If you think cryptography is the answer to your problem,\n\
                           then you don't know what your problem is.\n\
                           \n\
                           — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n\
                           — EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

/// From c2sp.org/signed-note, "Verifier keys" → "Example".
const C2SP_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const C2SP_NOTE: &str = "This is an example message.\n\
                         \n\
                         — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

/// From c2sp.org/tlog-cosignature (keys not published): a checkpoint with the log's signature
/// and one witness cosignature whose timestamp is the spec's example time 1679315147.
const C2SP_COSIGNED: &str = "example.com/behind-the-sofa\n\
                             20852163\n\
                             CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\
                             \n\
                             — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n\
                             — witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

/// A cosignature computed independently of this crate (Python `cryptography`/OpenSSL Ed25519,
/// written from the tlog-cosignature text): seed 0x42×32, name `witness.example/w1`,
/// timestamp 1700000000, over `XVEC_CHECKPOINT`.
const XVEC_NAME: &str = "witness.example/w1";
const XVEC_VKEY: &str = "witness.example/w1+f1ed8c47+BCFS+NGbeR0kRTJC4V8uq2y3z/p7al7TAJeWDgaYgdsS";
const XVEC_CHECKPOINT: &str =
    "example.com/acta-test\n42\npyvF8FosUBg5jPZfU42haXj8tJq7dUdyUcXFXLY/ooY=\n";
const XVEC_LINE: &str = "— witness.example/w1 8e2MRwAAAABlU/EAqlOKGjPeVg+C8tGp/AJOlF4LRA2Zl/MQOSl3dr44fhwTar0yMC2FZ5qu1OhG/3A3roouv9HKvpbla0BNbkNwCw==\n";

// --- Helpers -----------------------------------------------------------------------------------

fn key(name: &str, seed: u8) -> SigningKey {
    SigningKey::from_seed(name, [seed; 32]).expect("valid name")
}

fn go_vkey() -> VerifierKey {
    GO_VKEY.parse().expect("published verifier key")
}

fn parse(s: &str) -> Result<Note, NoteError> {
    parse_note(s.as_bytes())
}

fn kref(name: &str, id: &str) -> KeyRef {
    KeyRef {
        name: name.to_owned(),
        id: id.parse().expect("hex id"),
    }
}

const CHECKPOINT: &str = "example.com/log\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

fn malformed(s: &str) -> Option<(usize, SignatureLineProblem)> {
    match parse(s) {
        Err(NoteError::MalformedSignatureLine { line, problem }) => Some((line, problem)),
        _ => None,
    }
}

/// A valid note by `k` over "hello\n", and its signature line's base64.
fn hello(k: &SigningKey) -> (String, String) {
    let signed = sign_note("hello\n", k).expect("sign");
    let b64 = signed
        .trim_end()
        .rsplit(' ')
        .next()
        .expect("has base64")
        .to_owned();
    (signed, b64)
}

// --- Known answers -----------------------------------------------------------------------------

#[test]
fn go_example_note_verifies_under_its_published_key() {
    let note = parse(GO_NOTE).expect("published note parses");
    assert_eq!(note.text, GO_TEXT);
    assert_eq!(note.signatures.len(), 1);
    assert_eq!(note.signatures[0].name, "PeterNeumann");
    assert_eq!(note.signatures[0].key_id, KeyId([0xc7, 0x4f, 0x20, 0xa3]));
    assert_eq!(note.signatures[0].bytes.len(), 64);
    let v = verify_note(&note, &[go_vkey()]);
    assert_eq!(v.result(), Ok(vec![kref("PeterNeumann", "c74f20a3")]));
    assert_eq!(v.verified[0].line, 4);
    assert_eq!(v.verified[0].timestamp, None);
    // And the encoding is reproduced byte for byte.
    assert_eq!(format_note(&note).as_deref(), Ok(GO_NOTE));
}

#[test]
fn go_example_signer_reproduces_the_published_note_exactly() {
    // Ed25519 is deterministic, so signing the same text with the published private key must
    // give the published bytes.
    let k = SigningKey::from_private_text(GO_SKEY).expect("published signer key");
    assert_eq!(k.verifier().to_string(), GO_VKEY);
    assert_eq!(sign_note(GO_TEXT, &k).as_deref(), Ok(GO_NOTE));
}

#[test]
fn go_example_note_altered_is_rejected() {
    // One character of the text changed.
    let altered = GO_NOTE.replacen("problem,", "problem;", 1);
    let note = parse(&altered).expect("still well-formed");
    let v = verify_note(&note, &[go_vkey()]);
    assert!(v.verified.is_empty());
    assert_eq!(v.invalid.len(), 1);
    assert_eq!(
        v.result(),
        Err(NoteVerifyError::InvalidSignature {
            key: kref("PeterNeumann", "c74f20a3"),
            line: 4
        })
    );
    // One bit of the signature changed.
    let mut note = parse(GO_NOTE).expect("parses");
    note.signatures[0].bytes[10] ^= 0x01;
    assert!(matches!(
        verify_note(&note, &[go_vkey()]).result(),
        Err(NoteVerifyError::InvalidSignature { .. })
    ));
    // The final newline of the text dropped (and re-signed lines kept): no longer parses.
    let no_nl = GO_NOTE.replacen("is.\n\n", "is.\n", 1);
    assert_eq!(parse(&no_nl), Err(NoteError::MissingBlankLine));
}

#[test]
fn go_example_second_signature_from_unknown_key_is_reported_and_ignored() {
    let note = parse(GO_NOTE_TWO).expect("parses");
    assert_eq!(note.signatures.len(), 2);
    let v = verify_note(&note, &[go_vkey()]);
    assert_eq!(v.result(), Ok(vec![kref("PeterNeumann", "c74f20a3")]));
    assert_eq!(v.unknown.len(), 1);
    assert_eq!(v.unknown[0].key.name, "EnochRoot");
    assert_eq!(v.unknown[0].line, 5);
    assert_eq!(v.unknown[0].index, 1);
    // With no known key at all: unverified, naming both signers.
    let v = verify_note(&note, &[]);
    match v.result() {
        Err(NoteVerifyError::Unverified { unknown }) => {
            let names: Vec<_> = unknown.iter().map(|k| k.name.as_str()).collect();
            assert_eq!(names, ["PeterNeumann", "EnochRoot"]);
        }
        other => panic!("expected Unverified, got {other:?}"),
    }
}

#[test]
fn c2sp_spec_example_note_verifies_and_rejects_alteration() {
    let vkey: VerifierKey = C2SP_VKEY.parse().expect("spec verifier key");
    let (note, keys) = open_note(C2SP_NOTE.as_bytes(), std::slice::from_ref(&vkey))
        .expect("spec example verifies");
    assert_eq!(note.text, "This is an example message.\n");
    assert_eq!(keys, vec![kref("example.com/foo", "530d903a")]);
    let altered = C2SP_NOTE.replacen("example message", "exemple message", 1);
    assert!(matches!(
        open_note(altered.as_bytes(), &[vkey]),
        Err(OpenNoteError::Verify(
            NoteVerifyError::InvalidSignature { .. }
        ))
    ));
}

#[test]
fn c2sp_spec_cosigned_checkpoint_parses_with_the_example_timestamp() {
    let note = parse(C2SP_COSIGNED).expect("spec example parses");
    let cp = Checkpoint::parse(&note.text).expect("spec checkpoint");
    assert_eq!(cp.origin, "example.com/behind-the-sofa");
    assert_eq!(cp.size, 20852163);
    assert!(cp.extensions.is_empty());
    assert_eq!(cp.to_text().as_deref(), Ok(note.text.as_str()));
    let witness = &note.signatures[1];
    assert_eq!(witness.name, "witness.example.com/w1");
    assert_eq!(witness.bytes.len(), 72);
    // tlog-cosignature's example message has "time 1679315147".
    assert_eq!(cosignature_timestamp(witness), Ok(1679315147));
    // The log's signature line is a plain 64-byte Ed25519 signature.
    assert_eq!(note.signatures[0].bytes.len(), 64);
    assert_eq!(
        cosignature_timestamp(&note.signatures[0]),
        Err(CosignatureError::WrongLength { found: 64 })
    );
}

#[test]
fn cosignature_matches_an_independent_implementation() {
    let k = key(XVEC_NAME, 0x42);
    let cosigner = CosignerKey::from_signing_key(&k);
    assert_eq!(cosigner.to_string(), XVEC_VKEY);
    assert_eq!(XVEC_VKEY.parse::<CosignerKey>(), Ok(cosigner.clone()));
    let sig = cosign(XVEC_CHECKPOINT, &k, 1_700_000_000).expect("cosign");
    let note = Note {
        text: XVEC_CHECKPOINT.to_owned(),
        signatures: vec![sig.clone()],
    };
    let encoded = format_note(&note).expect("format");
    assert_eq!(encoded, format!("{XVEC_CHECKPOINT}\n{XVEC_LINE}"));
    // And the independently made line verifies here.
    let parsed = parse(&encoded).expect("parses");
    assert_eq!(
        verify_cosignature(XVEC_CHECKPOINT, &parsed.signatures[0], &cosigner),
        Ok(1_700_000_000)
    );
}

// --- Round trips -------------------------------------------------------------------------------

#[test]
fn signed_note_round_trips() {
    let a = key("a.example/one", 1);
    let b = key("b.example/two", 2);
    let text = "line one\n\nline three, after an empty line: — ünïcode\n";
    let signed = sign_note(text, &a).expect("sign");
    let mut note = parse(&signed).expect("parse");
    assert_eq!(note.text, text);
    note.add_signature(&b).expect("add");
    let two = format_note(&note).expect("format");
    let back = parse(&two).expect("parse");
    assert_eq!(back, note);
    assert_eq!(format_note(&back).as_deref(), Ok(two.as_str()));
    let v = verify_note(&back, &[a.verifier(), b.verifier()]);
    assert_eq!(v.result(), Ok(vec![a.key_ref(), b.key_ref()]));
    // Re-signing by the same key replaces its line instead of adding one.
    note.add_signature(&a).expect("re-sign");
    assert_eq!(note.signatures.len(), 2);
    assert_eq!(note.signatures[1].name, "a.example/one");
}

#[test]
fn signature_lines_in_any_order_verify() {
    let a = key("a", 1);
    let b = key("b", 2);
    let mut note = parse(&sign_note("x\n", &a).expect("sign")).expect("parse");
    note.add_signature(&b).expect("add");
    note.signatures.reverse();
    let reordered = parse(&format_note(&note).expect("format")).expect("parse");
    assert_eq!(reordered.signatures[0].name, "b");
    let v = verify_note(&reordered, &[a.verifier(), b.verifier()]);
    assert_eq!(v.result(), Ok(vec![b.key_ref(), a.key_ref()]));
}

#[test]
fn checkpoint_round_trips_with_extensions() {
    let cp = Checkpoint {
        origin: "example.com/log".into(),
        size: 0,
        root: [7; 32],
        extensions: vec!["ext one".into(), "— ext two".into()],
    };
    let text = cp.to_text().expect("valid");
    assert_eq!(
        text,
        format!(
            "example.com/log\n0\n{}\next one\n— ext two\n",
            BASE64.encode([7u8; 32])
        )
    );
    assert_eq!(Checkpoint::parse(&text), Ok(cp.clone()));
    let max = Checkpoint {
        size: u64::MAX,
        extensions: vec![],
        ..cp
    };
    let text = max.to_text().expect("valid");
    assert!(text.contains("\n18446744073709551615\n"));
    assert_eq!(Checkpoint::parse(&text), Ok(max));
}

#[test]
fn cosignature_round_trips_through_a_signed_checkpoint() {
    let log = key("example.com/log", 1);
    let w1 = key("witness.example/w1", 2);
    let w2 = key("witness.example/w2", 3);
    let mut note = parse(&sign_note(CHECKPOINT, &log).expect("sign")).expect("parse");
    note.signatures
        .push(cosign(CHECKPOINT, &w1, 1_700_000_000).expect("cosign"));
    note.signatures
        .push(cosign(CHECKPOINT, &w2, 0).expect("cosign"));
    let note = parse(&format_note(&note).expect("format")).expect("parse");
    let cosigners = [
        CosignerKey::from_signing_key(&w1),
        CosignerKey::from_signing_key(&w2),
    ];
    let v = verify_cosignatures(&note, &cosigners).expect("checkpoint");
    assert_eq!(
        v.result(),
        Ok(vec![cosigners[0].key_ref(), cosigners[1].key_ref()])
    );
    let stamps: Vec<_> = v.verified.iter().map(|s| s.timestamp).collect();
    assert_eq!(stamps, [Some(1_700_000_000), Some(0)]);
    assert_eq!(
        v.unknown.len(),
        1,
        "the log's own line is not a cosignature"
    );
    assert_eq!(v.unknown[0].key, log.key_ref());
    // The log's signature verifies as a note signature; the cosignatures are unknown there.
    let v = verify_note(&note, &[log.verifier()]);
    assert_eq!(v.result(), Ok(vec![log.key_ref()]));
    assert_eq!(v.unknown.len(), 2);
}

#[test]
fn cosigner_key_text_round_trips_and_is_distinct_from_the_note_key() {
    let k = key("witness.example/w", 9);
    let c = CosignerKey::from_signing_key(&k);
    let text = c.to_string();
    // base64(0x04 ‖ key) starts with 'B'; base64(0x01 ‖ key) with 'A'.
    assert!(text.starts_with(&format!("witness.example/w+{}+B", c.id())));
    assert_eq!(text.parse::<CosignerKey>(), Ok(c.clone()));
    assert_eq!(c.public_bytes(), k.verifier().public_bytes());
    assert_ne!(c.id(), k.verifier().id(), "0x04 and 0x01 ids differ");
    assert_eq!(
        c.id(),
        cosigner_key_id("witness.example/w", &c.public_bytes())
    );
    // Each parser refuses the other's key type.
    assert_eq!(
        k.verifier().to_string().parse::<CosignerKey>(),
        Err(CosignerKeyError::NotCosignerKey { found: 0x01 })
    );
    assert!(text.parse::<VerifierKey>().is_err());
    assert_eq!(
        k.to_private_text().parse::<CosignerKey>(),
        Err(CosignerKeyError::PrivateKey)
    );
}

#[test]
fn cosigner_key_text_rejections() {
    let c = CosignerKey::from_signing_key(&key("w", 4));
    let text = c.to_string();
    let (prefix, b64) = text.rsplit_once('+').expect("parts");
    let raw = BASE64.decode(b64).expect("base64");
    let id = c.id().to_string();
    let cases: Vec<(String, CosignerKeyError)> = vec![
        ("w+1234".into(), CosignerKeyError::Malformed),
        (format!("+{id}+{b64}"), CosignerKeyError::BadName),
        (
            format!("w+{}+{b64}", id.to_uppercase()),
            CosignerKeyError::BadKeyId,
        ),
        (
            format!("{prefix}+{}", &b64[..b64.len() - 1]),
            CosignerKeyError::BadBase64,
        ),
        (
            format!("{prefix}+{}", BASE64.encode(&raw[..32])),
            CosignerKeyError::WrongLength { found: 32 },
        ),
        (
            format!("w+00000000+{b64}"),
            CosignerKeyError::IdMismatch {
                stated: KeyId([0; 4]),
                computed: c.id(),
            },
        ),
    ];
    for (input, want) in cases {
        assert_eq!(input.parse::<CosignerKey>(), Err(want), "{input}");
    }
    // The identity point has small order.
    let mut weak = [0u8; 32];
    weak[0] = 1;
    let mut raw = vec![0x04];
    raw.extend_from_slice(&weak);
    let id = cosigner_key_id("weak", &weak);
    assert_eq!(
        format!("weak+{id}+{}", BASE64.encode(raw)).parse::<CosignerKey>(),
        Err(CosignerKeyError::WeakKey)
    );
}

// --- Strict rejections: note syntax ------------------------------------------------------------

#[test]
fn missing_blank_line_is_rejected() {
    let (signed, _) = hello(&key("k", 1));
    let joined = signed.replacen("hello\n\n", "hello\n", 1);
    assert_eq!(parse(&joined), Err(NoteError::MissingBlankLine));
}

#[test]
fn missing_or_trailing_signature_block_is_rejected() {
    assert_eq!(parse("hello\n\n"), Err(NoteError::NoSignatures));
    let (signed, _) = hello(&key("k", 1));
    assert_eq!(
        parse(&format!("{signed}\n")),
        Err(NoteError::TrailingBlankLine { line: 4 })
    );
}

#[test]
fn wrong_dashes_are_rejected_with_the_line_number() {
    let (signed, _) = hello(&key("k", 1));
    for dash in ['-', '\u{2013}', '\u{2015}', '\u{2212}'] {
        let wrong = signed.replacen('\u{2014}', &dash.to_string(), 1);
        assert_eq!(
            malformed(&wrong),
            Some((3, SignatureLineProblem::WrongDash { found: dash })),
            "{dash:?}"
        );
    }
    let no_space = signed.replacen("\u{2014} ", "\u{2014}", 1);
    assert_eq!(
        malformed(&no_space),
        Some((3, SignatureLineProblem::MissingSpaceAfterDash))
    );
}

#[test]
fn malformed_signature_lines_are_rejected_with_the_problem() {
    let (signed, b64) = hello(&key("k", 1));
    let line = format!("\u{2014} k {b64}");
    let swap = |new: &str| signed.replacen(&line, new, 1);
    let cases = [
        (
            format!("\u{2014}  k {b64}"),
            SignatureLineProblem::ExtraSpace,
        ),
        (
            format!("\u{2014} k  {b64}"),
            SignatureLineProblem::ExtraSpace,
        ),
        (
            format!("\u{2014} k {b64} "),
            SignatureLineProblem::ExtraSpace,
        ),
        (
            format!("\u{2014} k+x {b64}"),
            SignatureLineProblem::BadKeyName,
        ),
        (
            format!("\u{2014} k\u{a0}x {b64}"),
            SignatureLineProblem::BadKeyName,
        ),
        (
            "\u{2014} k".to_owned(),
            SignatureLineProblem::MissingSignature,
        ),
        (
            "\u{2014} k ".to_owned(),
            SignatureLineProblem::MissingSignature,
        ),
        (format!("k {b64}"), SignatureLineProblem::NotASignatureLine),
    ];
    for (bad, problem) in cases {
        assert_eq!(malformed(&swap(&bad)), Some((3, problem)), "{bad:?}");
    }
}

#[test]
fn bad_base64_is_rejected() {
    let (signed, b64) = hello(&key("k", 1));
    let bad = |s: &str| parse(&signed.replacen(&b64, s, 1));
    assert_eq!(bad("!!!!"), Err(NoteError::BadBase64 { line: 3 }));
    // Unpadded, URL-safe alphabet, and stray bits: all refused (one signature, one encoding).
    assert_eq!(
        bad(b64.trim_end_matches('=')),
        Err(NoteError::BadBase64 { line: 3 })
    );
    let url = b64.replace('+', "-").replace('/', "_");
    if url != b64 {
        assert_eq!(bad(&url), Err(NoteError::BadBase64 { line: 3 }));
    }
    // 68 bytes encode to 92 characters ending in one "="; the last data character carries 2
    // unused bits, which must be zero.
    assert!(b64.ends_with('=') && !b64.ends_with("=="));
    let mut chars: Vec<char> = b64.chars().collect();
    let last = chars.len() - 2;
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let pos = alphabet.find(chars[last]).expect("base64 char");
    chars[last] = alphabet.chars().nth(pos | 1).expect("in range");
    let stray: String = chars.into_iter().collect();
    assert_eq!(bad(&stray), Err(NoteError::BadBase64 { line: 3 }));
}

#[test]
fn truncated_signatures_are_rejected() {
    let k = key("k", 1);
    let (signed, b64) = hello(&k);
    // Only a key id (4 bytes), or nothing: too short to parse.
    let raw = BASE64.decode(&b64).expect("base64");
    for n in [0, 3, 4] {
        let short = signed.replacen(&b64, &BASE64.encode(&raw[..n]), 1);
        let want = if n == 0 {
            Err(NoteError::MalformedSignatureLine {
                line: 3,
                problem: SignatureLineProblem::MissingSignature,
            })
        } else {
            Err(NoteError::SignatureTooShort { line: 3, len: n })
        };
        assert_eq!(parse(&short), want, "{n} bytes");
    }
    // A truncated Ed25519 signature parses (its length is the algorithm's business) but is a
    // forgery for the known key.
    let cut = signed.replacen(&b64, &BASE64.encode(&raw[..67]), 1);
    let note = parse(&cut).expect("parses");
    let v = verify_note(&note, &[k.verifier()]);
    assert_eq!(v.invalid.len(), 1);
    assert!(matches!(
        v.result(),
        Err(NoteVerifyError::InvalidSignature { .. })
    ));
}

#[test]
fn trailing_garbage_is_rejected() {
    let (signed, _) = hello(&key("k", 1));
    assert_eq!(
        parse(&format!("{signed}garbage")),
        Err(NoteError::MissingFinalNewline)
    );
    assert_eq!(
        malformed(&format!("{signed}garbage\n")),
        Some((4, SignatureLineProblem::NotASignatureLine))
    );
    assert_eq!(
        parse(&format!("{signed} ")),
        Err(NoteError::MissingFinalNewline)
    );
    let mut with_nul = signed.clone().into_bytes();
    with_nul.push(0);
    assert_eq!(
        parse_note(&with_nul),
        Err(NoteError::ControlCharacter { line: 4, byte: 0 })
    );
}

#[test]
fn non_utf8_and_control_characters_are_rejected() {
    let (signed, _) = hello(&key("k", 1));
    let mut bytes = signed.clone().into_bytes();
    bytes[2] = 0xff;
    assert_eq!(parse_note(&bytes), Err(NoteError::NotUtf8 { offset: 2 }));
    // A truncated multi-byte character (half an em dash).
    let dash = signed.find('\u{2014}').expect("dash");
    let mut half = signed.clone().into_bytes();
    half.remove(dash + 1);
    assert_eq!(parse_note(&half), Err(NoteError::NotUtf8 { offset: dash }));
    // CRLF line endings.
    assert_eq!(
        parse(&signed.replace('\n', "\r\n")),
        Err(NoteError::CarriageReturn { line: 1 })
    );
    assert_eq!(
        parse(&signed.replacen("hello", "hel\tlo", 1)),
        Err(NoteError::ControlCharacter {
            line: 1,
            byte: 0x09
        })
    );
    assert_eq!(parse(""), Err(NoteError::MissingFinalNewline));
}

#[test]
fn size_and_count_limits_are_enforced() {
    let k = key("k", 1);
    let (signed, _) = hello(&k);
    let line = signed.strip_prefix("hello\n\n").expect("one line");
    // 100 signature lines parse (the spec requires at least 16); 101 do not.
    let many = |n: usize| format!("hello\n\n{}", line.repeat(n));
    let note = parse(&many(MAX_SIGNATURES)).expect("100 lines");
    assert_eq!(note.signatures.len(), MAX_SIGNATURES);
    let v = verify_note(&note, &[k.verifier()]);
    assert_eq!(v.verified.len(), 1, "one key counts once");
    assert_eq!(v.duplicates.len(), MAX_SIGNATURES - 1);
    assert_eq!(
        parse(&many(MAX_SIGNATURES + 1)),
        Err(NoteError::TooManySignatures {
            count: MAX_SIGNATURES + 1,
            max: MAX_SIGNATURES
        })
    );
    let mut too_many = note.clone();
    too_many.signatures.push(note.signatures[0].clone());
    assert!(matches!(
        format_note(&too_many),
        Err(NoteError::TooManySignatures { .. })
    ));
    // Size: a note of exactly the limit is refused for its content, one byte more for its size.
    let big_text = format!("{}\n", "a".repeat(MAX_NOTE_BYTES));
    assert_eq!(
        parse(&format!("{big_text}\n{line}")),
        Err(NoteError::TooLarge {
            size: big_text.len() + 1 + line.len(),
            max: MAX_NOTE_BYTES
        })
    );
    assert!(matches!(
        sign_note(&big_text, &k),
        Err(NoteError::TooLarge { .. })
    ));
}

#[test]
fn signing_refuses_invalid_text() {
    let k = key("k", 1);
    assert_eq!(sign_note("", &k), Err(NoteError::EmptyText));
    assert_eq!(
        sign_note("no newline", &k),
        Err(NoteError::MissingFinalNewline)
    );
    assert_eq!(
        sign_note("a\r\n", &k),
        Err(NoteError::CarriageReturn { line: 1 })
    );
    assert_eq!(
        sign_note("a\n\u{1b}[31m\n", &k),
        Err(NoteError::ControlCharacter {
            line: 2,
            byte: 0x1b
        })
    );
    let bad_name = Note {
        text: "a\n".into(),
        signatures: vec![NoteSignature {
            name: "two words".into(),
            key_id: KeyId([0; 4]),
            bytes: vec![1],
        }],
    };
    assert_eq!(
        format_note(&bad_name),
        Err(NoteError::MalformedSignatureLine {
            line: 3,
            problem: SignatureLineProblem::BadKeyName
        })
    );
    let empty_sig = Note {
        signatures: vec![NoteSignature {
            name: "k".into(),
            key_id: KeyId([0; 4]),
            bytes: vec![],
        }],
        ..bad_name.clone()
    };
    assert!(matches!(
        format_note(&empty_sig),
        Err(NoteError::SignatureTooShort { line: 3, .. })
    ));
    let no_sigs = Note {
        signatures: vec![],
        ..bad_name
    };
    assert_eq!(format_note(&no_sigs), Err(NoteError::NoSignatures));
}

// --- Verification semantics --------------------------------------------------------------------

#[test]
fn a_signature_by_one_key_does_not_verify_under_another() {
    let a = key("example.com/a", 1);
    let b = key("example.com/b", 2);
    let note = parse(&sign_note("text\n", &a).expect("sign")).expect("parse");
    let v = verify_note(&note, &[b.verifier()]);
    assert!(v.verified.is_empty());
    assert_eq!(v.unknown.len(), 1);
    assert_eq!(
        v.result(),
        Err(NoteVerifyError::Unverified {
            unknown: vec![a.key_ref()]
        })
    );
    // Same name, different key: a different key id, so still unknown, not verified.
    let a2 = key("example.com/a", 3);
    assert_eq!(verify_note(&note, &[a2.verifier()]).unknown.len(), 1);
    // A's name and id with B's signature bytes: a forgery of a known key.
    let mut forged = note.clone();
    forged.signatures[0].bytes = b.sign(b"text\n").to_vec();
    let v = verify_note(&forged, &[a.verifier()]);
    assert_eq!(
        v.result(),
        Err(NoteVerifyError::InvalidSignature {
            key: a.key_ref(),
            line: 3
        })
    );
}

#[test]
fn missing_signature_line_leaves_the_note_unverified() {
    let a = key("a", 1);
    let b = key("b", 2);
    let mut note = parse(&sign_note("t\n", &a).expect("sign")).expect("parse");
    note.add_signature(&b).expect("add");
    note.signatures.remove(0);
    let v = verify_note(&note, &[a.verifier()]);
    assert_eq!(
        v.result(),
        Err(NoteVerifyError::Unverified {
            unknown: vec![b.key_ref()]
        })
    );
}

#[test]
fn extra_unknown_signature_lines_are_ignored_but_reported() {
    let a = key("a", 1);
    let mut note = parse(&sign_note("t\n", &a).expect("sign")).expect("parse");
    // Junk bytes under an unknown name, and under a known name with a wrong id.
    note.signatures.insert(
        0,
        NoteSignature {
            name: "stranger".into(),
            key_id: KeyId([1, 2, 3, 4]),
            bytes: vec![0; 64],
        },
    );
    note.signatures.push(NoteSignature {
        name: "a".into(),
        key_id: KeyId([0; 4]),
        bytes: vec![0; 64],
    });
    let note = parse(&format_note(&note).expect("format")).expect("parse");
    let v = verify_note(&note, &[a.verifier()]);
    assert_eq!(v.result(), Ok(vec![a.key_ref()]));
    let unknown: Vec<_> = v.unknown.iter().map(|u| (u.index, u.line)).collect();
    assert_eq!(unknown, [(0, 3), (2, 5)]);
    assert_eq!(v.verified[0].index, 1);
}

#[test]
fn duplicate_signatures_count_once_and_each_is_verified() {
    let a = key("a", 1);
    let (signed, b64) = hello(&a);
    let line = format!("\u{2014} a {b64}\n");
    let doubled = format!("{signed}{line}");
    let note = parse(&doubled).expect("parse");
    let v = verify_note(&note, &[a.verifier()]);
    assert_eq!(v.result(), Ok(vec![a.key_ref()]));
    assert_eq!(v.duplicates.len(), 1);
    assert_eq!(v.duplicates[0].line, 4);
    // A second, forged line by the same known key is verified too, and sinks the note.
    let mut raw = BASE64.decode(&b64).expect("base64");
    raw[20] ^= 0x80;
    let forged = format!("{signed}\u{2014} a {}\n", BASE64.encode(&raw));
    let v = verify_note(&parse(&forged).expect("parse"), &[a.verifier()]);
    assert_eq!(v.verified.len(), 1);
    assert_eq!(
        v.result(),
        Err(NoteVerifyError::InvalidSignature {
            key: a.key_ref(),
            line: 4
        })
    );
}

#[test]
fn a_blank_line_among_signatures_moves_lines_into_the_text() {
    // Per the spec the LAST blank line separates: "— A" becomes part of the text, so B's
    // signature (made over the original text) no longer verifies, and A's is not a signature.
    let a = key("a", 1);
    let b = key("b", 2);
    let mut note = parse(&sign_note("t\n", &a).expect("sign")).expect("parse");
    note.add_signature(&b).expect("add");
    let good = format_note(&note).expect("format");
    let b_line = good.lines().nth(3).expect("b line");
    let split = good.replacen(&format!("\n{b_line}"), &format!("\n\n{b_line}"), 1);
    let moved = parse(&split).expect("well-formed");
    assert_eq!(moved.signatures.len(), 1);
    assert!(moved.text.starts_with("t\n\n\u{2014} a "));
    let v = verify_note(&moved, &[a.verifier(), b.verifier()]);
    assert_eq!(
        v.result(),
        Err(NoteVerifyError::InvalidSignature {
            key: b.key_ref(),
            line: 5
        })
    );
    // Trusting only A: A's line is now text, so nothing A signed is present.
    assert!(matches!(
        verify_note(&moved, &[a.verifier()]).result(),
        Err(NoteVerifyError::Unverified { .. })
    ));
}

#[test]
fn open_note_reports_parse_and_verify_errors_distinctly() {
    let a = key("a", 1);
    assert_eq!(
        open_note(b"x\n", &[a.verifier()]),
        Err(OpenNoteError::Parse(NoteError::MissingBlankLine))
    );
    let signed = sign_note("x\n", &a).expect("sign");
    assert!(matches!(
        open_note(signed.as_bytes(), &[]),
        Err(OpenNoteError::Verify(NoteVerifyError::Unverified { .. }))
    ));
    let (note, keys) = open_note(signed.as_bytes(), &[a.verifier()]).expect("verifies");
    assert_eq!((note.text.as_str(), keys), ("x\n", vec![a.key_ref()]));
}

// --- Checkpoints -------------------------------------------------------------------------------

#[test]
fn checkpoint_parse_is_strict() {
    let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    let cp = |size: &str| Checkpoint::parse(&format!("o\n{size}\n{root}\n"));
    assert_eq!(cp("0").map(|c| c.size), Ok(0));
    assert_eq!(
        cp("007"),
        Err(CheckpointError::BadSize(NumberProblem::LeadingZero))
    );
    assert_eq!(
        cp("+5"),
        Err(CheckpointError::BadSize(NumberProblem::NotDecimal))
    );
    assert_eq!(
        cp(" 5"),
        Err(CheckpointError::BadSize(NumberProblem::NotDecimal))
    );
    assert_eq!(
        cp("-1"),
        Err(CheckpointError::BadSize(NumberProblem::NotDecimal))
    );
    assert_eq!(
        cp("0x10"),
        Err(CheckpointError::BadSize(NumberProblem::NotDecimal))
    );
    assert_eq!(cp(""), Err(CheckpointError::BadSize(NumberProblem::Empty)));
    assert_eq!(
        cp("18446744073709551616"),
        Err(CheckpointError::BadSize(NumberProblem::TooLarge))
    );
    let with_root = |r: &str| Checkpoint::parse(&format!("o\n1\n{r}\n"));
    let raw = BASE64.decode(root).expect("base64");
    for bad in [
        BASE64.encode(&raw[..31]),
        BASE64.encode([raw.as_slice(), &[0]].concat()),
        root.trim_end_matches('=').to_owned(),
        hex_of(&raw),
        String::new(),
    ] {
        assert_eq!(
            with_root(&bad),
            Err(CheckpointError::BadRootHash),
            "{bad:?}"
        );
    }
    assert_eq!(
        Checkpoint::parse(&format!("\n1\n{root}\n")),
        Err(CheckpointError::EmptyOrigin)
    );
    assert_eq!(
        Checkpoint::parse(&format!("o\n1\n{root}\n\next\n")),
        Err(CheckpointError::EmptyExtensionLine { line: 4 })
    );
    assert_eq!(
        Checkpoint::parse(&format!("o\n1\n{root}\n\n")),
        Err(CheckpointError::EmptyExtensionLine { line: 4 })
    );
    assert_eq!(
        Checkpoint::parse(&format!("o\n1\n{root}")),
        Err(CheckpointError::MissingFinalNewline)
    );
    assert_eq!(
        Checkpoint::parse("o\n1\n"),
        Err(CheckpointError::TooFewLines { found: 2 })
    );
    assert_eq!(
        Checkpoint::parse(&format!("o\r\n1\n{root}\n")),
        Err(CheckpointError::ControlCharacter {
            line: 1,
            byte: b'\r'
        })
    );
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn checkpoint_to_text_refuses_unrepresentable_fields() {
    let base = Checkpoint {
        origin: "o".into(),
        size: 1,
        root: [0; 32],
        extensions: vec![],
    };
    let with = |f: fn(&mut Checkpoint)| {
        let mut c = base.clone();
        f(&mut c);
        c.to_text()
    };
    assert_eq!(
        with(|c| c.origin.clear()),
        Err(CheckpointError::EmptyOrigin)
    );
    assert_eq!(
        with(|c| c.origin = "a\nb".into()),
        Err(CheckpointError::ControlCharacter {
            line: 1,
            byte: b'\n'
        })
    );
    assert_eq!(
        with(|c| c.extensions = vec!["x".into(), String::new()]),
        Err(CheckpointError::EmptyExtensionLine { line: 5 })
    );
    assert_eq!(
        with(|c| c.extensions = vec!["x\ny".into()]),
        Err(CheckpointError::ControlCharacter {
            line: 4,
            byte: b'\n'
        })
    );
    assert!(base.to_text().is_ok());
}

// --- Cosignature rejections --------------------------------------------------------------------

#[test]
fn cosignature_rejects_altered_timestamp_text_or_key() {
    let w = key("witness.example/w", 5);
    let c = CosignerKey::from_signing_key(&w);
    let sig = cosign(CHECKPOINT, &w, 1_700_000_000).expect("cosign");
    assert_eq!(sig.bytes.len(), 72);
    assert_eq!(sig.key_id, c.id());
    assert_eq!(&sig.bytes[..8], &1_700_000_000u64.to_be_bytes());
    assert_eq!(verify_cosignature(CHECKPOINT, &sig, &c), Ok(1_700_000_000));
    // The signature is over the documented message.
    let msg = cosignature_message(CHECKPOINT, 1_700_000_000);
    assert!(msg.starts_with(b"cosignature/v1\ntime 1700000000\nexample.com/log\n"));
    assert_eq!(&sig.bytes[8..], &w.sign(&msg));

    let mut later = sig.clone();
    later.bytes[7] ^= 1;
    assert_eq!(
        verify_cosignature(CHECKPOINT, &later, &c),
        Err(CosignatureError::BadSignature)
    );
    let other_cp = CHECKPOINT.replacen("\n3\n", "\n4\n", 1);
    assert_eq!(
        verify_cosignature(&other_cp, &sig, &c),
        Err(CosignatureError::BadSignature)
    );
    let mut flipped = sig.clone();
    flipped.bytes[40] ^= 4;
    assert_eq!(
        verify_cosignature(CHECKPOINT, &flipped, &c),
        Err(CosignatureError::BadSignature)
    );
    let other = CosignerKey::from_signing_key(&key("witness.example/w", 6));
    assert!(matches!(
        verify_cosignature(CHECKPOINT, &sig, &other),
        Err(CosignatureError::WrongKey { .. })
    ));
    let mut short = sig.clone();
    short.bytes.pop();
    assert_eq!(
        verify_cosignature(CHECKPOINT, &short, &c),
        Err(CosignatureError::WrongLength { found: 71 })
    );
    // A checkpoint note carrying the altered cosignature: reported as a forgery by a known key.
    let note = Note {
        text: CHECKPOINT.into(),
        signatures: vec![later],
    };
    let v = verify_cosignatures(&note, std::slice::from_ref(&c)).expect("checkpoint");
    assert!(matches!(
        v.result(),
        Err(NoteVerifyError::InvalidSignature { .. })
    ));
    // A cosignature is not a plain note signature of the same key (different id, so unknown).
    let note = Note {
        text: CHECKPOINT.into(),
        signatures: vec![sig],
    };
    assert_eq!(verify_note(&note, &[w.verifier()]).unknown.len(), 1);
}

#[test]
fn cosign_refuses_bad_inputs() {
    let w = key("w", 5);
    assert_eq!(
        cosign(CHECKPOINT, &w, 1 << 63),
        Err(CosignatureError::TimestampTooLarge { timestamp: 1 << 63 })
    );
    assert!(cosign(CHECKPOINT, &w, (1 << 63) - 1).is_ok());
    assert!(matches!(
        cosign("not a checkpoint\n", &w, 1),
        Err(CosignatureError::NotACheckpoint(_))
    ));
    let note = Note {
        text: "not a checkpoint\n".into(),
        signatures: vec![],
    };
    assert!(verify_cosignatures(&note, &[]).is_err());
}

// --- tlog proofs -------------------------------------------------------------------------------

fn sample_proof() -> (TlogProof, SigningKey, SigningKey) {
    let log = key("example.com/log", 1);
    let w = key("witness.example/w", 2);
    let mut checkpoint = parse(&sign_note(CHECKPOINT, &log).expect("sign")).expect("parse");
    checkpoint
        .signatures
        .push(cosign(CHECKPOINT, &w, 1_700_000_000).expect("cosign"));
    let proof = TlogProof {
        extra: Some(b"age-v1.2.1-darwin-arm64.tar.gz".to_vec()),
        index: 2,
        proof: vec![[1; 32], [2; 32]],
        checkpoint,
    };
    (proof, log, w)
}

#[test]
fn tlog_proof_round_trips() {
    let (proof, log, w) = sample_proof();
    let text = proof.to_text().expect("valid");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("c2sp.org/tlog-proof@v1"));
    assert_eq!(
        lines.next(),
        Some("extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6")
    );
    assert_eq!(lines.next(), Some("index 2"));
    let back = TlogProof::parse(text.as_bytes()).expect("parses");
    assert_eq!(back, proof);
    assert_eq!(back.to_text().as_deref(), Ok(text.as_str()));
    // The embedded checkpoint is the verbatim signed note, and verifies.
    assert!(text.ends_with(&format_note(&proof.checkpoint).expect("format")));
    assert!(verify_note(&back.checkpoint, &[log.verifier()]).is_valid());
    let cos = verify_cosignatures(&back.checkpoint, &[CosignerKey::from_signing_key(&w)])
        .expect("checkpoint");
    assert!(cos.is_valid());
    assert_eq!(back.parsed_checkpoint().map(|c| c.size), Ok(3));
    // Without extra data and without proof hashes.
    let bare = TlogProof {
        extra: None,
        proof: vec![],
        index: 0,
        ..proof
    };
    let text = bare.to_text().expect("valid");
    assert!(text.starts_with("c2sp.org/tlog-proof@v1\nindex 0\n\nexample.com/log\n"));
    assert_eq!(TlogProof::parse(text.as_bytes()), Ok(bare));
}

#[test]
fn tlog_proof_parse_is_strict() {
    let (proof, _, _) = sample_proof();
    let text = proof.to_text().expect("valid");
    let parse = |s: &str| TlogProof::parse(s.as_bytes());
    let swap = |from: &str, to: &str| {
        assert!(text.contains(from), "{from}");
        parse(&text.replacen(from, to, 1))
    };
    assert_eq!(
        swap("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
        Err(TlogProofError::MissingHeader)
    );
    assert_eq!(
        swap("extra YWdl", "extra !Wdl"),
        Err(TlogProofError::BadExtra { line: 2 })
    );
    let extra_line = text.lines().nth(1).expect("extra line").to_owned();
    assert_eq!(
        swap(&extra_line, "extra "),
        Err(TlogProofError::BadExtra { line: 2 })
    );
    assert_eq!(
        swap("index 2", "index 02"),
        Err(TlogProofError::BadIndex {
            line: 3,
            problem: NumberProblem::LeadingZero
        })
    );
    assert_eq!(
        swap("index 2", "idx 2"),
        Err(TlogProofError::MissingIndex { line: 3 })
    );
    assert_eq!(
        swap("index 2", "index 3"),
        Err(TlogProofError::IndexOutOfRange { index: 3, size: 3 })
    );
    let h1 = BASE64.encode([1u8; 32]);
    assert_eq!(
        swap(&h1, &BASE64.encode([1u8; 31])),
        Err(TlogProofError::BadProofHash { line: 4 })
    );
    assert_eq!(
        swap(&format!("{h1}\n"), &format!("{h1}\r\n")),
        Err(TlogProofError::ControlCharacter {
            line: 4,
            byte: b'\r'
        })
    );
    // No blank line before the checkpoint: its origin is read as a proof hash.
    let h2 = BASE64.encode([2u8; 32]);
    assert_eq!(
        swap(&format!("{h2}\n\n"), &format!("{h2}\n")),
        Err(TlogProofError::BadProofHash { line: 6 })
    );
    assert_eq!(
        parse("c2sp.org/tlog-proof@v1\nindex 0\n"),
        Err(TlogProofError::MissingBlankLine)
    );
    // The checkpoint note's own errors are located.
    assert!(matches!(
        swap("\u{2014} example.com/log", "- example.com/log"),
        Err(TlogProofError::Checkpoint {
            first_line: 7,
            error: NoteError::MalformedSignatureLine { line: 5, .. }
        })
    ));
    assert!(matches!(
        swap("\n3\n", "\n03\n"),
        Err(TlogProofError::NotACheckpoint(CheckpointError::BadSize(
            NumberProblem::LeadingZero
        )))
    ));
    let mut bytes = text.clone().into_bytes();
    bytes[0] = 0xc3;
    assert_eq!(
        TlogProof::parse(&bytes),
        Err(TlogProofError::NotUtf8 { offset: 0 })
    );
    // At most 64 proof hashes.
    let mut long = proof.clone();
    long.proof = vec![[3; 32]; 65];
    assert!(matches!(
        long.to_text(),
        Err(TlogProofError::TooManyProofHashes { max: 64 })
    ));
    let mut many = String::from("c2sp.org/tlog-proof@v1\nindex 0\n");
    for _ in 0..65 {
        many.push_str(&h1);
        many.push('\n');
    }
    many.push('\n');
    many.push_str(&format_note(&proof.checkpoint).expect("format"));
    assert!(matches!(
        parse(&many),
        Err(TlogProofError::TooManyProofHashes { max: 64 })
    ));
    let mut empty_extra = proof;
    empty_extra.extra = Some(vec![]);
    assert_eq!(
        empty_extra.to_text(),
        Err(TlogProofError::BadExtra { line: 2 })
    );
}

// --- Properties --------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Parsing arbitrary bytes returns, never panics; whatever parses re-encodes to the input.
    #[test]
    fn parse_never_panics_and_accepted_input_is_canonical(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(note) = parse_note(&bytes) {
            prop_assert_eq!(format_note(&note).map(String::into_bytes), Ok(bytes.clone()));
        }
        let _ = TlogProof::parse(&bytes);
        if let Ok(s) = std::str::from_utf8(&bytes)
            && let Ok(cp) = Checkpoint::parse(s)
        {
            prop_assert_eq!(cp.to_text(), Ok(s.to_owned()));
        }
    }

    /// Mutations of a valid note near its structure: never a panic, and anything that still
    /// parses and verifies must be the original text.
    #[test]
    fn mutated_notes_never_verify_a_different_text(pos in 0usize..200, byte in any::<u8>()) {
        let k = key("k", 1);
        let signed = sign_note("hello\nworld\n", &k).expect("sign").into_bytes();
        let mut bytes = signed.clone();
        let at = pos % bytes.len();
        bytes[at] = byte;
        if let Ok(note) = parse_note(&bytes)
            && verify_note(&note, &[k.verifier()]).is_valid()
        {
            prop_assert_eq!(note.text, "hello\nworld\n");
        }
    }

    /// Any well-formed note round-trips through format and parse.
    #[test]
    fn valid_notes_round_trip(
        lines in prop::collection::vec("[^\\x00-\\x1f]{0,20}", 1..5),
        names in prop::collection::vec("[a-z0-9./-]{1,12}", 1..4),
        sig_len in 1usize..80,
    ) {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let note = Note {
            text,
            signatures: names
                .iter()
                .enumerate()
                .map(|(i, name)| NoteSignature {
                    name: name.clone(),
                    key_id: KeyId([i as u8; 4]),
                    bytes: vec![i as u8; sig_len],
                })
                .collect(),
        };
        let encoded = format_note(&note).expect("valid note formats");
        prop_assert_eq!(parse_note(encoded.as_bytes()), Ok(note));
    }
}
