//! What changed in the paper, told by the store after every write that readers could see,
//! so that whatever keeps rendered pages (this instance's page cache, the other instances',
//! a CDN) can drop exactly the pages that show it.
//!
//! A change names the things it touched, never the pages: which pages show what is the
//! reader site's business. A story's change says where it showed to readers before the write
//! and where it shows after, so that a story entering a list (published, moved to another
//! section) and one merely corrected in place can be told apart.

use crate::ids::{ArticleId, AuthorId, MediaId, SectionId, TopicId};
use crate::Article;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// A story was written. `before` and `after` are where readers could see it, if they
    /// could; a draft saved again has neither, and nothing a reader sees changes.
    Story {
        id: ArticleId,
        before: Option<Placement>,
        after: Option<Placement>,
    },
    /// A section was added, renamed or moved: the menu on every page shows it.
    Sections,
    Author(AuthorId),
    Topic(TopicId),
    /// A photo's caption, credit or text alternative changed.
    Media(MediaId),
    /// The static pages (listed in every page's footer) changed.
    Pages,
    /// The editorial settings (name, masthead, zone, formats) changed: every page shows them.
    Settings,
    /// The editors chose another lead or other top stories for the home page.
    HomeCuration,
    /// Anything may have changed: notices from other instances were missed.
    Everything,
}

/// Where a public story shows: the lists it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub section: SectionId,
    pub authors: Vec<AuthorId>,
    pub topics: Vec<TopicId>,
    pub published_at: Timestamp,
}

impl Placement {
    /// Where the story shows at `now`, or `None` when readers cannot see it.
    pub fn of(article: &Article, now: Timestamp) -> Option<Placement> {
        article.is_public(now).then(|| Placement {
            section: article.content.section_id,
            authors: article.content.bylines.clone(),
            topics: article.content.topics.clone(),
            published_at: article.first_published_at.unwrap_or(now),
        })
    }
}
