//! The reader site: one file per page.

pub(crate) mod article;
pub(crate) mod assets;
pub(crate) mod author;
pub(crate) mod beacon;
pub(crate) mod chrome;
pub(crate) mod corrections;
pub(crate) mod feeds;
pub(crate) mod home;
pub(crate) mod legacy;
pub(crate) mod letters;
pub(crate) mod live;
pub(crate) mod newsletters;
pub(crate) mod page;
pub(crate) mod paging;
pub(crate) mod podcasts;

pub(crate) use paging::requested_page;
pub(crate) mod search;
pub(crate) mod section;
pub(crate) mod sitemaps;
pub(crate) mod streams;
pub(crate) mod topic;
pub(crate) mod video;

use crate::error::WebError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// 301, the answer search engines and the reference contract expect for a moved page
/// (axum's `Redirect::permanent` answers 308).
pub(crate) fn moved_permanently(location: &str) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location.to_owned())]).into_response()
}

/// Any address no route claims.
pub(crate) async fn not_found() -> WebError {
    WebError::NotFound
}
