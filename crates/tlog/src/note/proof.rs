//! The offline proof bundle of <https://c2sp.org/tlog-proof>.

#![warn(clippy::indexing_slicing)]

use super::*;

/// An offline proof that an entry is in a log (c2sp.org/tlog-proof@v1):
///
/// ```text
/// c2sp.org/tlog-proof@v1
/// extra <base64 extra data>          (optional)
/// index <decimal leaf index>
/// <base64 inclusion proof hash>      (zero or more, leaf's sibling first)
///
/// <signed checkpoint note, verbatim>
/// ```
///
/// Parsing checks the structure and that `index < checkpoint size`; it verifies neither the
/// signatures (use [`verify_note`] / [`verify_cosignatures`] on [`TlogProof::checkpoint`]) nor the
/// inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogProof {
    /// Opaque, unauthenticated extra data; `None` when the `extra` line is absent. Never
    /// `Some` of an empty vector.
    pub extra: Option<Vec<u8>>,
    /// The 0-based index of the entry in the log.
    pub index: u64,
    /// The RFC 6962 inclusion proof, from the leaf's sibling up to the root's child.
    pub proof: Vec<[u8; 32]>,
    /// The log's signed checkpoint note (with any cosignatures).
    pub checkpoint: Note,
}

/// Why a tlog proof was refused. Line numbers are 1-based over the whole proof.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlogProofError {
    /// The proof is over the size limit.
    #[error("the proof is {size} bytes; the limit is {max}")]
    TooLarge {
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The proof is not UTF-8.
    #[error("the proof is not valid UTF-8 (at byte {offset})")]
    NotUtf8 {
        /// The byte offset of the first invalid byte.
        offset: usize,
    },
    /// A control character other than newline.
    #[error("line {line} of the proof contains the control character 0x{byte:02x}")]
    ControlCharacter {
        /// The 1-based line number.
        line: usize,
        /// The control character.
        byte: u8,
    },
    /// The first line is not the tlog-proof header.
    #[error("the proof does not start with the line {TLOG_PROOF_HEADER:?}")]
    MissingHeader,
    /// Extra data that is empty or not canonical standard base64.
    #[error("the extra data on line {line} is empty or not canonical standard base64")]
    BadExtra {
        /// The 1-based line number.
        line: usize,
    },
    /// The index line is missing or malformed.
    #[error("line {line} of the proof should be \"index <decimal>\"")]
    MissingIndex {
        /// The 1-based line number.
        line: usize,
    },
    /// The index is not a valid decimal number.
    #[error("the index on line {line} is invalid: {problem}")]
    BadIndex {
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: NumberProblem,
    },
    /// A proof hash that is not the canonical base64 of 32 bytes.
    #[error("line {line} of the proof is not the canonical base64 of a 32-byte hash")]
    BadProofHash {
        /// The 1-based line number.
        line: usize,
    },
    /// More proof hashes than any tree needs.
    #[error("the inclusion proof has more than {max} hashes")]
    TooManyProofHashes {
        /// The limit.
        max: usize,
    },
    /// No blank line before the checkpoint.
    #[error("no blank line separates the proof from the checkpoint")]
    MissingBlankLine,
    /// The checkpoint note is invalid.
    #[error("the checkpoint note starting on line {first_line} is invalid: {error}")]
    Checkpoint {
        /// The line the note starts on (1-based).
        first_line: usize,
        /// Why it is invalid.
        error: NoteError,
    },
    /// The checkpoint note's text is not a checkpoint.
    #[error("the checkpoint note's text is not a checkpoint: {0}")]
    NotACheckpoint(CheckpointError),
    /// The index is not below the checkpoint's tree size.
    #[error("index {index} is not below the checkpoint's tree size {size}")]
    IndexOutOfRange {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
}

impl TlogProof {
    /// Parses a tlog proof strictly: the header line; an optional `extra <base64>` line
    /// (non-empty, canonical); `index <decimal>` (no leading zeros); up to
    /// [`MAX_PROOF_HASHES`] lines of canonical base64 32-byte hashes; a blank line; then a
    /// signed note (parsed by [`parse_note`]) whose text is a [`Checkpoint`] with
    /// `size > index`. The whole proof is at most [`MAX_NOTE_BYTES`].
    pub fn parse(input: &[u8]) -> Result<TlogProof, TlogProofError> {
        if input.len() > MAX_NOTE_BYTES {
            return Err(TlogProofError::TooLarge {
                size: input.len(),
                max: MAX_NOTE_BYTES,
            });
        }
        let s = std::str::from_utf8(input).map_err(|e| TlogProofError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        if let Some((line, byte)) = find_control(s) {
            return Err(TlogProofError::ControlCharacter { line, byte });
        }
        // The proof lines are non-empty, so the first blank line ends them.
        let Some((head, rest)) = s.split_once("\n\n") else {
            return Err(TlogProofError::MissingBlankLine);
        };
        let mut lines = head.split('\n').zip(1..);
        if lines.next().map(|(l, _)| l) != Some(TLOG_PROOF_HEADER) {
            return Err(TlogProofError::MissingHeader);
        }
        let (mut line, mut n) = lines
            .next()
            .ok_or(TlogProofError::MissingIndex { line: 2 })?;
        let mut extra = None;
        if let Some(b64) = line.strip_prefix("extra ") {
            let data = decode_base64_canonical(b64)
                .filter(|d| !d.is_empty())
                .ok_or(TlogProofError::BadExtra { line: n })?;
            extra = Some(data);
            (line, n) = lines
                .next()
                .ok_or(TlogProofError::MissingIndex { line: n + 1 })?;
        }
        let index = line
            .strip_prefix("index ")
            .ok_or(TlogProofError::MissingIndex { line: n })?;
        let index = parse_decimal(index)
            .map_err(|problem| TlogProofError::BadIndex { line: n, problem })?;
        let mut proof = Vec::new();
        for (l, n) in lines {
            if proof.len() == MAX_PROOF_HASHES {
                return Err(TlogProofError::TooManyProofHashes {
                    max: MAX_PROOF_HASHES,
                });
            }
            proof.push(decode_hash(l).ok_or(TlogProofError::BadProofHash { line: n })?);
        }
        // head has k newlines (k+1 lines), then the blank line, so the note starts at k+3.
        let first_line = head.bytes().filter(|&b| b == b'\n').count() + 3;
        let checkpoint = parse_note(rest.as_bytes())
            .map_err(|error| TlogProofError::Checkpoint { first_line, error })?;
        let parsed = Checkpoint::parse(&checkpoint.text).map_err(TlogProofError::NotACheckpoint)?;
        if index >= parsed.size {
            return Err(TlogProofError::IndexOutOfRange {
                index,
                size: parsed.size,
            });
        }
        Ok(TlogProof {
            extra,
            index,
            proof,
            checkpoint,
        })
    }

    /// The proof text (see the type's documentation). Refuses what [`TlogProof::parse`] would
    /// refuse, so the two round-trip.
    pub fn to_text(&self) -> Result<String, TlogProofError> {
        let mut out = String::from(TLOG_PROOF_HEADER);
        out.push('\n');
        let mut line = 2;
        if let Some(extra) = &self.extra {
            if extra.is_empty() {
                return Err(TlogProofError::BadExtra { line });
            }
            out.push_str("extra ");
            out.push_str(&BASE64.encode(extra));
            out.push('\n');
            line += 1;
        }
        out.push_str(&format!("index {}\n", self.index));
        line += 1;
        if self.proof.len() > MAX_PROOF_HASHES {
            return Err(TlogProofError::TooManyProofHashes {
                max: MAX_PROOF_HASHES,
            });
        }
        for hash in &self.proof {
            out.push_str(&BASE64.encode(hash));
            out.push('\n');
            line += 1;
        }
        out.push('\n');
        let first_line = line + 1;
        let note = format_note(&self.checkpoint)
            .map_err(|error| TlogProofError::Checkpoint { first_line, error })?;
        let parsed = self.parsed_checkpoint()?;
        if self.index >= parsed.size {
            return Err(TlogProofError::IndexOutOfRange {
                index: self.index,
                size: parsed.size,
            });
        }
        out.push_str(&note);
        if out.len() > MAX_NOTE_BYTES {
            return Err(TlogProofError::TooLarge {
                size: out.len(),
                max: MAX_NOTE_BYTES,
            });
        }
        Ok(out)
    }

    /// The parsed checkpoint of [`TlogProof::checkpoint`] (its text is not yet verified).
    pub fn parsed_checkpoint(&self) -> Result<Checkpoint, TlogProofError> {
        Checkpoint::parse(&self.checkpoint.text).map_err(TlogProofError::NotACheckpoint)
    }
}
