//! Topics on the desk: collections of stories on one subject, each with its own page.

use super::form::FormData;
use super::session::{Desk, DeskForm};
use super::{saved, unprocessable, written};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::{Html, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{NewTopic, Slug, TopicId};
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
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageTopics)?;
    page(&state, &desk, None, query.as_deref().is_some_and(|q| q.contains("saved=1")).then_some("Saved.")).await
}

fn read(form: &FormData) -> Result<NewTopic, String> {
    let slug = Slug::parse(form.get("slug").trim()).map_err(|e| format!("the slug is not usable: {e}"))?;
    let name = form.get("name").trim().to_owned();
    if name.is_empty() {
        return Err("a topic needs a name".into());
    }
    Ok(NewTopic { slug, name, description: form.get("description").trim().to_owned() })
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
    desk.require(Action::ManageTopics)?;
    let outcome = match read(&form) {
        Ok(new) => written(state.store().insert_topic(&new).await)?,
        Err(problem) => Err(problem),
    };
    finish(&state, &desk, outcome).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::ManageTopics)?;
    let id = TopicId(id.parse().map_err(|_| WebError::NotFound)?);
    let outcome = match read(&form) {
        Ok(changed) => written(state.store().update_topic(id, &changed).await)?,
        Err(problem) => Err(problem),
    };
    finish(&state, &desk, outcome).await
}
