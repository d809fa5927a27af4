//! Fixture tests (being written).
