//! acta-core's integration tests, one binary: the published RFC 8785 vectors, and the JSON
//! parser and canonical encoder checked against third-party implementations.

mod jcs_vectors;
mod json_oracle;
