//! The HTTP layer: one route table ([`app`]), thin handlers for the reader site, health, and
//! the one error type that every handler answers with.
//!
//! Handlers parse the request, ask the store, hand domain values to the render crate, and
//! turn the result into a response. Rules belong in `dateline-newsroom`, SQL in
//! `dateline-storage`, markup in the theme.

mod api;
mod client;
mod desk;
mod documents;
mod error;
mod layers;
mod live_channels;
pub mod live_updates;
pub mod metrics;
pub mod newsletter_sending;
mod operators;
pub mod outbox;
pub mod page_cache;
mod purge;
mod query;
mod remembered;
mod render_work;
mod security;
pub mod serve;
mod settings;
mod site;
mod state;
mod throttle;
mod view_counts;
mod webhooks;
mod wire;

pub use error::WebError;
pub use settings::{public_host, MailSettings};
pub use state::{AppState, Clock, WebSettings};

use axum::routing::{get, post};
use axum::Router;

/// Every route of the program, in one table, inside the layers every request passes through.
pub fn app(state: AppState) -> Router {
    let routes = routes(&state);
    layered(routes, state)
}

/// Every route of the program, in one table.
pub fn routes(state: &AppState) -> Router<AppState> {
    // A document and its photos.
    let settings = state.settings();
    let ingest_limit = axum::extract::DefaultBodyLimit::max(
        settings
            .ingest
            .max_document_bytes
            .saturating_add(usize::try_from(settings.max_image_bytes).unwrap_or(usize::MAX).saturating_mul(8)),
    );
    Router::new()
        .route("/", get(site::home::show))
        .route("/article/{id}", get(site::article::redirect_to_canonical))
        .route("/article/{id}/{slug}", get(site::article::show))
        .route("/article/{id}/post/{post}", get(site::live::permalink))
        .route("/_live/{id}", get(live_updates::listen))
        .route("/author/{slug}", get(site::author::show))
        .route("/topic/{slug}", get(site::topic::show))
        .route("/topics/", get(site::topic::list))
        .route("/page/{slug}", get(site::page::show))
        .route("/corrections", get(site::corrections::list))
        .route("/newsletters", get(|| async { axum::response::Redirect::permanent("/newsletters/") }))
        .route("/newsletters/", get(site::newsletters::list))
        .route("/newsletters/subscribe", post(site::newsletters::subscribe))
        .route("/newsletters/confirm", get(site::newsletters::confirm_page).post(site::newsletters::confirm))
        .route("/newsletters/manage", get(site::newsletters::manage_page).post(site::newsletters::manage))
        .route(
            "/newsletters/unsubscribe",
            get(site::newsletters::unsubscribe_page).post(site::newsletters::unsubscribe),
        )
        .route("/newsletters/{slug}/", get(site::newsletters::archive))
        .route("/newsletters/{slug}/{edition}", get(site::newsletters::edition))
        .route("/podcasts", get(|| async { axum::response::Redirect::permanent("/podcasts/") }))
        .route("/podcasts/", get(site::podcasts::list))
        .route("/podcasts/{slug}/", get(site::podcasts::show))
        .route("/podcasts/{slug}/{file}", get(site::podcasts::feed))
        .route("/podcasts/{slug}/episodes/{id}/{file}", get(site::podcasts::episode_file))
        .route("/audio/{*key}", get(site::podcasts::audio_file))
        .route("/video/{*key}", get(site::video::video_file))
        .route("/captions/{file}", get(site::video::captions))
        .route("/search", get(site::search::page))
        .route("/api/v1/search", get(site::search::api))
        .route("/sitemap.xml", get(site::sitemaps::index))
        .route("/sitemaps/{file}", get(site::sitemaps::sitemap))
        .route("/robots.txt", get(site::sitemaps::robots))
        .route("/favicon.ico", get(site::assets::favicon))
        .route("/author/{slug}/{file}", get(site::feeds::author))
        .route("/topic/{slug}/{file}", get(site::feeds::topic))
        .route("/_v/{id}", get(site::beacon::count_view))
        .route("/static/{file}", get(site::assets::theme_asset))
        .route("/media/{*key}", get(site::assets::media_file))
        .route("/api/v1/ingest/{source}", post(wire::deliver).layer(ingest_limit))
        .route("/healthz", get(operators::check))
        .route("/metrics", get(operators::metrics))
        // Fronts last: their first segment is any section slug not taken by a route above.
        .route("/{file}", get(site::feeds::whole_paper_or_section))
        .route("/{section}/", get(site::section::top_level))
        .route("/{section}/{subsection}/", get(site::section::subsection))
        .route("/{section}/{subsection}/{file}", get(site::feeds::subsection))
        .route("/{section}/{subsection}", get(site::feeds::top_section_or_slash))
        .merge(api::routes(state.settings().max_image_bytes))
        .merge(desk::routes(
            state.settings().max_image_bytes,
            state.settings().ingest.max_audio_bytes,
            state.settings().ingest.max_video_bytes,
        ))
        .fallback(site::not_found)
}

/// Answers requests for kept reader pages before the router (see `serve::Front`).
pub fn kept_pages_front(state: AppState) -> serve::Front {
    std::sync::Arc::new(move |method, uri, headers| layers::answer_kept_page(&state, method, uri, headers))
}

/// `routes` inside the layers every request passes through: a panic answered 500, control
/// characters in the address refused, error pages drawn, kept pages served, old addresses
/// redirected, requests measured, protective headers, compression.
pub fn layered(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::answer_panic))
        .layer(axum::middleware::from_fn(security::refuse_control_characters))
        .layer(axum::middleware::from_fn_with_state(state.clone(), layers::render_error_pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), layers::serve_kept_pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), site::legacy::answer_old_addresses))
        .layer(axum::middleware::from_fn_with_state(state.clone(), layers::measure))
        .layer(axum::middleware::from_fn(security::protective_headers))
        // Pages from the cache come compressed already; this compresses the rest (the desk,
        // search, the API) for clients that ask.
        .layer(tower_http::compression::CompressionLayer::new().br(true).gzip(true))
        .with_state(state)
}
