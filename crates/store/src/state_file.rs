//! The writer's state file beside a log (`LOG.state`): what [`crate::LogWriter::open`] needs
//! to append, so that opening a log does not replay it.
//!
//! It holds the chain state after the log's last line (origin, domain, next seq, head, last
//! `recorded_at`, genesis author, keyring with roles and revocations), the RFC 6962 right edge
//! of the lines' tree, and where that last line is: the log's length it covers, the entry
//! count, the last line's offset and its entry hash. It is **derived data**, like the tree
//! file: the writer rewrites it (a temporary file renamed into place, without a sync) after
//! every full replay, when it is dropped, and at most every
//! [`crate::log::STATE_SAVE_INTERVAL`] while it appends, and a failure to write it never
//! fails an append. A missing, stale, damaged or foreign state file only costs a replay: the writer
//! accepts it only if the line ending exactly at the covered length is still there with the
//! recorded hash, and it replays the lines after that length (see [`crate::LogWriter::open`]).
//!
//! The file is three lines, each ending in `'\n'`:
//!
//! ```text
//! acta-log-state/v1
//! {"chain":{…},"entries":N,"frontier":{"size":N,"subtrees":[…]},"head":"<hex>","head_offset":N,"log_len":N}
//! <64 hex digits: SHA-256(0x00 ‖ the first two lines, with their '\n')>
//! ```
//!
//! The checksum makes any damage to the file (a flipped bit, a cut, a stray edit) a mismatch
//! rather than a different state. It is not a signature: the writer trusts its own files
//! under its lock, as it already does for the signatures of the lines it replays.

use std::borrow::Cow;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use acta_core::tree::Frontier;
use acta_core::{Chain, EntryHash};

/// The first line of a state file: its format and version. A file with any other first line
/// is ignored (and replaced after a full replay).
pub const FORMAT: &str = "acta-log-state/v1";

/// A state file longer than this is ignored (a keyring of tens of thousands of keys fits).
pub const MAX_STATE_BYTES: u64 = 16 << 20;

/// The state file of the log at `log`: the same path with `.state` appended.
pub fn path_for(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".state");
    PathBuf::from(name)
}

/// The temporary file a new state is written to before it is renamed into place.
fn temp_path_for(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".tmp");
    PathBuf::from(name)
}

/// What a state file says (the JSON line).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SavedState<'a> {
    /// The log's length the state covers: one past the `'\n'` of its last line.
    pub log_len: u64,
    /// The number of lines (entries) in those bytes.
    pub entries: u64,
    /// The offset of the last of them.
    pub head_offset: u64,
    /// Its entry hash.
    pub head: EntryHash,
    /// The chain state after it.
    pub chain: Cow<'a, Chain>,
    /// The right edge of the tree of those lines.
    pub frontier: Cow<'a, Frontier>,
}

impl SavedState<'_> {
    /// Whether the parts agree with each other (not whether they describe any given log).
    fn is_coherent(&self) -> bool {
        self.entries >= 1
            && self.chain.next_seq() == self.entries
            && self.frontier.size() == self.entries
            && self.chain.next_prev() == self.head
            && self.chain.origin().is_some()
            // The last line is not empty and ends with '\n' at `log_len`.
            && self.head_offset.checked_add(2).is_some_and(|min| min <= self.log_len)
            // At least one byte and a '\n' per line before it.
            && self.head_offset >= 2 * (self.entries - 1)
    }
}

/// The bytes of a state file.
pub(crate) fn encode(state: &SavedState<'_>) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(FORMAT.as_bytes());
    out.push(b'\n');
    serde_json::to_writer(&mut out, state)?;
    out.push(b'\n');
    let sum = EntryHash::of_line(&out);
    out.extend_from_slice(sum.to_string().as_bytes());
    out.push(b'\n');
    Ok(out)
}

/// Reads a state file's bytes; `None` if they are not exactly a coherent state of this format.
pub(crate) fn decode(bytes: &[u8]) -> Option<SavedState<'static>> {
    let body_len = bytes
        .strip_suffix(b"\n")?
        .iter()
        .rposition(|&b| b == b'\n')?
        + 1;
    let (body, sum) = bytes.split_at(body_len);
    let sum = std::str::from_utf8(sum.strip_suffix(b"\n")?).ok()?;
    let (tag, json) = body.split_at(body.iter().position(|&b| b == b'\n')? + 1);
    if tag != format!("{FORMAT}\n").as_bytes() {
        return None;
    }
    if sum.parse::<EntryHash>().ok()? != EntryHash::of_line(body) {
        return None;
    }
    let json = json.strip_suffix(b"\n")?;
    let state: SavedState<'static> = serde_json::from_slice(json).ok()?;
    state.is_coherent().then_some(state)
}

/// Reads the state file at `path`; `None` if it is missing, unreadable, a symbolic link, too
/// large, or not a coherent state of this format.
pub(crate) fn read(path: &Path) -> Option<SavedState<'static>> {
    if fs::symlink_metadata(path).ok()?.file_type().is_symlink() {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .ok()?
        .take(MAX_STATE_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_STATE_BYTES {
        return None;
    }
    decode(&bytes)
}

/// Replaces the state file at `path`: writes a temporary file beside it and renames it into
/// place, so a reader sees the old file or the new one, never a mix. No sync: a state lost in
/// a crash is only stale, which the next open detects. On failure the temporary file is
/// removed and the old state (if any) stays.
pub(crate) fn write(path: &Path, state: &SavedState<'_>) -> io::Result<()> {
    let bytes = encode(state).map_err(io::Error::other)?;
    let tmp = temp_path_for(path);
    // A temporary file left by a writer that died: only the writer (under the log's lock)
    // writes it. `create_new` also refuses to follow a link planted there.
    match fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(&bytes))
        .and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Removes the state file at `path`, if there is one (best effort).
pub(crate) fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}
