//! The story budget: what the paper means to publish on a day, by section, with who is on
//! each story, where it stands and when it is due, so the morning meeting runs from the
//! desk. An editor plans a story with a working headline, a one-line summary, an assignee
//! and a planned time; the plan makes a draft at once (the story exists from the meeting
//! on, and the assignee may write it as if it were their own). Plans are the desk's notes,
//! not the story's text: they are not revisions, and readers never see them.

use crate::accounts::{Action, User};
use crate::article::ArticleStatus;
use crate::editing::{self, EditError, FieldError, StoryDraft};
use crate::ids::{ArticleId, SectionId, UserId};
use crate::store::{StoreError, StoreResult};
use jiff::Timestamp;
use std::future::Future;

/// A summary is one line at the meeting: longer than this is a story, not a summary.
pub const MAX_SUMMARY_CHARS: usize = 300;

/// The plan for one story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryPlan {
    pub article_id: ArticleId,
    pub summary: String,
    pub assignee: Option<UserId>,
    pub planned_for: Timestamp,
}

/// What an editor fills in to plan a story or change its plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanDraft {
    /// The working headline (only when a new story is planned).
    pub headline: String,
    pub section_id: Option<SectionId>,
    pub summary: String,
    pub assignee: Option<UserId>,
    pub planned_for: Option<Timestamp>,
}

/// One line of a day's budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetStory {
    pub id: ArticleId,
    pub headline: String,
    pub section_id: SectionId,
    pub status: ArticleStatus,
    /// A draft with no words yet: still only a plan.
    pub unwritten: bool,
    pub publish_at: Option<Timestamp>,
    pub modified_at: Timestamp,
    pub created_by: Option<UserId>,
    /// None for a story being written that nobody planned.
    pub plan: Option<StoryPlan>,
    /// The assignee's name, or for an unplanned story its writer's.
    pub person: String,
}

pub trait PlanStore {
    /// Keeps `plan` as the story's plan, replacing any it had.
    fn save_plan(&self, plan: &StoryPlan) -> impl Future<Output = StoreResult<()>> + Send;
    fn plan_of(&self, id: ArticleId) -> impl Future<Output = StoreResult<Option<StoryPlan>>> + Send;
    /// The budget between `from` and `to`: stories planned for then, scheduled for then, and
    /// unplanned drafts or stories in review a desk user started and changed then (not an
    /// agency's copy waiting on the wire), earliest planned time first.
    fn budget(&self, from: Timestamp, to: Timestamp) -> impl Future<Output = StoreResult<Vec<BudgetStory>>> + Send;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the plan has problems")]
    Invalid(Vec<FieldError>),
    #[error("only editors plan stories and assign them")]
    NotAllowed,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PlanError {
    fn from(error: StoreError) -> Self {
        PlanError::Store(error)
    }
}

/// Checks the parts every plan has: the summary, the assignee (someone whose role writes),
/// and the time.
async fn check_plan(store: &impl crate::Store, draft: &PlanDraft, errors: &mut Vec<FieldError>) -> StoreResult<()> {
    let summary = draft.summary.trim();
    if summary.is_empty() {
        errors.push(FieldError { field: "summary", message: "Say in one line what the story is.".into() });
    } else if summary.contains(['\n', '\r']) {
        errors.push(FieldError { field: "summary", message: "Keep the summary to one line.".into() });
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        errors.push(FieldError {
            field: "summary",
            message: format!("Keep the summary under {MAX_SUMMARY_CHARS} characters."),
        });
    }
    if let Some(assignee) = draft.assignee {
        let writes = match store.user_by_id(assignee).await {
            Ok(user) => user.role.may(Action::WriteDraft),
            Err(StoreError::NotFound) => false,
            Err(error) => return Err(error),
        };
        if !writes {
            errors.push(FieldError { field: "assignee", message: "Assign the story to someone who writes.".into() });
        }
    }
    if draft.planned_for.is_none() {
        errors.push(FieldError { field: "planned_for", message: "Give the day and time the story is due.".into() });
    }
    Ok(())
}

/// Plans a new story: a draft with the working headline in its section, and its plan.
pub async fn plan_story(
    store: &impl crate::Store,
    actor: &User,
    draft: &PlanDraft,
    now: Timestamp,
) -> Result<ArticleId, PlanError> {
    if !actor.role.may(Action::EditAnyStory) {
        return Err(PlanError::NotAllowed);
    }
    let mut errors = Vec::new();
    check_plan(store, draft, &mut errors).await?;
    let story = StoryDraft { headline: draft.headline.clone(), section_id: draft.section_id, ..StoryDraft::default() };
    // The story's own checks (headline, section) run before anything is written, so a plan
    // with problems leaves neither a draft nor a plan behind.
    match editing::check_draft(store, &story).await {
        Ok(_) => {}
        Err(EditError::Invalid(found)) => errors.extend(found),
        Err(EditError::Store(error)) => return Err(error.into()),
        Err(other) => errors.push(FieldError { field: "story", message: other.to_string() }),
    }
    let planned_for = match (errors.is_empty(), draft.planned_for) {
        (true, Some(at)) => at,
        _ => return Err(PlanError::Invalid(errors)),
    };
    let id = match editing::create_story(store, actor, &story, now).await {
        Ok(id) => id,
        Err(EditError::Store(error)) => return Err(error.into()),
        Err(EditError::NotAllowed) => return Err(PlanError::NotAllowed),
        Err(other) => return Err(PlanError::Invalid(vec![FieldError { field: "story", message: other.to_string() }])),
    };
    let plan =
        StoryPlan { article_id: id, summary: draft.summary.trim().to_owned(), assignee: draft.assignee, planned_for };
    store.save_plan(&plan).await?;
    Ok(id)
}

/// Changes a story's plan (its summary, assignee or time); a story nobody planned gains one.
pub async fn replan(
    store: &impl crate::Store,
    actor: &User,
    id: ArticleId,
    draft: &PlanDraft,
) -> Result<StoryPlan, PlanError> {
    if !actor.role.may(Action::EditAnyStory) {
        return Err(PlanError::NotAllowed);
    }
    store.article_by_id(id).await?;
    let mut errors = Vec::new();
    check_plan(store, draft, &mut errors).await?;
    let planned_for = match (errors.is_empty(), draft.planned_for) {
        (true, Some(at)) => at,
        _ => return Err(PlanError::Invalid(errors)),
    };
    let plan =
        StoryPlan { article_id: id, summary: draft.summary.trim().to_owned(), assignee: draft.assignee, planned_for };
    store.save_plan(&plan).await?;
    Ok(plan)
}

/// Where a budget story stands, in the meeting's words.
pub fn budget_status(story: &BudgetStory) -> &'static str {
    match story.status {
        ArticleStatus::Draft if story.unwritten => "Planned",
        ArticleStatus::Draft => "Being written",
        ArticleStatus::InReview => "In review",
        ArticleStatus::Scheduled => "Scheduled",
        ArticleStatus::Published => "Published",
        ArticleStatus::Unpublished => "Unpublished",
        ArticleStatus::Removed => "Removed",
    }
}
