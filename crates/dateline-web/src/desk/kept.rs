//! Copy is never lost to an ended session. A desk form posted when the session has ended (or
//! its token no longer matches, after signing in again elsewhere) writes nothing, and answers
//! with the text it carried, kept on the page: the editor signs in again in another tab, then
//! presses one button here (`POST /desk/resume`, which writes nothing either) and gets the
//! same form back with a fresh token, to send as it was meant. The resume page only draws a
//! form; the write still goes through the ordinary, token-checked handler.

use super::form::FormData;
use super::session::Desk;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::SettingsStore;
use serde::Serialize;

/// Fields never carried over: the old token, and the resume page's own.
const NOT_KEPT: &[&str] = &["csrf", "resume_to"];
/// Fields long enough to show in full, so the text can be copied even without signing in.
const SHOWN_IN_FULL: usize = 80;

#[derive(Serialize)]
struct KeptField {
    name: String,
    value: String,
    /// Shown as text on the page, besides being carried in the form.
    shown: bool,
}

#[derive(Serialize)]
struct KeptPage {
    site_name: String,
    resume_to: String,
    fields: Vec<KeptField>,
}

#[derive(Serialize)]
struct ResumePage {
    resume_to: String,
    fields: Vec<KeptField>,
}

/// Only a desk form may be resumed, never the resume page, signing in or out, nor an
/// autosave (sent by the editor's script, which keeps the text on its own screen).
fn resumable(path: &str) -> bool {
    path.starts_with("/desk/")
        && !path.ends_with("/autosave")
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && !matches!(path, "/desk/resume" | "/desk/sign-in" | "/desk/sign-out")
}

fn kept_fields(form: &FormData) -> Vec<KeptField> {
    form.pairs()
        .filter(|(name, _)| !NOT_KEPT.contains(name))
        .map(|(name, value)| KeptField {
            name: name.to_owned(),
            shown: value.chars().count() > SHOWN_IN_FULL || value.contains('\n'),
            value: value.to_owned(),
        })
        .collect()
}

/// The answer to a desk form that came without a valid session or token: when it carried
/// anything worth keeping, a page that keeps it; else the plain refusal.
pub(crate) async fn keep(state: &AppState, path: &str, form: &FormData) -> Response {
    let fields = kept_fields(form);
    if !resumable(path) || fields.iter().all(|f| f.value.trim().is_empty()) {
        return WebError::Forbidden.into_response();
    }
    let site_name = match state.store().settings().await {
        Ok(settings) => settings.site_name,
        Err(error) => return WebError::from(error).into_response(),
    };
    let page = KeptPage { site_name, resume_to: path.to_owned(), fields };
    match state.theme().render("desk/kept.html", page) {
        Ok(html) => (StatusCode::FORBIDDEN, Html(html)).into_response(),
        Err(error) => WebError::from(error).into_response(),
    }
}

/// `POST /desk/resume`: once signed in again, the kept form with a fresh token, to send with
/// one press; without a session yet, the kept page again.
pub(crate) async fn resume(State(state): State<AppState>, request: Request) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let desk = Desk::signed_in(&parts, &state).await?;
    let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), &state)
        .await
        .map_err(|_| WebError::BadRequest("The form could not be read.".into()))?;
    let form = FormData::parse(&bytes)?;
    let resume_to = form.get("resume_to").to_owned();
    if !resumable(&resume_to) {
        return Err(WebError::BadRequest("There is nothing to resume here.".into()));
    }
    let Some(desk) = desk else { return Ok(keep(&state, &resume_to, &form).await) };
    let page = ResumePage { resume_to, fields: kept_fields(&form) };
    Ok(desk.render(&state, "desk/resume.html", page).await?.into_response())
}
