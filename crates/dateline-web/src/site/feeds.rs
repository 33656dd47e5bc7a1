//! RSS and Atom feeds for the whole paper, each section and subsection, each author and each
//! topic (`/rss.xml`, `/national/politics/atom.xml`, `/author/yonhap/rss.xml`, …): the newest
//! 50 stories, with conditional GET so feed readers that poll often get a 304.

use super::chrome::{self, Chrome};
use crate::documents::document;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use dateline_feeds::{atom, rss, FeedEnclosure, FeedEntry, FeedImage, FeedInfo};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleSummary, Listing, SectionId, Slug, Window};
use dateline_render::views::{article_url, author_url, plain_excerpt, section_url, topic_url};

const FEED_LENGTH: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Rss,
    Atom,
}

impl Format {
    fn parse(file: &str) -> Option<Format> {
        match file {
            "rss.xml" => Some(Format::Rss),
            "atom.xml" => Some(Format::Atom),
            _ => None,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
        }
    }
}

/// The absolute address of a path on this paper.
pub(crate) fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.settings().public_url.trim_end_matches('/'))
}

async fn respond(
    state: &AppState,
    chrome: &Chrome,
    format: Format,
    title: String,
    page_path: &str,
    listing: Listing<'_>,
) -> Result<Response, WebError> {
    let store = state.store();
    let stories = store.latest_public(chrome.now, listing, Window { limit: FEED_LENGTH, offset: 0 }).await?;
    let refs: Vec<&ArticleSummary> = stories.iter().collect();
    chrome.shows_listing(&listing);
    let lookup = chrome::lookup_for(state, chrome, &refs, &[], &[]).await?;
    // Episodes carry their sound, so a podcast app can follow a section's or a topic's feed.
    let ids: Vec<dateline_newsroom::ArticleId> = stories.iter().map(|s| s.id).collect();
    let episodes = store.episodes_of(&ids).await?;
    let entries: Vec<FeedEntry> = stories
        .iter()
        .map(|story| FeedEntry {
            title: story.headline.clone(),
            summary: story.deck.clone().unwrap_or_else(|| plain_excerpt(&story.excerpt, 40)),
            url: absolute(state, &article_url(story.id, &story.slug)),
            guid: absolute(state, &format!("/article/{}", story.id)),
            published: story.first_published_at,
            updated: story.last_public_change(),
            authors: story.bylines.iter().filter_map(|id| lookup.authors.get(id)).map(|a| a.name.clone()).collect(),
            category: lookup.sections.get(story.section_id).map(|s| s.name.clone()),
            image: story.lead_media_id.and_then(|id| lookup.media.get(&id)).map(|m| FeedImage {
                url: absolute(state, &dateline_render::views::media_url(&m.storage_key)),
                mime_type: m.mime_type.clone(),
                width: m.width,
                height: m.height,
                caption: m.caption.clone(),
                credit: m.credit.clone(),
            }),
            enclosure: episodes.iter().find(|e| e.article_id == story.id).map(|e| FeedEnclosure {
                url: absolute(state, &super::podcasts::audio_path(&e.audio.storage_key)),
                length: e.audio.byte_size,
                mime_type: e.audio.mime_type.clone(),
            }),
        })
        .collect();
    let updated = stories.iter().map(ArticleSummary::last_public_change).max().unwrap_or(chrome.now);
    let file = match format {
        Format::Rss => "rss.xml",
        Format::Atom => "atom.xml",
    };
    let info = FeedInfo {
        title,
        description: format!("The newest stories from {}", chrome.site.name),
        page_url: absolute(state, page_path),
        feed_url: absolute(state, &format!("{}{file}", page_path.trim_end_matches('/').to_owned() + "/")),
        language: chrome.site.language.clone(),
        updated,
    };
    let body = match format {
        Format::Rss => rss(&info, &entries),
        Format::Atom => atom(&info, &entries),
    };
    Ok(document(body, Some(updated), format.content_type(), "public, max-age=300", chrome.take_shows()))
}

/// `/rss.xml` and `/atom.xml`; any other single segment is a section's address without its
/// closing slash (one route, since both are a single first segment).
pub(crate) async fn whole_paper_or_section(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let Some(format) = Format::parse(&file) else { return super::section::add_trailing_slash(&state, &file).await };
    let chrome = chrome::load(&state, state.now()).await?;
    let title = chrome.site.name.clone();
    respond(&state, &chrome, format, title, "/", Listing::Everything).await
}

async fn section_feed(state: AppState, path: String, file: String) -> Result<Response, WebError> {
    let format = Format::parse(&file).ok_or(WebError::NotFound)?;
    let chrome = chrome::load(&state, state.now()).await?;
    let section = chrome.tree.by_path(&path).ok_or(WebError::NotFound)?.clone();
    let ids: Vec<SectionId> =
        std::iter::once(section.id).chain(chrome.tree.children(section.id).map(|c| c.id)).collect();
    let title = format!("{} - {}", section.name, chrome.site.name);
    respond(&state, &chrome, format, title, &section_url(&section.path), Listing::Sections(&ids)).await
}

/// `/national/rss.xml`; any other second segment is a subsection's address without its slash.
pub(crate) async fn top_section_or_slash(
    State(state): State<AppState>,
    Path((section, second)): Path<(String, String)>,
) -> Result<Response, WebError> {
    if Format::parse(&second).is_none() {
        return super::section::add_trailing_slash(&state, &format!("{section}/{second}")).await;
    }
    section_feed(state, section, second).await
}

pub(crate) async fn subsection(
    State(state): State<AppState>,
    Path((section, subsection, file)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    section_feed(state, format!("{section}/{subsection}"), file).await
}

pub(crate) async fn author(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let format = Format::parse(&file).ok_or(WebError::NotFound)?;
    let slug = Slug::parse(&slug).map_err(|_| WebError::NotFound)?;
    let author = state.store().author_by_slug(&slug).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let title = format!("{} - {}", author.name, chrome.site.name);
    respond(&state, &chrome, format, title, &author_url(&author.slug), Listing::Author(author.id)).await
}

pub(crate) async fn topic(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let format = Format::parse(&file).ok_or(WebError::NotFound)?;
    let slug = Slug::parse(&slug).map_err(|_| WebError::NotFound)?;
    let topic = state.store().topic_by_slug(&slug).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let title = format!("{} - {}", topic.name, chrome.site.name);
    respond(&state, &chrome, format, title, &topic_url(&topic.slug), Listing::Topic(topic.id)).await
}
