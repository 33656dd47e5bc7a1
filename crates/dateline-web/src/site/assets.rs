//! Files: the theme's static assets (content-hashed names, cached for a year) and uploaded
//! media from the local media folder.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::path::{Component, PathBuf};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub(crate) async fn theme_asset(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, WebError> {
    let asset = state.theme().asset(&file).ok_or(WebError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, asset.content_type), (header::CACHE_CONTROL, IMMUTABLE)], asset.bytes.to_vec())
        .into_response())
}

/// `/favicon.ico`, which browsers and crawlers ask for whatever the page links: the theme's icon.
pub(crate) async fn favicon(State(state): State<AppState>) -> Result<Response, WebError> {
    let url = state.theme().asset_url("favicon.png").ok_or(WebError::NotFound)?;
    let asset = state.theme().asset(url.trim_start_matches("/static/")).ok_or(WebError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, asset.content_type), (header::CACHE_CONTROL, "public, max-age=86400")],
        asset.bytes.to_vec(),
    )
        .into_response())
}

/// A media key is a relative path of plain names: nothing may climb out of the media folder.
fn safe_relative_path(key: &str) -> Option<PathBuf> {
    let path = std::path::Path::new(key);
    let plain = !key.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| path.to_path_buf())
}

fn media_type(key: &str) -> &'static str {
    match key.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        _ => "application/octet-stream",
    }
}

pub(crate) async fn media_file(State(state): State<AppState>, Path(key): Path<String>) -> Result<Response, WebError> {
    // A name no upload could have (a NUL, a control character, an absurd length) is simply
    // not there: 404, without a trip to the store or a log line holding the whole name.
    if key.len() > 512 || key.chars().any(char::is_control) || !dateline_media::is_plain_key(&key) {
        return Err(WebError::NotFound);
    }
    safe_relative_path(&key).ok_or(WebError::NotFound)?;
    let bytes = match state.blobs().get(&key).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) | Err(dateline_media::BlobError::BadKey(_)) => return Err(WebError::NotFound),
        Err(other) => {
            let excerpt: String = key.chars().take(120).collect();
            tracing::warn!(error = %other.to_string().chars().take(300).collect::<String>(), key = %excerpt, "a media file could not be read");
            return Err(WebError::Unavailable);
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, media_type(&key)),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_keys_cannot_climb_out_of_the_media_folder() {
        assert!(safe_relative_path("demo/harbour.png").is_some());
        for bad in ["../etc/passwd", "/etc/passwd", "demo/../../x", ""] {
            assert!(safe_relative_path(bad).is_none(), "{bad}");
        }
    }
}
