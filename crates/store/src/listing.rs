//! Listing a log's entries as stored, without verifying them: each line decoded, numbered by
//! its place in the log, an over-long or malformed line reported in its place, and a torn tail
//! last. What `show`-like tools print; checking the log is [`crate::verify`]'s.

use acta_core::Entry;
use acta_core::entry::{Decoded, EntryError};

use crate::{ScanItem, Store, StoreError, StoredLine, TornTail};

/// One item of a listing.
#[derive(Debug, Clone)]
pub enum Listed {
    /// A line that decodes as an entry (not verified).
    Entry {
        /// Its place in the log, from 0.
        index: u64,
        /// The line.
        line: StoredLine,
        /// The entry it decodes as.
        decoded: Box<Decoded>,
    },
    /// A line over the entry limit, skipped.
    TooLong {
        /// Its place in the log.
        index: u64,
        /// Its byte offset.
        offset: u64,
        /// Its length.
        len: u64,
    },
    /// A line that is not an entry.
    Malformed {
        /// Its place in the log.
        index: u64,
        /// Its byte offset.
        offset: u64,
        /// Why.
        error: EntryError,
    },
    /// Bytes after the last newline (always last).
    Torn(TornTail),
}

impl Listed {
    /// Whether this is an entry of seq `seq` (if given) and type `entry_type` (if given).
    pub fn matches(&self, seq: Option<u64>, entry_type: Option<&str>) -> bool {
        match self {
            Listed::Entry { decoded, .. } => {
                let e = &decoded.entry;
                seq.is_none_or(|s| s == e.seq) && entry_type.is_none_or(|t| t == e.entry_type)
            }
            _ => false,
        }
    }
}

/// Lists the entries of `store` in log order.
pub fn entries<S: Store + ?Sized>(
    store: &S,
) -> Result<impl Iterator<Item = Result<Listed, StoreError>> + '_, StoreError> {
    let mut index = 0u64;
    Ok(store.scan()?.map(move |item| {
        let this = index;
        Ok(match item? {
            ScanItem::Line(line) => {
                index += 1;
                match Entry::decode(&line.bytes) {
                    Ok(d) => Listed::Entry {
                        index: this,
                        line,
                        decoded: Box::new(d),
                    },
                    Err(error) => Listed::Malformed {
                        index: this,
                        offset: line.offset,
                        error,
                    },
                }
            }
            ScanItem::TooLong { offset, len } => {
                index += 1;
                Listed::TooLong {
                    index: this,
                    offset,
                    len,
                }
            }
            ScanItem::Torn { tail, .. } => Listed::Torn(tail),
        })
    }))
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;
    use crate::FileStore;
    use crate::checkpoint::tests::{TestResult, make_log};

    #[test]
    fn a_listing_numbers_every_line_and_reports_bad_ones_in_place() -> TestResult {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("a.log");
        make_log(&log, 2)?;
        let mut f = std::fs::OpenOptions::new().append(true).open(&log)?;
        f.write_all(b"not an entry\n")?;
        f.write_all(&vec![b'x'; acta_core::MAX_ENTRY_BYTES + 1])?;
        f.write_all(b"\ntorn")?;
        drop(f);
        let store = FileStore::open_reader(&log)?;
        let items = entries(&store)?.collect::<Result<Vec<_>, _>>()?;
        assert_eq!(items.len(), 6);
        let seqs: Vec<u64> = items
            .iter()
            .filter_map(|i| match i {
                Listed::Entry { index, decoded, .. } => {
                    assert_eq!(*index, decoded.entry.seq);
                    Some(*index)
                }
                _ => None,
            })
            .collect();
        assert_eq!(seqs, [0, 1, 2]);
        assert!(
            matches!(items[3], Listed::Malformed { index: 3, .. }),
            "{:?}",
            items[3]
        );
        assert!(
            matches!(items[4], Listed::TooLong { index: 4, .. }),
            "{:?}",
            items[4]
        );
        assert!(
            matches!(items[5], Listed::Torn(TornTail { len: 4, .. })),
            "{:?}",
            items[5]
        );
        assert!(items[1].matches(Some(1), Some("test.note")));
        assert!(!items[1].matches(Some(2), None));
        assert!(!items[1].matches(None, Some("other")));
        assert!(items[2].matches(None, None) && !items[3].matches(None, None));
        Ok(())
    }
}
