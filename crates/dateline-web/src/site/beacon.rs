//! `/_v/{id}`: the view beacon every article page loads as a 1×1 image, so that views count
//! even when the page itself came from a cache, and without JavaScript.

use crate::state::AppState;
use crate::view_counts::is_obvious_bot;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use dateline_newsroom::ArticleId;

/// The smallest transparent GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
    0x02, 0x44, 0x01, 0x00, 0x3b,
];

pub(crate) async fn count_view(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> impl IntoResponse {
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    if let Ok(id) = id.parse::<i64>() {
        if id > 0 && !is_obvious_bot(user_agent) {
            state.views().record(ArticleId(id), state.now());
        }
    }
    // The answer is the same whatever happened, and never cached, so every read reaches us.
    ([(header::CONTENT_TYPE, "image/gif"), (header::CACHE_CONTROL, "no-store, private")], PIXEL)
}
