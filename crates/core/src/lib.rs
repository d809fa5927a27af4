//! acta-core (stub; being written)

/// The largest stored entry, in bytes, not counting its newline (1 MiB).
pub const MAX_ENTRY_BYTES: usize = 1 << 20;
