//! What changed in the paper, told by the store after every write that readers could see,
//! so that whatever keeps rendered pages (this instance's page cache, the other instances',
//! a CDN) can drop exactly the pages that show it.
//!
//! A change names the things it touched, never the pages: which pages show what is the
//! reader site's business. A story's change says where it showed to readers before the write
//! and where it shows after, so that a story entering a list (published, moved to another
//! section) and one merely corrected in place can be told apart.

use crate::ids::{ArticleId, AuthorId, MediaId, SectionId, TopicId};
use crate::{Article, ArticleContent, ArticleStatus, ArticleUpdate, NewArticle};
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
    /// A live story's stream changed: a post was added, edited, pinned or deleted (`post`),
    /// or its coverage began, ended or resumed (no post). Its own pages show it, and the
    /// readers following it hear of it.
    Live {
        story: ArticleId,
        post: Option<crate::live::LivePostId>,
    },
    /// A podcast show's details or one of its episodes' sound, numbers, transcript or
    /// chapters changed: its page and feed show them (the episode's story changes as a
    /// `Story`).
    Podcast(i64),
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
        article.is_public(now).then(|| Placement::showing(&article.content, article.first_published_at, now))
    }

    fn showing(content: &ArticleContent, first_published_at: Option<Timestamp>, now: Timestamp) -> Placement {
        Placement {
            section: content.section_id,
            authors: content.bylines.clone(),
            topics: content.topics.clone(),
            published_at: first_published_at.unwrap_or(now),
        }
    }

    /// Where the story will show once `update` is written, worked out from the update alone
    /// (the same rule as [`Article::is_public`]), so the store need not read it back.
    pub fn after(update: &ArticleUpdate) -> Option<Placement> {
        let now = update.modified_at;
        let public = update.status == ArticleStatus::Published
            && update.embargo_until.is_none_or(|until| until <= now)
            && update.first_published_at.is_some_and(|at| at <= now);
        public.then(|| Placement::showing(&update.content, update.first_published_at, now))
    }
}

impl Change {
    /// What writing `update` changes for readers: `None` when the story showed nowhere before
    /// and shows nowhere after (a draft saved again).
    pub fn of_update(update: &ArticleUpdate) -> Option<Change> {
        let (before, after) = (update.shown_before.clone(), Placement::after(update));
        (before.is_some() || after.is_some()).then_some(Change::Story { id: update.id, before, after })
    }

    /// What storing `new` as story `id` changes: something only when it is stored public
    /// already (the demo, an agency's item published at once).
    pub fn of_new(id: ArticleId, new: &NewArticle) -> Option<Change> {
        let at = new.first_published_at.map_or(new.created_at, |t| t.max(new.created_at));
        let public = new.status == ArticleStatus::Published
            && new.embargo_until.is_none_or(|until| until <= at)
            && new.first_published_at.is_some_and(|t| t <= at);
        public.then(|| Change::Story {
            id,
            before: None,
            after: Some(Placement::showing(&new.content, new.first_published_at, at)),
        })
    }
}
