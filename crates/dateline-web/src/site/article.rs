//! The article page (reference parts 7 to 13 inside the page chrome). Its address is
//! `/article/{id}/{slug}`: the id decides, and any other slug is sent on to the current one.

use super::{chrome, moved_permanently};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::{Article, ArticleId, ArticleStatus, ArticleStore};
use dateline_render::views::{article_url, ArticleView};
use serde::Serialize;

#[derive(Serialize)]
struct ArticlePage {
    article: ArticleView,
    description: String,
    beacon_url: String,
}

fn parse_id(text: &str) -> Result<ArticleId, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).map(ArticleId).ok_or(WebError::NotFound)
}

/// Loads a story a reader may see, or says why not: removed stories are gone (410), every
/// other unpublished state is simply not there (404), whatever id is guessed.
async fn public_article(state: &AppState, id: ArticleId) -> Result<Article, WebError> {
    let article = state.store().article_by_id(id).await?;
    if article.status == ArticleStatus::Removed {
        return Err(WebError::Gone);
    }
    if !article.is_public(state.now()) {
        return Err(WebError::NotFound);
    }
    Ok(article)
}

pub(crate) async fn redirect_to_canonical(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let article = public_article(&state, parse_id(&id)?).await?;
    Ok(moved_permanently(&article_url(article.id, &article.content.slug)))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let article = public_article(&state, parse_id(&id)?).await?;
    if article.content.slug.as_str() != slug {
        return Ok(moved_permanently(&article_url(article.id, &article.content.slug)));
    }
    Ok(render(&state, &article, Audience::Reader).await?.into_response())
}

/// Who the article page is drawn for: readers count as views, the desk's preview does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Reader,
    Preview,
}

/// The article page exactly as readers get it; the desk's preview uses it too, so what an
/// editor previews is what readers will see.
pub(crate) async fn render(state: &AppState, article: &Article, audience: Audience) -> Result<Html<String>, WebError> {
    let chrome = chrome::load(state, state.now()).await?;
    let lead_media: Vec<_> = article.content.lead_media_id.into_iter().collect();
    let lookup = chrome::lookup_for(state, chrome.tree.clone(), &[], &article.content.bylines, &lead_media).await?;
    let corrections = state.store().corrections_of(article.id).await?;
    let view = ArticleView::new(article, &corrections, &lookup, &chrome.clock);
    let description = article
        .content
        .seo_description
        .clone()
        .or_else(|| article.content.deck.clone())
        .unwrap_or_else(|| first_words(&article.content.body, 30));
    let beacon_url = match audience {
        Audience::Reader => format!("/_v/{}", article.id),
        Audience::Preview => String::new(),
    };
    let page = ArticlePage { beacon_url, article: view, description };
    chrome.render(state, "article.html", page).await
}

/// The opening words of the body, without Markdown marks, for a meta description.
fn first_words(markdown: &str, count: usize) -> String {
    let words: Vec<&str> = markdown
        .split_whitespace()
        .filter(|w| !w.chars().all(|c| matches!(c, '#' | '>' | '*' | '-')))
        .take(count + 1)
        .collect();
    let mut text = words.iter().take(count).copied().collect::<Vec<_>>().join(" ");
    if words.len() > count {
        text.push('…');
    }
    text
}
