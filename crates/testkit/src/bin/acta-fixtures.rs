//! `acta-fixtures [DIR]`: regenerates acta's test fixtures into DIR (default `fixtures`),
//! replacing the generated files. Run it from the repository root:
//!
//! ```sh
//! cargo run -p acta-testkit --bin acta-fixtures -- fixtures
//! ```
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

const USAGE: &str = "usage: acta-fixtures [DIR]   (regenerates the TEST-ONLY fixtures into DIR, default `fixtures`)";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let dir = match args.next() {
        None => PathBuf::from("fixtures"),
        Some(a) if a == "-h" || a == "--help" => {
            println!("{USAGE}");
            return Ok(());
        }
        Some(a) => PathBuf::from(a),
    };
    if args.next().is_some() {
        bail!("{USAGE}");
    }
    let written = acta_testkit::generate(&dir)?;
    for p in &written {
        println!("wrote {}", p.display());
    }
    warn_about_stale_files(&dir, &written)?;
    Ok(())
}

/// Generated-looking files that this generator no longer writes: point them out, never delete.
fn warn_about_stale_files(dir: &Path, written: &[PathBuf]) -> anyhow::Result<()> {
    let written: BTreeSet<&PathBuf> = written.iter().collect();
    let mut candidates = Vec::new();
    for (d, pick_all) in [
        (dir.to_path_buf(), false),
        (dir.join("valid"), true),
        (dir.join("seed"), true),
    ] {
        if !d.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let path = entry
                .with_context(|| format!("listing {}", d.display()))?
                .path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_file() && (pick_all || name.starts_with("fail_")) {
                candidates.push(path);
            }
        }
    }
    for path in candidates {
        if !written.contains(&path) {
            eprintln!(
                "warning: {} is not generated any more; delete it if it is stale",
                path.display()
            );
        }
    }
    Ok(())
}
