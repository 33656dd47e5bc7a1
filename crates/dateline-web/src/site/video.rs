//! A story's video on the reader site: what the article page shows of it (the browser's own
//! `<video>` player with a poster and captions for a file the paper keeps; a facade for a
//! platform's video, which loads the platform's player only when the reader clicks), its
//! `VideoObject` JSON-LD, and the files: `/video/{key}` in byte ranges and
//! `/captions/{story}.vtt` (WebVTT, whatever the desk uploaded).

use super::feeds::absolute;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use dateline_newsroom::prelude::*;
use dateline_newsroom::timed_text::{Transcript, TranscriptFormat};
use dateline_newsroom::video::{StoryVideo, VideoSource};
use dateline_newsroom::{Article, ArticleId, MediaId};
use dateline_render::views::{ImageView, Lookup};
use serde::Serialize;

pub(crate) fn video_path(key: &str) -> String {
    format!("/video/{key}")
}

pub(crate) fn captions_path(id: ArticleId) -> String {
    format!("/captions/{id}.vtt")
}

/// What the article page draws of a story's video.
#[derive(Serialize)]
pub(crate) struct VideoView {
    title: String,
    description: String,
    /// `file` or `linked`.
    kind: &'static str,
    // A file the paper keeps.
    src: Option<String>,
    mime_type: Option<String>,
    width: u32,
    height: u32,
    poster: Option<ImageView>,
    captions_url: Option<String>,
    // A platform's video.
    provider: Option<&'static str>,
    embed_url: Option<String>,
    watch_url: Option<String>,
}

/// The story's video, if it has one.
pub(crate) async fn video_of(state: &AppState, id: ArticleId) -> Result<Option<StoryVideo>, WebError> {
    match state.store().story_video(id).await {
        Ok(video) => Ok(Some(video)),
        Err(dateline_newsroom::StoreError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// The poster a story's video needs from the photo library, for the page's lookup.
pub(crate) fn poster_of(video: &StoryVideo) -> Option<MediaId> {
    match &video.source {
        VideoSource::File { poster, .. } => Some(*poster),
        VideoSource::Linked { .. } => None,
    }
}

pub(crate) fn video_view(video: &StoryVideo, lookup: &Lookup) -> VideoView {
    let mut view = VideoView {
        title: video.title.clone(),
        description: video.description.clone(),
        kind: "file",
        src: None,
        mime_type: None,
        width: 16,
        height: 9,
        poster: None,
        captions_url: None,
        provider: None,
        embed_url: None,
        watch_url: None,
    };
    match &video.source {
        VideoSource::File { file, poster, captions } => {
            view.src = Some(video_path(&file.storage_key));
            view.mime_type = Some(file.mime_type.clone());
            (view.width, view.height) = (file.width.max(1), file.height.max(1));
            view.poster = lookup.image(Some(*poster));
            view.captions_url = captions.as_ref().map(|_| captions_path(video.article_id));
        }
        VideoSource::Linked { provider, id } => {
            view.kind = "linked";
            view.provider = Some(provider.name());
            view.embed_url = Some(provider.embed_url(id));
            view.watch_url = Some(provider.watch_url(id));
        }
    }
    view
}

/// The page's `VideoObject`.
pub(crate) fn video_structured_data(
    state: &AppState,
    article: &Article,
    video: &StoryVideo,
    lookup: &Lookup,
    fallback_image: Option<String>,
) -> dateline_feeds::jsonld::VideoData {
    let (content_url, embed_url, duration, thumbnail) = match &video.source {
        VideoSource::File { file, poster, .. } => (
            Some(absolute(state, &video_path(&file.storage_key))),
            None,
            Some(super::podcasts::iso_duration(file.duration_ms)),
            lookup.image(Some(*poster)).map(|i| absolute(state, &i.src)),
        ),
        VideoSource::Linked { provider, id } => (None, Some(provider.player_url(id)), None, None),
    };
    dateline_feeds::jsonld::VideoData {
        name: video.title.clone(),
        description: if video.description.is_empty() {
            article.content.headline.clone()
        } else {
            video.description.clone()
        },
        thumbnail: thumbnail.or(fallback_image),
        upload_date: video.added_at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        duration,
        content_url,
        embed_url,
    }
}

/// Captions as WebVTT, which is what `<track>` plays: an SRT file's cues are rewritten with
/// WebVTT's header and decimal points.
fn as_webvtt(captions: &Transcript) -> String {
    match captions.format {
        TranscriptFormat::WebVtt => captions.text.clone(),
        TranscriptFormat::Srt => {
            let mut out = String::from("WEBVTT\n\n");
            for line in captions.text.lines() {
                if line.contains("-->") {
                    out.push_str(&line.replace(',', "."));
                } else {
                    out.push_str(line);
                }
                out.push('\n');
            }
            out
        }
    }
}

/// `/captions/{story}.vtt`: a public story's video captions.
pub(crate) async fn captions(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, WebError> {
    let id = file.strip_suffix(".vtt").ok_or(WebError::NotFound)?;
    let article = super::article::public_article(&state, super::article::parse_id(id)?).await?;
    let video = video_of(&state, article.id).await?.ok_or(WebError::NotFound)?;
    let VideoSource::File { captions: Some(captions), .. } = &video.source else { return Err(WebError::NotFound) };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/vtt; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        as_webvtt(captions),
    )
        .into_response())
}

/// `/video/{key}`: a story's video file, whole or in the range asked for.
pub(crate) async fn video_file(
    State(state): State<AppState>,
    Path(key): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if !super::streams::plausible_key(&key) {
        return Err(WebError::NotFound);
    }
    let (story, file) = match state.store().video_file_by_key(&key).await {
        Ok(found) => found,
        Err(dateline_newsroom::StoreError::NotFound) => return Err(WebError::NotFound),
        Err(other) => return Err(other.into()),
    };
    super::article::public_article(&state, story).await?;
    let stored = super::streams::StoredFile {
        key: &key,
        size: file.byte_size,
        mime_type: &file.mime_type,
        etag: format!("\"v{}-{}\"", file.id, file.byte_size),
    };
    Ok(super::streams::respond(&state, &stored, &method, &headers).await?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srt_captions_become_webvtt() {
        let srt = Transcript::read(b"1\n00:00:01,000 --> 00:00:02,500\nHello.\n").expect("srt");
        let vtt = as_webvtt(&srt);
        assert!(vtt.starts_with("WEBVTT\n\n"));
        assert!(vtt.contains("00:00:01.000 --> 00:00:02.500"));
        assert_eq!(Transcript::read(vtt.as_bytes()).expect("vtt").format, TranscriptFormat::WebVtt);
    }
}
