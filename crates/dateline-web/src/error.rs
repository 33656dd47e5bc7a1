//! One error vocabulary for every handler, mapped to a response in one place.
//!
//! A handler returns [`WebError`]. Its response carries only a status and an [`ErrorPage`]
//! marker (a stable `code`, a sentence for people, perhaps the field at fault), and
//! `layers::render_error_pages` draws it once for everybody: under `/api/` as the one JSON shape
//! `{"errors":[{"code","detail","field"}]}`, everywhere else as the theme's error page. An
//! error response that axum or a layer made without a marker (a path that does not parse, a
//! method not allowed, a body over its limit) is drawn the same way. Internal causes are
//! logged once, here, and never put in a response.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_newsroom::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// The story existed and was removed for legal reasons.
    #[error("gone")]
    Gone,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// No credentials, or wrong ones (an API token).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Signed in, but the role does not allow it, or the form's CSRF token is wrong.
    #[error("forbidden")]
    Forbidden,
    /// Someone changed the thing in the meantime; the text says what to do.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many failed sign-ins; the text says how long to wait.
    #[error("too many attempts: {0}")]
    TooManyAttempts(String),
    /// An API key over its rate; `Retry-After` says when to come back.
    #[error("too many requests: {detail}")]
    TooManyRequests { detail: String, retry_after_secs: u64 },
    #[error("the database is unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
    /// A refusal with a code of the API's own (an agency document that fails its schema, a
    /// body over the limit, a content type not taken), a sentence, and perhaps the field.
    #[error("refused ({code}): {detail}")]
    Refused { status: StatusCode, code: &'static str, detail: String, field: Option<&'static str> },
}

impl WebError {
    pub fn refused(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        WebError::Refused { status, code, detail: detail.into(), field: None }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Gone => StatusCode::GONE,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyAttempts(_) | WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Refused { status, .. } => *status,
        }
    }

    /// The stable code clients read (documented in docs/API.md): it never changes meaning.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::NotFound => "not_found",
            WebError::Gone => "gone",
            WebError::BadRequest(_) => "bad_request",
            WebError::Unauthorized(_) => "unauthorized",
            WebError::Forbidden => "forbidden",
            WebError::Conflict(_) => "conflict",
            WebError::TooManyAttempts(_) => "too_many_attempts",
            WebError::TooManyRequests { .. } => "rate_limited",
            WebError::Unavailable => "unavailable",
            WebError::Internal(_) => "internal",
            WebError::Refused { code, .. } => code,
        }
    }
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

impl From<dateline_newsroom::catalog::CatalogError> for WebError {
    fn from(error: dateline_newsroom::catalog::CatalogError) -> Self {
        use dateline_newsroom::catalog::CatalogError;
        match error {
            CatalogError::NotAllowed => WebError::Forbidden,
            CatalogError::Invalid { field, problem } => WebError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                detail: problem,
                field: Some(field),
            },
            CatalogError::Taken(what) => WebError::refused(StatusCode::CONFLICT, "taken", what),
            CatalogError::NotFound => WebError::NotFound,
            CatalogError::Store(error) => error.into(),
        }
    }
}

impl From<dateline_intake::PhotoError> for WebError {
    fn from(error: dateline_intake::PhotoError) -> Self {
        use dateline_intake::PhotoError;
        match error {
            PhotoError::NotAllowed => WebError::Forbidden,
            PhotoError::Unusable(problem) => WebError::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                detail: problem.to_string(),
                field: Some("file"),
            },
            PhotoError::Storage(cause) => WebError::Internal(format!("storing a photo failed: {cause}")),
            PhotoError::Store(error) => error.into(),
        }
    }
}

impl From<dateline_render::ThemeError> for WebError {
    fn from(error: dateline_render::ThemeError) -> Self {
        WebError::Internal(error.to_string())
    }
}

/// The one error shape of every route under `/api/`: `layers::render_error_pages` writes it,
/// and the OpenAPI document describes it from the same type.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ApiErrors {
    pub errors: Vec<ApiError>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// Stable, for programs (`not_found`, `bad_request`, …; docs/API.md lists them).
    pub code: String,
    /// A sentence for people; it may change.
    pub detail: String,
    /// The parameter or field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The marker an error response carries until `layers::render_error_pages` draws it.
#[derive(Debug, Clone)]
pub(crate) struct ErrorPage {
    pub code: &'static str,
    pub heading: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        let retry_after = match &self {
            WebError::TooManyRequests { retry_after_secs, .. } => Some(*retry_after_secs),
            WebError::Unavailable => Some(5),
            _ => None,
        };
        let (heading, message, field) = match self {
            WebError::NotFound => (
                "Page not found",
                "There is no page at this address. It may have moved, or the link may be mistyped.".to_owned(),
                None,
            ),
            WebError::Gone => ("This story has been removed", "This story is no longer available.".to_owned(), None),
            WebError::BadRequest(why) => ("Bad request", why, None),
            WebError::Unauthorized(why) => ("Not signed in", why, None),
            WebError::Forbidden => (
                "Not allowed",
                "Your role does not allow this, or the form has expired. Go back, reload the page and try again."
                    .to_owned(),
                None,
            ),
            WebError::Conflict(what) => ("Changed in the meantime", what, None),
            WebError::TooManyAttempts(wait) => ("Too many attempts", wait, None),
            WebError::TooManyRequests { detail, .. } => ("Too many requests", detail, None),
            WebError::Unavailable => (
                "Temporarily unavailable",
                "We cannot show this page right now. Please try again in a moment.".to_owned(),
                None,
            ),
            WebError::Internal(detail) => {
                // Logged once, here, inside the request's span; never shown.
                tracing::error!(error = %detail, "request failed");
                ("Something went wrong", "We could not show this page. The problem has been logged.".to_owned(), None)
            }
            WebError::Refused { detail, field, .. } => ("Refused", detail, field),
        };
        let mut response = status.into_response();
        // Busy, briefly away or over a rate: worth asking again after this many seconds.
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(ErrorPage { code, heading, message, field });
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

/// The marker for an error response made without one (by axum's extractors or a layer): the
/// status says what kind of error, the plain-text body (axum's rejection text) says why.
pub(crate) fn marker_for_bare(status: StatusCode, text: String) -> ErrorPage {
    let (code, heading) = match status {
        StatusCode::NOT_FOUND => ("not_found", "Page not found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "Not allowed here"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "Too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Not a type taken here"),
        StatusCode::UNPROCESSABLE_ENTITY => ("unprocessable", "Bad request"),
        s if s.is_server_error() => ("internal", "Something went wrong"),
        _ => ("bad_request", "Bad request"),
    };
    let message = if status.is_server_error() || text.trim().is_empty() {
        status.canonical_reason().unwrap_or("Error").to_owned() + "."
    } else {
        // axum's rejection texts are about the request, never about the server's insides.
        text.trim().chars().take(300).collect()
    };
    ErrorPage { code, heading, message, field: None }
}

/// Marks an error response whose body is meant as it is (the health check's one line for a
/// load balancer), so it is not drawn as an error page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AsIs;

/// Whether an error response is a bare one that should be drawn: axum's rejections come as
/// plain text or with no body; a handler's own page (the editor with its 422) is left alone.
pub(crate) fn is_bare(response: &Response) -> bool {
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    content_type.is_empty() || content_type.starts_with("text/plain")
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
