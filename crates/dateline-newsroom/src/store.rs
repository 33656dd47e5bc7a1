//! The `Store` traits: every read and write the newsroom and the reader site make, as the
//! storage crate must provide them. Each write method is one transaction.

use crate::accounts::{NewUser, Session, User};
use crate::article::Correction;
use crate::article::{
    Article, ArticleStatus, ArticleSummary, ArticleUpdate, DeskStory, NewArticle, Revision, StoryForReaders,
};
use crate::author::{Author, NewAuthor};
use crate::ids::{ArticleId, AuthorId, MediaId, PageId, SectionId, Slug, TopicId, UserId};
use crate::media::{Media, MediaDetails, NewMedia};
use crate::page::{NewPage, StaticPage};
use crate::section::{NewSection, Section};
use crate::settings::{EditorialSettings, HomeCuration};
use crate::topic::{NewTopic, Topic};
use jiff::Timestamp;
use std::future::Future;

/// What can go wrong in storage, in the words callers act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or a version check refused the write; the text says which.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or is overloaded; try again later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("storage error: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A slice of a long list: at most `limit` items after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: u32,
    pub offset: u32,
}

/// Which public stories a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing<'a> {
    /// Every public story: the home page and "Latest News".
    Everything,
    /// Stories whose home section is one of these: a front with its subsections.
    Sections(&'a [SectionId]),
    /// Stories with this author in the byline.
    Author(AuthorId),
    Topic(TopicId),
    /// Stories first published in `[from, until)`: a month's sitemap, the News sitemap.
    PublishedBetween(Timestamp, Timestamp),
}

/// Where a page of public stories ends, newest first: the next page starts after it. Keyset
/// paging on (first publication, id) stays stable while stories are published: a new story
/// goes to the top, never between two pages a client is walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryCursor {
    pub published_at: Timestamp,
    pub id: ArticleId,
}

impl StoryCursor {
    /// The cursor as a client carries it: opaque, URL-safe text.
    pub fn encode(&self) -> String {
        format!("{}-{}", self.published_at.as_microsecond(), self.id.0)
    }

    pub fn decode(text: &str) -> Option<StoryCursor> {
        let (micros, id) = text.rsplit_once('-')?;
        let published_at = Timestamp::from_microsecond(micros.parse().ok()?).ok()?;
        let id = id.parse::<i64>().ok().filter(|id| *id >= 0)?;
        Some(StoryCursor { published_at, id: ArticleId(id) })
    }
}

/// Which public stories a client asks for, newest first: every filter narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFilter {
    /// Stories whose home section is one of these (a section with its subsections).
    pub sections: Option<Vec<SectionId>>,
    pub author: Option<AuthorId>,
    pub topic: Option<TopicId>,
    pub label: Option<crate::article::Label>,
    /// Stories first published or publicly updated at or after this instant.
    pub changed_since: Option<Timestamp>,
    /// Stories after this one in the order (the next page).
    pub after: Option<StoryCursor>,
    pub limit: u32,
}

/// A month that holds public stories, for the sitemap index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedMonth {
    pub year: i16,
    pub month: i8,
    /// The newest public change of any story of that month.
    pub last_change: Timestamp,
}

/// Views counted in one hour for one story, as an instance flushes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourlyViews {
    pub article_id: ArticleId,
    /// The start of the hour, in UTC.
    pub hour: Timestamp,
    pub views: u64,
}

pub trait SectionStore {
    /// Stores a section under the path the domain computed for it.
    fn insert_section(&self, new: &NewSection, path: &str) -> impl Future<Output = StoreResult<Section>> + Send;
    fn sections(&self) -> impl Future<Output = StoreResult<Vec<Section>>> + Send;
    /// Stores a renamed, moved or reordered section (its `path` already recomputed), updates
    /// its subsections' paths, and keeps every old address as a redirect, in one transaction.
    fn update_section(&self, section: &Section) -> impl Future<Output = StoreResult<Section>> + Send;
    /// The section an old address (`national/politics`) now belongs to.
    fn redirected_section(&self, old_path: &str) -> impl Future<Output = StoreResult<Section>> + Send;
}

pub trait AuthorStore {
    fn insert_author(&self, new: &NewAuthor) -> impl Future<Output = StoreResult<Author>> + Send;
    fn author_by_slug(&self, slug: &Slug) -> impl Future<Output = StoreResult<Author>> + Send;
    /// The authors with these ids, in the order asked; unknown ids are left out.
    fn authors_by_ids(&self, ids: &[AuthorId]) -> impl Future<Output = StoreResult<Vec<Author>>> + Send;
    fn authors(&self) -> impl Future<Output = StoreResult<Vec<Author>>> + Send;
    fn update_author(&self, id: AuthorId, changed: &NewAuthor) -> impl Future<Output = StoreResult<Author>> + Send;
}

pub trait TopicStore {
    fn insert_topic(&self, new: &NewTopic) -> impl Future<Output = StoreResult<Topic>> + Send;
    fn topic_by_slug(&self, slug: &Slug) -> impl Future<Output = StoreResult<Topic>> + Send;
    fn topics(&self) -> impl Future<Output = StoreResult<Vec<Topic>>> + Send;
    fn update_topic(&self, id: TopicId, changed: &NewTopic) -> impl Future<Output = StoreResult<Topic>> + Send;
}

pub trait MediaStore {
    fn insert_media(&self, new: &NewMedia, now: Timestamp) -> impl Future<Output = StoreResult<Media>> + Send;
    fn media_by_id(&self, id: MediaId) -> impl Future<Output = StoreResult<Media>> + Send;
    fn media_by_storage_key(&self, key: &str) -> impl Future<Output = StoreResult<Media>> + Send;
    /// Replaces what is kept beside a photo: caption, credit, alt text, photographer.
    fn update_media_details(
        &self,
        id: MediaId,
        details: &MediaDetails,
    ) -> impl Future<Output = StoreResult<Media>> + Send;
    /// What the photo's file said of itself when it came in.
    fn file_facts(&self, id: MediaId) -> impl Future<Output = StoreResult<Vec<crate::media::FileFact>>> + Send;
    /// The photos matching `query`, newest first.
    fn find_media(&self, query: &crate::media::MediaQuery) -> impl Future<Output = StoreResult<Vec<Media>>> + Send;
    /// Uploaded media, newest first: what the photo picker offers.
    fn media_list(&self, window: Window) -> impl Future<Output = StoreResult<Vec<Media>>> + Send;
    /// The stories (not removed) that lead with each of `ids`, most recently changed first:
    /// `(photo, story, headline)`.
    fn stories_leading_with(
        &self,
        ids: &[MediaId],
    ) -> impl Future<Output = StoreResult<Vec<(MediaId, crate::ids::ArticleId, String)>>> + Send;
    /// Removes a photo nothing uses yet (one stored for a delivery that was then not taken);
    /// `StoreError::Conflict` when a story or an author shows it.
    fn delete_unused_media(&self, id: MediaId) -> impl Future<Output = StoreResult<()>> + Send;
    /// Photos whose smaller copies are not yet made in every one of `formats` (space-separated,
    /// in the order they are recorded), newest first: the background work's queue. A photo
    /// whose copies could not be made is not offered again.
    fn media_waiting_for_variants(
        &self,
        formats: &str,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<Media>>> + Send;
    /// Records the formats a photo's smaller copies now exist in (`formats` space-separated;
    /// [`crate::media::VARIANTS_UNMAKEABLE`] when they cannot be made), and drops the pages that
    /// show it so they offer them. Nothing is recorded when the photo's focal point is no
    /// longer `made_for` (an editor moved it while the crops were made): it stays in the queue.
    fn set_media_variants(
        &self,
        id: MediaId,
        made_for: crate::media::FocalPoint,
        formats: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Moves a photo's focal point and records `formats` (what its copies still hold: no crops
    /// for the new point), so the background work makes its crops again.
    fn set_media_focal_point(
        &self,
        id: MediaId,
        point: crate::media::FocalPoint,
        formats: &str,
    ) -> impl Future<Output = StoreResult<Media>> + Send;
}

/// The desk's standing counts (see [`ArticleStore::desk_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DeskCounts {
    pub in_review: u64,
    pub scheduled_today: u64,
    pub agency_updates: u64,
}

pub trait ArticleStore {
    /// Stores a new story with its first revision, in one transaction.
    fn insert_article(&self, new: &NewArticle) -> impl Future<Output = StoreResult<ArticleId>> + Send;
    fn article_by_id(&self, id: ArticleId) -> impl Future<Output = StoreResult<Article>> + Send;
    /// A story with which of the parts kept beside it (corrections, a video, live coverage, a
    /// podcast episode) it has, in one round trip: what its reader page reads first.
    fn story_for_readers(&self, id: ArticleId) -> impl Future<Output = StoreResult<StoryForReaders>> + Send;
    /// Stories readers may see at `now`, newest first.
    fn latest_public(
        &self,
        now: Timestamp,
        listing: Listing<'_>,
        window: Window,
    ) -> impl Future<Output = StoreResult<Vec<ArticleSummary>>> + Send;
    fn count_public(&self, now: Timestamp, listing: Listing<'_>) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Public stories matching `filter`, newest first, at most `filter.limit` of them.
    fn public_stories(
        &self,
        now: Timestamp,
        filter: &StoryFilter,
    ) -> impl Future<Output = StoreResult<Vec<ArticleSummary>>> + Send;
    /// The stories with these ids that readers may see at `now`, in the order asked.
    fn public_by_ids(
        &self,
        now: Timestamp,
        ids: &[ArticleId],
    ) -> impl Future<Output = StoreResult<Vec<ArticleSummary>>> + Send;
    /// The months (UTC) that hold public stories, newest first.
    fn published_months(&self, now: Timestamp) -> impl Future<Output = StoreResult<Vec<PublishedMonth>>> + Send;
    /// Which of `ids` are stories readers can see at `now`.
    fn public_ids(&self, ids: &[ArticleId], now: Timestamp)
        -> impl Future<Output = StoreResult<Vec<ArticleId>>> + Send;
    /// Adds views to the hourly counters; views of stories that do not exist are dropped.
    fn add_views(&self, views: &[HourlyViews]) -> impl Future<Output = StoreResult<()>> + Send;
    /// The public stories most viewed since `since`, most viewed first.
    fn most_viewed(
        &self,
        now: Timestamp,
        since: Timestamp,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<ArticleSummary>>> + Send;
    /// Writes a change computed by a use case, with its revision, in one transaction; a
    /// `Conflict` when the story is no longer at `expected_version`.
    fn update_article(&self, update: &ArticleUpdate) -> impl Future<Output = StoreResult<Article>> + Send;
    /// Scheduled stories whose time has come, oldest first.
    fn scheduled_due(&self, now: Timestamp) -> impl Future<Output = StoreResult<Vec<Article>>> + Send;
    /// How many stories are in each status (statuses with none are left out).
    fn count_by_status(&self) -> impl Future<Output = StoreResult<Vec<(ArticleStatus, u64)>>> + Send;
    /// Stories for the desk, most recently changed first, of any status or of one.
    fn desk_stories(
        &self,
        status: Option<ArticleStatus>,
        window: Window,
    ) -> impl Future<Output = StoreResult<Vec<DeskStory>>> + Send;
    /// A story's corrections, oldest first.
    fn corrections_of(&self, id: ArticleId) -> impl Future<Output = StoreResult<Vec<Correction>>> + Send;
    /// Corrections to stories readers may see, newest first, with the story each belongs to.
    fn public_corrections(
        &self,
        now: Timestamp,
        window: Window,
    ) -> impl Future<Output = StoreResult<Vec<(Correction, ArticleSummary)>>> + Send;
    /// Keeps `content` as the story's newest autosave by `by`: the autosave revision itself
    /// when it is the story's newest revision and theirs, else a new one. The story is left
    /// as it is.
    fn save_autosave(
        &self,
        id: ArticleId,
        content: &crate::article::ArticleContent,
        by: &crate::article::RevisionAuthor,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Every revision of a story, oldest first.
    fn revisions(&self, id: ArticleId) -> impl Future<Output = StoreResult<Vec<Revision>>> + Send;
    fn count_articles(&self) -> impl Future<Output = StoreResult<u64>> + Send;
    /// What the desk counts on every page: stories waiting for review, stories scheduled to go
    /// out from `day.0` (inclusive) to `day.1` (the paper's today), and agency updates waiting
    /// for an editor's decision.
    fn desk_counts(&self, day: (Timestamp, Timestamp)) -> impl Future<Output = StoreResult<DeskCounts>> + Send;
}

pub trait PageStore {
    fn insert_page(&self, new: &NewPage, now: Timestamp) -> impl Future<Output = StoreResult<StaticPage>> + Send;
    fn page_by_slug(&self, slug: &Slug) -> impl Future<Output = StoreResult<StaticPage>> + Send;
    fn pages(&self) -> impl Future<Output = StoreResult<Vec<StaticPage>>> + Send;
    fn update_page(
        &self,
        id: PageId,
        changed: &NewPage,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<StaticPage>> + Send;
}

pub trait SettingsStore {
    /// The stored settings, or the defaults when none were saved yet.
    fn settings(&self) -> impl Future<Output = StoreResult<EditorialSettings>> + Send;
    fn save_settings(&self, settings: &EditorialSettings) -> impl Future<Output = StoreResult<()>> + Send;
    fn home_curation(&self) -> impl Future<Output = StoreResult<HomeCuration>> + Send;
    fn save_home_curation(&self, curation: &HomeCuration) -> impl Future<Output = StoreResult<()>> + Send;
}

pub trait UserStore {
    /// Stores a user; an e-mail address already in use is a `Conflict`.
    fn insert_user(&self, new: &NewUser, now: Timestamp) -> impl Future<Output = StoreResult<User>> + Send;
    /// The user with this (normalized) e-mail and their password hash, for signing in.
    fn user_with_password_hash(&self, email: &str) -> impl Future<Output = StoreResult<(User, Option<String>)>> + Send;
    fn user_by_id(&self, id: UserId) -> impl Future<Output = StoreResult<User>> + Send;
    /// Replaces the password hash and ends the user's sessions.
    fn set_password_hash(&self, id: UserId, hash: &str) -> impl Future<Output = StoreResult<()>> + Send;
    fn users(&self) -> impl Future<Output = StoreResult<Vec<User>>> + Send;
    /// Says which author the account writes as (none: it writes under no byline).
    fn set_user_author(&self, id: UserId, author: Option<AuthorId>) -> impl Future<Output = StoreResult<User>> + Send;
}

pub trait SessionStore {
    fn insert_session(
        &self,
        token_digest: &str,
        user: UserId,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The live session with this token digest; expired or unknown ones are `NotFound`.
    fn session(&self, token_digest: &str, now: Timestamp) -> impl Future<Output = StoreResult<Session>> + Send;
    fn delete_session(&self, token_digest: &str) -> impl Future<Output = StoreResult<()>> + Send;
    fn delete_expired_sessions(&self, now: Timestamp) -> impl Future<Output = StoreResult<u64>> + Send;
}

/// Keys for the write API (see `accounts::ApiKey`).
pub trait ApiKeyStore {
    /// Stores a key and the account it acts as, in one transaction; a name already in use is
    /// a `Conflict`.
    fn insert_api_key(
        &self,
        name: &str,
        role: crate::accounts::Role,
        token_digest: &str,
        expires_at: Option<Timestamp>,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<crate::accounts::ApiKey>> + Send;
    /// The key with this token digest, revoked or not; `NotFound` for none.
    fn api_key_by_digest(
        &self,
        token_digest: &str,
    ) -> impl Future<Output = StoreResult<crate::accounts::ApiKey>> + Send;
    /// Every key, newest first.
    fn api_keys(&self) -> impl Future<Output = StoreResult<Vec<crate::accounts::ApiKey>>> + Send;
    /// Revokes the key of this name from `now` on (a key revoked already stays as it was).
    fn revoke_api_key(
        &self,
        name: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<crate::accounts::ApiKey>> + Send;
    /// Notes that the key was used at `now` (kept to the minute: not a write per request).
    fn note_api_key_use(&self, id: i64, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
}

/// Full-text search over the archive; the index changes in the same transaction as the story.
pub trait SearchStore {
    fn search(
        &self,
        query: &crate::search::SearchQuery,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<crate::search::SearchResults>> + Send;
    /// How many stories match (within the query's filters and visibility), counted up to
    /// `up_to`: cheaper than a search when only "enough or not" or "more or fewer" matters.
    fn count_matches(
        &self,
        query: &crate::search::SearchQuery,
        now: Timestamp,
        up_to: u64,
    ) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Which of `words` some story has used, as far as the archive's vocabulary knows (a word
    /// stays known after the story that used it changes).
    fn known_words(&self, words: &[String]) -> impl Future<Output = StoreResult<Vec<String>>> + Send;
}

/// Everything the program needs of its database.
pub trait Store:
    SectionStore
    + ApiKeyStore
    + crate::webhooks::WebhookStore
    + crate::syndication::PartnerStore
    + crate::moving_in::LegacyPathStore
    + crate::live::LiveStore
    + crate::newsletters::NewsletterStore
    + crate::podcasts::PodcastStore
    + crate::video::VideoStore
    + AuthorStore
    + TopicStore
    + MediaStore
    + ArticleStore
    + PageStore
    + SettingsStore
    + UserStore
    + SessionStore
    + SearchStore
    + crate::wire::WireStore
    + crate::planning::PlanStore
    + Clone
    + Send
    + Sync
    + 'static
{
    /// Answers only when the database does: what `/healthz` asks.
    fn ping(&self) -> impl Future<Output = StoreResult<()>> + Send;

    /// Takes or renews the lease on a background job until `until`, so that of several
    /// instances sharing the database one does the job: true when `holder` has it now (it was
    /// free, had run out, or was `holder`'s already).
    fn take_lease(
        &self,
        job: &str,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
}
