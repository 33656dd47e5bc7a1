//! Moving in: another system's archive (WordPress, Ghost) brought into the paper, every old
//! address kept.
//!
//! - [`wxr`] reads a WordPress export as a stream (never the whole file in memory), refusing
//!   DTDs before anything is expanded.
//! - [`wordpress_body`] turns a post's body (block editor, classic editor, shortcodes) into the
//!   desk's Markdown, reporting whatever cannot be carried.
//! - [`wordpress`] runs an import: the file is read once to check it whole (a broken file or a
//!   post naming a missing author or attachment is refused before anything is written), then
//!   again to write it, in one transaction (`dateline_storage::ImportTx`), with photos taken
//!   through the same intake as the desk's uploads. A run that fails leaves the database as it
//!   was and removes the photo files it wrote.
//! - [`ghost`] does the same for a Ghost export (JSON), through the same writer (`writer.rs`:
//!   the transaction, the report, old addresses, photos, re-runs).
//! - [`report`] is what a run tells the editor: counts, what each story lost, authors merged,
//!   redirects made.
//!
//! The newsroom's rules for moved-in items (old addresses, which run updates what) live in
//! `dateline_newsroom::moving_in`; the reader site answers old addresses from what this crate
//! records.

pub mod ghost;
pub mod report;
pub mod wordpress;
pub mod wordpress_body;
mod writer;
pub mod wxr;

pub use ghost::{import_ghost, GhostOptions};
pub use report::Report;
pub use wordpress::{import_wordpress, WordPressOptions};

/// Why an import did not happen. Nothing was written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as what it claims to be; the text says where.
    #[error("{0}")]
    Malformed(String),
    /// The file is readable but refused (a DTD, an unknown version, too large).
    #[error("{0}")]
    Refused(String),
    /// An item refers to something the file does not have (an author, an attachment).
    #[error("{0}")]
    Inconsistent(String),
    #[error("the file cannot be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("the database refused a write: {0}")]
    Store(#[from] dateline_newsroom::StoreError),
    #[error("a photo could not be stored: {0}")]
    Photo(String),
}
