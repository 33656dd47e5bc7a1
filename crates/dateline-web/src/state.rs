//! What every handler can reach: the store, the theme, the intake, the clock, the view
//! counters and the caches. `AppState` is a container: it hands these out, and the rules of
//! what to remember, keep or forget live in the modules that own them (`remembered`,
//! `page_cache`, `view_counts`).

use crate::page_cache::PageCache;
use crate::remembered::Remembered;
pub use crate::settings::WebSettings;
use crate::view_counts::ViewCounter;
use dateline_render::Theme;
use dateline_storage::SqlStore;
use jiff::Timestamp;
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
    settings: WebSettings,
    clock: Clock,
    views: ViewCounter,
    sign_in_throttle: crate::throttle::SignInThrottle,
    sign_up_throttle: crate::throttle::SignUpThrottle,
    page_cache: Option<PageCache>,
    /// The operator's CDN purge hook, called by the outbox worker only.
    purge_hook: Option<crate::purge::PurgeHook>,
    /// Photos and agency copy coming in (shared with the watched folders).
    intake: dateline_intake::Intake,
    render_work: crate::render_work::RenderWork,
    remembered: Remembered,
    metrics: crate::metrics::Metrics,
    api_rate: crate::throttle::ApiRate,
    live_channels: crate::live_channels::LiveChannels,
}

impl AppState {
    pub fn new(store: SqlStore, theme: Theme, settings: WebSettings, clock: Clock) -> Self {
        let page_cache =
            (settings.page_cache_bytes > 0).then(|| PageCache::new(settings.page_cache_bytes, settings.side_lists_lag));
        let purge_hook = settings.purge_url.clone().map(crate::purge::PurgeHook::new);
        let remembered = Remembered::new(store.subscribe_changes(), store.changes_announced());
        let image_work = dateline_media::ImageWork::new(
            dateline_media::UploadLimits { max_bytes: settings.max_image_bytes, max_pixels: settings.max_image_pixels },
            settings.image_workers,
        )
        .with_trust_anchors(settings.content_credentials_trust.clone());
        let blobs = match &settings.object_media {
            Some(bucket) => dateline_media::Blobs::Object(bucket.clone()),
            None => dateline_media::Blobs::Local(dateline_media::LocalBlobs::new(&settings.media_root)),
        };
        let settings_api_rate = settings.api_requests_per_minute;
        let intake = dateline_intake::Intake::new(store.clone(), blobs, image_work, settings.ingest.clone());
        let inner = Inner {
            render_work: Default::default(),
            purge_hook,
            intake,
            store,
            theme,
            settings,
            clock,
            views: ViewCounter::default(),
            sign_in_throttle: Default::default(),
            sign_up_throttle: Default::default(),
            page_cache,
            remembered,
            metrics: Default::default(),
            api_rate: crate::throttle::ApiRate::new(settings_api_rate),
            live_channels: Default::default(),
        };
        AppState { inner: Arc::new(inner) }
    }

    /// Where long story bodies become HTML, off the readers' threads.
    pub(crate) fn render_work(&self) -> &crate::render_work::RenderWork {
        &self.inner.render_work
    }

    /// Where photos and agency copy are taken in: the same for the desk, the wire endpoint
    /// and the binary's watched folders.
    pub fn intake(&self) -> &dateline_intake::Intake {
        &self.inner.intake
    }

    pub fn settings(&self) -> &WebSettings {
        &self.inner.settings
    }

    pub(crate) fn sign_up_throttle(&self) -> &crate::throttle::SignUpThrottle {
        &self.inner.sign_up_throttle
    }

    pub(crate) fn sign_in_throttle(&self) -> &crate::throttle::SignInThrottle {
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

    /// Looks at "Most Popular" afresh (see `Remembered::refresh_popular`).
    pub async fn refresh_popular(&self) -> Result<(), dateline_newsroom::StoreError> {
        self.inner.remembered.refresh_popular(&self.inner.store, self.now(), self.inner.page_cache.as_ref()).await
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

    /// Ends the readers' live streams, so that a stopping server does not wait out its grace
    /// period on them: their browsers reconnect elsewhere and catch up.
    pub fn end_live_streams(&self) {
        self.inner.live_channels.close_all();
    }

    /// Who follows which live story on this instance.
    pub(crate) fn live_channels(&self) -> &crate::live_channels::LiveChannels {
        &self.inner.live_channels
    }

    pub(crate) fn purge_hook(&self) -> Option<&crate::purge::PurgeHook> {
        self.inner.purge_hook.as_ref()
    }

    pub(crate) fn remembered(&self) -> &Remembered {
        &self.inner.remembered
    }

    /// How many requests each write-API key may make a minute.
    pub(crate) fn api_rate(&self) -> &crate::throttle::ApiRate {
        &self.inner.api_rate
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
    pub fn blobs(&self) -> &dateline_media::Blobs {
        self.inner.intake.blobs()
    }

    pub fn now(&self) -> Timestamp {
        (self.inner.clock)()
    }
}
