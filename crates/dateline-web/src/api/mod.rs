//! The API under `/api/v1/`: the content API (what readers may see, as JSON for the paper's
//! apps, its partners and its scripts) and the write API (`writes.rs`, for holders of a key,
//! `keys.rs`). docs/API.md is the guide; `/api/v1/openapi.json` the contract.
//!
//! Handlers are as thin as the reader pages' and read through the same store queries, the same
//! `chrome` (the paper's clock, its section tree, the lookups of authors and photos) and the
//! same visibility rule (`Article::is_public`). Every answer says what it shows, so the page
//! cache keeps it, drops it when that changes, and gives it an ETag, `Cache-Control` and
//! surrogate keys exactly as it does for pages. Query parameters are read strictly: one a
//! route does not know is refused (400), which also keeps junk out of the cache's keys.

mod catalog;
pub(crate) mod keys;
mod lists;
mod newsml;
pub(crate) mod ninjs;
pub(crate) mod openapi;
pub(crate) mod shapes;
mod stories;
pub(crate) mod syndication;
mod writes;

use crate::page_cache::{shown, Shows};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde::Serialize;

/// The API's routes; `max_upload_bytes` bounds a photo upload's whole request body.
pub(crate) fn routes(max_upload_bytes: u64) -> Router<AppState> {
    // Room for the other parts around the file.
    let upload_limit = axum::extract::DefaultBodyLimit::max(
        usize::try_from(max_upload_bytes).unwrap_or(usize::MAX).saturating_add(64 * 1024),
    );
    Router::new()
        .route("/api/v1/stories", get(stories::list).post(writes::create))
        .route("/api/v1/stories/{id}", get(stories::one))
        .route("/api/v1/stories/{id}/{action}", post(writes::act))
        .route("/api/v1/sections", get(catalog::sections))
        .route("/api/v1/authors", get(catalog::authors))
        .route("/api/v1/topics", get(catalog::topics).post(writes::create_topic))
        .route("/api/v1/topics/{id}", put(writes::update_topic))
        .route("/api/v1/photos", post(writes::upload_photo).layer(upload_limit))
        .route("/api/v1/pages", get(catalog::pages))
        .route("/api/v1/corrections", get(lists::corrections))
        .route("/api/v1/lists/latest", get(lists::latest))
        .route("/api/v1/lists/popular", get(lists::popular))
        .route("/api/v1/syndication/{partner}", get(syndication::feed))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/docs", get(openapi::readable))
}

/// A JSON answer that the page cache may keep under what it shows.
pub(crate) fn json(body: &impl Serialize, shows: Shows) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let response =
                ([(axum::http::header::CONTENT_TYPE, "application/json; charset=utf-8")], bytes).into_response();
            shown(response, shows)
        }
        Err(error) => {
            crate::error::WebError::Internal(format!("a JSON answer could not be written: {error}")).into_response()
        }
    }
}
