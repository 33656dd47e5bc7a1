//! Starting the paper: open the store, load the theme, bind the address, announce it on the
//! first line of standard output, and serve until a shutdown signal.

use crate::config::Config;
use anyhow::Context;
use dateline_render::Theme;
use dateline_storage::{ConnectOptions, SqlStore};
use dateline_web::{app, AppState, WebSettings};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

pub async fn connect(config: &Config) -> anyhow::Result<SqlStore> {
    connect_with(config, false).await
}

/// Connects for serving readers and the desk: statements also have a time limit, so a request
/// never waits on the database for longer than an operator would want a reader to.
pub async fn open_store_for_serving(config: &Config) -> anyhow::Result<SqlStore> {
    let store = connect_with(config, true).await?;
    store.migrate(jiff::Timestamp::now()).await.context("cannot bring the database schema up to date")?;
    Ok(store)
}

async fn connect_with(config: &Config, serving: bool) -> anyhow::Result<SqlStore> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create the data folder {}; check data_dir", config.data_dir.display()))?;
    }
    let options = ConnectOptions {
        max_connections: config.database.max_connections,
        acquire_timeout: Duration::from_secs(config.database.acquire_timeout_secs),
        lock_timeout: Duration::from_secs(config.database.lock_timeout_secs.max(1)),
        statement_timeout: serving.then(|| Duration::from_secs(config.database.statement_timeout_secs.max(1))),
        ..ConnectOptions::new(url)
    };
    Ok(SqlStore::connect(&options).await?)
}

/// Connects and brings the schema up to date.
pub async fn open_store(config: &Config) -> anyhow::Result<SqlStore> {
    let store = connect(config).await?;
    store.migrate(jiff::Timestamp::now()).await.context("cannot bring the database schema up to date")?;
    Ok(store)
}

/// Serves until a shutdown signal; `banner` lines are printed after the `listening on` line.
pub async fn serve(config: &Config, store: SqlStore, banner: &[String]) -> anyhow::Result<()> {
    let theme = Theme::load(config.theme_dir.as_deref())?;
    let media_dir = config.media_dir();
    std::fs::create_dir_all(&media_dir)
        .with_context(|| format!("cannot create the media folder {}", media_dir.display()))?;
    let listener = tokio::net::TcpListener::bind(&config.listen).await.with_context(|| {
        format!("cannot listen on {}; is another program using it? Choose another with --listen", config.listen)
    })?;
    let address = listener.local_addr()?;
    let public_url = config.public_url_for(address);
    let settings = WebSettings {
        media_root: media_dir,
        object_media: object_media(config)?,
        secure_cookies: public_url.starts_with("https://"),
        trusted_proxies: config.http.trusted_proxies.iter().filter_map(|p| crate::config::parse_cidr(p)).collect(),
        max_image_bytes: config.uploads.max_image_bytes,
        max_image_pixels: config.uploads.max_image_pixels,
        image_workers: config.uploads.image_workers,
        content_credentials_trust: config.content_credentials_trust()?,
        page_cache_bytes: usize::try_from(config.cache.page_cache_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX),
        side_lists_lag: std::time::Duration::from_secs(config.cache.side_lists_lag_secs),
        purge_url: config.cache.purge_url.clone(),
        access_log: config.log.access,
        metrics_allow: config.metrics.allow.iter().filter_map(|p| crate::config::parse_cidr(p)).collect(),
        ingest: dateline_intake::IngestSettings {
            max_document_bytes: usize::try_from(config.uploads.max_wire_item_bytes).unwrap_or(usize::MAX),
            fetch_hosts: config.ingest.fetch_hosts.clone(),
            fetch_timeout: Duration::from_secs(config.ingest.fetch_timeout_secs.max(1)),
            fetch_max_bytes: config.ingest.fetch_max_bytes,
            max_audio_bytes: usize::try_from(config.uploads.max_audio_bytes).unwrap_or(usize::MAX),
            max_video_bytes: usize::try_from(config.uploads.max_video_bytes).unwrap_or(usize::MAX),
            photo_formats: dateline_intake::photo_variants::parse_formats(&config.uploads.photo_formats)
                .map_err(|e| anyhow::anyhow!("uploads.photo_formats: {e}"))?,
        },
        connections: config.http.connection_limits(),
        api_requests_per_minute: config.api.requests_per_minute,
        webhooks_allow_private: config.webhooks.allow_private_addresses,
        mail: mail_settings(config, &public_url)?,
        public_url,
    };
    let state = AppState::new(store.clone(), theme, settings, Arc::new(jiff::Timestamp::now));
    // Other instances on the same PostgreSQL database tell this one what they changed.
    store.listen_to_other_instances().await.context("cannot listen for other instances' changes")?;
    // Announcing is best effort: a caller that stopped reading our output must not stop the paper.
    if let Err(error) = announce(address, banner) {
        tracing::warn!(%error, "could not print the start-up lines");
    }
    tracing::info!(%address, backend = ?store.backend(), "serving");
    let flusher = tokio::spawn(flush_views_regularly(state.clone()));
    let follower = tokio::spawn(state.clone().follow_changes());
    let live_readers = tokio::spawn(dateline_web::live_updates::follow(state.clone()));
    let outbox = tokio::spawn(dateline_web::outbox::run(state.clone(), instance_name(), OUTBOX_INTERVAL));
    let scheduler = tokio::spawn(publish_scheduled_stories(state.clone()));
    let newsletters =
        tokio::spawn(dateline_web::newsletter_sending::run(state.clone(), instance_name(), NEWSLETTER_INTERVAL));
    let photo_copies = tokio::spawn(dateline_intake::photo_variants::run(
        state.intake().clone(),
        instance_name(),
        PHOTO_COPIES_INTERVAL,
    ));
    let folders = config.ingest.root.clone().map(|root| {
        let interval = Duration::from_secs(config.ingest.scan_interval_secs.max(1));
        tokio::spawn(crate::watched_folders::watch(state.intake().clone(), root, interval, instance_name()))
    });
    let stopping = {
        let state = state.clone();
        async move {
            shutdown_signal().await;
            state.end_live_streams();
        }
    };
    dateline_web::serve::serve_with_front(
        listener,
        Some(dateline_web::kept_pages_front(state.clone())),
        app(state.clone()),
        state.settings().connections,
        stopping,
    )
    .await?;
    flusher.abort();
    follower.abort();
    live_readers.abort();
    outbox.abort();
    newsletters.abort();
    photo_copies.abort();
    if let Some(folders) = folders {
        folders.abort();
    }
    scheduler.abort();
    if let Err(error) = state.flush_views().await {
        tracing::warn!(%error, "could not save the last counted views");
    }
    store.close().await;
    Ok(())
}

/// The bucket for media, when the operator chose object storage.
pub fn object_media(config: &Config) -> anyhow::Result<Option<dateline_media::ObjectBlobs>> {
    config
        .object_media()
        .map(|settings| dateline_media::ObjectBlobs::s3(&settings))
        .transpose()
        .context("cannot use the media bucket; check [media.s3]")
}

/// Where media files are written: the bucket, or the local folder.
pub fn media_blobs(config: &Config) -> anyhow::Result<dateline_media::Blobs> {
    Ok(match object_media(config)? {
        Some(bucket) => dateline_media::Blobs::Object(bucket),
        None => dateline_media::Blobs::Local(dateline_media::LocalBlobs::new(config.media_dir())),
    })
}

fn announce(address: std::net::SocketAddr, banner: &[String]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{address}")?;
    for line in banner {
        writeln!(out, "{line}")?;
    }
    out.flush()
}

/// How often the counted views go to the database; "Most Popular" lags by at most this.
const VIEW_FLUSH_INTERVAL: Duration = Duration::from_secs(15);

async fn flush_views_regularly(state: AppState) {
    let mut ticker = tokio::time::interval(VIEW_FLUSH_INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let jobs = &state.metrics().jobs;
        jobs.view_flushes.fetch_add(1, Ordering::Relaxed);
        if let Err(error) = state.flush_views().await {
            jobs.view_flush_failures.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(%error, "could not save counted views; they are kept for the next try");
        }
    }
}

/// How often the outbox worker looks for side effects waiting (the CDN purge, mostly).
const OUTBOX_INTERVAL: Duration = Duration::from_millis(500);

/// How often the newsletter sender looks for editions due and messages waiting.
const NEWSLETTER_INTERVAL: Duration = Duration::from_secs(2);
/// How often photos waiting for their smaller copies are looked for.
const PHOTO_COPIES_INTERVAL: Duration = Duration::from_secs(2);

/// The `[mail]` settings as the web layer takes them: the relay, and the DKIM key read and
/// checked now, so a wrong key file stops the start with a clear message rather than the
/// first edition.
fn mail_settings(config: &Config, public_url: &str) -> anyhow::Result<dateline_web::MailSettings> {
    let mail = &config.mail;
    let helo_name = if mail.helo_name.trim().is_empty() {
        dateline_web::public_host(public_url).to_owned()
    } else {
        mail.helo_name.trim().to_owned()
    };
    let address = mail.relay.trim();
    let host = address.rsplit_once(':').map_or(address, |(host, _)| host).trim_matches(['[', ']']);
    let tls = || {
        let extra = match &mail.tls_ca_file {
            Some(file) => Some(
                std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read mail.tls_ca_file {}", file.display()))?,
            ),
            None => None,
        };
        dateline_mail::smtp::Tls::new(host, extra.as_deref()).map_err(|e| anyhow::anyhow!("mail.tls: {e}"))
    };
    let security = match mail.tls.trim() {
        "" | "none" => dateline_mail::smtp::Security::None,
        "starttls" => dateline_mail::smtp::Security::StartTls(tls()?),
        "tls" => dateline_mail::smtp::Security::Implicit(tls()?),
        other => anyhow::bail!("mail.tls is \"{other}\"; it is none, starttls or tls"),
    };
    let credentials = match (mail.username.trim(), mail.password.as_str()) {
        ("", _) => None,
        (_, _) if matches!(security, dateline_mail::smtp::Security::None) => {
            anyhow::bail!("mail.username is set but mail.tls is none: the password would cross in plain text")
        }
        (username, password) => {
            Some(dateline_mail::smtp::Credentials { username: username.to_owned(), password: password.to_owned() })
        }
    };
    let relay = (!address.is_empty()).then(|| dateline_mail::smtp::Relay {
        address: address.to_owned(),
        helo_name,
        timeout: Duration::from_secs(mail.timeout_secs.max(1)),
        security,
        credentials,
    });
    let dkim = match (&mail.dkim_key_file, mail.dkim_domain.trim(), mail.dkim_selector.trim()) {
        (None, "", "") => None,
        (Some(file), domain, selector) if !domain.is_empty() && !selector.is_empty() => {
            let pem = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read mail.dkim_key_file {}", file.display()))?;
            let key = dateline_mail::dkim::DkimKey::from_pem(domain, selector, &pem)
                .map_err(|e| anyhow::anyhow!("mail.dkim_key_file {}: {e}", file.display()))?;
            Some(Arc::new(key))
        }
        _ => anyhow::bail!("DKIM needs all three of mail.dkim_domain, mail.dkim_selector and mail.dkim_key_file"),
    };
    Ok(dateline_web::MailSettings {
        relay,
        dkim,
        messages_per_second: mail.messages_per_second,
        connections: mail.connections.clamp(1, 64),
        suppress_after_failures: mail.suppress_after_failures.max(1),
        unsubscribe_address: Some(mail.unsubscribe_address.trim().to_owned()).filter(|a| !a.is_empty()),
    })
}

/// How often the scheduler looks for stories whose time has come.
const SCHEDULER_INTERVAL: Duration = Duration::from_secs(5);

/// How long the scheduler's lease lasts; the holder renews it at every run, and another
/// instance takes over this long after the holder stops.
const SCHEDULER_LEASE: jiff::SignedDuration = jiff::SignedDuration::from_secs(30);

/// Publishes scheduled stories at their time, whether or not anyone visits, and clears
/// expired desk sessions. With several instances on one database, the one holding the
/// scheduler's lease does it (the version check would keep a story from being published
/// twice anyway; the lease keeps the instances from all doing the same work). A story missed
/// while every server was down is published at the next start. Views are not leased: each
/// instance saves the views it counted itself.
async fn publish_scheduled_stories(state: AppState) {
    use dateline_newsroom::{SessionStore, Store};
    let store = state.store();
    let jobs = &state.metrics().jobs;
    let holder = instance_name();
    let mut ticker = tokio::time::interval(SCHEDULER_INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        ticker.tick().await;
        let now = jiff::Timestamp::now();
        match store.take_lease("scheduler", &holder, now, now + SCHEDULER_LEASE).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                jobs.scheduler_failures.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%error, "the scheduler could not take its lease");
                continue;
            }
        }
        jobs.scheduler_runs.fetch_add(1, Ordering::Relaxed);
        match dateline_newsroom::editing::publish_due(store, now).await {
            Ok(published) => {
                jobs.stories_published_on_schedule.fetch_add(published.len() as u64, Ordering::Relaxed);
                for id in published {
                    tracing::info!(article.id = %id, "published a scheduled story");
                }
            }
            Err(error) => {
                jobs.scheduler_failures.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(%error, "the scheduler could not run");
            }
        }
        ticks += 1;
        if ticks % 720 == 1 {
            if let Err(error) = store.delete_expired_sessions(now).await {
                tracing::warn!(%error, "could not clear expired sessions");
            }
        }
    }
}

/// This process among the instances: host name, process id and a random part.
fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
    let mut random = [0u8; 4];
    let _ = getrandom::getrandom(&mut random);
    format!("{host}:{}:{:08x}", std::process::id(), u32::from_le_bytes(random))
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
