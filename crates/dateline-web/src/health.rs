//! `GET /healthz`: 200 only when the database answers, so a load balancer stops sending
//! readers to an instance that cannot serve them.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use dateline_newsroom::Store;

pub(crate) async fn check(State(state): State<AppState>) -> impl IntoResponse {
    let headers = [(header::CACHE_CONTROL, "no-store")];
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, headers, "ok\n"),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, headers, "database unavailable\n")
        }
    }
}
