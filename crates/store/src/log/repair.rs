//! Repairing the unacknowledged end of a log, and rebuilding its tree file.

use super::*;

/// What [`repair`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// Whether bytes were moved, from where, and to which side file; or whether the last
    /// line's newline was restored.
    pub outcome: RepairOutcome,
    /// The batch cut short whose lines were moved, if any (they were never acknowledged).
    pub batch: Option<CutBatch>,
    /// The seq of the entry whose missing newline was restored, if that is what was done
    /// ([`RepairOutcome::NewlineRestored`]).
    pub restored_seq: Option<u64>,
}

/// A batch cut short, as [`repair`] found it at the end of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutBatch {
    /// The line index of its first entry.
    pub entry: u64,
    /// The byte offset of that line.
    pub offset: u64,
    /// The number of entries the batch has (from its first entry's `more`).
    pub size: u64,
    /// How many of them are missing; `size - missing` complete lines were moved.
    pub missing: u64,
}

/// Repairs the end of the log at `path` (see [`crate::repair_with`] for how, and under which
/// lock): moves its unacknowledged end to a side file `{path}.torn-{offset}` and truncates the
/// log there, or restores the newline its last entry lacks.
///
/// The unacknowledged end is the torn last line (the bytes after the last `'\n'`, when they
/// are not a complete entry of this chain), and, if the log's complete lines end inside a
/// batch that was cut short (its entries' signed `more` members say how many entries it has),
/// every line from that batch's first line on. If instead the bytes after the last `'\n'` are
/// a complete entry of this chain with only its newline missing
/// ([`FindingKind::MissingNewline`]), that entry stays: exactly one `'\n'` is appended
/// ([`RepairOutcome::NewlineRestored`]). This is decided by verifying the log in that same
/// pass, under the lock, signatures included (against the log's own genesis key, or `trust`
/// if given): complete lines are moved only if the only findings are `unfinished_batch` and
/// `torn_tail` (so every line from the batch's first on verifies as an entry of this chain),
/// and a newline is restored only if the only finding is `missing_newline`. Nothing beside the
/// log is read or written. A log with any other finding is left untouched
/// ([`LogError::NotRepairable`], naming the first); a log with none is
/// [`RepairOutcome::Clean`].
pub fn repair(path: impl AsRef<Path>, trust: Option<VerifierKey>) -> Result<Repaired, LogError> {
    let path = path.as_ref();
    let mut batch = None;
    let mut restored_seq = None;
    let outcome = crate::repair_with(path, |store: &FileStore| {
        let options = VerifyOptions {
            trust,
            ..VerifyOptions::default()
        };
        let report = verify(store, options)?;
        let mut cut: Option<u64> = None;
        for f in &report.findings {
            match f.kind {
                FindingKind::TornTail { .. } => {}
                FindingKind::UnfinishedBatch { size, missing } => {
                    batch = Some(CutBatch {
                        entry: f.entry,
                        offset: f.offset,
                        size,
                        missing,
                    });
                }
                // A file without one complete line is no acta log (a log is created whole,
                // its genesis line included): nothing of it is moved, whatever it holds.
                FindingKind::MissingNewline { seq } => restored_seq = Some(seq),
                _ => {
                    return Err(LogError::NotRepairable {
                        path: path.to_path_buf(),
                        first: Box::new(f.clone()),
                    });
                }
            }
            if matches!(
                f.kind,
                FindingKind::TornTail { .. } | FindingKind::UnfinishedBatch { .. }
            ) {
                cut = Some(cut.map_or(f.offset, |c| c.min(f.offset)));
            }
        }
        // Findings beyond the cap are about lines, so never only these.
        if report.findings_omitted > 0
            && let Some(first) = report.findings.first()
        {
            return Err(LogError::NotRepairable {
                path: path.to_path_buf(),
                first: Box::new(first.clone()),
            });
        }
        // A missing newline comes with no torn tail (the same bytes) and no batch left open
        // (the verifier takes the bytes for an entry only if they leave none); if it ever came
        // with a cut, the cut would move its line too.
        Ok(match (cut, restored_seq) {
            (Some(offset), _) => {
                restored_seq = None;
                Some(crate::RepairAction::MoveFrom(offset))
            }
            (None, Some(_)) => Some(crate::RepairAction::RestoreNewline),
            (None, None) => None,
        })
    })?;
    Ok(Repaired {
        outcome,
        batch,
        restored_seq,
    })
}

/// Rebuilds a tree file from scratch from the log's lines (streaming).
pub fn rebuild_tree<S: Store + ?Sized>(store: &S, tree: &mut TreeFile) -> Result<(), StoreError> {
    rebuild_tree_frontier(store, tree).map(|_| ())
}

/// [`rebuild_tree`], returning the right edge of the tree it wrote.
pub(super) fn rebuild_tree_frontier<S: Store + ?Sized>(
    store: &S,
    tree: &mut TreeFile,
) -> Result<Frontier, StoreError> {
    tree.truncate(0)?;
    let mut frontier = Frontier::new();
    let mut pending = Vec::new();
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) => {
                pending.extend(frontier.push(acta_core::EntryHash::of_line(&line.bytes)));
                if pending.len() >= TREE_FLUSH {
                    tree.append(&pending)?;
                    pending.clear();
                }
            }
            // A tree cannot go past a line it cannot hash, or past a torn tail.
            ScanItem::TooLong { .. } | ScanItem::Torn { .. } => break,
        }
    }
    tree.append(&pending)?;
    tree.sync()?;
    Ok(frontier)
}
