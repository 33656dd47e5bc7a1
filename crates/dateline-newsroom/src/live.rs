//! Live coverage: a story whose body is followed by a stream of short, timestamped posts,
//! newest first, some pinned as key events, while the news runs (a typhoon, a count, a
//! summit).
//!
//! A live story is an ordinary story (headline, deck, bylines, section, lead photo, topics,
//! revisions, corrections, publication) that also has *coverage*: a row saying it is live,
//! and when the coverage ended. Its body is the summary above the stream. The posts are
//! their own rows, so that two people posting at once each add a row and never overwrite
//! each other, and so that a post can be edited, pinned or deleted without touching the
//! story's version (an editor with the story open is never told someone saved it because a
//! reporter posted). Every write of a post keeps a revision of it, like a story's; a deleted
//! post stays in the desk's history and leaves no trace on the reader page.
//!
//! Who may post is one rule ([`may_post`]): editors post to every live story; reporters to
//! those they are bylined on (their account writes as one of the story's authors) or that
//! they created. Each write says what readers see change ([`crate::Change::Live`]), so the
//! page cache drops the story's pages and the readers' update channel carries the post.

use crate::accounts::{Action, User};
use crate::article::{Article, ArticleStatus, RevisionAuthor};
use crate::editing::FieldError;
use crate::ids::{ArticleId, AuthorId, MediaId};
use crate::store::{Store, StoreError, StoreResult};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::future::Future;

pub const MAX_POST_TITLE_CHARS: usize = 200;
pub const MAX_POST_BODY_CHARS: usize = 20_000;

/// A post's number, in its permalink (`#post-{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LivePostId(pub i64);

impl std::fmt::Display for LivePostId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// That a story is live, since when, and whether its coverage has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub article_id: ArticleId,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
}

impl Coverage {
    pub fn is_running(&self) -> bool {
        self.ended_at.is_none()
    }

    /// When readers saw the coverage begin: the story's first publication, or (for a story
    /// made live after it was published) the moment it became live.
    pub fn start_for_readers(&self, article: &Article) -> Timestamp {
        article.first_published_at.map_or(self.started_at, |published| published.max(self.started_at))
    }
}

/// One post of the stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivePost {
    pub id: LivePostId,
    pub article_id: ArticleId,
    /// The byline shown: one of the story's authors, or none (then `author_name`, the desk
    /// user who posted, is shown).
    pub author_id: Option<AuthorId>,
    pub author_name: String,
    pub title: Option<String>,
    /// Markdown source.
    pub body: String,
    pub media_id: Option<MediaId>,
    /// A key event, listed at the top of the page.
    pub pinned: bool,
    pub posted_at: Timestamp,
    pub modified_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    /// The desk user who posted it; reporters may change their own posts.
    pub posted_by: Option<crate::ids::UserId>,
    /// Grows by one with every write, so two editors of one post cannot overwrite each other.
    pub version: i64,
}

/// What the posting box submits, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostDraft {
    pub title: String,
    pub body: String,
    pub media_id: Option<MediaId>,
    /// Post under this byline (one of the story's authors); none posts under the user's name.
    pub author_id: Option<AuthorId>,
    pub pinned: bool,
}

/// A post's content once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostContent {
    pub title: Option<String>,
    pub body: String,
    pub media_id: Option<MediaId>,
    pub author_id: Option<AuthorId>,
    pub author_name: String,
    pub pinned: bool,
}

/// What happened to a post, as its history says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostRevisionKind {
    Posted,
    Edited,
    Pinned,
    Unpinned,
    Deleted,
}

impl PostRevisionKind {
    pub const ALL: [PostRevisionKind; 5] = [
        PostRevisionKind::Posted,
        PostRevisionKind::Edited,
        PostRevisionKind::Pinned,
        PostRevisionKind::Unpinned,
        PostRevisionKind::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PostRevisionKind::Posted => "posted",
            PostRevisionKind::Edited => "edited",
            PostRevisionKind::Pinned => "pinned",
            PostRevisionKind::Unpinned => "unpinned",
            PostRevisionKind::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One write of a post, kept for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRevision {
    pub post_id: LivePostId,
    pub kind: PostRevisionKind,
    pub made_at: Timestamp,
    pub made_by: String,
    pub title: Option<String>,
    pub body: String,
    pub pinned: bool,
}

/// A new post, as the use case hands it to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLivePost {
    pub article_id: ArticleId,
    pub content: PostContent,
    pub at: Timestamp,
    pub made_by: RevisionAuthor,
    /// The story is public: its "Updated" time becomes the post's.
    pub story_is_public: bool,
}

/// A change to a post, computed by a use case from the post as loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivePostUpdate {
    pub id: LivePostId,
    pub article_id: ArticleId,
    pub expected_version: i64,
    pub content: PostContent,
    pub deleted: bool,
    pub kind: PostRevisionKind,
    pub at: Timestamp,
    pub made_by: RevisionAuthor,
    /// Readers see the change as an update of the story (an edit of a public story's post).
    pub touches_story: bool,
}

/// Where one post stands among the shown ones, newest first: what page it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostPlace {
    /// How many shown posts are newer.
    pub newer: u64,
}

impl PostPlace {
    /// The page (from 1) holding the post, `per_page` posts a page.
    pub fn page(self, per_page: u32) -> u32 {
        u32::try_from(self.newer / u64::from(per_page.max(1))).unwrap_or(u32::MAX - 1) + 1
    }
}

/// The storage a live story needs. Every write is one transaction that also records what
/// readers see change.
pub trait LiveStore {
    /// Makes the story live from `now` (a story already live stays as it was).
    fn start_coverage(&self, id: ArticleId, now: Timestamp) -> impl Future<Output = StoreResult<Coverage>> + Send;
    /// The story's coverage, or `NotFound` for a story that is not live.
    fn coverage(&self, id: ArticleId) -> impl Future<Output = StoreResult<Coverage>> + Send;
    /// Ends (with `Some(now)`) or resumes (`None`) the coverage.
    fn set_coverage_end(
        &self,
        id: ArticleId,
        ended_at: Option<Timestamp>,
    ) -> impl Future<Output = StoreResult<Coverage>> + Send;
    fn insert_live_post(&self, new: &NewLivePost) -> impl Future<Output = StoreResult<LivePost>> + Send;
    /// Writes a change with its revision; `Conflict` when the post is no longer at the
    /// expected version.
    fn update_live_post(&self, update: &LivePostUpdate) -> impl Future<Output = StoreResult<LivePost>> + Send;
    /// A post, deleted or not.
    fn live_post(&self, id: LivePostId) -> impl Future<Output = StoreResult<LivePost>> + Send;
    /// The story's shown (not deleted) posts, newest first, `limit` after skipping `offset`.
    fn live_posts(
        &self,
        id: ArticleId,
        limit: u32,
        offset: u32,
    ) -> impl Future<Output = StoreResult<Vec<LivePost>>> + Send;
    fn count_live_posts(&self, id: ArticleId) -> impl Future<Output = StoreResult<u64>> + Send;
    /// The shown posts pinned as key events, newest first.
    fn key_events(&self, id: ArticleId) -> impl Future<Output = StoreResult<Vec<LivePost>>> + Send;
    /// Where a shown post stands in its story's stream; `NotFound` for a deleted one.
    fn live_post_place(&self, id: LivePostId) -> impl Future<Output = StoreResult<PostPlace>> + Send;
    /// Every write of a post, oldest first.
    fn post_revisions(&self, id: LivePostId) -> impl Future<Output = StoreResult<Vec<PostRevision>>> + Send;
    /// The ids of the live stories whose coverage runs, newest first.
    fn running_coverage(&self) -> impl Future<Output = StoreResult<Vec<ArticleId>>> + Send;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    #[error("the post has problems: {}", .0.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<FieldError>),
    #[error("your role does not allow this on this story")]
    NotAllowed,
    #[error("this story is not a live story")]
    NotLive,
    #[error("the coverage of this story has ended; resume it to post again")]
    Ended,
    #[error("this cannot be done to a story that is {0}")]
    WrongStatus(&'static str),
    #[error("someone else changed this post after you opened it")]
    Conflict,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for LiveError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => LiveError::NotFound,
            StoreError::Conflict(_) => LiveError::Conflict,
            other => LiveError::Store(other),
        }
    }
}

/// Whether `actor` may post to this live story: editors to all; reporters to those they
/// are bylined on or created.
pub fn may_post(actor: &User, article: &Article) -> bool {
    if actor.role.may(Action::EditAnyStory) {
        return true;
    }
    let bylined = actor.author_id.is_some_and(|author| article.content.bylines.contains(&author));
    let own = article.is_written_by(actor.id);
    actor.role.may(Action::SubmitForReview) && (bylined || own)
}

/// Whether `actor` may edit, pin or delete this post: editors any; who may post, their own.
pub fn may_change_post(actor: &User, article: &Article, post: &LivePost) -> bool {
    actor.role.may(Action::EditAnyStory) || (may_post(actor, article) && post.posted_by == Some(actor.id))
}

/// Whether `actor` may make a story live, end its coverage or resume it: editors, and the
/// reporter who may post to it.
pub fn may_run_coverage(actor: &User, article: &Article) -> bool {
    may_post(actor, article)
}

/// Checks a draft: a body is needed, the title and body are bounded, the byline is one of the
/// story's authors, the photo exists.
pub async fn check_post(
    store: &impl Store,
    actor: &User,
    article: &Article,
    draft: &PostDraft,
) -> Result<PostContent, LiveError> {
    let mut errors = Vec::new();
    let title = draft.title.trim();
    if title.chars().count() > MAX_POST_TITLE_CHARS {
        errors.push(FieldError {
            field: "title",
            message: format!("Keep a post's title under {MAX_POST_TITLE_CHARS} characters."),
        });
    }
    let body = draft.body.replace("\r\n", "\n").trim().to_owned();
    if body.is_empty() {
        errors.push(FieldError { field: "body", message: "Write the post before sending it.".into() });
    } else if body.chars().count() > MAX_POST_BODY_CHARS {
        errors.push(FieldError {
            field: "body",
            message: format!("A post holds at most {MAX_POST_BODY_CHARS} characters; start another."),
        });
    }
    let nesting = crate::body::nesting_depth(&body);
    if nesting > crate::body::MAX_BODY_NESTING {
        errors.push(FieldError {
            field: "body",
            message: format!("Keep quotations and lists to {} levels.", crate::body::MAX_BODY_NESTING),
        });
    }
    if let Some(author) = draft.author_id {
        if !article.content.bylines.contains(&author) {
            errors.push(FieldError { field: "author", message: "Post under one of the story's bylines.".into() });
        }
    }
    if let Some(media) = draft.media_id {
        if matches!(store.media_by_id(media).await, Err(StoreError::NotFound)) {
            errors.push(FieldError { field: "photo", message: "That photo is not in the library.".into() });
        }
    }
    if !errors.is_empty() {
        return Err(LiveError::Invalid(errors));
    }
    let author_name = match draft.author_id {
        Some(author) => store.authors_by_ids(&[author]).await?.into_iter().next().map(|a| a.name),
        None => None,
    }
    .unwrap_or_else(|| actor.name.clone());
    Ok(PostContent {
        title: (!title.is_empty()).then(|| title.to_owned()),
        body,
        media_id: draft.media_id,
        author_id: draft.author_id,
        author_name,
        pinned: draft.pinned,
    })
}

/// The story and its coverage, for a use case that needs both.
async fn live_story(store: &impl Store, id: ArticleId) -> Result<(Article, Coverage), LiveError> {
    let article = store.article_by_id(id).await?;
    let coverage = match store.coverage(id).await {
        Ok(coverage) => coverage,
        Err(StoreError::NotFound) => return Err(LiveError::NotLive),
        Err(other) => return Err(other.into()),
    };
    Ok((article, coverage))
}

fn made_by(actor: &User) -> RevisionAuthor {
    RevisionAuthor { user_id: Some(actor.id), name: actor.name.clone() }
}

/// Makes a story live. A removed story cannot be.
pub async fn start_coverage(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    now: Timestamp,
) -> Result<Coverage, LiveError> {
    let article = store.article_by_id(id).await?;
    if !may_run_coverage(actor, &article) {
        return Err(LiveError::NotAllowed);
    }
    if article.status == ArticleStatus::Removed {
        return Err(LiveError::WrongStatus("removed"));
    }
    Ok(store.start_coverage(id, now).await?)
}

/// Ends the coverage (`end`), or resumes it: the page says so, and no more posts are taken
/// until it is resumed.
pub async fn end_coverage(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    end: bool,
    now: Timestamp,
) -> Result<Coverage, LiveError> {
    let (article, coverage) = live_story(store, id).await?;
    if !may_run_coverage(actor, &article) {
        return Err(LiveError::NotAllowed);
    }
    match (end, coverage.ended_at) {
        (true, Some(_)) | (false, None) => Ok(coverage),
        (true, None) => Ok(store.set_coverage_end(id, Some(now)).await?),
        (false, Some(_)) => Ok(store.set_coverage_end(id, None).await?),
    }
}

/// Adds a post to a running live story.
pub async fn post(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    draft: &PostDraft,
    now: Timestamp,
) -> Result<LivePost, LiveError> {
    let (article, coverage) = live_story(store, id).await?;
    if !may_post(actor, &article) {
        return Err(LiveError::NotAllowed);
    }
    if article.status == ArticleStatus::Removed {
        return Err(LiveError::WrongStatus("removed"));
    }
    if !coverage.is_running() {
        return Err(LiveError::Ended);
    }
    let content = check_post(store, actor, &article, draft).await?;
    let new = NewLivePost {
        article_id: id,
        content,
        at: now,
        made_by: made_by(actor),
        story_is_public: article.is_public(now),
    };
    Ok(store.insert_live_post(&new).await?)
}

/// What is done to an existing post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostChange {
    Edit(PostDraft),
    Pin(bool),
    Delete,
}

/// Edits, pins, unpins or deletes a post, refusing it if someone wrote the post since
/// `expected_version`.
pub async fn change_post(
    store: &impl Store,
    actor: &User,
    post_id: LivePostId,
    expected_version: i64,
    change: &PostChange,
    now: Timestamp,
) -> Result<LivePost, LiveError> {
    let post = store.live_post(post_id).await?;
    if post.deleted_at.is_some() {
        return Err(LiveError::NotFound);
    }
    let (article, _) = live_story(store, post.article_id).await?;
    if !may_change_post(actor, &article, &post) {
        return Err(LiveError::NotAllowed);
    }
    if post.version != expected_version {
        return Err(LiveError::Conflict);
    }
    let kept = PostContent {
        title: post.title.clone(),
        body: post.body.clone(),
        media_id: post.media_id,
        author_id: post.author_id,
        author_name: post.author_name.clone(),
        pinned: post.pinned,
    };
    let (content, deleted, kind) = match change {
        PostChange::Edit(draft) => {
            let mut content = check_post(store, actor, &article, draft).await?;
            // An edit keeps the post's byline unless another is chosen.
            if draft.author_id.is_none() {
                content.author_id = post.author_id;
                content.author_name = post.author_name.clone();
            }
            content.pinned = post.pinned;
            (content, false, PostRevisionKind::Edited)
        }
        PostChange::Pin(pinned) => {
            let kind = if *pinned { PostRevisionKind::Pinned } else { PostRevisionKind::Unpinned };
            (PostContent { pinned: *pinned, ..kept }, false, kind)
        }
        PostChange::Delete => (PostContent { pinned: false, ..kept }, true, PostRevisionKind::Deleted),
    };
    let update = LivePostUpdate {
        id: post_id,
        article_id: post.article_id,
        expected_version,
        content,
        deleted,
        kind,
        at: now,
        made_by: made_by(actor),
        touches_story: kind == PostRevisionKind::Edited && article.is_public(now),
    };
    Ok(store.update_live_post(&update).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::article::ArticleContent;
    use crate::ids::{SectionId, Slug, UserId};

    fn user(id: i64, role: Role, author: Option<i64>) -> User {
        User {
            id: UserId(id),
            email: format!("u{id}@paper.test"),
            name: format!("User {id}"),
            role,
            created_at: Timestamp::UNIX_EPOCH,
            author_id: author.map(AuthorId),
        }
    }

    fn story(bylines: &[i64], created_by: i64) -> Article {
        Article {
            id: ArticleId(1),
            content: ArticleContent {
                slug: Slug::parse("typhoon").expect("slug"),
                headline: "Typhoon".into(),
                deck: None,
                section_id: SectionId(1),
                bylines: bylines.iter().copied().map(AuthorId).collect(),
                label: None,
                topics: vec![],
                lead_media_id: None,
                body: String::new(),
                seo_title: None,
                seo_description: None,
                dateline: None,
            },
            status: ArticleStatus::Published,
            embargo_until: None,
            publish_at: None,
            first_published_at: Some(Timestamp::UNIX_EPOCH),
            last_public_update_at: None,
            created_at: Timestamp::UNIX_EPOCH,
            modified_at: Timestamp::UNIX_EPOCH,
            version: 1,
            created_by: Some(UserId(created_by)),
            assignee: None,
        }
    }

    #[test]
    fn editors_post_to_every_live_story_and_reporters_to_those_they_are_bylined_on() {
        let story = story(&[7], 1);
        assert!(may_post(&user(2, Role::Editor, None), &story));
        assert!(may_post(&user(3, Role::Reporter, Some(7)), &story));
        assert!(!may_post(&user(4, Role::Reporter, Some(8)), &story));
        assert!(may_post(&user(1, Role::Reporter, None), &story), "the reporter who created it");
        assert!(!may_post(&user(5, Role::Contributor, Some(7)), &story), "contributors write drafts only");
        assert!(!may_post(&user(6, Role::PhotoEditor, Some(7)), &story));
    }

    #[test]
    fn a_reporter_changes_only_their_own_posts_and_an_editor_any() {
        let story = story(&[7], 1);
        let reporter = user(3, Role::Reporter, Some(7));
        let mut post = LivePost {
            id: LivePostId(1),
            article_id: story.id,
            author_id: None,
            author_name: "User 9".into(),
            title: None,
            body: "Winds rise.".into(),
            media_id: None,
            pinned: false,
            posted_at: Timestamp::UNIX_EPOCH,
            modified_at: Timestamp::UNIX_EPOCH,
            deleted_at: None,
            posted_by: Some(UserId(9)),
            version: 1,
        };
        assert!(!may_change_post(&reporter, &story, &post));
        assert!(may_change_post(&user(2, Role::Editor, None), &story, &post));
        post.posted_by = Some(UserId(3));
        assert!(may_change_post(&reporter, &story, &post));
    }

    #[test]
    fn a_post_twenty_five_newer_posts_down_is_on_the_second_page_of_twenty() {
        assert_eq!(PostPlace { newer: 0 }.page(20), 1);
        assert_eq!(PostPlace { newer: 19 }.page(20), 1);
        assert_eq!(PostPlace { newer: 25 }.page(20), 2);
        assert_eq!(PostPlace { newer: 40 }.page(20), 3);
    }

    #[test]
    fn every_revision_kind_reads_back() {
        for kind in PostRevisionKind::ALL {
            assert_eq!(PostRevisionKind::parse(kind.as_str()), Some(kind));
        }
    }
}
