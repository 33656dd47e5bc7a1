//! `GET /healthz`: 200 only when the database answers, so a load balancer stops sending
//! readers to an instance that cannot serve them.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_newsroom::Store;

pub(crate) async fn check(State(state): State<AppState>) -> Response {
    let headers = [(header::CACHE_CONTROL, "no-store")];
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, headers, "ok\n").into_response(),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            // Said plainly and at once, without drawing an error page that needs the database.
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, headers, "database unavailable\n").into_response();
            response.extensions_mut().insert(crate::error::AsIs);
            response
        }
    }
}
