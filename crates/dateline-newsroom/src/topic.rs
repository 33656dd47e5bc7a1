//! Topics: collections of stories on one subject, across sections.

use crate::ids::{Slug, TopicId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: TopicId,
    pub slug: Slug,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTopic {
    pub slug: Slug,
    pub name: String,
    pub description: String,
}
