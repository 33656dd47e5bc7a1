//! The HTTP layer: one route table ([`app`]), thin handlers for the reader site, health, and
//! the one error type that every handler answers with.
//!
//! Handlers parse the request, ask the store, hand domain values to the render crate, and
//! turn the result into a response. Rules belong in `dateline-newsroom`, SQL in
//! `dateline-storage`, markup in the theme.

mod error;
mod health;
mod site;
mod state;

pub use error::WebError;
pub use state::{AppState, Clock};

use axum::routing::get;
use axum::Router;

/// Every route of the program, in one table.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(site::home::show))
        .route("/article/{id}", get(site::article::redirect_to_canonical))
        .route("/article/{id}/{slug}", get(site::article::show))
        .route("/static/{file}", get(site::assets::theme_asset))
        .route("/media/{*key}", get(site::assets::media_file))
        .route("/healthz", get(health::check))
        .fallback(site::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_error_pages))
        .with_state(state)
}
