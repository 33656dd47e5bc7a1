//! Curating the home page: the lead story and the order of the top stories, chosen from the
//! stories readers can see. The rest of the home page follows the news by itself.

use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, HomeCuration, Listing, Window};
use serde::Serialize;

/// How many top-story places the form offers.
const TOP_PLACES: usize = 6;

#[derive(Serialize)]
struct StoryChoice {
    id: i64,
    headline: String,
}

#[derive(Serialize)]
struct FrontPageForm {
    stories: Vec<StoryChoice>,
    lead: Option<i64>,
    top: Vec<Option<i64>>,
    notice: Option<&'static str>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    desk.require(Action::CurateHome)?;
    let store = state.store();
    let curation = store.home_curation().await?;
    let recent = store.latest_public(state.now(), Listing::Everything, Window { limit: 60, offset: 0 }).await?;
    let mut top: Vec<Option<i64>> = curation.top.iter().map(|id| Some(id.0)).collect();
    top.resize(TOP_PLACES.max(top.len()), None);
    let page = FrontPageForm {
        stories: recent.into_iter().map(|s| StoryChoice { id: s.id.0, headline: s.headline }).collect(),
        lead: curation.lead.map(|id| id.0),
        top,
        notice: query.as_deref().is_some_and(|q| q.contains("saved=1")).then_some("The home page is updated."),
    };
    desk.render(&state, "desk/front_page.html", page).await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::CurateHome)?;
    let lead = form.id("lead")?.map(ArticleId);
    let mut top: Vec<ArticleId> = Vec::new();
    for id in form.ids("top")?.into_iter().map(ArticleId) {
        if Some(id) != lead && !top.contains(&id) {
            top.push(id);
        }
    }
    let chosen: Vec<ArticleId> = lead.into_iter().chain(top.iter().copied()).collect();
    let public = state.store().public_by_ids(state.now(), &chosen).await?;
    if public.len() != chosen.len() {
        return Err(WebError::BadRequest("Only stories readers can see may go on the home page.".into()));
    }
    state.store().save_home_curation(&HomeCuration { lead, top }).await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/home-page?saved=1")]).into_response())
}
