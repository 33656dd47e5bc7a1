//! A live story's stream on its article page: the key events, one page of posts (newest
//! first, `?page=N` for older ones), and each post's permalink
//! (`/article/{id}/post/{post}`), which finds the post on whichever page it has moved to.
//! The readers' update channel (`live_updates.rs`) draws single posts with [`post_view`],
//! so a post pushed to a reader is the same markup as one on the page.

use super::chrome::{self, Chrome};
use super::paging::PER_PAGE;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_newsroom::live::{Coverage, LivePost, LivePostId, LiveStore};
use dateline_newsroom::{Article, ArticleId, StoreError};
use dateline_render::views::{article_url, KeyEventView, LivePostView, LiveView, Lookup};
use jiff::Timestamp;

/// The posts a page of the stream holds.
pub(crate) const POSTS_PER_PAGE: u32 = PER_PAGE;
/// How many of the newest posts the page's JSON-LD names as `liveBlogUpdate`.
pub(crate) const UPDATES_IN_STRUCTURED_DATA: usize = 10;

/// The story's coverage, or none for a story that is not live.
pub(crate) async fn coverage_of(state: &AppState, id: ArticleId) -> Result<Option<Coverage>, WebError> {
    match state.store().coverage(id).await {
        Ok(coverage) => Ok(Some(coverage)),
        Err(StoreError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// A live story's stream as page `page` shows it, with the posts drawn (for the page's
/// structured data too). A page past the end is not there.
pub(crate) async fn stream(
    state: &AppState,
    chrome: &Chrome,
    article: &Article,
    coverage: &Coverage,
    page: u32,
) -> Result<(LiveView, Vec<LivePost>), WebError> {
    let store = state.store();
    let total = store.count_live_posts(article.id).await?;
    let pages = u32::try_from(total.div_ceil(u64::from(POSTS_PER_PAGE))).unwrap_or(u32::MAX).max(1);
    if page > pages {
        return Err(WebError::NotFound);
    }
    let posts = store.live_posts(article.id, POSTS_PER_PAGE, (page - 1) * POSTS_PER_PAGE).await?;
    let key_events = store.key_events(article.id).await?;
    let authors: Vec<_> = posts.iter().filter_map(|p| p.author_id).collect();
    let photos: Vec<_> = posts.iter().filter_map(|p| p.media_id).collect();
    let lookup = chrome::lookup_for(state, chrome, &[], &authors, &photos).await?;
    let mut views = Vec::with_capacity(posts.len());
    for post in &posts {
        views.push(post_view(state, post, &lookup, chrome).await);
    }
    let base = article_url(article.id, &article.content.slug);
    let link = |n: u32| if n == 1 { base.clone() } else { format!("{base}?page={n}") };
    let view = LiveView {
        running: coverage.is_running(),
        started: chrome.clock.time(coverage.start_for_readers(article)),
        ended: coverage.ended_at.map(|t| chrome.clock.time(t)),
        key_events: key_events.iter().map(|p| KeyEventView::new(p, &chrome.clock, chrome.now)).collect(),
        posts: views,
        page,
        pages,
        newer_url: (page > 1).then(|| link(page - 1)),
        older_url: (page < pages).then(|| link(page + 1)),
        events_url: (page == 1 && coverage.is_running()).then(|| format!("/_live/{}", article.id)),
    };
    Ok((view, posts))
}

/// One post as readers see it.
pub(crate) async fn post_view(state: &AppState, post: &LivePost, lookup: &Lookup, chrome: &Chrome) -> LivePostView {
    let body_html = state.render_work().body_html(&post.body).await;
    // A post carries its photo in its own field; one placed in its text is drawn if known.
    let body_html = dateline_render::place_body_photos(&body_html, |id| lookup.image(Some(id)));
    LivePostView::new(post, body_html, lookup, &chrome.clock, chrome.now)
}

/// `/article/{id}/post/{post}`: to the page of the stream that now holds the post, at its
/// anchor. A deleted post, or one of a story readers cannot see, is not there.
pub(crate) async fn permalink(
    State(state): State<AppState>,
    Path((id, post)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = super::article::parse_id(&id)?;
    let post = post.parse::<i64>().ok().filter(|p| *p > 0).map(LivePostId).ok_or(WebError::NotFound)?;
    let article = super::article::public_article(&state, id).await?;
    let store = state.store();
    let found = store.live_post(post).await?;
    if found.article_id != article.id {
        return Err(WebError::NotFound);
    }
    let place = store.live_post_place(post).await?;
    let base = article_url(article.id, &article.content.slug);
    let page = place.page(POSTS_PER_PAGE);
    let location = if page == 1 { format!("{base}#post-{post}") } else { format!("{base}?page={page}#post-{post}") };
    // Found, not moved for good: the post moves to older pages as the stream grows.
    Ok((StatusCode::FOUND, [(header::LOCATION, location), (header::CACHE_CONTROL, "no-cache".to_owned())])
        .into_response())
}

/// The `LiveBlogPosting` part of a live story's structured data.
pub(crate) fn live_structured_data(
    state: &AppState,
    article: &Article,
    coverage: &Coverage,
    posts: &[LivePost],
) -> dateline_feeds::jsonld::LiveData {
    use dateline_feeds::jsonld::{LiveData, LiveUpdate};
    let stamp = |t: Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    LiveData {
        coverage_start: stamp(coverage.start_for_readers(article)),
        coverage_end: coverage.ended_at.map(stamp),
        updates: posts
            .iter()
            .take(UPDATES_IN_STRUCTURED_DATA)
            .map(|post| LiveUpdate {
                headline: post
                    .title
                    .clone()
                    .unwrap_or_else(|| dateline_render::views::plain_excerpt(&post.body, 12))
                    .chars()
                    .take(110)
                    .collect(),
                body: dateline_render::views::plain_excerpt(&post.body, 60),
                published: stamp(post.posted_at),
                modified: stamp(post.modified_at),
                url: super::feeds::absolute(
                    state,
                    &format!("{}#post-{}", article_url(article.id, &article.content.slug), post.id),
                ),
                author: post.author_name.clone(),
            })
            .collect(),
    }
}
