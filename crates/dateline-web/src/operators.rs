//! What the operator's tools read: `GET /healthz` for a load balancer (200 only when the
//! database answers, so it stops sending readers to an instance that cannot serve them) and
//! `GET /metrics` for Prometheus (only from the addresses the operator allows).

use crate::client::{client_address, in_network, Peer};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_newsroom::Store;

/// `GET /healthz`.
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

/// `GET /metrics`, for the addresses the operator allows.
pub(crate) async fn metrics(State(state): State<AppState>, Peer(peer): Peer, headers: HeaderMap) -> Response {
    let settings = state.settings();
    let allowed = client_address(settings, peer, &headers)
        .is_some_and(|address| settings.metrics_allow.iter().any(|network| in_network(address, *network)));
    if !allowed {
        return (StatusCode::FORBIDDEN, "metrics are not open to this address; see metrics.allow\n").into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        state.metrics().render(state.page_cache(), state.store().pool_usage(), state.live_channels().listeners()),
    )
        .into_response()
}
