//! API keys on the desk, for admins: make one (its token is shown once), see each key's role,
//! expiry and last use, and revoke one. The same use cases as `dateline api-key`.

use super::catalog_outcome;
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::{Action, Role};
use dateline_newsroom::catalog::{add_api_key, revoke_api_key, ApiKeyFields};
use dateline_newsroom::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct KeyRow {
    name: String,
    role: &'static str,
    created: String,
    expires: String,
    last_used: String,
    revoked: Option<String>,
}

#[derive(Serialize)]
struct TokenShown {
    name: String,
    token: String,
}

#[derive(Serialize)]
struct KeysPage {
    keys: Vec<KeyRow>,
    roles: Vec<(&'static str, &'static str)>,
    token: Option<TokenShown>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    token: Option<TokenShown>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let clock = super::stories::paper_clock(state).await?;
    let when = |t: jiff::Timestamp| clock.time(t).text;
    let keys = state
        .store()
        .api_keys()
        .await?
        .into_iter()
        .map(|k| KeyRow {
            role: k.user.role.title(),
            created: when(k.created_at),
            expires: k.expires_at.map_or_else(|| "never".to_owned(), when),
            last_used: k.last_used_at.map_or_else(|| "never".to_owned(), when),
            revoked: k.revoked_at.map(when),
            name: k.name,
        })
        .collect();
    let roles = Role::ALL.iter().map(|r| (r.as_str(), r.title())).collect();
    desk.render(state, "desk/api_keys.html", KeysPage { keys, roles, token, error, notice }).await
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageUsers)?;
    page(&state, &desk, None, None, notice.is_saved().then_some("The key is revoked.")).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let fields = ApiKeyFields {
        name: form.get("name").to_owned(),
        role: form.get("role").to_owned(),
        expires: form.get("expires").to_owned(),
    };
    match add_api_key(state.store(), Some(&desk.session.user), &fields, state.now()).await {
        // The token is on this page only; every desk page is `private, no-store`.
        Ok((key, token)) => {
            Ok(page(&state, &desk, Some(TokenShown { name: key.name, token }), None, None).await?.into_response())
        }
        Err(error) => {
            let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
            let html = page(&state, &desk, None, Some(format!("Not made: {problem}.")), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub(crate) async fn revoke(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    catalog_outcome(revoke_api_key(state.store(), Some(&desk.session.user), form.get("name"), state.now()).await)?
        .map_err(WebError::BadRequest)?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/api-keys?saved=1")]).into_response())
}
