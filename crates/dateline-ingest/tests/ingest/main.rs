//! The ingest crate's integration tests, one binary: IPTC's own suite, our NewsML-G2 fixtures, hostile and generated documents.
//!
//! One binary per crate keeps build and link time down (docs/TESTING.md).

mod generated_input;
mod hostile_input;
mod iptc_conformance;
mod newsml_g2;
