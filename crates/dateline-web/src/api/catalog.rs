//! The paper's catalog as JSON: `GET /api/v1/sections` (the tree), `/authors`, `/topics` and
//! `/pages` (the static pages, with their text).

use super::json;
use super::shapes::{
    AuthorEntry, AuthorList, PageEntry, PageList, SectionNode, SectionRef, SectionTreeList, TopicList, TopicRef,
};
use crate::error::WebError;
use crate::page_cache::tag;
use crate::query::Query;
use crate::site::chrome;
use crate::site::feeds::absolute;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use dateline_newsroom::prelude::*;
use dateline_newsroom::AuthorKind;
use dateline_render::views::author_url;
use serde::Deserialize;

/// These lists take no parameters; any given is refused, so a typo is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoParameters {}

#[utoipa::path(get, path = "/api/v1/sections", tag = "content",
    responses((status = 200, description = "The section tree in menu order", body = SectionTreeList),
              (status = 400, description = "A parameter was given", body = crate::error::ApiErrors)))]
pub(crate) async fn sections(
    State(state): State<AppState>,
    Query(NoParameters {}): Query<NoParameters>,
) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    let sections = chrome
        .tree
        .top_level()
        .map(|top| SectionNode {
            section: SectionRef::new(&state, top),
            subsections: chrome.tree.children(top.id).map(|c| SectionRef::new(&state, c)).collect(),
        })
        .collect();
    Ok(json(&SectionTreeList { sections }, chrome.take_shows()))
}

#[utoipa::path(get, path = "/api/v1/authors", tag = "content",
    responses((status = 200, description = "Every author, by name", body = AuthorList),
              (status = 400, description = "A parameter was given", body = crate::error::ApiErrors)))]
pub(crate) async fn authors(
    State(state): State<AppState>,
    Query(NoParameters {}): Query<NoParameters>,
) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    let authors = state
        .store()
        .authors()
        .await?
        .into_iter()
        .map(|a| {
            chrome.shows(tag::author(a.id));
            AuthorEntry {
                id: a.id.0,
                url: absolute(&state, &author_url(&a.slug)),
                stories_url: absolute(&state, &format!("/api/v1/stories?author={}", a.slug)),
                slug: a.slug.to_string(),
                name: a.name,
                kind: match a.kind {
                    AuthorKind::Person => "person".into(),
                    AuthorKind::Agency => "agency".into(),
                },
                bio: a.bio,
            }
        })
        .collect();
    // A new author appears in no other tag; keep the list briefly, like the topics list.
    chrome.shows(tag::AUTHORS.to_owned());
    Ok(json(&AuthorList { authors }, chrome.take_shows()))
}

#[utoipa::path(get, path = "/api/v1/topics", tag = "content",
    responses((status = 200, description = "Every topic", body = TopicList),
              (status = 400, description = "A parameter was given", body = crate::error::ApiErrors)))]
pub(crate) async fn topics(
    State(state): State<AppState>,
    Query(NoParameters {}): Query<NoParameters>,
) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    chrome.shows(tag::TOPICS.to_owned());
    let topics = state.store().topics().await?.iter().map(|t| TopicRef::new(&state, t)).collect();
    Ok(json(&TopicList { topics }, chrome.take_shows()))
}

#[utoipa::path(get, path = "/api/v1/pages", tag = "content",
    responses((status = 200, description = "The static pages with their text", body = PageList),
              (status = 400, description = "A parameter was given", body = crate::error::ApiErrors)))]
pub(crate) async fn pages(
    State(state): State<AppState>,
    Query(NoParameters {}): Query<NoParameters>,
) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    // Pages changing purge everything (every page's footer lists them).
    let pages = state.store().pages().await?.iter().map(|p| PageEntry::new(&state, &chrome.clock, p)).collect();
    Ok(json(&PageList { pages }, chrome.take_shows()))
}
