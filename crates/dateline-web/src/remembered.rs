//! What this instance remembers between requests, and how the store's changes reach it.
//!
//! Every reader page draws the same frame: the paper's settings, its sections, its static
//! pages, "Latest News" and "Most Popular". They change rarely, so they are read once and
//! remembered until a change says otherwise. The store's changes (this instance's and, on
//! PostgreSQL, the other instances') are drained before each use ([`Remembered::catch_up`]),
//! so an editor's change shows on the very next request; the same drain passes each change
//! to the page cache. The frame's template values are kept too ([`DrawnFrame`]), drawn anew
//! whenever the frame or the lists are read afresh or the date line moves on. Authors and photos met on pages are remembered too, each until a change
//! to it, up to [`MOST_REMEMBERED`] of each.

use crate::page_cache::PageCache;
use dateline_newsroom::{
    ArticleId, ArticleStore, ArticleSummary, Author, AuthorId, Change, EditorialSettings, Media, MediaId, Section,
    StaticPage, StoreError,
};
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::broadcast;

/// Stories in "Latest News".
pub(crate) const LATEST_NEWS: u32 = 10;
/// Stories in "Most Popular".
pub(crate) const MOST_POPULAR: u32 = 5;
/// "Most Popular" ranks by views over this trailing window.
pub(crate) const POPULAR_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The paper's frame, as stored.
pub(crate) struct FrameParts {
    pub settings: EditorialSettings,
    pub sections: Vec<Section>,
    pub pages: Vec<StaticPage>,
}

/// "Latest News" and "Most Popular", as last read.
pub(crate) struct Lists {
    pub latest: Vec<ArticleSummary>,
    pub popular: Vec<ArticleSummary>,
}

/// The frame's template values as last drawn, and what they were drawn from: drawn again
/// when the frame or the lists are read afresh, or the date line moves on.
pub(crate) struct DrawnFrame {
    pub frame: Arc<FrameParts>,
    pub lists: Arc<Lists>,
    pub date_line: String,
    pub date_line_iso: String,
    pub drawn: dateline_render::Prepared,
}

/// Authors or photos remembered at most; past it the memory starts again from empty.
const MOST_REMEMBERED: usize = 10_000;

pub(crate) struct Remembered {
    changes: Mutex<broadcast::Receiver<Change>>,
    /// How many changes the store has told so far, and how many had been told when this last
    /// caught up: equal, and there is nothing to drain (checked without any lock).
    announced: dateline_storage::ChangesAnnounced,
    caught_up_to: AtomicU64,
    frame: RwLock<Option<Arc<FrameParts>>>,
    lists: RwLock<Option<Arc<Lists>>>,
    drawn_frame: RwLock<Option<DrawnFrame>>,
    authors: RwLock<HashMap<AuthorId, Author>>,
    media: RwLock<HashMap<MediaId, Media>>,
    /// The stories "Most Popular" showed when last looked at, in order.
    popular: Mutex<Vec<ArticleId>>,
    /// Bumped whenever something is forgotten: what was read before a change must not be
    /// remembered after it.
    generation: AtomicU64,
}

impl Remembered {
    pub fn new(changes: broadcast::Receiver<Change>, announced: dateline_storage::ChangesAnnounced) -> Self {
        Remembered {
            changes: Mutex::new(changes),
            announced,
            caught_up_to: AtomicU64::new(0),
            frame: RwLock::default(),
            lists: RwLock::default(),
            drawn_frame: RwLock::default(),
            authors: RwLock::default(),
            media: RwLock::default(),
            popular: Mutex::default(),
            generation: AtomicU64::new(0),
        }
    }

    /// Looks at "Most Popular" afresh and, when its stories or their order changed, forgets
    /// the lists and tells the page cache (the home page is rendered again, other pages within
    /// the side lists' lag). The list changes only as views are saved or the window moves on,
    /// so the server calls this after each save of the counted views.
    pub async fn refresh_popular(
        &self,
        store: &impl ArticleStore,
        now: Timestamp,
        cache: Option<&PageCache>,
    ) -> Result<(), StoreError> {
        let popular: Vec<ArticleId> =
            store.most_viewed(now, now - POPULAR_WINDOW, MOST_POPULAR).await?.into_iter().map(|s| s.id).collect();
        let changed = match self.popular.lock() {
            Ok(mut shown) if *shown != popular => {
                *shown = popular;
                true
            }
            _ => false,
        };
        if changed {
            self.forget_lists();
            if let Some(cache) = cache {
                cache.purge(&[crate::page_cache::tag::POPULAR.to_owned()]);
            }
        }
        Ok(())
    }

    /// Applies every change announced since the last call, here and in the page cache.
    pub fn catch_up(&self, cache: Option<&PageCache>) {
        // Read before draining: every change this counts is in the channel by now, and one
        // told meanwhile is drained too or counted for the next call.
        let announced = self.announced.count();
        if announced == self.caught_up_to.load(Ordering::Acquire) {
            return;
        }
        let mut pending = Vec::new();
        if let Ok(mut changes) = self.changes.lock() {
            loop {
                match changes.try_recv() {
                    Ok(change) => pending.push(change),
                    // Changes were missed: anything may have changed.
                    Err(broadcast::error::TryRecvError::Lagged(_)) => pending.push(Change::Everything),
                    Err(_) => break,
                }
            }
        }
        for change in pending {
            self.forget(&change);
            if let Some(cache) = cache {
                cache.apply(&change);
            }
        }
        self.caught_up_to.fetch_max(announced, Ordering::AcqRel);
    }

    fn forget(&self, change: &Change) {
        match change {
            Change::Story { before, after, .. } if before.is_some() || after.is_some() => self.forget_lists(),
            Change::Author(id) => {
                self.generation.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut authors) = self.authors.write() {
                    authors.remove(id);
                }
            }
            Change::Media(id) => {
                self.generation.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut media) = self.media.write() {
                    media.remove(id);
                }
            }
            Change::Story { .. }
            | Change::Topic(_)
            | Change::HomeCuration
            | Change::Live { .. }
            | Change::Podcast(_) => {}
            Change::Sections | Change::Pages | Change::Settings | Change::Everything => {
                self.generation.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut frame) = self.frame.write() {
                    *frame = None;
                }
                if let Ok(mut authors) = self.authors.write() {
                    authors.clear();
                }
                if let Ok(mut media) = self.media.write() {
                    media.clear();
                }
                self.forget_lists();
            }
        }
    }

    pub fn forget_lists(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut lists) = self.lists.write() {
            *lists = None;
        }
    }

    pub fn frame(&self) -> Option<Arc<FrameParts>> {
        self.frame.read().ok().and_then(|f| f.clone())
    }

    /// Where things stand; pass it back to `remember_*` with what was read after it.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn remember_frame(&self, frame: Arc<FrameParts>, read_in: u64) {
        if let Ok(mut slot) = self.frame.write() {
            if self.generation() == read_in {
                *slot = Some(frame);
            }
        }
    }

    /// The frame's template values, when drawn from exactly this frame and these lists with
    /// this date line.
    pub fn drawn_frame(
        &self,
        frame: &Arc<FrameParts>,
        lists: &Arc<Lists>,
        date_line: (&str, &str),
    ) -> Option<dateline_render::Prepared> {
        let drawn = self.drawn_frame.read().ok()?;
        drawn
            .as_ref()
            .filter(|d| Arc::ptr_eq(&d.frame, frame) && Arc::ptr_eq(&d.lists, lists))
            .filter(|d| (d.date_line.as_str(), d.date_line_iso.as_str()) == date_line)
            .map(|d| d.drawn.clone())
    }

    pub fn remember_drawn_frame(&self, drawn: DrawnFrame) {
        if let Ok(mut slot) = self.drawn_frame.write() {
            *slot = Some(drawn);
        }
    }

    pub fn lists(&self) -> Option<Arc<Lists>> {
        self.lists.read().ok().and_then(|l| l.clone())
    }

    pub fn remember_lists(&self, lists: Arc<Lists>, read_in: u64) {
        if let Ok(mut slot) = self.lists.write() {
            if self.generation() == read_in {
                *slot = Some(lists);
            }
        }
    }

    /// The remembered ones among `ids`, and the ids still to be read.
    pub fn authors(&self, ids: &[AuthorId]) -> (Vec<Author>, Vec<AuthorId>) {
        known(&self.authors, ids)
    }

    pub fn remember_authors(&self, found: &[Author], read_in: u64) {
        remember(&self.authors, found.iter().map(|a| (a.id, a.clone())), self, read_in);
    }

    pub fn media(&self, ids: &[MediaId]) -> (Vec<Media>, Vec<MediaId>) {
        known(&self.media, ids)
    }

    pub fn remember_media(&self, found: &[Media], read_in: u64) {
        remember(&self.media, found.iter().map(|m| (m.id, m.clone())), self, read_in);
    }
}

fn known<K: Copy + Eq + std::hash::Hash, V: Clone>(memory: &RwLock<HashMap<K, V>>, ids: &[K]) -> (Vec<V>, Vec<K>) {
    let Ok(memory) = memory.read() else { return (Vec::new(), ids.to_vec()) };
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match memory.get(id) {
            Some(value) => found.push(value.clone()),
            None => missing.push(*id),
        }
    }
    (found, missing)
}

fn remember<K: Eq + std::hash::Hash, V>(
    memory: &RwLock<HashMap<K, V>>,
    found: impl Iterator<Item = (K, V)>,
    remembered: &Remembered,
    read_in: u64,
) {
    let Ok(mut memory) = memory.write() else { return };
    if remembered.generation() != read_in {
        return;
    }
    if memory.len() > MOST_REMEMBERED {
        memory.clear();
    }
    memory.extend(found);
}
