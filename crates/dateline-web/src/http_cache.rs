//! Conditional GET: a strong ETag from the bytes themselves and a Last-Modified time, so a
//! client (or a CDN) that already holds the same bytes gets a 304 and nothing else.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

/// FNV-1a over the body: a validator for identical bytes, stable across builds.
fn etag(body: &[u8]) -> String {
    let hash = body.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("\"{hash:016x}-{:x}\"", body.len())
}

pub(crate) fn http_date(t: Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn not_modified_since(headers: &HeaderMap, last_modified: Timestamp) -> bool {
    let Some(since) = headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()) else { return false };
    jiff::fmt::rfc2822::parse(since)
        .map(|z| z.timestamp())
        .is_ok_and(|since| last_modified.as_second() <= since.as_second())
}

/// A 200 with validators, or a 304 when the client's copy is the same. `If-None-Match` wins
/// over `If-Modified-Since`, as RFC 9110 says.
pub(crate) fn conditional(
    headers: &HeaderMap,
    body: Vec<u8>,
    last_modified: Option<Timestamp>,
    content_type: &'static str,
    cache_control: &'static str,
) -> Response {
    let tag = etag(&body);
    let fresh = match headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        Some(wanted) => wanted.split(',').any(|t| t.trim() == tag || t.trim() == "*"),
        None => last_modified.is_some_and(|t| not_modified_since(headers, t)),
    };
    let mut response =
        if fresh { StatusCode::NOT_MODIFIED.into_response() } else { (StatusCode::OK, body).into_response() };
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        out.insert(header::ETAG, value);
    }
    if let Some(Ok(value)) = last_modified.map(|t| HeaderValue::from_str(&http_date(t))) {
        out.insert(header::LAST_MODIFIED, value);
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if !fresh {
        out.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}
