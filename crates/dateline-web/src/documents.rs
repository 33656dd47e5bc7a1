//! Responses for documents machines read (feeds, sitemaps): the body, its type, its lifetime
//! and when it last changed. Validation (ETag, `If-None-Match`, `If-Modified-Since`, 304)
//! happens for every reader page in one place, the page cache's middleware.

use crate::page_cache::{shown, Shows};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

pub(crate) fn http_date(t: Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

pub(crate) fn document(
    body: String,
    last_modified: Option<Timestamp>,
    content_type: &'static str,
    cache_control: &'static str,
    shows: Shows,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Some(Ok(value)) = last_modified.map(|t| HeaderValue::from_str(&http_date(t))) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    shown(response, shows)
}
