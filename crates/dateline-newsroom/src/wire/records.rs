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
    /// Writes the story change and the item's record in one transaction; the story's id
    /// (new or kept). A story update refused by its version check writes nothing.
    fn record_wire_arrival(&self, arrival: &WireArrival)
        -> impl Future<Output = StoreResult<Option<ArticleId>>> + Send;
}
