//! What every handler can reach: the store, the theme, the media folder, the clock and the
//! view counters.

use crate::page_cache::PageCache;
use crate::remembered::Remembered;
use crate::views::ViewCounter;
use dateline_newsroom::ArticleStore;
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
    /// Media in an S3-compatible bucket instead of `media_root`.
    pub object_media: Option<dateline_media::ObjectBlobs>,
    /// Session cookies are marked `Secure` when readers reach the paper over HTTPS.
    pub secure_cookies: bool,
    /// Proxies (network, prefix length) whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<(IpAddr, u8)>,
    /// Largest image upload accepted, in bytes.
    pub max_image_bytes: u64,
    /// Most pixels an image may declare; refused from its header before any decode.
    pub max_image_pixels: u64,
    /// Images decoded or resized at once (the memory bound of image work; see `ImageWork`).
    pub image_workers: usize,
    /// Upper bound of the rendered-page cache, in bytes; 0 switches it off.
    pub page_cache_bytes: usize,
    /// Called with the keys of pages to drop whenever content changes (see `purge.rs`).
    pub purge_url: Option<String>,
    /// Write one log line per request.
    pub access_log: bool,
    /// Networks (address, prefix length) whose clients may read `/metrics`.
    pub metrics_allow: Vec<(IpAddr, u8)>,
    /// Limits on wire deliveries.
    pub ingest: crate::wire::IngestSettings,
    /// Timeouts and the connection cap (see `serve.rs`).
    pub connections: crate::serve::ConnectionLimits,
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
    page_cache: Option<PageCache>,
    /// The operator's CDN purge hook, called by the outbox worker only.
    purge_hook: Option<crate::purge::PurgeHook>,
    image_work: dateline_media::ImageWork,
    render_work: crate::render_work::RenderWork,
    remembered: Remembered,
    metrics: crate::metrics::Metrics,
    /// The stories "Most Popular" showed when last looked at.
    popular: std::sync::Mutex<Vec<dateline_newsroom::ArticleId>>,
}

impl AppState {
    pub fn new(store: SqlStore, theme: Theme, settings: WebSettings, clock: Clock) -> Self {
        let page_cache = (settings.page_cache_bytes > 0).then(|| PageCache::new(settings.page_cache_bytes));
        let purge_hook = settings.purge_url.clone().map(crate::purge::PurgeHook::new);
        let remembered = Remembered::new(store.subscribe_changes());
        let image_work = dateline_media::ImageWork::new(
            dateline_media::UploadLimits { max_bytes: settings.max_image_bytes, max_pixels: settings.max_image_pixels },
            settings.image_workers,
        );
        let inner = Inner {
            render_work: Default::default(),
            purge_hook,
            image_work,
            store,
            theme,
            settings,
            clock,
            views: ViewCounter::default(),
            sign_in_throttle: Default::default(),
            page_cache,
            remembered,
            metrics: Default::default(),
            popular: Default::default(),
        };
        AppState { inner: Arc::new(inner) }
    }

    /// Where long story bodies become HTML, off the readers' threads.
    pub(crate) fn render_work(&self) -> &crate::render_work::RenderWork {
        &self.inner.render_work
    }

    /// Where every image is checked and resized, a bounded number at once.
    pub(crate) fn image_work(&self) -> &dateline_media::ImageWork {
        &self.inner.image_work
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
        let flushed = self.inner.views.flush(&self.inner.store, self.now()).await?;
        self.refresh_popular().await?;
        Ok(flushed)
    }

    /// Looks at "Most Popular" afresh and, when its stories or their order changed, drops
    /// the kept pages (every reader page shows the list). The list changes only as views are
    /// flushed or the window moves on, so pages stay kept between the server's flushes.
    pub async fn refresh_popular(&self) -> Result<(), dateline_newsroom::StoreError> {
        let now = self.now();
        let popular: Vec<_> = self
            .inner
            .store
            .most_viewed(now, now - crate::site::chrome::POPULAR_WINDOW, crate::site::chrome::MOST_POPULAR)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let changed = match self.inner.popular.lock() {
            Ok(mut shown) if *shown != popular => {
                *shown = popular;
                true
            }
            _ => false,
        };
        if changed {
            self.inner.remembered.forget_lists();
            if let Some(cache) = &self.inner.page_cache {
                cache.purge(&[crate::page_cache::tag::POPULAR.to_owned()]);
            }
        }
        Ok(())
    }

    /// Applies the store's changes announced since the last call (see `remembered.rs`).
    pub(crate) fn catch_up(&self) {
        self.inner.remembered.catch_up(self.inner.page_cache.as_ref());
    }

    /// Applies every change the moment it is announced (this instance's writes as they
    /// commit, other instances' as their notices arrive), without waiting for a reader's
    /// request, until the program stops. Run it once per process, beside the server.
    pub async fn follow_changes(self) {
        let mut wake = self.inner.store.subscribe_changes();
        loop {
            match wake.recv().await {
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => self.catch_up(),
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    pub(crate) fn purge_hook(&self) -> Option<&crate::purge::PurgeHook> {
        self.inner.purge_hook.as_ref()
    }

    pub(crate) fn remembered(&self) -> &Remembered {
        &self.inner.remembered
    }

    /// Counters for `/metrics`; the server's background jobs count themselves here.
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.inner.metrics
    }

    /// The rendered-page cache, unless the operator switched it off.
    pub fn page_cache(&self) -> Option<&PageCache> {
        self.inner.page_cache.as_ref()
    }

    pub fn store(&self) -> &SqlStore {
        &self.inner.store
    }

    pub fn theme(&self) -> &Theme {
        &self.inner.theme
    }

    /// Where media files are kept: the bucket when one is configured, else the local folder.
    pub fn blobs(&self) -> dateline_media::Blobs {
        match &self.inner.settings.object_media {
            Some(bucket) => dateline_media::Blobs::Object(bucket.clone()),
            None => dateline_media::Blobs::Local(dateline_media::LocalBlobs::new(&self.inner.settings.media_root)),
        }
    }

    pub fn now(&self) -> Timestamp {
        (self.inner.clock)()
    }
}
