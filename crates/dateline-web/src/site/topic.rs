//! Topic pages (`/topic/{slug}`: every public story on one subject, across sections) and the
//! list of topics (`/topics/`).

use super::chrome;
use super::paging::{requested_page, Pagination, PER_PAGE};
use super::section::pagination_url;
use crate::error::WebError;
use crate::page_cache::tag;
use crate::query::{PageAsked, Query};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use dateline_newsroom::{ArticleStore, Listing, Slug, TopicStore, Window};
use dateline_render::views::{topic_url, Link, StoryCard};
use serde::Serialize;

#[derive(Serialize)]
struct TopicPage {
    /// Where this listing's feeds live (`{feed_base}rss.xml`).
    feed_base: String,
    feed_title: String,
    name: String,
    description: String,
    canonical: String,
    stories: Vec<StoryCard>,
    pagination: Pagination,
}

#[derive(Serialize)]
struct TopicsPage {
    topics: Vec<Link>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(asked): Query<PageAsked>,
) -> Result<Response, WebError> {
    let page = requested_page(&asked)?;
    let slug = Slug::parse(&slug).map_err(|_| WebError::NotFound)?;
    let topic = state.store().topic_by_slug(&slug).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let store = state.store();
    let total = store.count_public(chrome.now, Listing::Topic(topic.id)).await?;
    let base = topic_url(&topic.slug);
    let pagination = Pagination::new(&base, page, total)?;
    let window = Window { limit: PER_PAGE, offset: Pagination::offset(page) };
    chrome.shows(tag::topic(topic.id));
    chrome.shows_listing(&Listing::Topic(topic.id));
    let stories = store.latest_public(chrome.now, Listing::Topic(topic.id), window).await?;
    let content = TopicPage {
        feed_base: format!("{}/", base.clone().trim_end_matches('/')),
        feed_title: topic.name.clone(),
        name: topic.name.clone(),
        description: topic.description.clone(),
        canonical: super::feeds::absolute(&state, &pagination_url(&base, page)),
        stories: chrome::cards(&state, &chrome, &stories).await?,
        pagination,
    };
    chrome.render(&state, "topic.html", content).await
}

pub(crate) async fn list(State(state): State<AppState>) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    chrome.shows(tag::TOPICS.to_owned());
    let topics = state.store().topics().await?;
    let content =
        TopicsPage { topics: topics.iter().map(|t| Link { name: t.name.clone(), url: topic_url(&t.slug) }).collect() };
    chrome.render(&state, "topics.html", content).await
}
