//! Section and subsection fronts: `/{section}/` and `/{section}/{subsection}/`, newest
//! first, paginated; a section's front includes its subsections' stories.

use super::paging::{requested_page, Pagination, PER_PAGE};
use super::{chrome, moved_permanently};
use crate::error::WebError;
use crate::query::{PageAsked, Query};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use dateline_newsroom::{ArticleStore, Listing, SectionId, SectionStore, Window};
use dateline_render::views::{section_url, Link, StoryCard};
use serde::Serialize;

#[derive(Serialize)]
struct FrontPage {
    /// Where this listing's feeds live (`{feed_base}rss.xml`).
    feed_base: String,
    feed_title: String,
    title: String,
    canonical: String,
    breadcrumb: Vec<Link>,
    subsections: Vec<Link>,
    stories: Vec<StoryCard>,
    pagination: Pagination,
}

async fn front(state: AppState, path: String, asked: PageAsked) -> Result<Response, WebError> {
    let page = requested_page(&asked)?;
    let chrome = chrome::load(&state, state.now()).await?;
    let Some(section) = chrome.tree.by_path(&path).cloned() else { return moved_section(&state, &path).await };
    let ids: Vec<SectionId> =
        std::iter::once(section.id).chain(chrome.tree.children(section.id).map(|c| c.id)).collect();
    let store = state.store();
    let total = store.count_public(chrome.now, Listing::Sections(&ids)).await?;
    let base = section_url(&section.path);
    let pagination = Pagination::new(&base, page, total)?;
    let window = Window { limit: PER_PAGE, offset: Pagination::offset(page) };
    chrome.shows_listing(&Listing::Sections(&ids));
    let stories = store.latest_public(chrome.now, Listing::Sections(&ids), window).await?;
    let content = FrontPage {
        feed_base: format!("{}/", base.clone().trim_end_matches('/')),
        feed_title: section.name.clone(),
        title: section.name.clone(),
        canonical: super::feeds::absolute(&state, &pagination_url(&base, page)),
        breadcrumb: chrome
            .tree
            .trail(section.id)
            .into_iter()
            .map(|s| Link { name: s.name.clone(), url: section_url(&s.path) })
            .collect(),
        subsections: chrome
            .tree
            .children(section.id)
            .map(|c| Link { name: c.name.clone(), url: section_url(&c.path) })
            .collect(),
        stories: chrome::cards(&state, &chrome, &stories).await?,
        pagination,
    };
    Ok(chrome.render(&state, "section.html", content).await?.into_response())
}

pub(crate) fn pagination_url(base: &str, page: u32) -> String {
    if page == 1 {
        base.to_owned()
    } else {
        format!("{base}?page={page}")
    }
}

pub(crate) async fn top_level(
    State(state): State<AppState>,
    Path(section): Path<String>,
    Query(asked): Query<PageAsked>,
) -> Result<Response, WebError> {
    front(state, section, asked).await
}

pub(crate) async fn subsection(
    State(state): State<AppState>,
    Path((section, subsection)): Path<(String, String)>,
    Query(asked): Query<PageAsked>,
) -> Result<Response, WebError> {
    front(state, format!("{section}/{subsection}"), asked).await
}

/// `/national` and `/national/politics` without the closing slash are sent on to the front.
pub(crate) async fn add_trailing_slash(state: &AppState, path: &str) -> Result<Response, WebError> {
    let path = path.to_owned();
    let chrome = chrome::load(state, state.now()).await?;
    if chrome.tree.by_path(&path).is_none() {
        return moved_section(state, &path).await;
    }
    Ok(moved_permanently(&section_url(&path)))
}

/// A section renamed or moved since: its old address leads to the new one.
async fn moved_section(state: &AppState, old_path: &str) -> Result<Response, WebError> {
    match state.store().redirected_section(old_path).await {
        Ok(section) => Ok(moved_permanently(&section_url(&section.path))),
        Err(dateline_newsroom::StoreError::NotFound) => Err(WebError::NotFound),
        Err(other) => Err(other.into()),
    }
}
