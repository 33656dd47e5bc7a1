//! Managing the section tree: create a section, rename it, move it under another, change its
//! place in the menu. A renamed or moved section's old address answers 301 to the new one.

use super::catalog_outcome;
use super::form::FormData;
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::catalog::{add_section, change_section_as, SectionFields};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{SectionId, SectionTree};
use serde::Serialize;

#[derive(Serialize)]
struct SectionRow {
    id: i64,
    name: String,
    slug: String,
    path: String,
    parent_id: Option<i64>,
    position: i64,
    depth: u8,
}

#[derive(Serialize)]
struct SectionsPage {
    sections: Vec<SectionRow>,
    parents: Vec<(i64, String)>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let tree = SectionTree::new(state.store().sections().await?);
    let mut rows = Vec::new();
    for top in tree.top_level() {
        for (section, depth) in std::iter::once((top, 0)).chain(tree.children(top.id).map(|c| (c, 1))) {
            rows.push(SectionRow {
                id: section.id.0,
                name: section.name.clone(),
                slug: section.slug.to_string(),
                path: section.path.clone(),
                parent_id: section.parent_id.map(|p| p.0),
                position: section.position,
                depth,
            });
        }
    }
    let parents = tree.top_level().map(|s| (s.id.0, s.name.clone())).collect();
    desk.render(state, "desk/sections.html", SectionsPage { sections: rows, parents, error, notice }).await
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageSections)?;
    let notice = notice.is_saved().then_some("Saved.");
    page(&state, &desk, None, notice).await
}

fn fields(form: &FormData) -> SectionFields {
    SectionFields {
        slug: form.get("slug").to_owned(),
        name: form.get("name").to_owned(),
        parent: form.get("parent").to_owned(),
        position: form.get("position").to_owned(),
    }
}

async fn respond(state: &AppState, desk: &Desk, outcome: Result<(), String>) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/sections?saved=1")]).into_response()),
        Err(problem) => {
            let message = format!("Not saved: {problem}.");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(state, desk, Some(message), None).await?).into_response())
        }
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let outcome = catalog_outcome(add_section(state.store(), &desk.session.user, &fields(&form)).await)?;
    respond(&state, &desk, outcome).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let id = SectionId(id.parse().map_err(|_| WebError::NotFound)?);
    let outcome = catalog_outcome(change_section_as(state.store(), &desk.session.user, id, &fields(&form)).await)?;
    respond(&state, &desk, outcome).await
}
