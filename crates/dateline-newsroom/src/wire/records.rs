//! What the paper keeps of each agency item (the last version taken, the story or photo made
//! of it, a newer version waiting for the desk), and the store that keeps it.

use super::{NewWireSource, WireCopy, WireSource, WireStatus};
use crate::article::{ArticleStatus, ArticleUpdate, NewArticle};
use crate::ids::{ArticleId, MediaId, WireSourceId};
use crate::store::{StoreResult, Window};
use jiff::Timestamp;
use std::future::Future;

/// What the paper made of one agency item, and the last version it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireItem {
    pub source_id: WireSourceId,
    pub guid: String,
    pub version: i64,
    pub version_created: Option<Timestamp>,
    pub status: WireStatus,
    pub embargo_until: Option<Timestamp>,
    pub article_id: Option<ArticleId>,
    pub media_id: Option<MediaId>,
    /// A digest of the story's content as Dateline last wrote it from the agency's copy: when
    /// the story's content no longer matches, someone on the desk changed it.
    pub taken_digest: Option<String>,
    /// A newer version held back because the desk had changed the story.
    pub pending: Option<WireCopy>,
    /// What the desk should know: a photo that could not be had, a kill.
    pub note: Option<String>,
    pub received_at: Timestamp,
}

impl WireItem {
    /// A picture item whose image could not be had: it made neither a photo nor a story and
    /// was not a kill, so the same version delivered again with its image completes it.
    pub fn waits_for_rendition(&self) -> bool {
        self.article_id.is_none() && self.media_id.is_none() && !self.status.is_kill() && self.pending.is_none()
    }
}

/// One line of the desk's wire queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireQueueEntry {
    pub item: WireItem,
    pub source_name: String,
    pub headline: String,
    pub story_status: Option<ArticleStatus>,
}

/// The story side of an arrival, written with the item in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryWrite {
    None,
    Insert(Box<NewArticle>),
    Update(Box<ArticleUpdate>),
}

/// A delivery an agency made that the paper could not take (not a document of the source's
/// format, a broken one, too large…): kept so the desk sees when a feed is failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRefusal {
    pub source_id: WireSourceId,
    pub source_name: String,
    pub refused_at: Timestamp,
    /// How it came: `a delivery over HTTP`, or the file's name in a watched folder.
    pub delivery: String,
    pub reason: String,
}

/// How long refused deliveries are kept: a month tells whether a feed is failing.
pub const REFUSALS_KEPT_DAYS: i64 = 30;

/// Everything one arrival writes: the item's record and the story, together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireArrival {
    pub item: WireItem,
    pub story: StoryWrite,
}

pub trait WireStore {
    fn insert_wire_source(&self, new: &NewWireSource) -> impl Future<Output = StoreResult<WireSource>> + Send;
    fn update_wire_source(&self, source: &WireSource) -> impl Future<Output = StoreResult<WireSource>> + Send;
    fn wire_sources(&self) -> impl Future<Output = StoreResult<Vec<WireSource>>> + Send;
    fn wire_source_by_slug(&self, slug: &str) -> impl Future<Output = StoreResult<WireSource>> + Send;
    fn wire_item(&self, source: WireSourceId, guid: &str)
        -> impl Future<Output = StoreResult<Option<WireItem>>> + Send;
    fn wire_item_of_article(&self, id: ArticleId) -> impl Future<Output = StoreResult<Option<WireItem>>> + Send;
    /// Newest first; one source or all.
    fn wire_queue(
        &self,
        source: Option<WireSourceId>,
        window: Window,
    ) -> impl Future<Output = StoreResult<Vec<WireQueueEntry>>> + Send;
    /// Keeps a refused delivery (`source_name` is not read), and forgets those of the source
    /// older than [`REFUSALS_KEPT_DAYS`].
    fn record_wire_refusal(&self, refusal: &WireRefusal) -> impl Future<Output = StoreResult<()>> + Send;
    /// When each source's latest delivery was taken (sources that never delivered are left out).
    fn latest_wire_arrivals(&self) -> impl Future<Output = StoreResult<Vec<(WireSourceId, Timestamp)>>> + Send;
    /// Refused deliveries, newest first; one source or all.
    fn wire_refusals(
        &self,
        source: Option<WireSourceId>,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<WireRefusal>>> + Send;
    /// Writes the story change and the item's record in one transaction; the story's id
    /// (new or kept). A story update refused by its version check writes nothing.
    fn record_wire_arrival(&self, arrival: &WireArrival)
        -> impl Future<Output = StoreResult<Option<ArticleId>>> + Send;
}
