//! Old addresses of a paper that moved in (`dateline import-wordpress`): a request Dateline
//! has nothing at is looked up among them and answered with a 301 to where the item lives now.
//!
//! Only a 404 is looked up, so an old address can never shadow one of Dateline's own pages;
//! and the home page's WordPress queries (`/?p=123`, `/?page_id=7`), which the home page would
//! otherwise answer, are looked up first. Where an item lives is worked out at each request
//! (a story's slug may have changed since the move), through the same address helpers as
//! every page's links.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use dateline_newsroom::moving_in::{normal_path, LegacyTarget};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, SectionTree};
use dateline_render::views::{article_url, author_url, page_url, section_url, topic_url};

pub(crate) async fn answer_old_addresses(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let asked = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let old = normal_path(&asked).filter(|path| !path.starts_with("/api/") && !path.starts_with("/desk"));
    // The home page answers any query; WordPress's own addressing queries are looked up first.
    if let Some(old) = old.as_deref().filter(|old| old.starts_with("/?")) {
        if let Some(location) = current_address(&state, old).await {
            return super::moved_permanently(&location);
        }
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    match old {
        Some(old) => match current_address(&state, &old).await {
            Some(location) => super::moved_permanently(&location),
            None => response,
        },
        None => response,
    }
}

/// Where the item an old address names lives now; none when the address is not an old one or
/// its item is gone. A database that cannot answer is no reason to fail a 404.
async fn current_address(state: &AppState, old: &str) -> Option<String> {
    let store = state.store();
    let target = store.legacy_target(old).await.ok()??;
    let section_path = |id: i64| async move {
        let tree = SectionTree::new(store.sections().await.ok()?);
        tree.get(dateline_newsroom::SectionId(id)).map(|s| s.path.clone())
    };
    Some(match target {
        LegacyTarget::Story(id) => {
            let article = store.article_by_id(ArticleId(id)).await.ok()?;
            article_url(article.id, &article.content.slug)
        }
        LegacyTarget::Page(id) => {
            let page = store.pages().await.ok()?.into_iter().find(|p| p.id.0 == id)?;
            page_url(&page.slug)
        }
        LegacyTarget::Section(id) => section_url(&section_path(id).await?),
        LegacyTarget::SectionFeed(id) => format!("{}rss.xml", section_url(&section_path(id).await?)),
        LegacyTarget::Topic(id) => topic_url(&store.topics().await.ok()?.into_iter().find(|t| t.id.0 == id)?.slug),
        LegacyTarget::Author(id) => author_url(&store.authors().await.ok()?.into_iter().find(|a| a.id.0 == id)?.slug),
        LegacyTarget::Feed => "/rss.xml".to_owned(),
    })
}
