//! Static pages: the privacy statement, copyright policy, ombudsman and their like.

use crate::ids::{PageId, Slug};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticPage {
    pub id: PageId,
    pub slug: Slug,
    pub title: String,
    /// Markdown source.
    pub body: String,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPage {
    pub slug: Slug,
    pub title: String,
    pub body: String,
}
