//! Static pages on the desk: the privacy statement, copyright policy, ombudsman and others,
//! written in Markdown and linked from every page's footer.

use super::form::FormData;
use super::session::{Desk, DeskForm};
use super::{catalog_outcome, saved, unprocessable};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::catalog::{add_page, change_page, PageFields};
use dateline_newsroom::prelude::*;
use dateline_newsroom::PageId;
use serde::Serialize;

#[derive(Serialize)]
struct PageRow {
    id: i64,
    slug: String,
    title: String,
    body: String,
}

#[derive(Serialize)]
struct PagesPage {
    pages: Vec<PageRow>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let pages = state
        .store()
        .pages()
        .await?
        .into_iter()
        .map(|p| PageRow { id: p.id.0, slug: p.slug.to_string(), title: p.title, body: p.body })
        .collect();
    desk.render(state, "desk/pages.html", PagesPage { pages, error, notice }).await
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManagePages)?;
    page(&state, &desk, None, notice.is_saved().then_some("Saved.")).await
}

fn fields(form: &FormData) -> PageFields {
    PageFields {
        slug: form.get("slug").to_owned(),
        title: form.get("title").to_owned(),
        body: form.get("body").to_owned(),
    }
}

async fn finish(state: &AppState, desk: &Desk, outcome: Result<(), String>) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok(saved("/desk/pages")),
        Err(problem) => Ok(unprocessable(page(state, desk, Some(format!("Not saved: {problem}.")), None).await?)),
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let outcome = catalog_outcome(add_page(state.store(), &desk.session.user, &fields(&form), state.now()).await)?;
    finish(&state, &desk, outcome).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let id = PageId(id.parse().map_err(|_| WebError::NotFound)?);
    let outcome =
        catalog_outcome(change_page(state.store(), &desk.session.user, id, &fields(&form), state.now()).await)?;
    finish(&state, &desk, outcome).await
}
