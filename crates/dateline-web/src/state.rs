//! What every handler can reach: the store, the theme, the media folder, the clock and the
//! view counters.

use crate::views::ViewCounter;
use dateline_render::Theme;
use dateline_storage::SqlStore;
use jiff::Timestamp;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// What the web layer needs of the operator's configuration.
#[derive(Debug, Clone, Default)]
pub struct WebSettings {
    /// The address readers use (`https://news.example`), for absolute links in feeds,
    /// sitemaps, canonical links and structured data.
    pub public_url: String,
    /// Where local media files live.
    pub media_root: PathBuf,
    /// Session cookies are marked `Secure` when readers reach the paper over HTTPS.
    pub secure_cookies: bool,
    /// Proxies (network, prefix length) whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<(IpAddr, u8)>,
    /// Largest image upload accepted, in bytes.
    pub max_image_bytes: u64,
}

/// The clock, read in one place so tests can fix "now".
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: SqlStore,
    theme: Theme,
    settings: WebSettings,
    clock: Clock,
    views: ViewCounter,
    sign_in_throttle: crate::desk::throttle::SignInThrottle,
}

impl AppState {
    pub fn new(store: SqlStore, theme: Theme, settings: WebSettings, clock: Clock) -> Self {
        let inner = Inner {
            store,
            theme,
            settings,
            clock,
            views: ViewCounter::default(),
            sign_in_throttle: Default::default(),
        };
        AppState { inner: Arc::new(inner) }
    }

    pub fn settings(&self) -> &WebSettings {
        &self.inner.settings
    }

    pub(crate) fn sign_in_throttle(&self) -> &crate::desk::throttle::SignInThrottle {
        &self.inner.sign_in_throttle
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
        &self.inner.settings.media_root
    }

    pub fn now(&self) -> Timestamp {
        (self.inner.clock)()
    }
}
