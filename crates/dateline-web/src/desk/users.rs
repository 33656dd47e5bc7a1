//! Desk accounts, for admins: who works on the desk and in which role.

use super::catalog_outcome;
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::{Action, Role};
use dateline_newsroom::catalog::{add_user, UserFields};
use dateline_newsroom::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    /// The author the account writes as.
    author_id: Option<i64>,
}

#[derive(Serialize)]
struct UsersPage {
    users: Vec<UserRow>,
    authors: Vec<super::stories::Choice>,
    roles: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let users = state.store().users().await?;
    let authors = state.store().authors().await?;
    let page = UsersPage {
        users: users
            .into_iter()
            .map(|u| UserRow {
                id: u.id.0,
                name: u.name,
                email: u.email,
                role: u.role.title(),
                author_id: u.author_id.map(|a| a.0),
            })
            .collect(),
        authors: authors.into_iter().map(|a| super::stories::Choice { id: a.id.0, name: a.name }).collect(),
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.title())).collect(),
        error,
        notice,
    };
    desk.render(state, "desk/users.html", page).await
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageUsers)?;
    let notice = notice.is_saved().then_some("Saved.");
    page(&state, &desk, None, notice).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let fields = UserFields {
        email: form.get("email").to_owned(),
        name: form.get("name").to_owned(),
        role: form.get("role").to_owned(),
        password: form.get("password").to_owned(),
    };
    let problem = match catalog_outcome(add_user(state.store(), &desk.session.user, &fields, state.now()).await)? {
        Ok(()) => return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/users?saved=1")]).into_response()),
        Err(problem) => problem,
    };
    let html = page(&state, &desk, Some(format!("Not created: {problem}.")), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// `POST /desk/users/{id}/byline`: which author the account writes as.
pub(crate) async fn set_byline(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let user = id.parse::<i64>().ok().filter(|id| *id > 0).ok_or(WebError::NotFound)?;
    let author = form.id("author")?.map(dateline_newsroom::AuthorId);
    let outcome = dateline_newsroom::catalog::set_user_byline(
        state.store(),
        &desk.session.user,
        dateline_newsroom::UserId(user),
        author,
    )
    .await;
    let problem = match catalog_outcome(outcome)? {
        Ok(()) => return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/users?saved=1")]).into_response()),
        Err(problem) => problem,
    };
    let html = page(&state, &desk, Some(format!("Not saved: {problem}.")), None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}
