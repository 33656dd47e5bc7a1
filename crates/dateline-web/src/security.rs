//! Protective headers on every response: a Content-Security-Policy that forbids inline
//! script and anything from other origins (but the allowed video players), no framing, no
//! sniffing; and the desk is never stored by any cache.

use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Nothing from other origins, except the players of the video platforms the paper embeds
/// from (`frame-src`, exactly the allow-list of `dateline_newsroom::video`), framed only
/// after a reader clicks.
fn content_security_policy() -> &'static HeaderValue {
    static POLICY: std::sync::OnceLock<HeaderValue> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| {
        let policy = format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
             connect-src 'self'; media-src 'self'; frame-src {}; object-src 'none'; base-uri 'self'; \
             form-action 'self'; frame-ancestors 'none'",
            dateline_newsroom::video::frame_sources()
        );
        HeaderValue::from_str(&policy).expect("the policy is plain text")
    })
}

/// An address whose path, once percent-decoded, holds a NUL or another control character
/// names nothing Dateline has (slugs, ids and media names never hold one): it answers 404
/// before any handler, so no such text reaches a query (PostgreSQL refuses NUL outright, and
/// the two databases must answer alike) or a log line.
pub(crate) async fn refuse_control_characters(request: Request, next: Next) -> Response {
    if has_escaped_control_character(request.uri().path()) {
        return axum::response::IntoResponse::into_response(crate::error::WebError::NotFound);
    }
    next.run(request).await
}

pub(crate) fn has_escaped_control_character(path: &str) -> bool {
    path.split('%').skip(1).any(|rest| {
        rest.get(..2).and_then(|hex| u8::from_str_radix(hex, 16).ok()).is_some_and(|b| b < 0x20 || b == 0x7f)
    })
}

pub(crate) async fn protective_headers(request: Request, next: Next) -> Response {
    let is_desk = request.uri().path().starts_with("/desk");
    let mut response = next.run(request).await;
    add_protective_headers(response.headers_mut(), is_desk);
    response
}

// Named once: a name given as text is parsed and hashed again on every answer.
const PERMISSIONS_POLICY: header::HeaderName = header::HeaderName::from_static("permissions-policy");
const CROSS_ORIGIN_OPENER_POLICY: header::HeaderName = header::HeaderName::from_static("cross-origin-opener-policy");

/// The headers [`protective_headers`] adds, for an answer made before the layers.
pub(crate) fn add_protective_headers(headers: &mut axum::http::HeaderMap, is_desk: bool) {
    headers.insert(header::CONTENT_SECURITY_POLICY, content_security_policy().clone());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(
        PERMISSIONS_POLICY,
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    headers.insert(CROSS_ORIGIN_OPENER_POLICY, HeaderValue::from_static("same-origin"));
    if is_desk {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
}
