//! Webhooks on the desk, for admins: register an endpoint (its signing secret shown once),
//! see the recent deliveries with their state, and send one again.

use super::catalog_outcome;
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::webhooks::{add_webhook, WebhookEvent, WebhookStore};
use serde::Serialize;

#[derive(Serialize)]
struct EndpointRow {
    id: i64,
    url: String,
    events: String,
    created: String,
    disabled: Option<String>,
}

#[derive(Serialize)]
struct DeliveryRow {
    id: i64,
    event: String,
    story: i64,
    version: i64,
    url: String,
    attempts: i64,
    state: String,
}

#[derive(Serialize)]
struct SecretShown {
    url: String,
    value: String,
}

#[derive(Serialize)]
struct WebhooksPage {
    endpoints: Vec<EndpointRow>,
    deliveries: Vec<DeliveryRow>,
    events: Vec<&'static str>,
    secret: Option<SecretShown>,
    error: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    secret: Option<SecretShown>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let clock = super::stories::paper_clock(state).await?;
    let when = |t: jiff::Timestamp| clock.time(t).text;
    let store = state.store();
    let endpoints = store
        .webhooks()
        .await?
        .into_iter()
        .map(|e| EndpointRow {
            id: e.id,
            events: e.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "),
            created: when(e.created_at),
            disabled: e.disabled_at.map(when),
            url: e.url,
        })
        .collect();
    let deliveries = store
        .recent_webhook_deliveries(50)
        .await?
        .into_iter()
        .map(|d| DeliveryRow {
            state: match (d.delivered_at, d.given_up_at) {
                (Some(at), _) if d.last_status.is_none() => {
                    format!("not sent {}: {}", when(at), d.last_error.clone().unwrap_or_default())
                }
                (Some(at), _) => format!("delivered {} ({})", when(at), d.last_status.unwrap_or_default()),
                (None, Some(at)) => format!("given up {}: {}", when(at), d.last_error.clone().unwrap_or_default()),
                (None, None) if d.attempts == 0 => "waiting".to_owned(),
                (None, None) => format!("failed, tried again soon: {}", d.last_error.clone().unwrap_or_default()),
            },
            id: d.id,
            event: d.event,
            story: d.article_id,
            version: d.article_version,
            url: d.url,
            attempts: d.attempts,
        })
        .collect();
    let events = WebhookEvent::ALL.iter().map(|e| e.as_str()).collect();
    desk.render(state, "desk/webhooks.html", WebhooksPage { endpoints, deliveries, events, secret, error, notice })
        .await
}

pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageUsers)?;
    page(&state, &desk, None, None, notice.is_saved().then_some("The delivery is sent again.")).await
}

pub(crate) async fn register(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let events: Vec<String> = form.all("events").into_iter().map(str::to_owned).collect();
    match add_webhook(state.store(), Some(&desk.session.user), form.get("url"), &events, state.now()).await {
        // The secret is on this page only; every desk page is `private, no-store`.
        Ok(endpoint) => {
            let secret = SecretShown { url: endpoint.url, value: endpoint.secret };
            Ok(page(&state, &desk, Some(secret), None, None).await?.into_response())
        }
        Err(error) => {
            let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
            let html = page(&state, &desk, None, Some(format!("Not registered: {problem}.")), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub(crate) async fn disable(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let id: i64 = form.id("endpoint")?.ok_or(WebError::NotFound)?;
    dateline_newsroom::webhooks::disable_webhook(state.store(), Some(&desk.session.user), id, state.now()).await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/webhooks")]).into_response())
}

pub(crate) async fn resend(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::ManageUsers)?;
    let id: i64 = form.id("delivery")?.ok_or(WebError::NotFound)?;
    state.store().resend_webhook(id, state.now()).await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/webhooks?saved=1")]).into_response())
}
