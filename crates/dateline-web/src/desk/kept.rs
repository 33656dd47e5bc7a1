//! Copy is never lost to an ended session. A desk form posted when the session has ended (or
//! its token no longer matches, after signing in again elsewhere) writes nothing, and answers
//! with the text it carried, kept on the page: the editor signs in again, right there (the
//! page carries a sign-in form holding the kept fields) or in another tab, and then gets the
//! same form back with a fresh token (`POST /desk/resume`, which writes nothing either), to
//! send as it was meant. The resume page only draws a form; the write still goes through the
//! ordinary, token-checked handler. Signing in here is the sign-in page's own check
//! (`sign_in::sign_in`: same-site, issued token, throttle); any refusal keeps the text again.

use super::form::FormData;
use super::session::Desk;
use super::sign_in::{sign_in, sign_in_form_token, SignInOutcome};
use crate::client::Peer;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{AppendHeaders, Html, IntoResponse, Response};
use dateline_newsroom::{SessionStore, SettingsStore};
use serde::Serialize;

/// Fields never carried over: the old token, the resume page's own, and the in-place
/// sign-in's (a password is never written back into a page).
const NOT_KEPT: &[&str] = &["csrf", "resume_to", SIGN_IN_EMAIL, SIGN_IN_PASSWORD, SIGN_IN_TOKEN];
const SIGN_IN_EMAIL: &str = "sign_in_email";
const SIGN_IN_PASSWORD: &str = "sign_in_password";
const SIGN_IN_TOKEN: &str = "sign_in_csrf";
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
    /// The in-place sign-in form's token.
    sign_in_csrf: String,
    /// Why signing in here did not work, when it was tried.
    error: Option<String>,
    /// The address typed into the in-place sign-in, offered again.
    email: String,
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
    keep_with(state, path, form, StatusCode::FORBIDDEN, None).await
}

async fn keep_with(
    state: &AppState,
    path: &str,
    form: &FormData,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let fields = kept_fields(form);
    if !resumable(path) || fields.iter().all(|f| f.value.trim().is_empty()) {
        return WebError::Forbidden.into_response();
    }
    let drawn = async {
        let site_name = state.store().settings().await?.site_name;
        let (sign_in_csrf, form_cookie) = sign_in_form_token(state, state.settings().secure_cookies).await?;
        let email = form.get(SIGN_IN_EMAIL).to_owned();
        let page = KeptPage { site_name, resume_to: path.to_owned(), fields, sign_in_csrf, error, email };
        let html = state.theme().render("desk/kept.html", page)?;
        Ok::<_, WebError>((status, [(header::SET_COOKIE, form_cookie)], Html(html)).into_response())
    };
    drawn.await.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /desk/resume`: the kept form with a fresh token, to send with one press, once signed
/// in again (in another tab, or here with the e-mail and password sent along); without a
/// session, or when signing in here is refused, the kept page again.
pub(crate) async fn resume(
    State(state): State<AppState>,
    Peer(peer): Peer,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let desk = Desk::signed_in(&parts, &state).await?;
    let headers = parts.headers.clone();
    let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), &state)
        .await
        .map_err(|_| WebError::BadRequest("The form could not be read.".into()))?;
    let form = FormData::parse(&bytes)?;
    let resume_to = form.get("resume_to").to_owned();
    if !resumable(&resume_to) {
        return Err(WebError::BadRequest("There is nothing to resume here.".into()));
    }
    let page = ResumePage { resume_to: resume_to.clone(), fields: kept_fields(&form) };
    if let Some(desk) = desk {
        return Ok(desk.render(&state, "desk/resume.html", page).await?.into_response());
    }
    let email = form.get(SIGN_IN_EMAIL);
    if email.trim().is_empty() {
        return Ok(keep(&state, &resume_to, &form).await);
    }
    let outcome = sign_in(&state, peer, &headers, email, form.get(SIGN_IN_PASSWORD), form.get(SIGN_IN_TOKEN)).await;
    match outcome {
        Ok(SignInOutcome::SignedIn { session_token_digest, cookies: [session_cookie, clear_form_cookie] }) => {
            let session = state.store().session(&session_token_digest, state.now()).await?;
            let desk = Desk { session, token_digest: session_token_digest };
            let html = desk.render(&state, "desk/resume.html", page).await?;
            Ok((AppendHeaders([(header::SET_COOKIE, session_cookie), (header::SET_COOKIE, clear_form_cookie)]), html)
                .into_response())
        }
        Ok(SignInOutcome::WrongPassword) => Ok(keep_with(
            &state,
            &resume_to,
            &form,
            StatusCode::UNAUTHORIZED,
            Some("The e-mail address or the password is wrong.".into()),
        )
        .await),
        Err(refused) => {
            let status = refused.status();
            let why = match &refused {
                WebError::TooManyAttempts(message) => message.clone(),
                _ => "Signing in here was refused; sign in in another tab instead.".to_owned(),
            };
            Ok(keep_with(&state, &resume_to, &form, status, Some(why)).await)
        }
    }
}
