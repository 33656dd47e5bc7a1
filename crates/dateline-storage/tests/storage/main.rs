//! The storage crate's integration tests, one binary: the contract every backend keeps, and search against a real corpus.
//!
//! One binary per crate keeps build and link time down (docs/TESTING.md).

mod contract;
mod search_corpus;
