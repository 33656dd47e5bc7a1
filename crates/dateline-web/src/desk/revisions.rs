//! A story's history on the desk: every revision, a readable word-by-word comparison of any
//! two, and restoring an earlier text as a new revision.

use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::Query;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::editing::{self, EditError};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleContent, ArticleId, Revision};
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// One stretch of text in a comparison: unchanged, removed or added.
#[derive(Serialize)]
pub(crate) struct Piece {
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
pub(crate) struct FieldDiff {
    name: &'static str,
    changed: bool,
    pieces: Vec<Piece>,
}

#[derive(Serialize)]
struct DiffPage {
    story_id: i64,
    headline: String,
    from: i64,
    to: i64,
    numbers: Vec<i64>,
    fields: Vec<FieldDiff>,
}

pub(crate) fn word_diff(name: &'static str, old: &str, new: &str) -> FieldDiff {
    let diff = TextDiff::from_words(old, new);
    let pieces: Vec<Piece> = diff
        .iter_all_changes()
        .map(|change| Piece {
            kind: match change.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Delete => "removed",
                ChangeTag::Insert => "added",
            },
            text: change.value().to_owned(),
        })
        .collect();
    FieldDiff { name, changed: old != new, pieces }
}

pub(crate) fn compare(old: &ArticleContent, new: &ArticleContent) -> Vec<FieldDiff> {
    vec![
        word_diff("Headline", &old.headline, &new.headline),
        word_diff("Deck", old.deck.as_deref().unwrap_or(""), new.deck.as_deref().unwrap_or("")),
        word_diff("Slug", old.slug.as_str(), new.slug.as_str()),
        word_diff("Body", &old.body, &new.body),
    ]
}

/// `?from=N&to=M`: the two revisions to compare.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct RevisionsAsked {
    from: Option<i64>,
    to: Option<i64>,
}

async fn revisions_of(
    state: &AppState,
    desk: &Desk,
    id: &str,
) -> Result<(dateline_newsroom::Article, Vec<Revision>), WebError> {
    let id = id.parse::<i64>().ok().filter(|i| *i > 0).map(ArticleId).ok_or(WebError::NotFound)?;
    let article = state.store().article_by_id(id).await?;
    if !editing::may_see(&desk.session.user, &article) {
        return Err(WebError::Forbidden);
    }
    let revisions = state.store().revisions(id).await?;
    Ok((article, revisions))
}

/// `GET /desk/stories/{id}/diff?from=N&to=M` (by default the last two revisions).
pub(crate) async fn diff(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    Query(asked): Query<RevisionsAsked>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    let (article, revisions) = revisions_of(&state, &desk, &id).await?;
    let last = revisions.last().map(|r| r.number).unwrap_or(1);
    let to = asked.to.unwrap_or(last);
    let from = asked.from.unwrap_or((to - 1).max(1));
    let find = |n: i64| revisions.iter().find(|r| r.number == n).ok_or(WebError::NotFound);
    let (older, newer) = (find(from)?, find(to)?);
    let page = DiffPage {
        story_id: article.id.0,
        headline: article.content.headline.clone(),
        from,
        to,
        numbers: revisions.iter().map(|r| r.number).collect(),
        fields: compare(&older.content, &newer.content),
    };
    desk.render(&state, "desk/diff.html", page).await
}

/// `POST /desk/stories/{id}/restore`: the text of revision `revision` becomes the current one.
pub(crate) async fn restore(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::UseDesk)?;
    let (article, _) = revisions_of(&state, &desk, &id).await?;
    let number = form.id("revision")?.ok_or_else(|| WebError::BadRequest("Choose a revision to restore.".into()))?;
    let version = form.id("version")?.unwrap_or(0);
    match editing::restore_revision(state.store(), &desk.session.user, article.id, version, number, state.now()).await {
        Ok(restored) => {
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/stories/{}?saved=1", restored.id))])
                .into_response())
        }
        Err(EditError::NotAllowed) => Err(WebError::Forbidden),
        Err(EditError::Conflict) => {
            Err(WebError::Conflict("The story changed since you opened its history. Open it again and retry.".into()))
        }
        Err(EditError::Store(error)) => Err(error.into()),
        Err(other) => Err(WebError::BadRequest(other.to_string())),
    }
}
