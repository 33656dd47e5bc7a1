//! Sound and video files served as players need them: whole, or in the byte range asked
//! for (RFC 9110, section 14: `206` with `Content-Range`, `416` with the size for a range
//! past the end, `If-Range` honoured, several ranges coalesced into the one that covers them,
//! more than [`MOST_RANGES`] refused), with only the part asked for read from the media
//! store. iOS and podcast apps seek this way; a file served without ranges cannot be seeked.

use crate::error::WebError;
use crate::state::AppState;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// More ranges than this in one request is an attack, not a player.
const MOST_RANGES: usize = 100;

/// A name an upload could have: anything else is simply not there (404, no trip to the
/// store, no log line holding the whole name).
pub(crate) fn plausible_key(key: &str) -> bool {
    key.len() <= 512 && !key.chars().any(char::is_control) && dateline_media::is_plain_key(key)
}

/// A stored file to serve, as its row describes it.
pub(crate) struct StoredFile<'a> {
    pub key: &'a str,
    pub size: u64,
    pub mime_type: &'a str,
    /// A strong validator: the file's bytes never change under its key.
    pub etag: String,
}

/// The byte range a request asks for, as `start..end` (end exclusive) within `size`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RangeAsked {
    Whole,
    Part(u64, u64),
    Unsatisfiable,
}

/// Reads a `Range` header (RFC 9110, section 14): one range, or several coalesced into the
/// one range that covers them all (a player never asks for more than one; the rule keeps a
/// request for a thousand small ranges from costing more than one). A header that is not a
/// byte range is ignored, as the RFC says; a range that starts past the end is unsatisfiable.
pub(crate) fn range_asked(header: Option<&str>, size: u64) -> RangeAsked {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return RangeAsked::Whole };
    let parts: Vec<&str> = spec.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return RangeAsked::Whole;
    }
    if parts.len() > MOST_RANGES {
        return RangeAsked::Unsatisfiable;
    }
    let mut covered: Option<(u64, u64)> = None;
    for part in parts {
        let Some((first, last)) = part.split_once('-') else { return RangeAsked::Whole };
        let (first, last) = (first.trim(), last.trim());
        let range = match (first.parse::<u64>(), last.parse::<u64>()) {
            (Ok(start), Ok(end)) if end >= start => Some((start, end.saturating_add(1).min(size))),
            (Ok(start), Err(_)) if last.is_empty() => Some((start, size)),
            (Err(_), Ok(suffix)) if first.is_empty() => (suffix > 0).then(|| (size.saturating_sub(suffix), size)),
            _ => return RangeAsked::Whole,
        };
        let Some((start, end)) = range.filter(|(start, _)| *start < size) else { continue };
        covered = Some(match covered {
            Some((s, e)) => (s.min(start), e.max(end)),
            None => (start, end),
        });
    }
    match covered {
        Some((start, end)) => RangeAsked::Part(start, end),
        None => RangeAsked::Unsatisfiable,
    }
}

/// The file, whole or the range asked for; with the range served (`start..end`), if any
/// bytes were.
pub(crate) async fn respond(
    state: &AppState,
    file: &StoredFile<'_>,
    method: &Method,
    headers: &HeaderMap,
) -> Result<(Response, Option<(u64, u64)>), WebError> {
    let size = file.size;
    let header_text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if header_text(header::IF_NONE_MATCH).is_some_and(|tags| tags.split(',').any(|t| t.trim() == file.etag)) {
        return Ok(((StatusCode::NOT_MODIFIED, [(header::ETAG, file.etag.clone())]).into_response(), None));
    }
    // If-Range: the range holds only for the version of the file the client has part of.
    let range_holds = header_text(header::IF_RANGE).is_none_or(|tag| tag.trim() == file.etag);
    let asked = if range_holds { range_asked(header_text(header::RANGE), size) } else { RangeAsked::Whole };
    let (status, start, end) = match asked {
        RangeAsked::Whole => (StatusCode::OK, 0, size),
        RangeAsked::Part(start, end) => (StatusCode::PARTIAL_CONTENT, start, end),
        RangeAsked::Unsatisfiable => {
            let refused = (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}")), (header::ACCEPT_RANGES, "bytes".to_owned())],
            );
            return Ok((refused.into_response(), None));
        }
    };
    let body = if *method == Method::HEAD {
        Body::empty()
    } else {
        match state.blobs().get_range(file.key, start..end).await {
            Ok(Some(bytes)) if bytes.len() as u64 == end - start => Body::from(bytes),
            Ok(_) => {
                tracing::warn!(key = %file.key, "a stored file is missing or shorter than recorded");
                return Err(WebError::NotFound);
            }
            Err(error) => {
                tracing::warn!(error = %error, key = %file.key, "a stored file could not be read");
                return Err(WebError::Unavailable);
            }
        }
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(file.mime_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start));
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(tag) = HeaderValue::from_str(&file.etag) {
        out.insert(header::ETAG, tag);
    }
    if status == StatusCode::PARTIAL_CONTENT {
        if let Ok(range) = HeaderValue::from_str(&format!("bytes {start}-{}/{size}", end - 1)) {
            out.insert(header::CONTENT_RANGE, range);
        }
    }
    let served = (*method != Method::HEAD).then_some((start, end));
    Ok((response, served))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(range_asked(None, 100), RangeAsked::Whole);
        assert_eq!(range_asked(Some("bytes=0-1"), 100), RangeAsked::Part(0, 2));
        assert_eq!(range_asked(Some("bytes=90-"), 100), RangeAsked::Part(90, 100));
        assert_eq!(range_asked(Some("bytes=-10"), 100), RangeAsked::Part(90, 100));
        assert_eq!(range_asked(Some("bytes=50-5000"), 100), RangeAsked::Part(50, 100));
        assert_eq!(range_asked(Some("bytes=100-"), 100), RangeAsked::Unsatisfiable);
        assert_eq!(range_asked(Some("bytes=0-1,5-9,3-6"), 100), RangeAsked::Part(0, 10));
        assert_eq!(range_asked(Some("items=0-1"), 100), RangeAsked::Whole);
        assert_eq!(range_asked(Some("bytes=5-1"), 100), RangeAsked::Whole);
        let thousand = (0..1000).map(|i| format!("{i}-{i}")).collect::<Vec<_>>().join(",");
        assert_eq!(range_asked(Some(&format!("bytes={thousand}")), 5000), RangeAsked::Unsatisfiable);
    }
}
