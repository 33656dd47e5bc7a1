//! Authors: the people and agencies a byline names. Every author has a page of their own.

use crate::ids::{AuthorId, MediaId, Slug};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthorKind {
    Person,
    /// A wire agency such as Yonhap or AFP: bylines name it, and its stories end with its sign-off.
    Agency,
}

impl AuthorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorKind::Person => "person",
            AuthorKind::Agency => "agency",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "person" => Some(AuthorKind::Person),
            "agency" => Some(AuthorKind::Agency),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub id: AuthorId,
    pub slug: Slug,
    pub name: String,
    pub kind: AuthorKind,
    pub bio: String,
    pub photo_id: Option<MediaId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuthor {
    pub slug: Slug,
    pub name: String,
    pub kind: AuthorKind,
    pub bio: String,
    pub photo_id: Option<MediaId>,
}
