//! Topics on the desk: collections of stories on one subject, each with its own page.

use super::form::FormData;
use super::session::{Desk, DeskForm};
use super::{catalog_outcome, saved, unprocessable};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::catalog::{add_topic, change_topic, TopicFields};
use dateline_newsroom::prelude::*;
use dateline_newsroom::TopicId;
use serde::Serialize;

#[derive(Serialize)]
struct TopicRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
}

#[derive(Serialize)]
struct TopicsPage {
    topics: Vec<TopicRow>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let topics = state
        .store()
        .topics()
        .await?
        .into_iter()
        .map(|t| TopicRow { id: t.id.0, slug: t.slug.to_string(), name: t.name, description: t.description })
        .collect();
    desk.render(state, "desk/topics.html", TopicsPage { topics, error, notice }).await
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageTopics)?;
    page(&state, &desk, None, notice.is_saved().then_some("Saved.")).await
}

fn fields(form: &FormData) -> TopicFields {
    TopicFields {
        slug: form.get("slug").to_owned(),
        name: form.get("name").to_owned(),
        description: form.get("description").to_owned(),
    }
}

async fn finish(state: &AppState, desk: &Desk, outcome: Result<(), String>) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok(saved("/desk/topics")),
        Err(problem) => Ok(unprocessable(page(state, desk, Some(format!("Not saved: {problem}.")), None).await?)),
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let outcome = catalog_outcome(add_topic(state.store(), &desk.session.user, &fields(&form)).await)?;
    finish(&state, &desk, outcome).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let id = TopicId(id.parse().map_err(|_| WebError::NotFound)?);
    let outcome = catalog_outcome(change_topic(state.store(), &desk.session.user, id, &fields(&form)).await)?;
    finish(&state, &desk, outcome).await
}
