//! FORMAT.md worked-example tests (being written).
