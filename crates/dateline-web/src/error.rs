//! One error vocabulary for every handler. A handler returns `WebError`; the response it
//! becomes carries only a status and a marker, and [`render_error_pages`] draws the theme's
//! error page around it, so internal text never reaches a reader.

use crate::site::chrome;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// The story existed and was removed for legal reasons.
    #[error("gone")]
    Gone,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Signed in, but the role does not allow it, or the form's CSRF token is wrong.
    #[error("forbidden")]
    Forbidden,
    /// Someone changed the thing in the meantime; the text says what to do.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many failed sign-ins; the text says how long to wait.
    #[error("too many attempts: {0}")]
    TooManyAttempts(String),
    #[error("the database is unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => WebError::NotFound,
            StoreError::Unavailable(_) => WebError::Unavailable,
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<dateline_render::ThemeError> for WebError {
    fn from(error: dateline_render::ThemeError) -> Self {
        WebError::Internal(error.to_string())
    }
}

/// The marker an error response carries until the error page is drawn.
#[derive(Debug, Clone)]
struct ErrorPage {
    heading: &'static str,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match &self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is no page at this address. It may have moved, or the link may be mistyped.".to_owned(),
            ),
            WebError::Gone => {
                (StatusCode::GONE, "This story has been removed", "This story is no longer available.".to_owned())
            }
            WebError::BadRequest(why) => (StatusCode::BAD_REQUEST, "Bad request", why.clone()),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Not allowed",
                "Your role does not allow this, or the form has expired. Go back, reload the page and try again."
                    .to_owned(),
            ),
            WebError::Conflict(what) => (StatusCode::CONFLICT, "Changed in the meantime", what.clone()),
            WebError::TooManyAttempts(wait) => (StatusCode::TOO_MANY_REQUESTS, "Too many attempts", wait.clone()),
            WebError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Temporarily unavailable",
                "We cannot show this page right now. Please try again in a moment.".to_owned(),
            ),
            WebError::Internal(detail) => {
                tracing::error!(error = %detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "We could not show this page. The problem has been logged.".to_owned(),
                )
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { heading, message });
        response
    }
}

/// A handler that panicked answers 500 for that request alone: the panic is logged with its
/// message and the error page is drawn as for any internal error. Tokio would otherwise drop
/// the connection without an answer.
pub(crate) fn answer_panic(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    WebError::Internal(format!("a handler panicked: {message}")).into_response()
}

#[derive(Serialize)]
struct ErrorContext<'a> {
    site: &'a dateline_render::views::SiteView,
    status: u16,
    heading: &'a str,
    message: &'a str,
}

/// Draws the theme's error page, with the site's menu, for every error response.
pub(crate) async fn render_error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else { return response };
    let status = response.status();
    let now = state.now();
    let html = match chrome::load(&state, now).await {
        Ok(chrome) => state
            .theme()
            .render(
                "error.html",
                ErrorContext {
                    site: &chrome.site,
                    status: status.as_u16(),
                    heading: page.heading,
                    message: &page.message,
                },
            )
            .ok(),
        Err(_) => None,
    };
    // Without the database there is no menu to draw: a bare page still says what happened.
    let html = html.unwrap_or_else(|| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body><main><h1>{0}</h1><p>{1}</p></main></body></html>",
            page.heading, page.message
        )
    });
    let mut out = (status, Html(html)).into_response();
    out.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_handler_that_panics_answers_500_with_the_error_page_marker_and_the_next_request_is_served() {
        async fn boom() -> &'static str {
            panic!("the printer ran out of ink")
        }
        let app = axum::Router::new()
            .route("/boom", get(boom))
            .route("/fine", get(|| async { "fine" }))
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(answer_panic));
        let request = |path: &str| axum::http::Request::get(path).body(axum::body::Body::empty()).expect("request");
        let response = app.clone().oneshot(request("/boom")).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.extensions().get::<ErrorPage>().is_some(), "the theme's error page is drawn around it");
        let response = app.oneshot(request("/fine")).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::OK);
    }
}
