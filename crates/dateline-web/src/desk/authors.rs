//! Authors on the desk: staff, contributors and the agencies whose copy the paper runs.
//! Each has a slug (the address of their page), a name, a kind and a short biography.

use super::form::FormData;
use super::session::{Desk, DeskForm};
use super::{catalog_outcome, saved, unprocessable};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::catalog::{add_author, change_author, AuthorFields};
use dateline_newsroom::prelude::*;
use dateline_newsroom::AuthorId;
use serde::Serialize;

#[derive(Serialize)]
struct AuthorRow {
    id: i64,
    slug: String,
    name: String,
    kind: &'static str,
    bio: String,
}

#[derive(Serialize)]
struct AuthorsPage {
    authors: Vec<AuthorRow>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let authors = state
        .store()
        .authors()
        .await?
        .into_iter()
        .map(|a| AuthorRow { id: a.id.0, slug: a.slug.to_string(), name: a.name, kind: a.kind.as_str(), bio: a.bio })
        .collect();
    desk.render(state, "desk/authors.html", AuthorsPage { authors, error, notice }).await
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageAuthors)?;
    page(&state, &desk, None, notice.is_saved().then_some("Saved.")).await
}

fn fields(form: &FormData) -> AuthorFields {
    AuthorFields {
        slug: form.get("slug").to_owned(),
        name: form.get("name").to_owned(),
        kind: form.get("kind").to_owned(),
        bio: form.get("bio").to_owned(),
    }
}

async fn finish(state: &AppState, desk: &Desk, outcome: Result<(), String>) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok(saved("/desk/authors")),
        Err(problem) => Ok(unprocessable(page(state, desk, Some(format!("Not saved: {problem}.")), None).await?)),
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let outcome = catalog_outcome(add_author(state.store(), &desk.session.user, &fields(&form)).await)?;
    finish(&state, &desk, outcome).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let id = AuthorId(id.parse().map_err(|_| WebError::NotFound)?);
    let outcome = catalog_outcome(change_author(state.store(), &desk.session.user, id, &fields(&form)).await)?;
    finish(&state, &desk, outcome).await
}
