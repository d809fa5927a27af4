//! RFC 8785 vectors from cyberphone/json-canonicalization (fixtures/vectors/jcs).

use std::path::PathBuf;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/vectors/jcs")
}

#[test]
fn canonicalize_matches_every_published_vector() {
    let dir = vectors();
    let mut checked = 0;
    for entry in
        std::fs::read_dir(dir.join("input")).expect("vectors present at fixtures/vectors/jcs")
    {
        let path = entry.expect("readable dir").path();
        let name = path.file_name().expect("file name").to_owned();
        let input = std::fs::read(&path).expect("input readable");
        let expected = std::fs::read(dir.join("output").join(&name)).expect("output readable");
        let got = acta_core::json::canonicalize(&input);
        assert!(got.is_ok(), "{}: {got:?}", path.display());
        let got = got.expect("checked just above");
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected),
            "{}",
            path.display()
        );
        // outhex holds the same bytes as hex pairs separated by spaces and newlines.
        let hex_name = PathBuf::from(&name).with_extension("txt");
        let hex_text = std::fs::read_to_string(dir.join("outhex").join(hex_name)).expect("outhex");
        let from_hex: Vec<u8> = hex_text
            .split_whitespace()
            .map(|h| u8::from_str_radix(h, 16).expect("hex byte"))
            .collect();
        assert_eq!(got, from_hex, "{} (outhex)", path.display());
        checked += 1;
    }
    assert_eq!(checked, 6, "expected the six published JCS vectors");
}

#[test]
fn entry_profile_rejects_the_vectors_with_fractions() {
    let input = std::fs::read(vectors().join("input/values.json")).expect("values.json");
    let err = acta_core::json::parse(&input, acta_core::json::Profile::Entry).expect_err("floats");
    assert_eq!(err.kind, acta_core::json::JsonErrorKind::NotAnInteger);
}

#[test]
fn canonical_output_is_a_fixed_point() {
    let dir = vectors().join("output");
    for entry in std::fs::read_dir(dir).expect("outputs") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        let again = acta_core::json::canonicalize(&bytes).expect("canonical output parses");
        assert_eq!(again, bytes, "{}", path.display());
    }
}
