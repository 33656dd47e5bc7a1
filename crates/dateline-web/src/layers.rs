//! The middleware every request passes through, in the order `app()` stacks them (outermost
//! last): the error pages drawn once, the page cache, the measuring and the request span.
//! Each is a thin wrapper that hands the shared state to the module owning the work.

use crate::error::{is_bare, marker_for_bare, ApiError, ApiErrors, AsIs, ErrorPage};
use crate::site::chrome;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use std::time::Instant;

/// Answers reader pages from memory and keeps what handlers render (see `page_cache.rs`).
pub(crate) async fn serve_kept_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    crate::page_cache::serve_through(state.page_cache(), || state.catch_up(), request, next).await
}

/// Answers a request for a kept page before the router sees it, with everything the layers
/// would add to it: the protective headers, the count and time in `/metrics`, the access-log
/// line. `None` leaves the request to the router (see `page_cache::answer_before_routing`).
pub fn answer_kept_page(
    state: &AppState,
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
) -> Option<Response> {
    let started = Instant::now();
    let cache = state.page_cache()?;
    let (mut response, route) =
        crate::page_cache::answer_before_routing(cache, || state.catch_up(), method, uri, headers)?;
    crate::security::add_protective_headers(response.headers_mut(), false);
    account(state, method, &route, response.status().as_u16(), started);
    Some(response)
}

/// Counts an answer in `/metrics` and writes its access-log line.
fn account(state: &AppState, method: &axum::http::Method, route: &str, status: u16, started: Instant) {
    let seconds = started.elapsed().as_secs_f64();
    state.metrics().record(route, status, seconds);
    if state.settings().access_log {
        tracing::info!(target: "dateline::access", %method, route, status, ms = seconds * 1e3);
    }
}

/// Counts and times every request, and writes its access-log line.
pub(crate) async fn measure(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = crate::page_cache::route_label(&request);
    // Every line logged while the request is handled (a failure's cause, logged once where it
    // is handled) carries the route, and the user and story once they are known.
    let span = tracing::info_span!(
        "request",
        %method,
        route = %route,
        user.id = tracing::field::Empty,
        article.id = tracing::field::Empty,
    );
    let response = tracing::Instrument::instrument(next.run(request), span).await;
    account(&state, &method, &route, response.status().as_u16(), started);
    response
}

#[derive(Serialize)]
struct ErrorContext<'a> {
    site: &'a dateline_render::views::SiteView,
    status: u16,
    heading: &'a str,
    message: &'a str,
}

/// Draws every error response once: the one JSON shape under `/api/`, the theme's error page
/// (with the site's menu) everywhere else.
pub(crate) async fn render_error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let page = match response.extensions().get::<ErrorPage>().cloned() {
        Some(page) => page,
        None if (status.is_client_error() || status.is_server_error())
            && is_bare(&response)
            && response.extensions().get::<AsIs>().is_none() =>
        {
            let (parts, body) = response.into_parts();
            let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
            let page = marker_for_bare(status, String::from_utf8_lossy(&text).into_owned());
            return draw(&state, is_api, status, page, parts.headers).await;
        }
        None => return response,
    };
    let headers = response.headers().clone();
    draw(&state, is_api, status, page, headers).await
}

async fn draw(
    state: &AppState,
    is_api: bool,
    status: StatusCode,
    page: ErrorPage,
    original: axum::http::HeaderMap,
) -> Response {
    let mut out = if is_api {
        let body = ApiErrors {
            errors: vec![ApiError {
                code: page.code.to_owned(),
                detail: page.message.clone(),
                field: page.field.map(str::to_owned),
            }],
        };
        (status, axum::Json(body)).into_response()
    } else {
        (status, Html(error_page_html(state, status, &page).await)).into_response()
    };
    // What a handler or a layer set besides the body stays (Allow on a 405, Retry-After, the
    // size a 416 names).
    for name in
        [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE, header::CONTENT_RANGE, header::ACCEPT_RANGES]
    {
        if let Some(value) = original.get(&name) {
            out.headers_mut().insert(name, value.clone());
        }
    }
    out.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    out
}

async fn error_page_html(state: &AppState, status: StatusCode, page: &ErrorPage) -> String {
    let now = state.now();
    let html = match chrome::load(state, now).await {
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
    html.unwrap_or_else(|| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body><main><h1>{0}</h1><p>{1}</p></main></body></html>",
            page.heading,
            escape_text(&page.message)
        )
    })
}

/// Text for the bare page, which no template escapes.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
