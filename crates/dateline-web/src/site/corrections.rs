//! `/corrections`: every correction to a story readers may see, newest first, so the paper's
//! mistakes and their repair are on the record (linked from the ombudsman page).

use super::chrome;
use super::paging::{requested_page, PER_PAGE};
use crate::error::WebError;
use crate::page_cache::tag;
use crate::query::{PageAsked, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use dateline_newsroom::{ArticleStore, Window};
use dateline_render::views::{article_url, CorrectionView};
use serde::Serialize;

#[derive(Serialize)]
struct CorrectionRow {
    headline: String,
    url: String,
    correction: CorrectionView,
}

#[derive(Serialize)]
struct CorrectionsPage {
    corrections: Vec<CorrectionRow>,
    next: Option<String>,
    previous: Option<String>,
}

pub(crate) async fn list(State(state): State<AppState>, Query(asked): Query<PageAsked>) -> Result<Response, WebError> {
    let page = requested_page(&asked)?;
    let chrome = chrome::load(&state, state.now()).await?;
    let window = Window { limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE };
    chrome.shows(tag::ARCHIVE.to_owned());
    let mut found = state.store().public_corrections(chrome.now, window).await?;
    if found.is_empty() && page > 1 {
        return Err(WebError::NotFound);
    }
    let more = found.len() > PER_PAGE as usize;
    found.truncate(PER_PAGE as usize);
    let content = CorrectionsPage {
        corrections: found
            .into_iter()
            .map(|(correction, story)| CorrectionRow {
                url: article_url(story.id, &story.slug),
                headline: story.headline,
                correction: CorrectionView::new(&correction, &chrome.clock),
            })
            .collect(),
        next: more.then(|| format!("/corrections?page={}", page + 1)),
        previous: (page > 1).then(|| {
            if page == 2 {
                "/corrections".to_owned()
            } else {
                format!("/corrections?page={}", page - 1)
            }
        }),
    };
    chrome.render(&state, "corrections.html", content).await
}
