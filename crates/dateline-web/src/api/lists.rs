//! The paper's lists as JSON: `GET /api/v1/lists/latest` ("Latest News"),
//! `/api/v1/lists/popular` ("Most Popular", by views over the last day) and
//! `/api/v1/corrections` (every correction to a public story, newest first).

use super::catalog::NoParameters;
use super::json;
use super::shapes::{self, CorrectionEntry, CorrectionList, ShortList};
use crate::error::WebError;
use crate::page_cache::tag;
use crate::query::{PageAsked, Query};
use crate::remembered::{LATEST_NEWS, MOST_POPULAR, POPULAR_WINDOW};
use crate::site::chrome;
use crate::site::feeds::absolute;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleSummary, Listing, Window};

async fn short_list(
    state: &AppState,
    chrome: &chrome::Chrome,
    stories: &[ArticleSummary],
) -> Result<ShortList, WebError> {
    let refs: Vec<&ArticleSummary> = stories.iter().collect();
    let lookup = chrome::lookup_for(state, chrome, &refs, &[], &[]).await?;
    Ok(ShortList { stories: stories.iter().map(|s| shapes::summary(state, &lookup, &chrome.clock, s)).collect() })
}

#[utoipa::path(get, path = "/api/v1/lists/latest", tag = "content",
    responses((status = 200, description = "Latest News: the newest public stories", body = ShortList),
              (status = 400, description = "A parameter was given", body = crate::error::ApiErrors)))]
pub(crate) async fn latest(
    State(state): State<AppState>,
    Query(NoParameters {}): Query<NoParameters>,
) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    chrome.shows_listing(&Listing::Everything);
    let window = Window { limit: LATEST_NEWS, offset: 0 };
    let stories = state.store().latest_public(chrome.now, Listing::Everything, window).await?;
    let body = short_list(&state, &chrome, &stories).await?;
    Ok(json(&body, chrome.take_shows()))
}

#[utoipa::path(get, path = "/api/v1/lists/popular", tag = "content",
    responses((status = 200, description = "Most Popular: the most read public stories of the last 24 hours", body = ShortList),
              (status = 400, description = "A parameter was given", body = crate::error::ApiErrors)))]
pub(crate) async fn popular(
    State(state): State<AppState>,
    Query(NoParameters {}): Query<NoParameters>,
) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    chrome.shows(tag::POPULAR.to_owned());
    let stories = state.store().most_viewed(chrome.now, chrome.now - POPULAR_WINDOW, MOST_POPULAR).await?;
    let body = short_list(&state, &chrome, &stories).await?;
    Ok(json(&body, chrome.take_shows()))
}

/// Corrections per page of the list.
const CORRECTIONS_PER_PAGE: u32 = 20;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CorrectionsAsked {
    page: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/corrections", tag = "content",
    params(("page" = Option<u32>, Query, minimum = 1, maximum = 10000, description = "20 corrections a page")),
    responses((status = 200, description = "Corrections to public stories, newest first", body = CorrectionList),
              (status = 400, description = "A parameter that cannot be read", body = crate::error::ApiErrors),
              (status = 404, description = "A page past the last", body = crate::error::ApiErrors)))]
pub(crate) async fn corrections(
    State(state): State<AppState>,
    Query(asked): Query<CorrectionsAsked>,
) -> Result<Response, WebError> {
    let page = crate::site::requested_page(&PageAsked { page: asked.page })?;
    let chrome = chrome::load(&state, state.now()).await?;
    chrome.shows(tag::ARCHIVE.to_owned());
    let window = Window { limit: CORRECTIONS_PER_PAGE + 1, offset: (page - 1) * CORRECTIONS_PER_PAGE };
    let mut found = state.store().public_corrections(chrome.now, window).await?;
    if found.is_empty() && page > 1 {
        return Err(WebError::NotFound);
    }
    let more = found.len() > CORRECTIONS_PER_PAGE as usize;
    found.truncate(CORRECTIONS_PER_PAGE as usize);
    let stories: Vec<&ArticleSummary> = found.iter().map(|(_, s)| s).collect();
    let lookup = chrome::lookup_for(&state, &chrome, &stories, &[], &[]).await?;
    let corrections = found
        .iter()
        .map(|(c, s)| CorrectionEntry {
            text: c.text.clone(),
            published: chrome.clock.time(c.published_at).datetime,
            story: shapes::summary(&state, &lookup, &chrome.clock, s),
        })
        .collect();
    let next = more.then(|| absolute(&state, &format!("/api/v1/corrections?page={}", page + 1)));
    Ok(json(&CorrectionList { corrections, next }, chrome.take_shows()))
}
