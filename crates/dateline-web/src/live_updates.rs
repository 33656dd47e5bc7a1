//! The readers' update channel of live stories: `GET /_live/{id}` is a stream of
//! server-sent events that carries each new, edited or deleted post to every reader of the
//! story within a moment of its commit, on every instance.
//!
//! Why server-sent events rather than a poll: a poll every 5 s from 5,000 readers is 1,000
//! requests a second doing nothing most of the time, and still up to 5 s late; an open event
//! stream costs one idle connection per reader (a few kilobytes) and carries a post the
//! moment it is written. Browsers reconnect by themselves, and the page's script then fetches
//! the (cached) page once to catch up on whatever it missed while disconnected.
//!
//! How a post travels: the store announces `Change::Live` as it commits (another instance's
//! through PostgreSQL's notices); [`follow`], run beside the server like the outbox, hears it
//! and, only if this instance has readers of that story, reads the post once, draws it
//! once with the theme's `live_post.html`, and broadcasts the same bytes to every reader's
//! stream. Changes are handled one after another, so readers get posts in the order written.

use crate::error::WebError;
use crate::live_channels::Told;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use dateline_newsroom::live::{LivePost, LivePostId, LiveStore};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{Change, StoreError};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// A comment line this often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// What the page's script gets for a post that is shown: its markup, and what the list of key
/// events needs.
#[derive(Serialize)]
struct PostShown<'a> {
    id: i64,
    html: &'a str,
    pinned: bool,
    key_text: String,
    key_time: String,
    key_datetime: String,
    permalink: String,
    posted_at: i64,
}

#[derive(Serialize)]
struct PostGone {
    id: i64,
}

/// Passes every change to the readers it concerns, one after another so that they get posts
/// in the order written, until the program stops. Run it once per process, beside the server.
pub async fn follow(state: AppState) {
    let mut changes = state.store().subscribe_changes();
    loop {
        match changes.recv().await {
            Ok(change) => hear(&state, &change).await,
            // Notices were missed: every reader catches up by fetching its page once.
            Err(broadcast::error::RecvError::Lagged(_)) => state.live_channels().tell_everyone(&catch_up()),
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// Passes a change on to the readers it concerns.
async fn hear(state: &AppState, change: &Change) {
    let channels = state.live_channels();
    match change {
        Change::Live { story, post } => {
            let Some(channel) = channels.channel(*story) else { return };
            let told = match post {
                Some(post) => match draw_post(state, *post).await {
                    Ok(Some(told)) => told,
                    // The story is no longer public: its readers fetch the page (which says so)
                    // and their streams end.
                    Ok(None) => {
                        let _ = channel.send(catch_up());
                        channels.close(*story);
                        return;
                    }
                    Err(error) => {
                        tracing::warn!(%error, post = post.0, "could not draw a live post for its readers");
                        catch_up()
                    }
                },
                // The coverage ended or resumed: the page says so, and readers fetch it.
                None => catch_up(),
            };
            let _ = channel.send(told);
        }
        // Unpublished or taken down: nothing more reaches its readers, who fetch the page once
        // (404, or 410 for a legal removal) as their streams end.
        Change::Story { id, after: None, .. } => {
            if let Some(channel) = channels.channel(*id) {
                let _ = channel.send(catch_up());
                channels.close(*id);
            }
        }
        // Notices were missed: whatever changed, readers fetch their page once.
        Change::Everything => channels.tell_everyone(&catch_up()),
        _ => {}
    }
}

fn catch_up() -> Told {
    Told { name: "catch-up", data: Arc::from("{}") }
}

/// The event for a post, or none when its story is no longer one readers may see.
async fn draw_post(state: &AppState, id: LivePostId) -> Result<Option<Told>, WebError> {
    let post: LivePost = state.store().live_post(id).await?;
    if !state.store().article_by_id(post.article_id).await?.is_public(state.now()) {
        return Ok(None);
    }
    if post.deleted_at.is_some() {
        let data = serde_json::to_string(&PostGone { id: post.id.0 }).map_err(|e| WebError::Internal(e.to_string()))?;
        return Ok(Some(Told { name: "removed", data: Arc::from(data) }));
    }
    let chrome = crate::site::chrome::load(state, state.now()).await?;
    let lookup = crate::site::chrome::lookup_for(
        state,
        &chrome,
        &[],
        &post.author_id.into_iter().collect::<Vec<_>>(),
        &post.media_id.into_iter().collect::<Vec<_>>(),
    )
    .await?;
    let view = crate::site::live::post_view(state, &post, &lookup, &chrome).await;
    let html = state.theme().render("live_post.html", serde_json::json!({ "post": view }))?;
    let key = dateline_render::views::KeyEventView::new(&post, &chrome.clock, chrome.now);
    let shown = PostShown {
        id: post.id.0,
        html: html.trim(),
        pinned: post.pinned,
        key_text: key.text,
        key_time: key.time.text,
        key_datetime: key.time.datetime,
        permalink: key.permalink,
        posted_at: post.posted_at.as_millisecond(),
    };
    let data = serde_json::to_string(&shown).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Some(Told { name: "post", data: Arc::from(data) }))
}

/// `GET /_live/{id}`: the event stream of a running live story that readers may see.
pub(crate) async fn listen(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = crate::site::article::parse_id(&id)?;
    crate::site::article::public_article(&state, id).await?;
    match state.store().coverage(id).await {
        Ok(coverage) if coverage.is_running() => {}
        Ok(_) | Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(other) => return Err(other.into()),
    }
    let Some((receiver, listening)) = state.live_channels().subscribe(id) else {
        return Err(WebError::refused(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "too_many_listeners",
            "Too many readers are following live pages on this server; reload the page for the newest posts.",
        ));
    };
    let events = futures_util::stream::unfold((receiver, listening), |(mut receiver, listening)| async move {
        let event = match receiver.recv().await {
            Ok(told) => Event::default().event(told.name).data(&*told.data),
            Err(broadcast::error::RecvError::Lagged(_)) => Event::default().event("catch-up").data("{}"),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok::<_, std::convert::Infallible>(event), (receiver, listening)))
    });
    let mut response = Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    // Never kept by a proxy or a CDN, and not buffered by nginx.
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response.headers_mut().insert("x-accel-buffering", axum::http::HeaderValue::from_static("no"));
    Ok(response)
}
