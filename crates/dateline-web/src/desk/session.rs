//! The signed-in desk user, taken from the session cookie on every desk request, and
//! [`DeskForm`], the extractor every desk POST handler takes: it checks the session and the
//! form's CSRF token before the handler runs, so a new handler cannot forget either. (The
//! photo upload reads a multipart body and checks its token itself, the one exception.) A form
//! refused for an ended session keeps what it carried (`kept.rs`).

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_newsroom::accounts::{constant_time_eq, token_digest, Action, Session};
use dateline_newsroom::{SessionStore, StoreError};

pub(crate) const SESSION_COOKIE: &str = "dateline_session";

/// The value of cookie `name` in the request, if any.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure over HTTPS.
pub(crate) fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

pub(crate) struct Desk {
    pub session: Session,
    pub token_digest: String,
}

impl Desk {
    /// Refuses with 403 what the user's role may not do.
    pub(crate) fn require(&self, action: Action) -> Result<(), WebError> {
        if self.session.user.role.may(action) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// Refuses with 403 a form that does not carry this session's token.
    pub(crate) fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if constant_time_eq(token, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

/// A signed-in user's form whose CSRF token has been checked.
pub(crate) struct DeskForm {
    pub desk: Desk,
    pub form: crate::desk::form::FormData,
}

impl FromRequest<AppState> for DeskForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let desk = Desk::signed_in(&parts, state).await.map_err(IntoResponse::into_response)?;
        let path = parts.uri.path().to_owned();
        let request = Request::from_parts(parts, body);
        let bytes = axum::body::Bytes::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        let form = crate::desk::form::FormData::parse(&bytes).map_err(IntoResponse::into_response)?;
        match desk {
            Some(desk) if desk.check_csrf(form.get("csrf")).is_ok() => Ok(DeskForm { desk, form }),
            // The session ended, or the token is an older session's: nothing is written, and
            // what the form carried is kept on the answer (`kept.rs`).
            _ => Err(crate::desk::kept::keep(state, &path, &form).await),
        }
    }
}

impl Desk {
    /// The signed-in user of a request, or none when there is no live session.
    pub(crate) async fn signed_in(parts: &Parts, state: &AppState) -> Result<Option<Desk>, WebError> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else { return Ok(None) };
        let digest = token_digest(&token);
        match state.store().session(&digest, state.now()).await {
            Ok(session) => {
                tracing::Span::current().record("user.id", session.user.id.0);
                Ok(Some(Desk { session, token_digest: digest }))
            }
            Err(StoreError::NotFound) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }
}

impl FromRequestParts<AppState> for Desk {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let not_signed_in = || {
            if parts.method == Method::GET || parts.method == Method::HEAD {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/desk/");
                let target = format!("/desk/sign-in?next={}", encode_component(next));
                Redirect::to(&target).into_response()
            } else {
                WebError::Forbidden.into_response()
            }
        };
        match Desk::signed_in(parts, state).await {
            Ok(Some(desk)) => Ok(desk),
            Ok(None) => Err(not_signed_in()),
            Err(error) => Err(error.into_response()),
        }
    }
}

/// Percent-encodes a URL query value.
pub(crate) fn encode_component(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
