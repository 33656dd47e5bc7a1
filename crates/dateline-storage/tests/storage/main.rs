//! The storage crate's integration tests, one binary: the contract every backend keeps, search against a real corpus, and which index search gets.
//!
//! One binary per crate keeps build and link time down (docs/TESTING.md).

mod contract;
mod search_corpus;
mod search_index;
