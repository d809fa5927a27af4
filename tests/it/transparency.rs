//! Transparency CLI tests (being written).
