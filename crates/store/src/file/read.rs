//! Reading a log file: the streaming scan, positional reads and writes, and the search
//! for its last newline.

use super::*;

/// The streaming scan over a [`FileStore`].
pub(super) struct FileScan<'a> {
    pub(super) path: &'a Path,
    /// The length being scanned (for error messages).
    pub(super) len: u64,
    pub(super) reader: BufReader<PositionalReader<'a>>,
    /// Offset of the next unread byte.
    pub(super) pos: u64,
    pub(super) done: bool,
}

impl Iterator for FileScan<'_> {
    type Item = Result<ScanItem, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let mut line = Vec::new();
        let mut too_long = false;
        let mut count: u64 = 0;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(read_error(self.path, self.len, e)));
                }
            };
            if chunk.is_empty() {
                self.done = true;
                if count == 0 {
                    return None;
                }
                return Some(Ok(ScanItem::Torn {
                    tail: TornTail {
                        offset: start,
                        len: count,
                    },
                    bytes: (!too_long).then_some(line),
                }));
            }
            let newline = memchr::memchr(b'\n', chunk);
            let take = newline.unwrap_or(chunk.len());
            if !too_long {
                if line.len() + take > MAX_ENTRY_BYTES {
                    too_long = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(&chunk[..take]);
                }
            }
            count += take as u64;
            let consumed = take + usize::from(newline.is_some());
            self.reader.consume(consumed);
            self.pos += consumed as u64;
            if newline.is_some() {
                return Some(Ok(if too_long {
                    ScanItem::TooLong {
                        offset: start,
                        len: count,
                    }
                } else {
                    ScanItem::Line(StoredLine {
                        offset: start,
                        bytes: line,
                    })
                }));
            }
        }
    }
}

/// Reads a file from `pos` up to `end` with positional reads, leaving the file's
/// cursor alone so several scans can share one `File`.
pub(super) struct PositionalReader<'a> {
    pub(super) file: &'a File,
    pub(super) pos: u64,
    pub(super) end: u64,
}

impl Read for PositionalReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let remaining = self.end.saturating_sub(self.pos);
        if remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        let n = read_at(self.file, &mut buf[..want], self.pos)?;
        if n == 0 {
            return Err(shrunk_error());
        }
        self.pos += n as u64;
        Ok(n)
    }
}

/// The error positional reads report when the file ends before the expected length.
fn shrunk_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the file ended before the expected length",
    )
}

/// Maps a read error: an early end of file means the file shrank.
pub(super) fn read_error(path: &Path, len: u64, e: io::Error) -> StoreError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        StoreError::Shrunk {
            path: path.to_path_buf(),
            len,
        }
    } else {
        StoreError::Io {
            path: path.to_path_buf(),
            op: "read",
            source: e,
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_file: &File, _buf: &mut [u8], _offset: u64) -> io::Result<usize> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "positional reads are not supported on this platform",
    ))
}

/// Writes all of `buf` at `offset`, leaving the file's cursor alone.
#[cfg(unix)]
pub(super) fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

/// Writes all of `buf` at `offset`.
#[cfg(windows)]
pub(super) fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, buf, offset) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => {
                buf = &buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
pub(super) fn write_all_at(_file: &File, _buf: &[u8], _offset: u64) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "positional writes are not supported on this platform",
    ))
}

/// Fills `buf` from `offset`; an early end of file is `UnexpectedEof`.
pub(crate) fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_at(file, buf, offset) {
            Ok(0) => return Err(shrunk_error()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The offset of the last `'\n'` in `[floor, end)`, reading backwards in blocks.
pub(super) fn find_last_newline(file: &File, floor: u64, end: u64) -> io::Result<Option<u64>> {
    let span = end.saturating_sub(floor);
    let mut buf = vec![0; span.min(BACKWARD_BLOCK as u64) as usize];
    let mut pos = end;
    while pos > floor {
        let n = (pos - floor).min(buf.len() as u64);
        let block_start = pos - n;
        let block = &mut buf[..n as usize];
        read_exact_at(file, block, block_start)?;
        if let Some(i) = block.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(block_start + i as u64));
        }
        pos = block_start;
    }
    Ok(None)
}

/// The torn tail of the first `len` bytes of `file`, reading only its end.
pub(super) fn find_torn_tail(file: &File, len: u64) -> io::Result<Option<TornTail>> {
    if len == 0 {
        return Ok(None);
    }
    let mut last = [0u8; 1];
    read_exact_at(file, &mut last, len - 1)?;
    if last[0] == b'\n' {
        return Ok(None);
    }
    let offset = match find_last_newline(file, 0, len - 1)? {
        Some(newline) => newline + 1,
        None => 0,
    };
    Ok(Some(TornTail {
        offset,
        len: len - offset,
    }))
}
