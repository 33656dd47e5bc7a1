//! Curating the home page: the lead story and the order of the top stories, chosen from the
//! stories readers can see. The rest of the home page follows the news by itself.

use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::catalog::{curate_home, CatalogError};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, Listing, Window};
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
    Query(notice): Query<SavedNotice>,
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
        notice: notice.is_saved().then_some("The home page is updated."),
    };
    desk.render(&state, "desk/front_page.html", page).await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let lead = form.id("lead")?.map(ArticleId);
    let picks: Vec<ArticleId> = form.ids("top")?.into_iter().map(ArticleId).collect();
    match curate_home(state.store(), &desk.session.user, lead, &picks, state.now()).await {
        Ok(_) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/home-page?saved=1")]).into_response()),
        Err(CatalogError::Invalid { problem, .. }) => {
            Err(WebError::BadRequest(format!("{}.", super::stories::capitalize(&problem))))
        }
        Err(other) => Err(other.into()),
    }
}
