//! Signing in and out of the desk. The sign-in form carries its own CSRF token, checked
//! against a cookie (there is no session yet to hold one); failed tries are throttled per
//! account and per address; an unknown e-mail costs as much time as a wrong password.

use super::session::{cookie, set_cookie, Desk, SESSION_COOKIE};
use crate::client::{client_address, is_https, Peer};
use crate::error::WebError;
use crate::query::Query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, Html, IntoResponse, Response};
use axum::Form;
use dateline_newsroom::accounts::{
    constant_time_eq, decoy_hash, issue_sign_in_token, normalize_email, random_token, sign_in_token_is_ours,
    token_digest, verify_password,
};
use dateline_newsroom::{SessionStore, SettingsStore, StoreError, UserStore};
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

const FORM_COOKIE: &str = "dateline_sign_in";
/// The shared secret that signs sign-in forms.
const SIGN_IN_KEY: &str = "sign_in_forms";
/// A desk session lasts a long shift.
pub(crate) const SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(12);

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

#[derive(Serialize)]
struct SignInPage<'a> {
    site_name: String,
    csrf: &'a str,
    next: &'a str,
    email: &'a str,
    error: Option<&'a str>,
}

/// Only a desk address may be the place to go after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        // Only a desk address, and nothing that could end a header line (CR, LF, NUL).
        Some(path)
            if path.starts_with("/desk/")
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/desk/".to_owned(),
    }
}

async fn page(
    state: &AppState,
    status: StatusCode,
    csrf: &str,
    next: &str,
    email: &str,
    error: Option<&str>,
    secure: bool,
) -> Result<Response, WebError> {
    let site_name = state.store().settings().await?.site_name;
    let html = state.theme().render("desk/sign_in.html", SignInPage { site_name, csrf, next, email, error })?;
    let cookie = set_cookie(FORM_COOKIE, csrf, 3600, secure);
    Ok((status, [(header::SET_COOKIE, cookie)], Html(html)).into_response())
}

pub(crate) async fn form(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    let secure = cookies_secure(&state, peer, &headers);
    let (csrf, _) = sign_in_form_token(&state, secure).await?;
    page(&state, StatusCode::OK, &csrf, &safe_next(query.next.as_deref()), "", None, secure).await
}

/// Whether cookies set on this answer are marked Secure: by the setting, or because the
/// request came over HTTPS (directly or through a trusted proxy).
fn cookies_secure(state: &AppState, peer: Option<std::net::SocketAddr>, headers: &HeaderMap) -> bool {
    state.settings().secure_cookies || is_https(state.settings(), peer, headers)
}

/// What a sign-in with the right token came to.
pub(crate) enum SignInOutcome {
    /// A new session: its cookie and the one that clears the sign-in form's, to set.
    SignedIn { session_token_digest: String, cookies: [String; 2] },
    /// The e-mail address or the password is wrong (which one is not said).
    WrongPassword,
}

/// A sign-in as the paper checks every one, from the sign-in page or in place on a kept
/// form's page: posted from this site, with a form token this paper issued that matches its
/// cookie, counted by the throttle before the password is checked. A refusal that is not
/// about the password is an error (403 or 429).
pub(crate) async fn sign_in(
    state: &AppState,
    peer: Option<std::net::SocketAddr>,
    headers: &HeaderMap,
    email: &str,
    password: &str,
    form_token: &str,
) -> Result<SignInOutcome, WebError> {
    let secure = cookies_secure(state, peer, headers);
    // A browser says where a form was posted from: a sign-in posted from another site (a
    // page that planted its own form) is refused, whatever its token.
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| !matches!(site, "same-origin" | "none"));
    let foreign_origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).is_some_and(|origin| {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let public = state.settings().public_url.trim_end_matches('/');
        origin != public && origin.split_once("://").map(|(_, authority)| authority) != Some(host)
    });
    if cross_site || foreign_origin {
        return Err(WebError::Forbidden);
    }
    // The form's token must match its cookie (double submit) and be one this paper issued:
    // a pair an attacker made up themselves would otherwise sign a victim in to the
    // attacker's account.
    let expected = cookie(headers, FORM_COOKIE).unwrap_or_default();
    let key = state.store().server_secret(SIGN_IN_KEY).await?;
    if expected.is_empty()
        || !constant_time_eq(form_token, &expected)
        || !sign_in_token_is_ours(&key, form_token, state.now())
    {
        return Err(WebError::Forbidden);
    }
    let address = client_address(state.settings(), peer, headers);
    // An address no account can have is still looked up (and counted), never sent to the
    // database with a NUL that PostgreSQL would refuse.
    let email = normalize_email(email)
        .unwrap_or_else(|_| dateline_newsroom::text::without_control_characters(email.trim()).to_lowercase());
    let clock = std::time::Instant::now();
    // Counted before the password is checked: a burst of guesses gets no free tries.
    if let Err(wait) = state.sign_in_throttle().attempt(&email, address, clock) {
        let minutes = wait.as_secs().div_ceil(60);
        let seconds = wait.as_secs().max(1);
        let text = if seconds < 60 { format!("{seconds} seconds") } else { format!("{minutes} minutes") };
        return Err(WebError::TooManyAttempts(format!("Too many failed sign-ins. Try again in {text}.")));
    }

    let found = match state.store().user_with_password_hash(&email).await {
        Ok(found) => Some(found),
        Err(StoreError::NotFound) => None,
        Err(other) => return Err(other.into()),
    };
    // Hashing costs tens of milliseconds: do it off the async threads.
    let password = password.to_owned();
    let stored = found.as_ref().and_then(|(_, hash)| hash.clone()).unwrap_or_else(|| decoy_hash().to_owned());
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let user = match (found, matches) {
        (Some((user, Some(_))), true) => user,
        _ => {
            tracing::info!("failed desk sign-in");
            return Ok(SignInOutcome::WrongPassword);
        }
    };
    state.sign_in_throttle().succeeded(&email, address);
    let token = random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let csrf = random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let now = state.now();
    let session_token_digest = token_digest(&token);
    state.store().insert_session(&session_token_digest, user.id, &csrf, now, now + SESSION_LIFETIME).await?;
    tracing::info!(user.id = %user.id, "desk sign-in");
    let cookies = [
        set_cookie(SESSION_COOKIE, &token, SESSION_LIFETIME.as_secs(), secure),
        set_cookie(FORM_COOKIE, "", 0, secure),
    ];
    Ok(SignInOutcome::SignedIn { session_token_digest, cookies })
}

/// A fresh sign-in form token, and the cookie that goes with it, for a page that offers to
/// sign in (the sign-in page, a kept form's page).
pub(crate) async fn sign_in_form_token(state: &AppState, secure: bool) -> Result<(String, String), WebError> {
    let key = state.store().server_secret(SIGN_IN_KEY).await?;
    let token = issue_sign_in_token(&key, state.now()).map_err(|e| WebError::Internal(e.to_string()))?;
    let cookie = set_cookie(FORM_COOKIE, &token, 3600, secure);
    Ok((token, cookie))
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let secure = cookies_secure(&state, peer, &headers);
    let next = safe_next(Some(&form.next));
    match sign_in(&state, peer, &headers, &form.email, &form.password, &form.csrf).await? {
        SignInOutcome::SignedIn { cookies: [session_cookie, clear_form_cookie], .. } => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, next)],
            AppendHeaders([(header::SET_COOKIE, session_cookie), (header::SET_COOKIE, clear_form_cookie)]),
        )
            .into_response()),
        SignInOutcome::WrongPassword => {
            let message = "The e-mail address or the password is wrong.";
            page(&state, StatusCode::UNAUTHORIZED, &form.csrf, &next, &form.email, Some(message), secure).await
        }
    }
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    desk: Desk,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    desk.check_csrf(&form.csrf)?;
    state.store().delete_session(&desk.token_digest).await?;
    let cleared = set_cookie(SESSION_COOKIE, "", 0, state.settings().secure_cookies);
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/sign-in".to_owned()), (header::SET_COOKIE, cleared)])
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_desk_addresses_are_followed_after_signing_in() {
        assert_eq!(safe_next(Some("/desk/stories/4")), "/desk/stories/4");
        for bad in ["https://evil.example/", "//evil.example/desk/", "/article/1/x", "/desk\\..", ""] {
            assert_eq!(safe_next(Some(bad)), "/desk/", "{bad}");
        }
    }
}
