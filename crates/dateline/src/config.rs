//! Operator configuration: where the program listens, which database and folders it uses,
//! and its limits. Editorial settings (site name, masthead, time zone) are not here: they
//! live in the database and are edited on the desk.
//!
//! Layers, each overriding the one before: defaults, the TOML file (`--config`), `DATELINE_*`
//! environment variables (nested keys as `DATELINE_SECTION__KEY`; `…_FILE` reads a secret
//! from a file), then command-line flags. Every layer is checked on its own so that an
//! unknown key is reported with the place it came from. `dateline.example.toml` lists every
//! key; a test keeps it in step with this file.

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server binds to.
    pub listen: String,
    /// The address readers use, for canonical links, feeds and sitemaps; empty: the address
    /// the server listens on (see [`Config::public_url_for`]).
    pub public_url: String,
    /// `sqlite:PATH` or `postgres://USER@HOST/DATABASE`; empty means a SQLite file in the data folder.
    pub database_url: String,
    /// Where the SQLite database and local media live.
    pub data_dir: PathBuf,
    /// A folder whose `templates/` and `static/` files replace the default theme's, file by file.
    pub theme_dir: Option<PathBuf>,
    pub database: DatabaseConfig,
    pub media: MediaConfig,
    pub uploads: UploadConfig,
    pub cache: CacheConfig,
    pub metrics: MetricsConfig,
    pub api: ApiConfig,
    pub webhooks: WebhooksConfig,
    pub http: HttpConfig,
    pub log: LogConfig,
    pub ingest: IngestConfig,
    pub mail: MailConfig,
}

/// Newsletters: the SMTP relay they leave through, DKIM, and the pace of sending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The relay's `host:port` (a Postfix or a provider's SMTP endpoint); empty: no mail is
    /// sent, and the newsletters' sign-up form says so.
    pub relay: String,
    /// The name given in EHLO; empty: the host of `public_url`.
    pub helo_name: String,
    /// `none` (a relay on this host or network), `starttls` (port 587) or `tls` (port 465).
    pub tls: String,
    /// More roots to trust for the relay's certificate (a private CA's, PEM), beside the
    /// system's.
    pub tls_ca_file: Option<PathBuf>,
    /// The account to sign in to the relay with (AUTH PLAIN, only inside TLS); empty: none.
    pub username: String,
    /// Its password (`DATELINE_MAIL__PASSWORD_FILE` reads it from a file).
    pub password: String,
    /// The longest wait for any one answer of the relay.
    pub timeout_secs: u64,
    /// Messages sent a second at most, across all connections; 0: as fast as the relay takes.
    pub messages_per_second: u32,
    /// Connections to the relay used at once while an edition goes out.
    pub connections: usize,
    /// An address that refuses mail for good this many times is sent nothing more.
    pub suppress_after_failures: i64,
    /// Where the `mailto:` unsubscribe of `List-Unsubscribe` goes; empty: each newsletter's
    /// sender address. Mail there is read by people: the https one-click link is automatic.
    pub unsubscribe_address: String,
    /// DKIM: the signing domain (`d=`), the selector (`s=`) and the PEM private key file.
    pub dkim_domain: String,
    pub dkim_selector: String,
    pub dkim_key_file: Option<PathBuf>,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            relay: String::new(),
            helo_name: String::new(),
            tls: "none".into(),
            tls_ca_file: None,
            username: String::new(),
            password: String::new(),
            timeout_secs: 30,
            messages_per_second: 0,
            connections: 4,
            suppress_after_failures: 3,
            unsubscribe_address: String::new(),
            dkim_domain: String::new(),
            dkim_selector: String::new(),
            dkim_key_file: None,
        }
    }
}

/// Wire copy: watched folders and fetching remote photos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// The folder under which wire sources' watched folders live; none means no folders are
    /// watched. The desk names only a subfolder; it can never point elsewhere.
    pub root: Option<PathBuf>,
    /// Hosts a photo given only as a remote address may be fetched from.
    pub fetch_hosts: Vec<String>,
    pub fetch_timeout_secs: u64,
    pub fetch_max_bytes: u64,
    /// How often the watched folders are looked at.
    pub scan_interval_secs: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            root: None,
            fetch_hosts: Vec::new(),
            fetch_timeout_secs: 10,
            fetch_max_bytes: 20 * 1024 * 1024,
            scan_interval_secs: 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    pub max_connections: u32,
    /// Seconds a request waits for a free connection before answering 503.
    pub acquire_timeout_secs: u64,
    /// Seconds a statement waits for a lock held elsewhere (another process, a long
    /// transaction) before the request answers 503 with Retry-After.
    pub lock_timeout_secs: u64,
    /// Seconds a statement may run on PostgreSQL while serving, before it is cancelled and
    /// the request answers 503 (commands such as import and export have no such limit).
    pub statement_timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaStorage {
    /// Files in a folder on this server.
    Local,
    /// An S3-compatible bucket (`[media.s3]`), which several instances can share.
    S3,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    pub storage: MediaStorage,
    /// Folder for media files; empty means `media/` in the data folder.
    pub local_dir: Option<PathBuf>,
    /// The bucket, when `storage` is `s3`.
    pub s3: dateline_media::S3Settings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UploadConfig {
    /// Largest image file the desk accepts, in bytes.
    pub max_image_bytes: u64,
    /// Largest wire item accepted by ingest, in bytes.
    pub max_wire_item_bytes: u64,
    /// Largest podcast sound file the desk accepts, in bytes.
    pub max_audio_bytes: u64,
    /// Largest video file the desk accepts, in bytes.
    pub max_video_bytes: u64,
    /// Most pixels (width × height) an image may have; read from the file's header, so a
    /// small file declaring a huge picture is refused before it costs any memory.
    pub max_image_pixels: u64,
    /// Images decoded or resized at once; image memory stays under about
    /// `image_workers × max_image_pixels × 8` bytes however many arrive together.
    pub image_workers: usize,
    /// The formats photos' smaller copies are made in, in the background after an upload:
    /// `avif`, `webp` and `jpeg` (which must be among them: every browser and e-mail reads it).
    pub photo_formats: Vec<String>,
    /// A PEM file of the root certificates whose Content Credentials (C2PA) signers the paper
    /// trusts, for instance the agencies' and camera makers' roots; empty for none. Photos
    /// signed under them show readers a note naming the signer; others are reported to the
    /// desk only.
    pub content_credentials_trust: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Upper bound of the rendered-page cache, in megabytes; 0 renders every request.
    pub page_cache_mb: u64,
    /// Called (POST, JSON) with the surrogate keys of pages to purge when content changes.
    pub purge_url: Option<String>,
    /// How long a kept page may go on showing "Latest News" and "Most Popular" as they were
    /// after they changed, in seconds (the page's own story, section and bylines change it at
    /// once); 0 drops every page with the lists whenever they change.
    pub side_lists_lag_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Addresses (or CIDR ranges) of clients that may read `/metrics`.
    pub allow: Vec<String>,
}

/// Webhooks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksConfig {
    /// Let webhooks reach loopback, private and link-local addresses (refused by default, so
    /// an endpoint cannot be pointed at the paper's own network).
    pub allow_private_addresses: bool,
}

/// The write API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Requests each key may make a minute; more answer 429 with `Retry-After`.
    pub requests_per_minute: u32,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig { requests_per_minute: 600 }
    }
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig { allow: vec!["127.0.0.1/32".into(), "::1/128".into()] }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Addresses (or CIDR ranges) of reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: Vec<String>,
    /// A request's headers must arrive within this many seconds; an idle kept-alive
    /// connection is closed after as long.
    pub header_read_timeout_secs: u64,
    /// A whole request, body included, must be answered within this many seconds (else 408).
    pub request_timeout_secs: u64,
    /// Connections held at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// On shutdown, open requests get this many seconds to finish.
    pub shutdown_grace_secs: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        let limits = dateline_web::serve::ConnectionLimits::default();
        HttpConfig {
            trusted_proxies: Vec::new(),
            header_read_timeout_secs: limits.header_read_timeout.as_secs(),
            request_timeout_secs: limits.request_timeout.as_secs(),
            max_connections: limits.max_connections,
            shutdown_grace_secs: limits.shutdown_grace.as_secs(),
        }
    }
}

impl HttpConfig {
    pub fn connection_limits(&self) -> dateline_web::serve::ConnectionLimits {
        dateline_web::serve::ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(self.header_read_timeout_secs.max(1)),
            request_timeout: std::time::Duration::from_secs(self.request_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
            shutdown_grace: std::time::Duration::from_secs(self.shutdown_grace_secs),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A tracing filter such as `info` or `dateline=debug,sqlx=warn`.
    pub level: String,
    /// One line per request (method, route pattern, status, time), at `info`.
    pub access: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            public_url: String::new(),
            database_url: String::new(),
            data_dir: PathBuf::from("./dateline-data"),
            theme_dir: None,
            database: DatabaseConfig::default(),
            media: MediaConfig::default(),
            uploads: UploadConfig::default(),
            cache: CacheConfig::default(),
            metrics: MetricsConfig::default(),
            api: ApiConfig::default(),
            webhooks: WebhooksConfig::default(),
            http: HttpConfig::default(),
            log: LogConfig::default(),
            ingest: IngestConfig::default(),
            mail: MailConfig::default(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            max_connections: 10,
            acquire_timeout_secs: 5,
            lock_timeout_secs: 5,
            statement_timeout_secs: 30,
        }
    }
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig { storage: MediaStorage::Local, local_dir: None, s3: dateline_media::S3Settings::default() }
    }
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            max_image_bytes: 20 * 1024 * 1024,
            max_wire_item_bytes: 5 * 1024 * 1024,
            max_audio_bytes: dateline_media::audio::DEFAULT_MAX_AUDIO_BYTES as u64,
            max_video_bytes: dateline_media::video::DEFAULT_MAX_VIDEO_BYTES as u64,
            max_image_pixels: dateline_media::UploadLimits::DEFAULT_MAX_PIXELS,
            image_workers: 2,
            photo_formats: vec!["avif".into(), "webp".into(), "jpeg".into()],
            content_credentials_trust: String::new(),
        }
    }
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig { page_cache_mb: 256, purge_url: None, side_lists_lag_secs: 60 }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { format: LogFormat::Text, level: "info".into(), access: false }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("the config file {path} is not valid TOML: {reason}")]
    NotToml { path: PathBuf, reason: String },
    #[error("{place} has a setting Dateline does not know or cannot read: {reason}; see dateline.example.toml for every setting")]
    Invalid { place: String, reason: String },
    #[error("{0}")]
    Value(String),
}

/// Values given on the command line, which override everything else.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
}

/// Variables that belong to the test suite and the CI, not to the program's configuration.
const NOT_SETTINGS: &[&str] = &["DATELINE_CONFIG", "DATELINE_TEST_", "DATELINE_REQUIRE_"];

/// Settings that hold secrets and may be given as a path with a `_FILE` suffix.
const SECRET_KEYS: &[&str] = &["database_url", "mail__password"];

impl Config {
    /// Reads every layer. `environment` is the process environment (passed in so tests can
    /// give their own); `default_data_dir` differs between `serve` and `demo`.
    pub fn load(
        overrides: &Overrides,
        environment: &[(String, String)],
        default_data_dir: &Path,
    ) -> Result<Config, ConfigError> {
        let mut merged = toml::Table::new();
        merged.insert("data_dir".into(), toml::Value::String(default_data_dir.display().to_string()));

        if let Some(path) = &overrides.config_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ConfigError::Unreadable { path: path.clone(), reason: e.to_string() })?;
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError::NotToml {
                path: path.clone(),
                reason: e.message().to_owned(),
            })?;
            check_layer(&table, &format!("the config file {}", path.display()))?;
            merge(&mut merged, table);
        }

        let env_table = environment_layer(environment)?;
        check_layer(&env_table, "the environment (DATELINE_* variables)")?;
        merge(&mut merged, env_table);

        let mut flags = toml::Table::new();
        if let Some(dir) = &overrides.data_dir {
            flags.insert("data_dir".into(), toml::Value::String(dir.display().to_string()));
        }
        if let Some(url) = &overrides.database_url {
            flags.insert("database_url".into(), toml::Value::String(url.clone()));
        }
        if let Some(listen) = &overrides.listen {
            flags.insert("listen".into(), toml::Value::String(listen.clone()));
        }
        merge(&mut merged, flags);

        let config = Config::deserialize(toml::Value::Table(merged))
            .map_err(|e| ConfigError::Invalid { place: "the configuration".into(), reason: e.message().to_owned() })?;
        config.validate()?;
        Ok(config)
    }

    /// The address readers use: `public_url` when one is set, else the address the server
    /// is bound to (`http://127.0.0.1:18231` for `--listen 127.0.0.1:18231`; a server bound
    /// to every interface is named by its loopback address, the one address sure to reach it).
    pub fn public_url_for(&self, bound: SocketAddr) -> String {
        let configured = self.public_url.trim().trim_end_matches('/');
        if !configured.is_empty() {
            return configured.to_owned();
        }
        let host = match bound.ip() {
            std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.to_string(),
            std::net::IpAddr::V6(ip) if ip.is_unspecified() => format!("[{}]", std::net::Ipv6Addr::LOCALHOST),
            std::net::IpAddr::V4(ip) => ip.to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        };
        format!("http://{host}:{}", bound.port())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.listen.parse::<SocketAddr>().map_err(|_| {
            ConfigError::Value(format!("listen = {:?} is not an address and port such as 127.0.0.1:8080", self.listen))
        })?;
        let public_url = self.public_url.trim();
        if !(public_url.is_empty() || public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Value(format!(
                "public_url = {:?} must start with http:// or https://",
                self.public_url
            )));
        }
        for proxy in &self.http.trusted_proxies {
            if parse_cidr(proxy).is_none() {
                return Err(ConfigError::Value(format!(
                    "http.trusted_proxies holds {proxy:?}, which is neither an IP address nor a range such as 10.0.0.0/8"
                )));
            }
        }
        if self.media.storage == MediaStorage::S3 && self.media.s3.bucket.trim().is_empty() {
            return Err(ConfigError::Value(
                "media.storage = \"s3\" needs media.s3.bucket (and its region, keys, and endpoint unless it is AWS)"
                    .into(),
            ));
        }
        for network in &self.metrics.allow {
            if parse_cidr(network).is_none() {
                return Err(ConfigError::Value(format!(
                    "metrics.allow holds {network:?}, which is neither an IP address nor a range such as 10.0.0.0/8"
                )));
            }
        }
        if let Some(url) = &self.cache.purge_url {
            let host = url.strip_prefix("http://").map(|rest| rest.split('/').next().unwrap_or(""));
            if host.is_none_or(str::is_empty) {
                return Err(ConfigError::Value(format!(
                    "cache.purge_url = {url:?} is not a plain http:// address such as \"http://127.0.0.1:6081/purge\""
                )));
            }
        }
        if self.cache.side_lists_lag_secs > 600 {
            return Err(ConfigError::Value(format!(
                "cache.side_lists_lag_secs = {} is more than 600; every kept page is rendered again after 10 minutes anyway",
                self.cache.side_lists_lag_secs
            )));
        }
        if self.api.requests_per_minute == 0 {
            return Err(ConfigError::Value("api.requests_per_minute must be at least 1".into()));
        }
        if self.database.max_connections == 0 {
            return Err(ConfigError::Value("database.max_connections must be at least 1".into()));
        }
        if let Err(error) = self.log.level.parse::<tracing_subscriber::EnvFilter>() {
            return Err(ConfigError::Value(format!(
                "log.level = {:?} is not a log filter ({error}); use for example \"info\"",
                self.log.level
            )));
        }
        Ok(())
    }

    /// The database URL, defaulting to a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite:{}", self.data_dir.join("dateline.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The roots of trusted Content Credentials signers, read from `uploads.content_credentials_trust`.
    pub fn content_credentials_trust(&self) -> Result<dateline_media::credentials::TrustAnchors, ConfigError> {
        let path = self.uploads.content_credentials_trust.trim();
        if path.is_empty() {
            return Ok(Default::default());
        }
        let pem = std::fs::read_to_string(path).map_err(|error| {
            ConfigError::Value(format!("uploads.content_credentials_trust = {path:?} cannot be read: {error}"))
        })?;
        dateline_media::credentials::TrustAnchors::from_pem(&pem)
            .map_err(|why| ConfigError::Value(format!("uploads.content_credentials_trust = {path:?}: {why}")))
    }

    pub fn media_dir(&self) -> PathBuf {
        self.media.local_dir.clone().unwrap_or_else(|| self.data_dir.join("media"))
    }

    /// The bucket settings when media live in object storage.
    pub fn object_media(&self) -> Option<dateline_media::S3Settings> {
        (self.media.storage == MediaStorage::S3).then(|| self.media.s3.clone())
    }
}

/// `10.0.0.0/8`, `::1` or `192.168.1.7` as a network and prefix length.
pub fn parse_cidr(text: &str) -> Option<(std::net::IpAddr, u8)> {
    let (address, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let ip: std::net::IpAddr = address.trim().parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
        None => max,
    };
    Some((ip, prefix))
}

fn check_layer(table: &toml::Table, place: &str) -> Result<(), ConfigError> {
    Config::deserialize(toml::Value::Table(table.clone()))
        .map(drop)
        .map_err(|e| ConfigError::Invalid { place: place.to_owned(), reason: e.message().to_owned() })
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(incoming)) => merge(existing, incoming),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// `DATELINE_CACHE__PAGE_CACHE_MB=64` becomes `cache.page_cache_mb = 64`.
fn environment_layer(environment: &[(String, String)]) -> Result<toml::Table, ConfigError> {
    let mut table = toml::Table::new();
    for (name, raw) in environment {
        let Some(rest) = name.strip_prefix("DATELINE_") else { continue };
        if NOT_SETTINGS.iter().any(|skip| name.starts_with(skip)) {
            continue;
        }
        let lower = rest.to_ascii_lowercase();
        let (path, value) = match lower.strip_suffix("_file").filter(|key| SECRET_KEYS.contains(key)) {
            Some(key) => {
                let secret = std::fs::read_to_string(raw).map_err(|e| {
                    ConfigError::Value(format!("{name} names the file {raw:?}, which cannot be read: {e}"))
                })?;
                (key.to_owned(), toml::Value::String(secret.trim().to_owned()))
            }
            None => (lower, env_value(raw)),
        };
        let keys: Vec<&str> = path.split("__").collect();
        let (last, parents) =
            keys.split_last().ok_or_else(|| ConfigError::Value(format!("{name} names no setting")))?;
        let mut node = &mut table;
        for parent in parents {
            let entry = node.entry((*parent).to_owned()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
            node = match entry {
                toml::Value::Table(t) => t,
                _ => return Err(ConfigError::Value(format!("{name} conflicts with another DATELINE_ variable"))),
            };
        }
        node.insert((*last).to_owned(), value);
    }
    Ok(table)
}

/// An environment value read as TOML when it is a number, boolean or array, else as text.
fn env_value(raw: &str) -> toml::Value {
    let trimmed = raw.trim();
    let looks_typed =
        trimmed.parse::<i64>().is_ok() || trimmed == "true" || trimmed == "false" || trimmed.starts_with('[');
    if looks_typed {
        if let Ok(table) = format!("v = {trimmed}").parse::<toml::Table>() {
            if let Some(value) = table.get("v") {
                return value.clone();
            }
        }
    }
    toml::Value::String(raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_public_url_readers_are_sent_to_the_address_the_server_listens_on() {
        let bound = |text: &str| text.parse::<SocketAddr>().expect("address");
        let unset = Config::default();
        assert_eq!(unset.public_url_for(bound("127.0.0.1:18231")), "http://127.0.0.1:18231");
        assert_eq!(unset.public_url_for(bound("0.0.0.0:8080")), "http://127.0.0.1:8080");
        assert_eq!(unset.public_url_for(bound("[::]:8080")), "http://[::1]:8080");
        let set = Config { public_url: "https://news.example/".into(), ..Config::default() };
        assert_eq!(set.public_url_for(bound("127.0.0.1:18231")), "https://news.example");
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn flags_override_the_environment_which_overrides_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("dateline.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\n[cache]\npage_cache_mb = 64\n[database]\nmax_connections = 3\n",
        )
        .expect("write");
        let overrides =
            Overrides { config_file: Some(file), listen: Some("127.0.0.1:9100".into()), ..Default::default() };
        let config = Config::load(
            &overrides,
            &env(&[("DATELINE_CACHE__PAGE_CACHE_MB", "32"), ("DATELINE_LISTEN", "127.0.0.1:9050")]),
            Path::new("data"),
        )
        .expect("config");
        assert_eq!(config.listen, "127.0.0.1:9100");
        assert_eq!(config.cache.page_cache_mb, 32);
        assert_eq!(config.database.max_connections, 3);
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.database_url(), format!("sqlite:{}", Path::new("data").join("dateline.db").display()));
    }

    #[test]
    fn an_unknown_key_is_named_with_where_it_came_from() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("dateline.toml");
        std::fs::write(&file, "[cache]\npage_cache_megabytes = 64\n").expect("write");
        let overrides = Overrides { config_file: Some(file.clone()), ..Default::default() };
        let error = Config::load(&overrides, &[], Path::new("data")).expect_err("unknown key").to_string();
        assert!(error.contains("page_cache_megabytes") && error.contains(&file.display().to_string()), "{error}");

        let error = Config::load(&Overrides::default(), &env(&[("DATELINE_LISTENING", "x")]), Path::new("d"))
            .expect_err("unknown variable")
            .to_string();
        assert!(error.contains("listening") && error.contains("environment"), "{error}");
    }

    #[test]
    fn test_and_ci_variables_are_not_settings() {
        let config = Config::load(
            &Overrides::default(),
            &env(&[("DATELINE_TEST_POSTGRES_URL", "postgres://x"), ("DATELINE_REQUIRE_CHECKERS", "1")]),
            Path::new("d"),
        );
        assert!(config.is_ok(), "{config:?}");
    }

    #[test]
    fn a_secret_can_be_read_from_a_file() {
        let dir = tempfile::tempdir().expect("dir");
        let secret = dir.path().join("url");
        std::fs::write(&secret, "postgres://news:pw@db/paper\n").expect("write");
        let config = Config::load(
            &Overrides::default(),
            &env(&[("DATELINE_DATABASE_URL_FILE", &secret.display().to_string())]),
            Path::new("d"),
        )
        .expect("config");
        assert_eq!(config.database_url, "postgres://news:pw@db/paper");
    }

    #[test]
    fn bad_values_say_what_to_change() {
        for (key, value, expected) in [
            ("DATELINE_LISTEN", "everywhere", "listen"),
            ("DATELINE_PUBLIC_URL", "example.com", "public_url"),
            ("DATELINE_HTTP__TRUSTED_PROXIES", "[\"10.0.0.0/99\"]", "trusted_proxies"),
            ("DATELINE_LOG__FORMAT", "xml", "xml"),
            ("DATELINE_MEDIA__STORAGE", "s3", "media.s3.bucket"),
            ("DATELINE_METRICS__ALLOW", "[\"everyone\"]", "metrics.allow"),
            ("DATELINE_CACHE__PURGE_URL", "https://cdn.example/purge", "cache.purge_url"),
        ] {
            let error =
                Config::load(&Overrides::default(), &env(&[(key, value)]), Path::new("d")).expect_err(key).to_string();
            assert!(error.contains(expected), "{key}: {error}");
        }
    }

    #[test]
    fn the_trusted_signers_file_must_exist_and_hold_certificates() {
        let folder = tempfile::tempdir().expect("a folder");
        let not_pem = folder.path().join("roots.txt");
        std::fs::write(&not_pem, "agency roots go here").expect("write");
        let load = |path: &Path| {
            let path = path.display().to_string();
            let config = Config::load(
                &Overrides::default(),
                &env(&[("DATELINE_UPLOADS__CONTENT_CREDENTIALS_TRUST", &path)]),
                Path::new("d"),
            )
            .expect("a config");
            config.content_credentials_trust().map(|anchors| anchors.is_empty()).map_err(|e| e.to_string())
        };
        let missing = load(&folder.path().join("missing.pem")).expect_err("a missing file");
        assert!(
            missing.contains("uploads.content_credentials_trust") && missing.contains("cannot be read"),
            "{missing}"
        );
        let refused = load(&not_pem).expect_err("a file without certificates");
        assert!(refused.contains("no PEM certificate"), "{refused}");
        let none = Config::load(&Overrides::default(), &env(&[]), Path::new("d")).expect("a config");
        assert!(none.content_credentials_trust().expect("no file, no anchors").is_empty());
    }

    #[test]
    fn the_example_file_documents_every_setting_with_its_default() {
        let text = include_str!("../../../dateline.example.toml");
        let table: toml::Table = text.parse().expect("the example is valid TOML");
        let example =
            Config::deserialize(toml::Value::Table(table.clone())).expect("the example holds only known settings");
        // Every setting appears in the example, and with its default value (data_dir aside).
        let defaults = toml::Table::try_from(Config::default()).expect("defaults as TOML");
        fn keys(table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
            for (k, v) in table {
                let path = format!("{prefix}{k}");
                match v {
                    toml::Value::Table(t) => keys(t, &format!("{path}."), out),
                    _ => out.push(path),
                }
            }
        }
        let (mut documented, mut known) = (Vec::new(), Vec::new());
        keys(&table, "", &mut documented);
        keys(&defaults, "", &mut known);
        for key in &known {
            assert!(documented.contains(key), "dateline.example.toml does not document {key}");
        }
        let expected = Config {
            theme_dir: example.theme_dir.clone(),
            media: MediaConfig { local_dir: example.media.local_dir.clone(), ..MediaConfig::default() },
            ..Config::default()
        };
        assert_eq!(example, expected, "the example's values must be the defaults");
    }
}
