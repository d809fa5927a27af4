//! The writer's state file beside a log (`LOG.state`): what [`crate::LogWriter::open`] needs
//! to append, so that opening a log does not replay it.
//!
//! It holds the chain state after the log's last line (origin, domain, next seq, head, last
//! `recorded_at`, genesis author, keyring with roles and revocations), the RFC 6962 right edge
//! of the lines' tree, and where that last line is: the log's length it covers, the entry
//! count, the last line's offset and its entry hash. It is **derived data**, like the tree
//! file: the writer rewrites it (a new file renamed into place, without a sync) after
//! every full replay, when it is dropped, and at most every
//! [`crate::log::STATE_SAVE_INTERVAL`] while it appends, and a failure to write it never
//! fails an append. A missing, stale, damaged, forged or foreign state file only costs a
//! replay: the writer accepts it only if its MAC verifies under the writer's own key, and the
//! line ending exactly at the covered length is still there with the recorded hash, and it
//! verifies the lines after that length (see [`crate::LogWriter::open`]).
//!
//! The file is three lines, each ending in `'\n'`:
//!
//! ```text
//! acta-log-state/v1
//! {"chain":{…},"entries":N,"frontier":{"size":N,"subtrees":[…]},"head":"<hex>","head_offset":N,"log_len":N}
//! <64 hex digits: HMAC-SHA256(K, the first two lines, with their '\n')>
//! ```
//!
//! `K` is [`acta_core::key::DeriveSecret::derive_secret`] of the writer's signing key with the
//! context [`MAC_CONTEXT`]. The MAC covers every byte the writer uses; without the private
//! key nobody can write a state file that this key's writer accepts, so the file is the
//! writer's own record of what it verified (and a state written by another key is simply
//! not used: that writer replays the log and writes its own).

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::side_file;

use acta_core::tree::Frontier;
use acta_core::{Chain, EntryHash};

use crate::mac::MacKey;

/// The first line of a state file: its format and version. A file with any other first line
/// is ignored (and replaced after a full replay).
pub const FORMAT: &str = "acta-log-state/v1";

/// The context of the state file's MAC key ([`acta_core::key::DeriveSecret::derive_secret`]).
pub const MAC_CONTEXT: &str = "acta-log-state/v1 mac";

/// A state file longer than this is ignored (a keyring of tens of thousands of keys fits).
pub const MAX_STATE_BYTES: u64 = 16 << 20;

/// The state file of the log at `log`: the same path with `.state` appended.
pub fn path_for(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".state");
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

/// The bytes of a state file, authenticated with `key`.
pub(crate) fn encode(state: &SavedState<'_>, key: &MacKey) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(FORMAT.as_bytes());
    out.push(b'\n');
    serde_json::to_writer(&mut out, state)?;
    out.push(b'\n');
    let tag = key.tag(&out);
    let mut hex = [0u8; 64];
    // Encoding 32 bytes into 64 hex digits cannot fail.
    if hex::encode_to_slice(tag, &mut hex).is_ok() {
        out.extend_from_slice(&hex);
    }
    out.push(b'\n');
    Ok(out)
}

/// Reads a state file's bytes; `None` unless they are exactly a coherent state of this format
/// whose MAC verifies under `key`.
pub(crate) fn decode(bytes: &[u8], key: &MacKey) -> Option<SavedState<'static>> {
    let body_len = bytes
        .strip_suffix(b"\n")?
        .iter()
        .rposition(|&b| b == b'\n')?
        + 1;
    let (body, tag) = bytes.split_at(body_len);
    let tag = tag.strip_suffix(b"\n")?;
    // Lowercase hex only, as written: one encoding per tag.
    if tag.len() != 64 || !tag.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut raw = [0u8; 32];
    hex::decode_to_slice(tag, &mut raw).ok()?;
    if !key.verify(body, &raw) {
        return None;
    }
    let (tag_line, json) = body.split_at(body.iter().position(|&b| b == b'\n')? + 1);
    if tag_line != format!("{FORMAT}\n").as_bytes() {
        return None;
    }
    let json = json.strip_suffix(b"\n")?;
    let state: SavedState<'static> = serde_json::from_slice(json).ok()?;
    state.is_coherent().then_some(state)
}

/// What the state file is called in errors.
const WHAT: &str = "the state file";

/// Reads the state file at `path`; `None` if it is missing, unreadable, a symbolic link, a
/// FIFO or anything but a regular file, too large, or not a coherent state of this format
/// authenticated by `key`. Nothing is followed and nothing blocks (see [`crate::side_file`]).
pub(crate) fn read(path: &Path, key: &MacKey) -> Option<SavedState<'static>> {
    let bytes = side_file::read_bounded(path, WHAT, MAX_STATE_BYTES).ok()??;
    decode(&bytes, key)
}

/// Replaces the state file at `path` with `state`, authenticated with `key`: writes a new
/// file with an unpredictable name beside it and renames it into place (see
/// [`side_file::replace`]), so a reader sees the old file or the new one, never a mix, and a
/// link or FIFO planted at the path is replaced, never written through. No sync: a state lost
/// in a crash is only stale, which the next open detects. On failure the temporary file is
/// removed and the old state (if any) stays.
pub(crate) fn write(path: &Path, state: &SavedState<'_>, key: &MacKey) -> io::Result<()> {
    let bytes = encode(state, key).map_err(io::Error::other)?;
    side_file::replace(path, WHAT, &bytes, false).map_err(io::Error::other)
}

/// Removes the state file at `path`, if there is one (best effort; `remove_file` removes a
/// link itself, never its target).
pub(crate) fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}
