//! The "what to do next" the CLI adds to library errors and findings: the libraries say what
//! went wrong, and only the CLI knows its own commands (`acta repair`, `acta verify`, ...).

use std::error::Error;
use std::path::Path;

use acta_core::FindingKind;
use acta_store::checkpoint::SignError;
use acta_store::project::ReplayError;
use acta_store::prove::ProveError;
use acta_store::{LogError, StoreError};

/// The command a finding's text ends with, if it has one.
pub fn finding(kind: &FindingKind) -> &'static str {
    match kind {
        FindingKind::TornTail { .. } => "; `acta repair` moves them to a side file",
        FindingKind::MissingNewline { .. } => "; run `acta repair LOG` to restore the newline",
        FindingKind::UnfinishedBatch { .. } => "; `acta repair` moves it to a side file",
        _ => "",
    }
}

/// A finding's text with its hint.
pub fn finding_text(kind: &FindingKind) -> String {
    format!("{kind}{}", finding(kind))
}

/// `e` as `{e:#}` prints it (each error of the chain, joined by ": "), with the CLI's hint
/// added to each library error that has one.
pub fn error_text(e: &anyhow::Error) -> String {
    let parts: Vec<String> = e.chain().map(one).collect();
    parts.join(": ")
}

/// One error of a chain, as its `Display` prints it plus its hint.
fn one(e: &(dyn Error + 'static)) -> String {
    if let Some(e) = e.downcast_ref::<LogError>() {
        log(e)
    } else if let Some(e) = e.downcast_ref::<StoreError>() {
        store(e)
    } else if let Some(e) = e.downcast_ref::<ReplayError>() {
        match e {
            ReplayError::Store(s) => store(s),
            ReplayError::Broken { .. } => format!("{e}; run `acta verify` on the log"),
            ReplayError::NotVerified(_) => format!("{e}; run `acta verify` for details"),
            _ => e.to_string(),
        }
    } else if let Some(e) = e.downcast_ref::<ProveError>() {
        match e {
            ProveError::Store(s) => store(s),
            _ => e.to_string(),
        }
    } else if let Some(e) = e.downcast_ref::<SignError>() {
        match e {
            SignError::Keep(s) => store(s),
            _ => e.to_string(),
        }
    } else {
        e.to_string()
    }
}

/// A log's path as the library names it in a message (`LOG` if it is not a file).
fn log_path(path: &Path) -> std::path::Display<'_> {
    if path.as_os_str().is_empty() {
        Path::new("LOG").display()
    } else {
        path.display()
    }
}

fn log(e: &LogError) -> String {
    match e {
        LogError::Store(s) => store(s),
        LogError::Empty => format!("{e}; create it with `acta init`"),
        LogError::Unsound { first, .. } => format!(
            "{e}{} (run `acta verify` for the full report)",
            finding(&first.kind)
        ),
        LogError::Refused { index, seq, kind } if !finding(kind).is_empty() => format!(
            "new entry {index} of this batch (would be seq {seq}) was refused: {}; nothing was written",
            finding_text(kind)
        ),
        LogError::KeyNotInLog { .. } => format!("{e}; add it first with `acta key add`"),
        LogError::GenesisType(_) => format!("{e}, which `acta init` writes"),
        LogError::HeadMismatch {
            expected_seq,
            expected_hash,
            found_seq,
            found_hash,
        } => format!(
            "the log's head is {found_seq}:{found_hash}, not the expected {expected_seq}:{expected_hash}: the log is not where you last saw it (run `acta verify --expect-head` to see whether it was extended or rewritten); nothing was written"
        ),
        LogError::UnfinishedBatch { path, .. } => format!(
            "{e}; run `acta repair {}` to move its lines to a side file, then retry",
            log_path(path)
        ),
        LogError::NotRepairable { path, first } => format!(
            "{e}{} (run `acta verify {}` for the full report)",
            finding(&first.kind),
            log_path(path)
        ),
        _ => e.to_string(),
    }
}

fn store(e: &StoreError) -> String {
    match e {
        StoreError::CheckpointConflict { .. } => {
            format!("{e}; compare them with `acta verify --checkpoint`")
        }
        StoreError::TreeBehind { .. } => {
            format!("{e}; run `acta repair` on the log to rebuild it")
        }
        StoreError::TornTail { path, .. } => format!(
            "{e}; run `acta repair {}`, which restores the newline if that line is a complete \
             entry of this log and otherwise moves its bytes to a side file, then retry",
            path.display()
        ),
        StoreError::Poisoned { path } => format!(
            "{}: an earlier append failed and could not be rolled back, so this store refuses to \
             append; drop it, check the end of the log (run `acta repair {}` if it has a torn \
             tail), then reopen it",
            path.display(),
            path.display()
        ),
        StoreError::RollbackFailed { path, .. } => format!(
            "{e} (run `acta repair {}` if it has a torn tail)",
            path.display()
        ),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_is_the_alternate_display_when_no_hint_applies() {
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(error_text(&e), format!("{e:#}"));
    }

    #[test]
    fn hints_follow_the_library_text_and_see_through_wrappers() {
        let e = anyhow::Error::new(LogError::Store(StoreError::TreeBehind {
            path: "x.tree".into(),
            index: 3,
            count: 2,
        }))
        .context("cannot append");
        assert_eq!(
            error_text(&e),
            "cannot append: x.tree: the tree file holds 2 hashes, but hash 3 is needed: it is \
             behind its log; run `acta repair` on the log to rebuild it"
        );
    }

    #[test]
    fn a_hint_goes_before_the_error_that_caused_it() {
        let e = anyhow::Error::new(LogError::Store(StoreError::RollbackFailed {
            path: "x.log".into(),
            offset: 8,
            op: "write",
            source: std::io::Error::other("disk full"),
            rollback_error: std::io::Error::other("disk gone"),
        }));
        assert_eq!(
            error_text(&e),
            "x.log: could not write, and truncating back to byte offset 8 also failed (disk \
             gone); the log may end with unacknowledged bytes: do not append again before \
             checking it (run `acta repair x.log` if it has a torn tail): disk full"
        );
    }
}
