//! What every handler can reach: the store, the theme, the media folder, the clock and the
//! view counters.

use crate::views::ViewCounter;
use dateline_render::Theme;
use dateline_storage::SqlStore;
use jiff::Timestamp;
use std::path::PathBuf;
use std::sync::Arc;

/// The clock, read in one place so tests can fix "now".
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: SqlStore,
    theme: Theme,
    media_root: PathBuf,
    clock: Clock,
    views: ViewCounter,
}

impl AppState {
    pub fn new(store: SqlStore, theme: Theme, media_root: PathBuf, clock: Clock) -> Self {
        AppState { inner: Arc::new(Inner { store, theme, media_root, clock, views: ViewCounter::default() }) }
    }

    pub fn views(&self) -> &ViewCounter {
        &self.inner.views
    }

    /// Writes the views counted so far to the database; the server calls it on a timer and at
    /// shutdown.
    pub async fn flush_views(&self) -> Result<usize, dateline_newsroom::StoreError> {
        self.inner.views.flush(&self.inner.store).await
    }

    pub fn store(&self) -> &SqlStore {
        &self.inner.store
    }

    pub fn theme(&self) -> &Theme {
        &self.inner.theme
    }

    pub fn media_root(&self) -> &std::path::Path {
        &self.inner.media_root
    }

    pub fn now(&self) -> Timestamp {
        (self.inner.clock)()
    }
}
