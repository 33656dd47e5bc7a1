//! `GET /api/v1/stories` (a page of public stories, newest first, with filters and a stable
//! cursor) and `GET /api/v1/stories/{id}` (one story as JSON, or as IPTC NinJS 2.2).

use super::shapes::{self, StoryList, StoryParts, TopicRef};
use super::{json, ninjs};
use crate::error::WebError;
use crate::page_cache::tag;
use crate::query::Query;
use crate::site::chrome;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{Label, Listing, SectionId, Slug, StoryCursor, StoryFilter, StoryForReaders, StoryHas};
use serde::Deserialize;
use utoipa::IntoParams;

/// Stories a page holds unless `limit` says otherwise, and the most it may say.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

/// Which stories to list. Every filter narrows; none lists the whole paper.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct StoryListAsked {
    /// A section's path (`national`, `national/politics`); a section includes its subsections.
    section: Option<String>,
    /// An author's slug (`kim-min-ji`, `yonhap`).
    author: Option<String>,
    /// A topic's slug (`typhoons`).
    topic: Option<String>,
    /// Only stories with this label.
    label: Option<LabelAsked>,
    /// Only stories first published or publicly updated at or after this instant (RFC 3339,
    /// `2026-11-28T00:00:00Z` or with an offset).
    #[param(value_type = Option<String>, format = DateTime)]
    updated_since: Option<String>,
    /// Stories per page (20 by default).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// Where the previous page ended (its `next_cursor`).
    #[param(pattern = r"^[0-9]{1,17}-[0-9]{1,18}$")]
    cursor: Option<String>,
}

/// The labels a story may carry, as the API names them.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LabelAsked {
    Opinion,
    Editorial,
    Analysis,
    Review,
    Interview,
    Obituary,
}

impl From<LabelAsked> for Label {
    fn from(asked: LabelAsked) -> Label {
        match asked {
            LabelAsked::Opinion => Label::Opinion,
            LabelAsked::Editorial => Label::Editorial,
            LabelAsked::Analysis => Label::Analysis,
            LabelAsked::Review => Label::Review,
            LabelAsked::Interview => Label::Interview,
            LabelAsked::Obituary => Label::Obituary,
        }
    }
}

fn bad(field: &'static str, detail: impl Into<String>) -> WebError {
    WebError::Refused {
        status: axum::http::StatusCode::BAD_REQUEST,
        code: "bad_request",
        detail: detail.into(),
        field: Some(field),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/stories",
    tag = "content",
    params(StoryListAsked),
    responses(
        (status = 200, description = "A page of public stories, newest first", body = StoryList),
        (status = 304, description = "Not modified since the ETag given in If-None-Match"),
        (status = 400, description = "A parameter that cannot be read", body = crate::error::ApiErrors),
        (status = 404, description = "No such section, author or topic", body = crate::error::ApiErrors),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(asked): Query<StoryListAsked>,
) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    let store = state.store();
    let limit = asked.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad("limit", format!("The limit must be a whole number from 1 to {MAX_LIMIT}.")));
    }
    let mut filter = StoryFilter { limit, ..StoryFilter::default() };
    let mut narrowed = false;
    if let Some(path) = asked.section.as_deref() {
        let section = chrome.tree.by_path(path.trim_matches('/')).ok_or(WebError::NotFound)?;
        let ids: Vec<SectionId> =
            std::iter::once(section.id).chain(chrome.tree.children(section.id).map(|c| c.id)).collect();
        chrome.shows_listing(&Listing::Sections(&ids));
        filter.sections = Some(ids);
        narrowed = true;
    }
    if let Some(slug) = asked.author.as_deref() {
        let slug = Slug::parse(slug).map_err(|_| WebError::NotFound)?;
        let author = store.author_by_slug(&slug).await?;
        chrome.shows_listing(&Listing::Author(author.id));
        filter.author = Some(author.id);
        narrowed = true;
    }
    if let Some(slug) = asked.topic.as_deref() {
        let slug = Slug::parse(slug).map_err(|_| WebError::NotFound)?;
        let topic = store.topic_by_slug(&slug).await?;
        chrome.shows_listing(&Listing::Topic(topic.id));
        filter.topic = Some(topic.id);
        narrowed = true;
    }
    if !narrowed {
        chrome.shows_listing(&Listing::Everything);
    }
    filter.label = asked.label.map(Label::from);
    if let Some(text) = asked.updated_since.as_deref() {
        let since: jiff::Timestamp = text
            .parse()
            .map_err(|_| bad("updated_since", "updated_since must be an instant such as 2026-11-28T00:00:00Z."))?;
        filter.changed_since = Some(since);
        // A story updated in place enters such a list: any change to a story may change it.
        chrome.shows(tag::ARCHIVE.to_owned());
    }
    if let Some(text) = asked.cursor.as_deref() {
        filter.after = Some(
            StoryCursor::decode(text)
                .ok_or_else(|| bad("cursor", "The cursor cannot be read; use the next_cursor of a page."))?,
        );
    }
    let stories = store.public_stories(chrome.now, &filter).await?;
    let refs: Vec<&_> = stories.iter().collect();
    let lookup = chrome::lookup_for(&state, &chrome, &refs, &[], &[]).await?;
    let next_cursor = (stories.len() == limit as usize)
        .then(|| stories.last().map(|s| StoryCursor { published_at: s.first_published_at, id: s.id }.encode()))
        .flatten();
    let next = next_cursor.as_ref().map(|cursor| next_page(&state, &asked, cursor));
    let body = StoryList {
        stories: stories.iter().map(|s| shapes::summary(&state, &lookup, &chrome.clock, s)).collect(),
        next_cursor,
        next,
    };
    Ok(json(&body, chrome.take_shows()))
}

fn next_page(state: &AppState, asked: &StoryListAsked, cursor: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("section", &asked.section),
        ("author", &asked.author),
        ("topic", &asked.topic),
        ("updated_since", &asked.updated_since),
    ] {
        if let Some(value) = value {
            query.append_pair(key, value);
        }
    }
    if let Some(label) = asked.label {
        query.append_pair("label", Label::from(label).as_str());
    }
    if let Some(limit) = asked.limit {
        query.append_pair("limit", &limit.to_string());
    }
    query.append_pair("cursor", cursor);
    crate::site::feeds::absolute(state, &format!("/api/v1/stories?{}", query.finish()))
}

/// How one story is wanted.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct StoryAsked {
    /// `ninjs` for IPTC NinJS 2.2 (the same as `Accept: application/ninjs+json`); `json`, or
    /// none, for this API's own JSON.
    format: Option<StoryFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum StoryFormat {
    Json,
    Ninjs,
}

/// Whether the client asked for NinJS, by `?format=ninjs` or by its `Accept` header.
pub(crate) fn wants_ninjs(format: Option<StoryFormat>, headers: &HeaderMap) -> Result<bool, WebError> {
    match format {
        Some(StoryFormat::Ninjs) => Ok(true),
        Some(StoryFormat::Json) => Ok(false),
        None => Ok(headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains(ninjs::MEDIA_TYPE))),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/stories/{id}",
    tag = "content",
    params(("id" = i64, Path, minimum = 1, description = "The story's number"), StoryAsked),
    responses(
        (status = 200, description = "The story with everything its article page shows, or as an IPTC NinJS 2.2 item",
         content((shapes::Story = "application/json"), (serde_json::Value = "application/ninjs+json"))),
        (status = 304, description = "Not modified since the ETag given in If-None-Match"),
        (status = 400, description = "A parameter that cannot be read", body = crate::error::ApiErrors),
        (status = 404, description = "No such story readers may see", body = crate::error::ApiErrors),
        (status = 410, description = "Removed for legal reasons", body = crate::error::ApiErrors),
    )
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(asked): Query<StoryAsked>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let id = crate::site::article::parse_id(&id)?;
    let as_ninjs = wants_ninjs(asked.format, &headers)?;
    let StoryForReaders { article, has } = crate::site::article::public_story(&state, id).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    tracing::Span::current().record("article.id", article.id.0);
    let (story, _) = whole_story(&state, &chrome, &article, has).await?;
    if as_ninjs {
        let site = &chrome.site;
        let item = ninjs::item(&story, &site.name, &site.language);
        let mut response = json(&item, chrome.take_shows());
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/ninjs+json; charset=utf-8"),
        );
        return Ok(response);
    }
    Ok(json(&story, chrome.take_shows()))
}

/// A story with everything its article page shows (noting what it shows in `chrome`, for the
/// page cache), and whether its lead photo may travel to partners. Only the parts the story
/// `has` are looked for.
pub(crate) async fn whole_story(
    state: &AppState,
    chrome: &chrome::Chrome,
    article: &dateline_newsroom::Article,
    has: StoryHas,
) -> Result<(shapes::Story, bool), WebError> {
    chrome.shows(tag::story(article.id));
    let video = if has.video { crate::site::video::video_of(state, article.id).await? } else { None };
    let poster = video.as_ref().and_then(crate::site::video::poster_of);
    let body_photos = dateline_newsroom::body::photo_references(&article.content.body);
    let lead: Vec<_> = article.content.lead_media_id.into_iter().chain(poster).chain(body_photos).collect();
    let lookup = chrome::lookup_for(state, chrome, &[], &article.content.bylines, &lead).await?;
    let topics: Vec<TopicRef> = if article.content.topics.is_empty() {
        Vec::new()
    } else {
        let all = state.store().topics().await?;
        article
            .content
            .topics
            .iter()
            .filter_map(|id| all.iter().find(|t| t.id == *id))
            .map(|t| {
                chrome.shows(tag::topic(t.id));
                TopicRef::new(state, t)
            })
            .collect()
    };
    let corrections = if has.corrections { state.store().corrections_of(article.id).await? } else { Vec::new() };
    let body_html = state.render_work().body_html(&article.content.body).await;
    let lead_redistributable =
        article.content.lead_media_id.and_then(|id| lookup.media.get(&id)).is_some_and(|m| m.redistributable);
    let mut story = shapes::story(
        state,
        StoryParts { article, lookup: &lookup, clock: &chrome.clock, topics, corrections: &corrections, body_html },
    );
    let episode = if has.podcast_episode { crate::site::podcasts::episode_of(state, article.id).await? } else { None };
    if let Some((episode, show)) = episode {
        chrome.shows(tag::podcast(show.id));
        story.episode = Some(shapes::episode_shape(state, &show, &episode));
    }
    story.video = video.map(|v| shapes::video_shape(state, &v, &lookup));
    Ok((story, lead_redistributable))
}
