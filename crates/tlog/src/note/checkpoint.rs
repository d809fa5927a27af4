//! Checkpoints: the note text of <https://c2sp.org/tlog-checkpoint>.

#![warn(clippy::indexing_slicing)]

use super::*;

/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): the text of a signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line: non-empty.
    pub origin: String,
    /// The tree size: the number of leaves.
    pub size: u64,
    /// The RFC 6962 Merkle tree root hash at `size`.
    pub root: [u8; 32],
    /// Opaque extension lines, each non-empty.
    pub extensions: Vec<String>,
}

/// Why a checkpoint text was refused. Line numbers are 1-based within the checkpoint text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// The text does not end with a newline.
    #[error("the checkpoint does not end with a newline")]
    MissingFinalNewline,
    /// A control character other than newline.
    #[error("line {line} of the checkpoint contains the control character 0x{byte:02x}")]
    ControlCharacter {
        /// The 1-based line number.
        line: usize,
        /// The control character.
        byte: u8,
    },
    /// Fewer than the three required lines.
    #[error("the checkpoint has {found} lines; at least 3 (origin, size, root hash) are required")]
    TooFewLines {
        /// How many lines there are.
        found: usize,
    },
    /// The origin line is empty.
    #[error("the checkpoint origin (line 1) is empty")]
    EmptyOrigin,
    /// The tree size line is not a valid decimal number.
    #[error("the checkpoint tree size (line 2) is invalid: {0}")]
    BadSize(NumberProblem),
    /// The root hash line is not the canonical base64 of 32 bytes.
    #[error("the checkpoint root hash (line 3) is not the canonical base64 of 32 bytes")]
    BadRootHash,
    /// An empty extension line.
    #[error("line {line} of the checkpoint is an empty extension line")]
    EmptyExtensionLine {
        /// The 1-based line number.
        line: usize,
    },
}

impl Checkpoint {
    /// Parses checkpoint text strictly: `origin "\n" size "\n" base64(root) "\n"` then
    /// extension lines `ext "\n"`. The origin must be non-empty; the size is ASCII decimal
    /// without leading zeros (except `0`) and fits in a u64; the root is canonical padded
    /// base64 of exactly 32 bytes; extension lines are non-empty; no control characters but
    /// newline anywhere.
    pub fn parse(text: &str) -> Result<Checkpoint, CheckpointError> {
        if let Some((line, byte)) = find_control(text) {
            return Err(CheckpointError::ControlCharacter { line, byte });
        }
        let Some(body) = text.strip_suffix('\n') else {
            return Err(CheckpointError::MissingFinalNewline);
        };
        let mut lines = body.split('\n');
        let origin = lines.next().unwrap_or_default();
        let (Some(size), Some(root)) = (lines.next(), lines.next()) else {
            return Err(CheckpointError::TooFewLines {
                found: body.split('\n').count(),
            });
        };
        if origin.is_empty() {
            return Err(CheckpointError::EmptyOrigin);
        }
        let size = parse_decimal(size).map_err(CheckpointError::BadSize)?;
        let root = decode_hash(root).ok_or(CheckpointError::BadRootHash)?;
        let mut extensions = Vec::new();
        for (i, ext) in lines.enumerate() {
            if ext.is_empty() {
                return Err(CheckpointError::EmptyExtensionLine { line: 4 + i });
            }
            extensions.push(ext.to_owned());
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// The checkpoint text:
    /// `origin "\n" decimal(size) "\n" base64(root) "\n" (extension "\n")*`.
    ///
    /// Refuses an empty origin, an empty extension line, or a control character (newline
    /// included) inside a field, so that `Checkpoint::parse(&c.to_text()?) == Ok(c)`.
    pub fn to_text(&self) -> Result<String, CheckpointError> {
        if self.origin.is_empty() {
            return Err(CheckpointError::EmptyOrigin);
        }
        // A newline inside a field would split it into two lines.
        if let Some(byte) = self.origin.bytes().find(|&b| b < 0x20) {
            return Err(CheckpointError::ControlCharacter { line: 1, byte });
        }
        for (i, ext) in self.extensions.iter().enumerate() {
            let line = 4 + i;
            if ext.is_empty() {
                return Err(CheckpointError::EmptyExtensionLine { line });
            }
            if let Some(byte) = ext.bytes().find(|&b| b < 0x20) {
                return Err(CheckpointError::ControlCharacter { line, byte });
            }
        }
        let mut out = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            BASE64.encode(self.root)
        );
        for ext in &self.extensions {
            out.push_str(ext);
            out.push('\n');
        }
        Ok(out)
    }
}
