//! Who is calling the write API: [`ApiCaller`] reads `Authorization: Bearer dtl_…`, finds
//! the key by the token's digest, refuses a revoked or expired one (401, the same answer as an
//! unknown token, so nobody learns which keys exist), counts the request against the key's
//! rate (429 with `Retry-After`), notes the use, and hands the handler the account the key
//! acts as, in the key's role. The domain then checks that role as it checks a desk user's.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use dateline_newsroom::accounts::token_digest;
use dateline_newsroom::{ApiKeyStore, StoreError, User};
use std::time::Instant;

/// The account a valid key acts as.
pub(crate) struct ApiCaller {
    pub user: User,
}

fn unauthorized() -> WebError {
    WebError::refused(StatusCode::UNAUTHORIZED, "unauthorized", "the API key is missing, unknown, revoked or expired")
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| t.starts_with("dtl_") && t.len() < 200)
            .ok_or_else(unauthorized)?;
        let key = match state.store().api_key_by_digest(&token_digest(token)).await {
            Ok(key) => key,
            Err(StoreError::NotFound) => return Err(unauthorized()),
            Err(other) => return Err(other.into()),
        };
        let now = state.now();
        if !key.usable_at(now) {
            return Err(unauthorized());
        }
        if let Err(wait) = state.api_rate().allow(key.id, Instant::now()) {
            return Err(WebError::TooManyRequests {
                detail: format!(
                    "this key may make {} requests a minute; wait {} s",
                    state.api_rate().per_minute,
                    wait.as_secs().max(1)
                ),
                retry_after_secs: wait.as_secs().max(1),
            });
        }
        state.store().note_api_key_use(key.id, now).await?;
        tracing::Span::current().record("user.id", key.user.id.0);
        Ok(ApiCaller { user: key.user })
    }
}
