//! The live desk: the posting screen of a live story (`/desk/stories/{id}/live`), made for
//! speed: one box on top, the stream below with edit, pin and delete on every post, and the
//! coverage's start, end and resumption. Plain forms that work without JavaScript; with it,
//! `desk-live.js` posts with Ctrl/Cmd+Enter without reloading (it sends the same form and
//! asks for JSON back). Every change goes through `dateline_newsroom::live`, which checks
//! the role and the post's version.

use super::session::{Desk, DeskForm};
use super::stories::{paper_clock, Choice};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::editing::FieldError;
use dateline_newsroom::live::{self, LiveError, LivePostId, LiveStore, PostChange, PostDraft};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{Article, ArticleId, AuthorId, MediaId};
use serde::Serialize;

/// Posts the screen lists under the box; older ones are on the reader pages and their
/// history stays reachable.
const POSTS_ON_SCREEN: u32 = 100;

#[derive(Serialize)]
struct PostRow {
    id: i64,
    version: i64,
    title: String,
    body: String,
    time: String,
    author: String,
    pinned: bool,
    may_change: bool,
    photo: Option<i64>,
}

#[derive(Serialize)]
struct LiveDeskPage {
    story_id: i64,
    headline: String,
    running: bool,
    ended: Option<String>,
    public_url: Option<String>,
    may_post: bool,
    may_run: bool,
    bylines: Vec<Choice>,
    photos: Vec<Choice>,
    posts: Vec<PostRow>,
    /// What was typed, kept when a post was refused.
    draft_title: String,
    draft_body: String,
    draft_pinned: bool,
    draft_photo: Option<i64>,
    errors: Vec<String>,
    notice: Option<&'static str>,
}

#[derive(Serialize)]
struct RevisionRow {
    kind: &'static str,
    made_at: String,
    made_by: String,
    title: String,
    body: String,
    pinned: bool,
}

#[derive(Serialize)]
struct PostHistoryPage {
    story_id: i64,
    post_id: i64,
    revisions: Vec<RevisionRow>,
}

fn parse_id(text: &str) -> Result<i64, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or(WebError::NotFound)
}

/// The errors that are not about what was typed.
fn live_failure(error: LiveError) -> WebError {
    match error {
        LiveError::NotAllowed => WebError::Forbidden,
        // No stream to post to: an ordinary story has no live desk.
        LiveError::NotFound | LiveError::NotLive => WebError::NotFound,
        LiveError::Conflict => WebError::Conflict(
            "Someone changed this post after you opened the screen. Reload it, then make your change again.".into(),
        ),
        LiveError::Store(e) => e.into(),
        other => WebError::BadRequest(other.to_string()),
    }
}

fn sentences(errors: Vec<FieldError>) -> Vec<String> {
    errors.into_iter().map(|e| e.message).collect()
}

/// Whether the request came from the screen's script, which wants JSON back, not a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"))
}

async fn load_story(state: &AppState, desk: &Desk, id: &str) -> Result<Article, WebError> {
    desk.require(Action::UseDesk)?;
    let article = state.store().article_by_id(ArticleId(parse_id(id)?)).await?;
    tracing::Span::current().record("article.id", article.id.0);
    if !live::may_post(&desk.session.user, &article)
        && !dateline_newsroom::editing::may_see(&desk.session.user, &article)
    {
        return Err(WebError::Forbidden);
    }
    Ok(article)
}

async fn screen(
    state: &AppState,
    desk: &Desk,
    article: &Article,
    typed: Option<(&PostDraft, Vec<String>)>,
    notice: Option<&'static str>,
) -> Result<LiveDeskPage, WebError> {
    let store = state.store();
    let coverage = match store.coverage(article.id).await {
        Ok(coverage) => coverage,
        Err(dateline_newsroom::StoreError::NotFound) => return Err(WebError::NotFound),
        Err(other) => return Err(other.into()),
    };
    let clock = paper_clock(state).await?;
    let user = &desk.session.user;
    let now = state.now();
    let posts = store.live_posts(article.id, POSTS_ON_SCREEN, 0).await?;
    let bylines = store
        .authors_by_ids(&article.content.bylines)
        .await?
        .into_iter()
        .map(|a| Choice { id: a.id.0, name: a.name })
        .collect();
    let (draft, errors) = typed.map(|(d, e)| (d.clone(), e)).unwrap_or_default();
    // Every post's own photo is offered, however old, so editing a post keeps it.
    let shown: Vec<MediaId> = posts.iter().filter_map(|p| p.media_id).chain(draft.media_id).collect();
    let photos = super::stories::photo_choices(store, &shown).await?;
    Ok(LiveDeskPage {
        story_id: article.id.0,
        headline: article.content.headline.clone(),
        running: coverage.is_running(),
        ended: coverage.ended_at.map(|t| clock.time(t).text),
        public_url: article
            .is_public(now)
            .then(|| dateline_render::views::article_url(article.id, &article.content.slug)),
        may_post: live::may_post(user, article),
        may_run: live::may_run_coverage(user, article),
        bylines,
        photos,
        posts: posts
            .iter()
            .map(|p| PostRow {
                id: p.id.0,
                version: p.version,
                title: p.title.clone().unwrap_or_default(),
                body: p.body.clone(),
                time: clock.stream_time(p.posted_at, now).text,
                author: p.author_name.clone(),
                pinned: p.pinned,
                may_change: live::may_change_post(user, article, p),
                photo: p.media_id.map(|m| m.0),
            })
            .collect(),
        draft_title: draft.title,
        draft_body: draft.body,
        draft_pinned: draft.pinned,
        draft_photo: draft.media_id.map(|m| m.0),
        errors,
        notice,
    })
}

/// `GET /desk/stories/{id}/live`.
pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    Query(saved): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    let article = load_story(&state, &desk, &id).await?;
    let notice = saved.is_saved().then_some("Done.");
    let page = screen(&state, &desk, &article, None, notice).await?;
    desk.render(&state, "desk/live.html", page).await
}

fn draft_from(form: &super::form::FormData) -> Result<PostDraft, WebError> {
    Ok(PostDraft {
        title: form.get("title").to_owned(),
        body: form.get("body").to_owned(),
        media_id: form.id("photo")?.map(MediaId),
        author_id: form.id("author")?.map(AuthorId),
        pinned: form.get("pinned") == "yes",
    })
}

#[derive(Serialize)]
struct Posted {
    id: i64,
    version: i64,
}

#[derive(Serialize)]
struct Refused {
    errors: Vec<String>,
}

/// `POST /desk/stories/{id}/live`: a new post.
pub(crate) async fn add_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let article = load_story(&state, &desk, &id).await?;
    let draft = draft_from(&form)?;
    match live::post(state.store(), &desk.session.user, article.id, &draft, state.now()).await {
        Ok(post) if wants_json(&headers) => {
            Ok((StatusCode::CREATED, axum::Json(Posted { id: post.id.0, version: post.version })).into_response())
        }
        Ok(_) => Ok(super::saved(&format!("/desk/stories/{}/live", article.id))),
        Err(LiveError::Invalid(errors)) if wants_json(&headers) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(Refused { errors: sentences(errors) })).into_response())
        }
        Err(LiveError::Invalid(errors)) => {
            let page = screen(&state, &desk, &article, Some((&draft, sentences(errors))), None).await?;
            Ok(super::unprocessable(desk.render(&state, "desk/live.html", page).await?))
        }
        Err(other) => Err(live_failure(other)),
    }
}

/// `POST /desk/live-posts/{post}`: edit (`action=edit`), pin, unpin or delete a post.
pub(crate) async fn change_post(
    State(state): State<AppState>,
    Path(post): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::UseDesk)?;
    let post_id = LivePostId(parse_id(&post)?);
    let version =
        form.id("version")?.ok_or_else(|| WebError::BadRequest("The form lacks the post's version.".into()))?;
    let change = match form.get("action") {
        "edit" => PostChange::Edit(draft_from(&form)?),
        "pin" => PostChange::Pin(true),
        "unpin" => PostChange::Pin(false),
        "delete" => PostChange::Delete,
        other => return Err(WebError::BadRequest(format!("{other:?} is not an action on a post."))),
    };
    let store = state.store();
    let story = store.live_post(post_id).await?.article_id;
    match live::change_post(store, &desk.session.user, post_id, version, &change, state.now()).await {
        Ok(_) => Ok(super::saved(&format!("/desk/stories/{story}/live"))),
        Err(LiveError::Invalid(errors)) => {
            let article = store.article_by_id(story).await?;
            let page = screen(&state, &desk, &article, None, None).await?;
            let page = LiveDeskPage { errors: sentences(errors), ..page };
            Ok(super::unprocessable(desk.render(&state, "desk/live.html", page).await?))
        }
        Err(other) => Err(live_failure(other)),
    }
}

/// `POST /desk/stories/{id}/live/coverage`: make the story live (`action=start`), end the
/// coverage or resume it.
pub(crate) async fn coverage(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let article = load_story(&state, &desk, &id).await?;
    let (user, now, store) = (&desk.session.user, state.now(), state.store());
    let done = match form.get("action") {
        "start" => live::start_coverage(store, user, article.id, now).await,
        "end" => live::end_coverage(store, user, article.id, true, now).await,
        "resume" => live::end_coverage(store, user, article.id, false, now).await,
        other => return Err(WebError::BadRequest(format!("{other:?} is not an action on live coverage."))),
    };
    done.map_err(live_failure)?;
    Ok(super::saved(&format!("/desk/stories/{}/live", article.id)))
}

/// `GET /desk/live-posts/{post}/history`: every write of a post, deleted ones included.
pub(crate) async fn history(
    State(state): State<AppState>,
    desk: Desk,
    Path(post): Path<String>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    let store = state.store();
    let post = store.live_post(LivePostId(parse_id(&post)?)).await?;
    load_story(&state, &desk, &post.article_id.0.to_string()).await?;
    let clock = paper_clock(&state).await?;
    let revisions = store
        .post_revisions(post.id)
        .await?
        .into_iter()
        .map(|r| RevisionRow {
            kind: r.kind.as_str(),
            made_at: clock.time(r.made_at).text,
            made_by: r.made_by,
            title: r.title.unwrap_or_default(),
            body: r.body,
            pinned: r.pinned,
        })
        .collect();
    let page = PostHistoryPage { story_id: post.article_id.0, post_id: post.id.0, revisions };
    desk.render(&state, "desk/live_post_history.html", page).await
}
