//! acta-tlog's integration tests, one binary: the signed-note, checkpoint, cosignature and
//! proof formats against C2SP's examples and stock behaviour (`note_format`), and the RFC 6962
//! tree against published vectors (`rfc6962_vectors`).

mod note_format;
mod rfc6962_vectors;
