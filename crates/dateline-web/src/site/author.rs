//! Author pages, for people and agencies alike: `/author/{slug}`, with the bio and every
//! public story in their byline, newest first, paginated.

use super::chrome;
use super::paging::{requested_page, Pagination, PER_PAGE};
use super::section::pagination_url;
use crate::error::WebError;
use crate::page_cache::tag;
use crate::query::{PageAsked, Query};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use dateline_newsroom::{ArticleStore, AuthorKind, AuthorStore, Listing, Slug, Window};
use dateline_render::views::{author_url, StoryCard};
use serde::Serialize;

#[derive(Serialize)]
struct AuthorPage {
    /// Where this listing's feeds live (`{feed_base}rss.xml`).
    feed_base: String,
    feed_title: String,
    name: String,
    is_agency: bool,
    bio: String,
    canonical: String,
    stories: Vec<StoryCard>,
    pagination: Pagination,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(asked): Query<PageAsked>,
) -> Result<Response, WebError> {
    let page = requested_page(&asked)?;
    let slug = Slug::parse(&slug).map_err(|_| WebError::NotFound)?;
    let author = state.store().author_by_slug(&slug).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let store = state.store();
    let total = store.count_public(chrome.now, Listing::Author(author.id)).await?;
    let base = author_url(&author.slug);
    let pagination = Pagination::new(&base, page, total)?;
    let window = Window { limit: PER_PAGE, offset: Pagination::offset(page) };
    chrome.shows(tag::author(author.id));
    chrome.shows_listing(&Listing::Author(author.id));
    let stories = store.latest_public(chrome.now, Listing::Author(author.id), window).await?;
    let content = AuthorPage {
        feed_base: format!("{}/", base.clone().trim_end_matches('/')),
        feed_title: author.name.clone(),
        name: author.name.clone(),
        is_agency: author.kind == AuthorKind::Agency,
        bio: author.bio.clone(),
        canonical: super::feeds::absolute(&state, &pagination_url(&base, page)),
        stories: chrome::cards(&state, &chrome, &stories).await?,
        pagination,
    };
    chrome.render(&state, "author.html", content).await
}
