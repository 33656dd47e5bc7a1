//! The write API: what a key may do to stories and topics, through the same use cases as the
//! desk (`editing::create_story`, `editing::act`, `catalog::add_topic`), so roles, embargoes,
//! legal removals and the version check hold the same way, and every write leaves the same
//! revision history, naming the key. Bodies are JSON and read strictly: an unknown field is
//! refused (422), not ignored; texts lose their control characters as on the desk.

use super::keys::ApiCaller;
use super::shapes::TopicRef;
use crate::desk::without_control_characters;
use crate::error::WebError;
use crate::site::chrome;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dateline_newsroom::catalog::{add_topic, change_topic, TopicFields};
use dateline_newsroom::editing::{self, EditError, SaveKind, StoryDraft, StoryRequest};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{Article, ArticleId, Label, Slug, TopicId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A story's text as a program sends it. Sections, authors and topics are named as readers
/// see them (a path, slugs); the body is Markdown.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoryText {
    pub headline: String,
    #[serde(default)]
    pub deck: String,
    /// Empty or absent: made from the headline.
    #[serde(default)]
    pub slug: String,
    /// The home section's path (`national/politics`).
    pub section: String,
    /// Authors' slugs, in byline order.
    #[serde(default)]
    pub bylines: Vec<String>,
    /// `opinion`, `editorial`, `analysis`, `review`, `interview` or `obituary`.
    #[serde(default)]
    pub label: Option<String>,
    /// Topics' slugs.
    #[serde(default)]
    pub topics: Vec<String>,
    /// A photo of the library, by number.
    #[serde(default)]
    pub lead_photo: Option<i64>,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub seo_title: String,
    #[serde(default)]
    pub seo_description: String,
    /// Where and when the story was filed, shown at the start of its body
    /// ("SEOUL, Nov. 29 (Hanbit News) --"); at most 100 characters.
    #[serde(default)]
    pub dateline: String,
    /// Not to be published before this instant (RFC 3339).
    #[serde(default)]
    pub embargo_until: Option<String>,
}

/// A change to an existing story: the version it was read at, and perhaps its text.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoryChange {
    /// The story's `version` when it was read; a save in between answers 409.
    pub version: i64,
    /// New text saved in the same change and revision.
    #[serde(default)]
    pub story: Option<StoryText>,
    /// For a save of a published story: a change readers should know of (sets "Updated").
    #[serde(default)]
    pub public_update: bool,
    /// For `schedule`: when (RFC 3339).
    #[serde(default)]
    pub at: Option<String>,
    /// For `corrections`: the correction's text.
    #[serde(default)]
    pub text: Option<String>,
}

/// What a story is now, after a write.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StoryState {
    pub id: i64,
    /// `draft`, `in_review`, `scheduled`, `published`, `unpublished` or `removed`.
    pub status: String,
    pub version: i64,
    pub headline: String,
    /// The story on the desk.
    pub desk_url: String,
    /// Where readers find it, once public.
    pub url: String,
}

fn state_of(state: &AppState, article: &Article) -> StoryState {
    StoryState {
        id: article.id.0,
        status: article.status.as_str().to_owned(),
        version: article.version,
        headline: article.content.headline.clone(),
        desk_url: crate::site::feeds::absolute(state, &format!("/desk/stories/{}", article.id)),
        url: crate::site::feeds::absolute(
            state,
            &dateline_render::views::article_url(article.id, &article.content.slug),
        ),
    }
}

fn invalid(field: &'static str, detail: impl Into<String>) -> WebError {
    WebError::Refused {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        detail: detail.into(),
        field: Some(field),
    }
}

/// A body that is not the JSON this route takes, in the one error shape.
fn unreadable(rejection: JsonRejection) -> WebError {
    let status = rejection.status();
    let code = match status {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        _ => "bad_request",
    };
    WebError::refused(status, code, rejection.body_text())
}

fn instant(field: &'static str, text: &str) -> Result<jiff::Timestamp, WebError> {
    text.trim()
        .parse()
        .map_err(|_| invalid(field, format!("{field} must be an instant such as 2026-11-28T09:30:00+09:00")))
}

/// What a slug names (an author, a topic), found by `find`; one that names nothing is refused
/// as the field's problem.
async fn named<T, F, Fut>(field: &'static str, what: &str, name: &str, find: F) -> Result<T, WebError>
where
    F: FnOnce(Slug) -> Fut,
    Fut: std::future::Future<Output = Result<T, dateline_newsroom::StoreError>>,
{
    let missing = || invalid(field, format!("there is no {what} {name:?}"));
    let slug = Slug::parse(name.trim()).map_err(|_| missing())?;
    match find(slug).await {
        Ok(found) => Ok(found),
        Err(dateline_newsroom::StoreError::NotFound) => Err(missing()),
        Err(other) => Err(other.into()),
    }
}

/// The story text as the domain's draft: names become ids, unknown ones are refused by field.
async fn draft_of(state: &AppState, text: StoryText) -> Result<StoryDraft, WebError> {
    let clean = |t: &str| without_control_characters(t);
    let store = state.store();
    let chrome = chrome::load(state, state.now()).await?;
    let section = chrome
        .tree
        .by_path(text.section.trim().trim_matches('/'))
        .ok_or_else(|| invalid("section", format!("there is no section {:?}", text.section)))?;
    let mut bylines = Vec::new();
    for name in &text.bylines {
        bylines.push(
            named("bylines", "author", name, |slug| async move { store.author_by_slug(&slug).await.map(|a| a.id) })
                .await?,
        );
    }
    let mut topics = Vec::new();
    for name in &text.topics {
        topics.push(
            named("topics", "topic", name, |slug| async move { store.topic_by_slug(&slug).await.map(|t| t.id) })
                .await?,
        );
    }
    let label = match text.label.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(Label::parse(name).ok_or_else(|| {
            invalid("label", "the label must be opinion, editorial, analysis, review, interview or obituary")
        })?),
    };
    let embargo_until = text.embargo_until.as_deref().map(|t| instant("embargo_until", t)).transpose()?;
    Ok(StoryDraft {
        headline: clean(&text.headline),
        deck: clean(&text.deck),
        slug: clean(&text.slug),
        section_id: Some(section.id),
        bylines,
        label,
        topics,
        lead_media_id: text.lead_photo.map(dateline_newsroom::MediaId),
        body: clean(&text.body),
        seo_title: clean(&text.seo_title),
        seo_description: clean(&text.seo_description),
        dateline: clean(&text.dateline),
        embargo_until,
    })
}

/// The domain's refusal as an answer. A stale version says which version is current.
async fn refusal(state: &AppState, id: Option<ArticleId>, error: EditError) -> WebError {
    match error {
        EditError::Invalid(problems) => {
            let first = problems.first();
            let detail = problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; ");
            WebError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                detail,
                field: first.map(|p| p.field),
            }
        }
        EditError::NotAllowed => WebError::Forbidden,
        EditError::Conflict => {
            let current = match id {
                Some(id) => state.store().article_by_id(id).await.map(|a| a.version).ok(),
                None => None,
            };
            WebError::Conflict(match current {
                Some(version) => format!("the story was saved by someone else; its current version is {version}"),
                None => "the story was saved by someone else".to_owned(),
            })
        }
        EditError::Store(error) => error.into(),
        other => WebError::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "not_possible",
            detail: other.to_string(),
            field: None,
        },
    }
}

fn story_id(text: &str) -> Result<ArticleId, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).map(ArticleId).ok_or(WebError::NotFound)
}

#[utoipa::path(post, path = "/api/v1/stories", tag = "write", request_body = StoryText,
    responses(
        (status = 201, description = "A new draft", body = StoryState),
        (status = 400, description = "Not JSON", body = crate::error::ApiErrors),
        (status = 401, description = "No usable key", body = crate::error::ApiErrors),
        (status = 403, description = "The key's role may not write", body = crate::error::ApiErrors),
        (status = 415, description = "Not application/json", body = crate::error::ApiErrors),
        (status = 422, description = "A field that cannot be used, or one not known", body = crate::error::ApiErrors),
        (status = 429, description = "Over the key's rate", body = crate::error::ApiErrors),
    ),
    security(("api_key" = [])))]
pub(crate) async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<Json<StoryText>, JsonRejection>,
) -> Result<Response, WebError> {
    let Json(text) = body.map_err(unreadable)?;
    let draft = draft_of(&state, text).await?;
    let id = match editing::create_story(state.store(), &caller.user, &draft, state.now()).await {
        Ok(id) => id,
        Err(error) => return Err(refusal(&state, None, error).await),
    };
    let article = state.store().article_by_id(id).await?;
    Ok((StatusCode::CREATED, Json(state_of(&state, &article))).into_response())
}

/// The actions a change can ask for, by the last segment of its address.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum StoryAction {
    Save,
    Submit,
    Publish,
    Schedule,
    Unpublish,
    Corrections,
}

#[utoipa::path(post, path = "/api/v1/stories/{id}/{action}", tag = "write", request_body = StoryChange,
    params(("id" = i64, Path, minimum = 1, description = "The story's number"),
           ("action" = StoryAction, Path, description = "save, submit, publish, schedule, unpublish or corrections")),
    responses(
        (status = 200, description = "The story as it is now", body = StoryState),
        (status = 400, description = "Not JSON", body = crate::error::ApiErrors),
        (status = 401, description = "No usable key", body = crate::error::ApiErrors),
        (status = 403, description = "The key's role may not do this to this story", body = crate::error::ApiErrors),
        (status = 404, description = "No such story or action", body = crate::error::ApiErrors),
        (status = 409, description = "Saved by someone else since `version`; the detail names the current version", body = crate::error::ApiErrors),
        (status = 415, description = "Not application/json", body = crate::error::ApiErrors),
        (status = 422, description = "A field that cannot be used, or an action the story's state does not allow", body = crate::error::ApiErrors),
        (status = 429, description = "Over the key's rate", body = crate::error::ApiErrors),
    ),
    security(("api_key" = [])))]
pub(crate) async fn act(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, action)): Path<(String, String)>,
    body: Result<Json<StoryChange>, JsonRejection>,
) -> Result<Response, WebError> {
    let id = story_id(&id)?;
    let action: StoryAction =
        serde_json::from_value(serde_json::Value::String(action)).map_err(|_| WebError::NotFound)?;
    let Json(change) = body.map_err(unreadable)?;
    let draft = match change.story {
        Some(text) => Some(draft_of(&state, text).await?),
        None => None,
    };
    let request = match action {
        StoryAction::Save => StoryRequest::Save {
            draft: draft.ok_or_else(|| invalid("story", "a save needs the story's text"))?,
            kind: if change.public_update { SaveKind::PublicUpdate } else { SaveKind::Quiet },
        },
        StoryAction::Submit => StoryRequest::Submit { draft, note: None },
        StoryAction::Publish => StoryRequest::Publish { draft },
        StoryAction::Schedule => StoryRequest::Schedule {
            draft,
            at: instant("at", change.at.as_deref().ok_or_else(|| invalid("at", "schedule needs at, an instant"))?)?,
        },
        StoryAction::Unpublish => StoryRequest::Unpublish,
        StoryAction::Corrections => StoryRequest::Correct {
            text: without_control_characters(change.text.as_deref().unwrap_or("")).trim().to_owned(),
        },
    };
    match editing::act(state.store(), &caller.user, id, change.version, request, state.now()).await {
        Ok(article) => Ok(Json(state_of(&state, &article)).into_response()),
        Err(error) => Err(refusal(&state, Some(id), error).await),
    }
}

/// A topic as a program sends it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TopicText {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl From<TopicText> for TopicFields {
    fn from(text: TopicText) -> Self {
        TopicFields {
            slug: without_control_characters(&text.slug),
            name: without_control_characters(&text.name),
            description: without_control_characters(&text.description),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/topics", tag = "write", request_body = TopicText,
    responses(
        (status = 201, description = "The new topic", body = TopicRef),
        (status = 400, description = "Not JSON", body = crate::error::ApiErrors),
        (status = 401, description = "No usable key", body = crate::error::ApiErrors),
        (status = 403, description = "The key's role may not manage topics", body = crate::error::ApiErrors),
        (status = 409, description = "The slug is taken", body = crate::error::ApiErrors),
        (status = 415, description = "Not application/json", body = crate::error::ApiErrors),
        (status = 422, description = "A field that cannot be used, or one not known", body = crate::error::ApiErrors),
        (status = 429, description = "Over the key's rate", body = crate::error::ApiErrors),
    ),
    security(("api_key" = [])))]
pub(crate) async fn create_topic(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<Json<TopicText>, JsonRejection>,
) -> Result<Response, WebError> {
    let Json(text) = body.map_err(unreadable)?;
    let topic = add_topic(state.store(), &caller.user, &text.into()).await?;
    Ok((StatusCode::CREATED, Json(TopicRef::new(&state, &topic))).into_response())
}

#[utoipa::path(put, path = "/api/v1/topics/{id}", tag = "write", request_body = TopicText,
    params(("id" = i64, Path, minimum = 1, description = "The topic's number")),
    responses(
        (status = 200, description = "The topic as it is now", body = TopicRef),
        (status = 400, description = "Not JSON", body = crate::error::ApiErrors),
        (status = 401, description = "No usable key", body = crate::error::ApiErrors),
        (status = 403, description = "The key's role may not manage topics", body = crate::error::ApiErrors),
        (status = 404, description = "No such topic", body = crate::error::ApiErrors),
        (status = 409, description = "The slug is taken", body = crate::error::ApiErrors),
        (status = 415, description = "Not application/json", body = crate::error::ApiErrors),
        (status = 422, description = "A field that cannot be used, or one not known", body = crate::error::ApiErrors),
        (status = 429, description = "Over the key's rate", body = crate::error::ApiErrors),
    ),
    security(("api_key" = [])))]
pub(crate) async fn update_topic(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Result<Json<TopicText>, JsonRejection>,
) -> Result<Response, WebError> {
    let id = TopicId(id.parse::<i64>().ok().filter(|id| *id > 0).ok_or(WebError::NotFound)?);
    let Json(text) = body.map_err(unreadable)?;
    let topic = change_topic(state.store(), &caller.user, id, &text.into()).await?;
    Ok(Json(TopicRef::new(&state, &topic)).into_response())
}

/// The parts of a photo upload, for the OpenAPI document.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub(crate) struct PhotoUpload {
    /// The image (JPEG, PNG, WebP or GIF), with its content type.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    caption: Option<String>,
    credit: String,
    /// Alt text: what the photo shows, for readers who cannot see it.
    alt_text: String,
    photographer: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/photos", tag = "write",
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The photo, in the library", body = super::shapes::Photo),
        (status = 400, description = "Not a multipart body, or one cut short", body = crate::error::ApiErrors),
        (status = 401, description = "No usable key", body = crate::error::ApiErrors),
        (status = 403, description = "The key's role may not add photos", body = crate::error::ApiErrors),
        (status = 413, description = "Larger than the upload limit", body = crate::error::ApiErrors),
        (status = 415, description = "Not multipart/form-data", body = crate::error::ApiErrors),
        (status = 422, description = "Not a photo the paper can use, or a missing credit or alt text", body = crate::error::ApiErrors),
        (status = 429, description = "Over the key's rate", body = crate::error::ApiErrors),
    ),
    security(("api_key" = [])))]
pub(crate) async fn upload_photo(
    State(state): State<AppState>,
    caller: ApiCaller,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let mut multipart = multipart.map_err(|rejection| {
        let status = rejection.status();
        let code = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE { "unsupported_media_type" } else { "bad_request" };
        WebError::refused(status, code, rejection.body_text())
    })?;
    // Read only when admitted: a burst of uploads waits unread rather than filling memory.
    let _admitted = state.intake().images().admit().await.map_err(WebError::Internal)?;
    let limit = state.settings().max_image_bytes;
    let mut file: Option<(std::sync::Arc<[u8]>, String)> = None;
    let mut details = dateline_newsroom::MediaDetails::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| WebError::BadRequest(format!("The upload was cut short or is larger than {limit} bytes.")))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let content_type = field.content_type().unwrap_or("").to_owned();
            let mut bytes = Vec::new();
            let mut field = field;
            while let Some(chunk) =
                field.chunk().await.map_err(|_| WebError::BadRequest("The file was cut short.".into()))?
            {
                if (bytes.len() + chunk.len()) as u64 > limit {
                    return Err(WebError::refused(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "too_large",
                        format!("The file is larger than the limit of {limit} bytes."),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((std::sync::Arc::from(bytes), content_type));
            continue;
        }
        let value = without_control_characters(
            &field.text().await.map_err(|_| WebError::BadRequest("A part could not be read as text.".into()))?,
        );
        match name.as_str() {
            "caption" => details.caption = value,
            "credit" => details.credit = value,
            "alt_text" => details.alt_text = value,
            "photographer" => details.photographer = value,
            other => return Err(invalid("file", format!("the part {other:?} is not one this route takes"))),
        }
    }
    let (bytes, claimed) = file.ok_or_else(|| invalid("file", "send the image in a part named file"))?;
    let found = dateline_intake::photos::check(state.intake(), bytes.clone(), &claimed)
        .await
        .map_err(|problem| invalid("file", format!("this photo cannot be used: {problem}")))?;
    // What the program left empty, the file may say (its IPTC and XMP).
    dateline_intake::photos::fill_from_file(&mut details, &bytes, &found);
    if let Some((field, problem)) = details.problems().into_iter().next() {
        return Err(invalid(field, problem));
    }
    let texts = dateline_intake::PhotoTexts {
        caption: details.caption,
        credit: details.credit,
        alt_text: details.alt_text,
        photographer: details.photographer,
    };
    let media =
        dateline_intake::photos::add_to_library(state.intake(), &caller.user, bytes, &found, texts, state.now())
            .await?;
    Ok((StatusCode::CREATED, Json(super::shapes::Photo::new(&state, &media))).into_response())
}
