//! What the web layer takes from the operator's configuration (the binary reads the file and
//! the environment and fills these in).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use dateline_intake::IngestSettings;

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
    /// The roots whose Content Credentials signers readers are shown (none: no signer is).
    pub content_credentials_trust: dateline_media::credentials::TrustAnchors,
    /// Upper bound of the rendered-page cache, in bytes; 0 switches it off.
    pub page_cache_bytes: usize,
    /// How long a kept page may show the side lists as they were after they changed (see
    /// `page_cache::PageCache::purge`).
    pub side_lists_lag: Duration,
    /// Called with the keys of pages to drop whenever content changes (see `purge.rs`).
    pub purge_url: Option<String>,
    /// Write one log line per request.
    pub access_log: bool,
    /// Networks (address, prefix length) whose clients may read `/metrics`.
    pub metrics_allow: Vec<(IpAddr, u8)>,
    /// Limits on wire deliveries.
    pub ingest: IngestSettings,
    /// Webhooks may be sent to loopback, private and link-local addresses (an intranet
    /// receiver, a test); refused otherwise.
    pub webhooks_allow_private: bool,
    /// Requests a write-API key may make a minute (0: the default, 600).
    pub api_requests_per_minute: u32,
    /// Timeouts and the connection cap (see `serve.rs`).
    pub connections: crate::serve::ConnectionLimits,
    /// Where newsletters leave, and how fast.
    pub mail: MailSettings,
}

/// The host of the address readers use (`news.example` of `https://news.example/`): the name
/// the paper gives its mail relay, and the right-hand side of its message ids and list ids.
pub fn public_host(public_url: &str) -> &str {
    public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|host| !host.is_empty())
        .unwrap_or("localhost")
}

/// The newsletters' relay, signing key and pace (`[mail]` in the operator's file).
#[derive(Clone)]
pub struct MailSettings {
    /// None: no mail is sent (the sign-up form says so; editions wait).
    pub relay: Option<dateline_mail::smtp::Relay>,
    pub dkim: Option<std::sync::Arc<dateline_mail::dkim::DkimKey>>,
    /// 0: as fast as the relay takes them.
    pub messages_per_second: u32,
    pub connections: usize,
    pub suppress_after_failures: i64,
    /// The `mailto:` of `List-Unsubscribe`; none: the newsletter's sender address.
    pub unsubscribe_address: Option<String>,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            relay: None,
            dkim: None,
            messages_per_second: 0,
            connections: 4,
            suppress_after_failures: 3,
            unsubscribe_address: None,
        }
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("relay", &self.relay.as_ref().map(|r| &r.address))
            .field("dkim", &self.dkim.is_some())
            .field("messages_per_second", &self.messages_per_second)
            .field("connections", &self.connections)
            .finish_non_exhaustive()
    }
}
