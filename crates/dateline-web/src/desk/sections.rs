//! Managing the section tree: create a section, rename it, move it under another, change its
//! place in the menu. A renamed or moved section's old address answers 301 to the new one.

use super::form::FormData;
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{
    change_section, create_section, CreateSectionError, NewSection, SectionChange, SectionId, SectionTree, Slug,
};
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
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageSections)?;
    let notice = query.as_deref().is_some_and(|q| q.contains("saved=1")).then_some("Saved.");
    page(&state, &desk, None, notice).await
}

fn read(form: &FormData) -> Result<(Slug, String, Option<SectionId>, i64), String> {
    let slug = Slug::parse(form.get("slug").trim()).map_err(|e| format!("The slug is not usable: {e}."))?;
    let parent = match form.get("parent").trim() {
        "" => None,
        text => Some(SectionId(text.parse().map_err(|_| "The parent section is not valid.".to_owned())?)),
    };
    let position = match form.get("position").trim() {
        "" => 0,
        text => text.parse().map_err(|_| "The position must be a whole number.".to_owned())?,
    };
    Ok((slug, form.get("name").trim().to_owned(), parent, position))
}

fn refused(error: CreateSectionError) -> Result<String, WebError> {
    match error {
        CreateSectionError::Invalid(problem) => Ok(format!("{}.", capitalize(&problem.to_string()))),
        CreateSectionError::Store(dateline_newsroom::StoreError::Conflict(what)) => {
            Ok(format!("{}.", capitalize(&what)))
        }
        CreateSectionError::Store(other) => Err(other.into()),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

async fn respond(state: &AppState, desk: &Desk, outcome: Result<(), String>) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/sections?saved=1")]).into_response()),
        Err(message) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(state, desk, Some(message), None).await?).into_response())
        }
    }
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::ManageSections)?;
    let outcome = match read(&form) {
        Err(message) => Err(message),
        Ok((slug, name, parent_id, position)) => {
            match create_section(state.store(), NewSection { slug, name, parent_id, position }).await {
                Ok(_) => Ok(()),
                Err(error) => Err(refused(error)?),
            }
        }
    };
    respond(&state, &desk, outcome).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::ManageSections)?;
    let id = SectionId(id.parse().map_err(|_| WebError::NotFound)?);
    let outcome = match read(&form) {
        Err(message) => Err(message),
        Ok((slug, name, parent_id, position)) => {
            match change_section(state.store(), id, SectionChange { slug, name, parent_id, position }).await {
                Ok(_) => Ok(()),
                Err(CreateSectionError::Store(dateline_newsroom::StoreError::NotFound)) => {
                    return Err(WebError::NotFound)
                }
                Err(error) => Err(refused(error)?),
            }
        }
    };
    respond(&state, &desk, outcome).await
}
