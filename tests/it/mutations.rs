//! Mutation tests (being written).
