//! What every handler can reach: the store, the theme, the media folder and the clock.

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
}

impl AppState {
    pub fn new(store: SqlStore, theme: Theme, media_root: PathBuf, clock: Clock) -> Self {
        AppState { inner: Arc::new(Inner { store, theme, media_root, clock }) }
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
