//! Static pages: `/page/{slug}` (privacy statement, copyright policy, ombudsman, …).

use super::chrome;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use dateline_newsroom::{PageStore, Slug};
use dateline_render::views::{page_url, PageView};
use serde::Serialize;

#[derive(Serialize)]
struct StaticPageContent {
    page: PageView,
    canonical: String,
}

pub(crate) async fn show(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, WebError> {
    let slug = Slug::parse(&slug).map_err(|_| WebError::NotFound)?;
    let page = state.store().page_by_slug(&slug).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let content = StaticPageContent {
        canonical: super::feeds::absolute(&state, &page_url(&page.slug)),
        page: PageView::new(&page, &chrome.clock),
    };
    chrome.render(&state, "page.html", content).await
}
