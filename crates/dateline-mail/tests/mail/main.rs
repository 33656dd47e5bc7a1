//! The mail crate's integration tests, one binary: the SMTP client against a real SMTP server.
//!
//! One binary per crate keeps build and link time down (docs/TESTING.md).

mod relay;
