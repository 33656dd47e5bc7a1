//! A story's video on the desk (`/desk/stories/{id}/video`): paste a YouTube or Vimeo link,
//! or upload an MP4 or WebM file with a poster picture from the library and optional
//! captions; or take the video off. Whoever may edit the story may do this. An uploaded file
//! is checked whole before it is kept, and removed again if the story's video cannot be
//! written.

use super::session::Desk;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, Response};
use dateline_newsroom::prelude::*;
use dateline_newsroom::video::{check_video, NewVideoSource, VideoDraft, VideoSource};
use dateline_newsroom::{ArticleId, MediaId};
use serde::Serialize;

#[derive(Serialize)]
struct PosterChoice {
    id: i64,
    name: String,
}

#[derive(Serialize)]
struct VideoPage {
    story_id: i64,
    headline: String,
    current: Option<String>,
    title: String,
    description: String,
    link: String,
    poster_id: String,
    posters: Vec<PosterChoice>,
    errors: Vec<String>,
    saved: bool,
    max_video_mb: usize,
}

#[derive(Default)]
struct Entered {
    title: String,
    description: String,
    link: String,
    poster_id: String,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    id: ArticleId,
    entered: Option<Entered>,
    errors: Vec<String>,
    saved: bool,
) -> Result<Html<String>, WebError> {
    let story = state.store().article_by_id(id).await?;
    if !dateline_newsroom::editing::may_edit(&desk.session.user, &story) {
        return Err(WebError::Forbidden);
    }
    let video = crate::site::video::video_of(state, id).await?;
    let current = video.as_ref().map(|v| match &v.source {
        VideoSource::File { file, .. } => format!(
            "{}: an uploaded {} file, {}×{}, {}",
            v.title,
            file.mime_type,
            file.width,
            file.height,
            dateline_newsroom::podcasts::clock(file.duration_ms)
        ),
        VideoSource::Linked { provider, id } => format!("{}: {}", v.title, provider.watch_url(id)),
    });
    let entered = entered.unwrap_or_else(|| match &video {
        Some(v) => Entered {
            title: v.title.clone(),
            description: v.description.clone(),
            link: match &v.source {
                VideoSource::Linked { provider, id } => provider.watch_url(id),
                VideoSource::File { .. } => String::new(),
            },
            poster_id: match &v.source {
                VideoSource::File { poster, .. } => poster.0.to_string(),
                VideoSource::Linked { .. } => String::new(),
            },
        },
        None => Entered::default(),
    });
    let chosen_poster: Vec<MediaId> = entered.poster_id.parse().ok().map(MediaId).into_iter().collect();
    let posters = super::stories::library_photos_keeping(state.store(), 500, &chosen_poster)
        .await?
        .into_iter()
        .map(|m| PosterChoice {
            id: m.id.0,
            name: format!(
                "{} ({}×{})",
                if m.caption.is_empty() { m.storage_key.clone() } else { m.caption.clone() },
                m.width,
                m.height
            ),
        })
        .collect();
    let content = VideoPage {
        story_id: id.0,
        headline: story.content.headline.clone(),
        current,
        title: entered.title,
        description: entered.description,
        link: entered.link,
        poster_id: entered.poster_id,
        posters,
        errors,
        saved,
        max_video_mb: state.settings().ingest.max_video_bytes / (1024 * 1024),
    };
    desk.render(state, "desk/video.html", content).await
}

pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    crate::query::Query(asked): crate::query::Query<crate::query::SavedNotice>,
) -> Result<Html<String>, WebError> {
    page(&state, &desk, super::stories::parse_story_id(&id)?, None, Vec::new(), asked.is_saved()).await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let video_limit = state.settings().ingest.max_video_bytes;
    let limits = [("video", video_limit), ("captions", dateline_newsroom::timed_text::MAX_TRANSCRIPT_BYTES + 1)];
    let (mut sent, story) = super::uploads::story_form(&state, &desk, &id, multipart, &limits).await?;
    let id = story.id;
    let back = format!("/desk/stories/{id}/video?saved=1");
    if sent.get("action") == "remove" {
        return match state.store().remove_story_video(id, state.now()).await {
            Ok(()) | Err(dateline_newsroom::StoreError::NotFound) => Ok(super::see_other(&back)),
            Err(other) => Err(other.into()),
        };
    }
    let entered = Entered {
        title: sent.get("title").to_owned(),
        description: sent.get("description").to_owned(),
        link: sent.get("link").to_owned(),
        poster_id: sent.get("poster_id").to_owned(),
    };
    if let Some(field) = sent.too_large {
        let why = match field {
            "video" => format!("video: The file is larger than {} MB.", video_limit / (1024 * 1024)),
            _ => "captions: Captions are at most 2 MB.".to_owned(),
        };
        return Ok(super::unprocessable(page(&state, &desk, id, Some(entered), vec![why], false).await?));
    }
    let file = sent.file("video");
    let poster_exists = match entered.poster_id.trim().parse::<i64>() {
        Ok(poster) => state.store().media_by_id(MediaId(poster)).await.is_ok(),
        Err(_) => false,
    };
    let draft = VideoDraft {
        title: entered.title.clone(),
        description: entered.description.clone(),
        link: entered.link.clone(),
        poster_id: entered.poster_id.clone(),
        captions_upload: sent.file("captions").map(|f| f.bytes),
        with_file: file.is_some(),
    };
    let checked = match check_video(&draft, poster_exists) {
        Ok(checked) => checked,
        Err(errors) => {
            let errors = errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
            return Ok(super::unprocessable(page(&state, &desk, id, Some(entered), errors, false).await?));
        }
    };
    let (source, kept) = match (checked.link, file) {
        (Some((provider, external)), _) => (NewVideoSource::Linked { provider, id: external }, None),
        (None, Some(file)) => {
            match dateline_intake::video::keep(state.intake(), file.bytes, &file.content_type, &file.name, state.now())
                .await
            {
                Ok(kept) => (
                    NewVideoSource::File {
                        file: kept.clone(),
                        poster: checked.poster.ok_or(WebError::BadRequest("A poster is needed.".into()))?,
                        captions: checked.captions,
                    },
                    Some(kept),
                ),
                Err(problem) => {
                    let errors = vec![format!("video: {problem}.")];
                    return Ok(super::unprocessable(page(&state, &desk, id, Some(entered), errors, false).await?));
                }
            }
        }
        (None, None) => return Err(WebError::BadRequest("Give a link or a file.".into())),
    };
    match state.store().set_story_video(id, &checked.title, &checked.description, &source, state.now()).await {
        Ok(_) => Ok(super::see_other(&back)),
        Err(error) => {
            if let Some(kept) = &kept {
                dateline_intake::video::discard(state.intake(), kept).await;
            }
            Err(error.into())
        }
    }
}
