//! One change to many stories at once, as an editor asks it from the story list: file them
//! under a topic or take one away, move them to another section, or unpublish them. Each
//! story changes through [`super::act`], exactly as if it had been opened and saved on its
//! own (one revision each, the same permission table, the same outbox events), so a bulk
//! change is never a back door; a story that cannot take the change is named with the
//! reason and the others still change.

use super::{act, EditError, SaveKind, StoryDraft, StoryRequest};
use crate::accounts::{Action, User};
use crate::article::{Article, ArticleStatus};
use crate::ids::{ArticleId, SectionId, TopicId};
use crate::store::{Store, StoreError};
use jiff::Timestamp;

/// More stories than one bulk change takes: two pages of the story list.
pub const MAX_STORIES_AT_ONCE: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkChange {
    AddTopic(TopicId),
    RemoveTopic(TopicId),
    MoveToSection(SectionId),
    Unpublish,
}

/// A story the change was not made to, and why, in words for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: ArticleId,
    pub headline: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    pub changed: Vec<Article>,
    /// Stories that already were as asked (already under the topic, already in the section).
    pub already: Vec<Article>,
    pub skipped: Vec<Skipped>,
}

/// A refusal of the whole request, before any story is touched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulkError {
    #[error("choose at least one story")]
    NoStories,
    #[error("choose at most {MAX_STORIES_AT_ONCE} stories at once")]
    TooMany,
    #[error("that topic does not exist")]
    NoSuchTopic,
    #[error("that section does not exist")]
    NoSuchSection,
    #[error("only editors change many stories at once")]
    NotAllowed,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for BulkError {
    fn from(error: StoreError) -> Self {
        BulkError::Store(error)
    }
}

/// Makes `change` to each story of `ids` (in that order, each once).
pub async fn change_stories(
    store: &impl Store,
    actor: &User,
    ids: &[ArticleId],
    change: BulkChange,
    now: Timestamp,
) -> Result<BulkOutcome, BulkError> {
    if !actor.role.may(Action::EditAnyStory) {
        return Err(BulkError::NotAllowed);
    }
    let mut unique: Vec<ArticleId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    if unique.is_empty() {
        return Err(BulkError::NoStories);
    }
    if unique.len() > MAX_STORIES_AT_ONCE {
        return Err(BulkError::TooMany);
    }
    match change {
        BulkChange::AddTopic(topic) | BulkChange::RemoveTopic(topic) => {
            if !store.topics().await?.iter().any(|t| t.id == topic) {
                return Err(BulkError::NoSuchTopic);
            }
        }
        BulkChange::MoveToSection(section) => {
            if !store.sections().await?.iter().any(|s| s.id == section) {
                return Err(BulkError::NoSuchSection);
            }
        }
        BulkChange::Unpublish => {}
    }
    let mut outcome = BulkOutcome::default();
    for id in unique {
        let article = match store.article_by_id(id).await {
            Ok(article) => article,
            Err(StoreError::NotFound) => {
                outcome.skipped.push(Skipped {
                    id,
                    headline: format!("Story {id}"),
                    reason: "it no longer exists".into(),
                });
                continue;
            }
            Err(error) => return Err(error.into()),
        };
        if article.status == ArticleStatus::Removed {
            outcome.skipped.push(Skipped {
                id,
                headline: article.content.headline.clone(),
                reason: "it was removed for legal reasons and stays as it is".into(),
            });
            continue;
        }
        let request = match request_for(&article, change) {
            Some(request) => request,
            None => {
                outcome.already.push(article);
                continue;
            }
        };
        match act(store, actor, id, article.version, request, now).await {
            Ok(changed) => outcome.changed.push(changed),
            Err(EditError::Store(error)) => return Err(error.into()),
            Err(refusal) => outcome.skipped.push(Skipped {
                id,
                headline: article.content.headline.clone(),
                reason: refusal.to_string(),
            }),
        }
    }
    Ok(outcome)
}

/// The request that makes `change` to `article`, or none when it already is as asked.
fn request_for(article: &Article, change: BulkChange) -> Option<StoryRequest> {
    let mut draft = StoryDraft::of(article);
    match change {
        BulkChange::AddTopic(topic) => {
            if draft.topics.contains(&topic) {
                return None;
            }
            draft.topics.push(topic);
        }
        BulkChange::RemoveTopic(topic) => {
            if !draft.topics.contains(&topic) {
                return None;
            }
            draft.topics.retain(|t| *t != topic);
        }
        BulkChange::MoveToSection(section) => {
            if draft.section_id == Some(section) {
                return None;
            }
            draft.section_id = Some(section);
        }
        BulkChange::Unpublish => {
            return match article.status {
                ArticleStatus::Unpublished => None,
                _ => Some(StoryRequest::Unpublish),
            };
        }
    }
    // A filing change is a quiet save: readers are not told a story was "updated" because
    // it moved section or gained a topic.
    Some(StoryRequest::Save { draft, kind: SaveKind::Quiet })
}
