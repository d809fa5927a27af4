//! The verification pipeline: a store's lines read in chunks, prepared in parallel, and
//! taken in order by the verifier.

use super::*;

/// Lines per chunk of [`verify`]'s pipeline.
pub(crate) const VERIFY_CHUNK_LINES: usize = 512;
/// A chunk of [`verify`]'s pipeline ends at the first line that brings it to this many bytes.
const VERIFY_CHUNK_BYTES: usize = 1 << 20;

/// One scan item of a chunk, its line prepared.
// Almost every item is a line: boxing it would cost an allocation per line for nothing.
#[allow(clippy::large_enum_variant)]
pub(super) enum Prepared {
    Line(u64, PreparedLine),
    TooLong(u64, u64),
    /// Offset, length, and the bytes if the scan kept them (at most the entry limit).
    Torn(u64, u64, Option<Vec<u8>>),
}

/// Pushes the bytes after the log's last newline: the verifier decides, from the bytes, whether
/// they are a complete entry missing only its newline or a torn tail; bytes the scan did not
/// keep (more than the entry limit) are a torn tail.
fn push_torn(v: &mut Verifier, offset: u64, len: u64, bytes: Option<Vec<u8>>) {
    match bytes {
        Some(bytes) => v.push_unterminated(offset, &bytes),
        None => v.push_torn_tail(offset, len),
    }
}

/// Verifies every line of `store` (streaming: memory does not grow with the log).
///
/// Uses every thread of rayon's global pool (`RAYON_NUM_THREADS`, by default one per CPU):
/// lines are read in chunks (at most 512 lines, about
/// 1 MiB), the per-line work that does not depend on earlier lines
/// (hash, decode, canonical check, timestamp, and the strict signature check against the key
/// the author had when the chunk was started) is done in parallel, and the verifier then
/// takes the chunk's lines in order, while the next chunk is being prepared. The report is
/// exactly that of [`verify_sequential`]: a signature checked ahead of time is used only if
/// the verifier reaches the line with that same public key and origin, and is checked again
/// otherwise. At most two chunks are in memory.
pub fn verify<S: Store + ?Sized>(store: &S, options: VerifyOptions) -> Result<Report, StoreError> {
    verify_in_chunks(store, options, VERIFY_CHUNK_LINES)
}

/// [`verify`] with chunks of at most `chunk_lines` lines (at least 1), for tests that
/// compare it with [`verify_sequential`] across chunk boundaries.
#[doc(hidden)]
pub fn verify_in_chunks<S: Store + ?Sized>(
    store: &S,
    options: VerifyOptions,
    chunk_lines: usize,
) -> Result<Report, StoreError> {
    verify_each(store, options, chunk_lines, |_, _| {})
}

/// [`verify`], handing each line of the log's verified prefix (every line up to the first
/// with a finding) to `on_entry` (its offset and the entry it decoded to), in log order, as
/// the verifier passes it: one pass over the bytes, so what a caller folds is exactly what was
/// verified. The end of the log can still make the report unsound (a torn tail, a missing
/// expected head): callers must discard what they folded unless the report is sound.
pub(crate) fn verify_each<S: Store + ?Sized>(
    store: &S,
    options: VerifyOptions,
    chunk_lines: usize,
    on_entry: impl FnMut(u64, acta_core::entry::Decoded) + Send,
) -> Result<Report, StoreError> {
    let mut v = Verifier::new(options);
    push_in_chunks(&mut v, store.scan()?, chunk_lines, |_| {}, on_entry)?;
    Ok(v.finish())
}

/// Pushes every item of `scan` through `v` with [`verify`]'s pipeline (chunks of at most
/// `chunk_lines` lines prepared in parallel, signatures checked ahead against the keys `v`
/// has when a chunk is started), calling `each` with every item, in order, just before it is
/// pushed, and `on_entry` with each line of the verified prefix just after (see
/// [`verify_each`]).
pub(super) fn push_in_chunks(
    v: &mut Verifier,
    mut scan: impl Iterator<Item = Result<ScanItem, StoreError>>,
    chunk_lines: usize,
    mut each: impl FnMut(&Prepared) + Send,
    mut on_entry: impl FnMut(u64, acta_core::entry::Decoded) + Send,
) -> Result<(), StoreError> {
    let chunk_lines = chunk_lines.max(1);
    let mut pending: Vec<Prepared> = Vec::new();
    let mut context: Option<Arc<SignatureContext>> = None;
    // Lines prepared since the context was taken: it is retaken, when the keyring has
    // changed, only once as many lines as it has keys have gone by, so that a log with very
    // many keys does not pay for a copy of its keyring per chunk.
    let mut since_context = 0;
    // The first chunk is the genesis alone: the signature context comes from it.
    let mut lines = 1;
    loop {
        let chunk = read_chunk(&mut scan, lines)?;
        lines = chunk_lines;
        if chunk.is_empty() {
            break;
        }
        let stale = context
            .as_ref()
            .is_none_or(|c| c.is_stale(v) && since_context >= c.keys());
        if stale {
            if context.is_none() {
                // Nothing to check signatures against yet (the pending chunk holds the
                // genesis): take the pending lines first.
                push_chunk(v, &mut pending, &mut each, &mut on_entry);
            }
            context = v.signature_context().map(Arc::new);
            since_context = 0;
        }
        since_context += chunk.len();
        let ctx = context.as_deref();
        let ((), prepared) = rayon::join(
            || push_chunk(v, &mut pending, &mut each, &mut on_entry),
            || prepare_chunk(chunk, ctx),
        );
        pending = prepared;
    }
    push_chunk(v, &mut pending, &mut each, &mut on_entry);
    Ok(())
}

/// Verifies every line of `store` on the calling thread only, with [`Verifier::push_line`].
/// Gives the same report as [`verify`].
pub fn verify_sequential<S: Store + ?Sized>(
    store: &S,
    options: VerifyOptions,
) -> Result<Report, StoreError> {
    let mut v = Verifier::new(options);
    for item in store.scan()? {
        match item? {
            ScanItem::Line(line) => v.push_line(line.offset, &line.bytes),
            ScanItem::TooLong { offset, len } => v.push_too_long(offset, len),
            ScanItem::Torn { tail, bytes } => push_torn(&mut v, tail.offset, tail.len, bytes),
        }
    }
    Ok(v.finish())
}

/// Reads up to `lines` items, stopping after the item that reaches [`VERIFY_CHUNK_BYTES`].
fn read_chunk(
    scan: &mut impl Iterator<Item = Result<ScanItem, StoreError>>,
    lines: usize,
) -> Result<Vec<ScanItem>, StoreError> {
    let mut chunk = Vec::with_capacity(lines);
    let mut bytes = 0;
    while chunk.len() < lines && bytes < VERIFY_CHUNK_BYTES {
        let Some(item) = scan.next() else { break };
        let item = item?;
        if let ScanItem::Line(l) = &item {
            bytes += l.bytes.len() + 1;
        }
        chunk.push(item);
    }
    Ok(chunk)
}

fn prepare_chunk(chunk: Vec<ScanItem>, context: Option<&SignatureContext>) -> Vec<Prepared> {
    chunk
        .into_par_iter()
        .map(|item| match item {
            ScanItem::Line(l) => Prepared::Line(l.offset, PreparedLine::new(&l.bytes, context)),
            ScanItem::TooLong { offset, len } => Prepared::TooLong(offset, len),
            ScanItem::Torn { tail, bytes } => Prepared::Torn(tail.offset, tail.len, bytes),
        })
        .collect()
}

fn push_chunk(
    v: &mut Verifier,
    chunk: &mut Vec<Prepared>,
    each: &mut impl FnMut(&Prepared),
    on_entry: &mut impl FnMut(u64, acta_core::entry::Decoded),
) {
    for item in chunk.drain(..) {
        each(&item);
        match item {
            Prepared::Line(offset, line) => {
                if let Some(decoded) = v.push_prepared_entry(offset, line) {
                    on_entry(offset, decoded);
                }
            }
            Prepared::TooLong(offset, len) => v.push_too_long(offset, len),
            Prepared::Torn(offset, len, bytes) => push_torn(v, offset, len, bytes),
        }
    }
}
