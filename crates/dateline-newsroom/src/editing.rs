//! The desk's use cases on a story: create, save, submit for review, publish, schedule,
//! unpublish, remove, and the scheduler's "publish what is due". Each checks the actor's
//! role, computes the change from the story as loaded and `now`, and hands it to the store's
//! one write, which refuses it if someone saved in between (the version check).

use crate::accounts::{Action, User};
use crate::article::{
    Article, ArticleContent, ArticleStatus, ArticleUpdate, Label, NewArticle, RevisionAuthor, RevisionKind,
};
use crate::ids::{ArticleId, AuthorId, MediaId, SectionId, Slug, TopicId};
use crate::store::{Store, StoreError};
use jiff::Timestamp;

pub const MAX_HEADLINE_CHARS: usize = 200;
pub const MAX_DECK_CHARS: usize = 400;
pub const MAX_BODY_CHARS: usize = 200_000;
pub const MAX_REMOVAL_REASON_CHARS: usize = 2_000;

/// What the editor screen submits, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryDraft {
    pub headline: String,
    pub deck: String,
    /// Empty means "suggest one from the headline".
    pub slug: String,
    pub section_id: Option<SectionId>,
    pub bylines: Vec<AuthorId>,
    pub label: Option<Label>,
    pub topics: Vec<TopicId>,
    pub lead_media_id: Option<MediaId>,
    pub body: String,
    pub seo_title: String,
    pub seo_description: String,
    pub embargo_until: Option<Timestamp>,
}

/// A problem with one field of the editor form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the story has problems: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("your role does not allow this")]
    NotAllowed,
    /// Someone saved the story since it was opened; nothing was written.
    #[error("someone else saved this story after you opened it")]
    Conflict,
    #[error("the story is under embargo until {0}; schedule it for that time or later instead")]
    EmbargoNotLifted(Timestamp),
    #[error("a story can only be scheduled for a time in the future")]
    ScheduleInPast,
    #[error("this cannot be done to a story that is {0}")]
    WrongStatus(&'static str),
    #[error("removing a story needs a reason")]
    ReasonRequired,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for EditError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(_) => EditError::Conflict,
            other => EditError::Store(other),
        }
    }
}

fn trimmed_or_none(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Checks a draft against the rules every stored story keeps, and against the paper's
/// sections, authors and topics.
pub async fn check_draft(store: &impl Store, draft: &StoryDraft) -> Result<ArticleContent, EditError> {
    let mut errors = Vec::new();
    let headline = draft.headline.trim().to_owned();
    if headline.is_empty() {
        errors.push(FieldError { field: "headline", message: "A story needs a headline.".into() });
    } else if headline.chars().count() > MAX_HEADLINE_CHARS {
        errors.push(FieldError {
            field: "headline",
            message: format!("Keep the headline under {MAX_HEADLINE_CHARS} characters."),
        });
    }
    if draft.deck.chars().count() > MAX_DECK_CHARS {
        errors.push(FieldError { field: "deck", message: format!("Keep the deck under {MAX_DECK_CHARS} characters.") });
    }
    let slug = if draft.slug.trim().is_empty() {
        Slug::suggest(&headline).or_else(|| Slug::parse("story").ok())
    } else {
        match Slug::parse(draft.slug.trim()) {
            Ok(slug) => Some(slug),
            Err(error) => {
                errors.push(FieldError { field: "slug", message: format!("{}.", capitalize(&error.to_string())) });
                None
            }
        }
    };
    let sections = store.sections().await?;
    let section_id = match draft.section_id {
        Some(id) if sections.iter().any(|s| s.id == id) => Some(id),
        _ => {
            errors.push(FieldError { field: "section", message: "Choose the story's home section.".into() });
            None
        }
    };
    let mut bylines = Vec::new();
    for id in &draft.bylines {
        if !bylines.contains(id) {
            bylines.push(*id);
        }
    }
    if store.authors_by_ids(&bylines).await?.len() != bylines.len() {
        errors.push(FieldError { field: "bylines", message: "A byline names an author who does not exist.".into() });
    }
    let topics = store.topics().await?;
    if draft.topics.iter().any(|t| !topics.iter().any(|known| known.id == *t)) {
        errors.push(FieldError { field: "topics", message: "A topic does not exist.".into() });
    }
    if let Some(media) = draft.lead_media_id {
        if matches!(store.media_by_id(media).await, Err(StoreError::NotFound)) {
            errors.push(FieldError { field: "lead_media", message: "The lead photo does not exist.".into() });
        }
    }
    if draft.body.chars().count() > MAX_BODY_CHARS {
        errors.push(FieldError {
            field: "body",
            message: format!("The body is longer than {MAX_BODY_CHARS} characters."),
        });
    }
    let nesting = crate::body::nesting_depth(&draft.body);
    if nesting > crate::body::MAX_BODY_NESTING {
        errors.push(FieldError {
            field: "body",
            message: format!(
                "The body nests quotations or lists {nesting} levels deep; keep it to {} levels.",
                crate::body::MAX_BODY_NESTING
            ),
        });
    }
    match (errors.is_empty(), slug, section_id) {
        (true, Some(slug), Some(section_id)) => Ok(ArticleContent {
            slug,
            headline,
            deck: trimmed_or_none(&draft.deck),
            section_id,
            bylines,
            label: draft.label,
            topics: draft.topics.clone(),
            lead_media_id: draft.lead_media_id,
            body: draft.body.replace("\r\n", "\n").trim_end().to_owned(),
            seo_title: trimmed_or_none(&draft.seo_title),
            seo_description: trimmed_or_none(&draft.seo_description),
        }),
        _ => Err(EditError::Invalid(errors)),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn by(actor: &User) -> RevisionAuthor {
    RevisionAuthor { user_id: Some(actor.id), name: actor.name.clone() }
}

/// Whether `actor` may change this story's text at all.
pub fn may_edit(actor: &User, article: &Article) -> bool {
    let own = article.created_by == Some(actor.id);
    let open = matches!(article.status, ArticleStatus::Draft | ArticleStatus::InReview);
    actor.role.may(Action::EditAnyStory) || (own && open && actor.role.may(Action::EditOwnStory))
}

pub async fn create_story(
    store: &impl Store,
    actor: &User,
    draft: &StoryDraft,
    now: Timestamp,
) -> Result<ArticleId, EditError> {
    if !actor.role.may(Action::WriteDraft) {
        return Err(EditError::NotAllowed);
    }
    let content = check_draft(store, draft).await?;
    let new = NewArticle {
        content,
        status: ArticleStatus::Draft,
        embargo_until: draft.embargo_until,
        publish_at: None,
        first_published_at: None,
        last_public_update_at: None,
        created_at: now,
        made_by: by(actor),
    };
    Ok(store.insert_article(&new).await?)
}

/// How a save of a published story shows to readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    /// Any save of an unpublished story, or a silent fix of a published one.
    Quiet,
    /// A change readers should know of: sets "Updated".
    PublicUpdate,
}

/// Saves the editor's text. On a published story, a quiet save is a minor fix with no
/// public trace; a public update sets the time shown as "Updated".
pub async fn save_story(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    expected_version: i64,
    draft: &StoryDraft,
    kind: SaveKind,
    now: Timestamp,
) -> Result<Article, EditError> {
    let article = store.article_by_id(id).await?;
    if !may_edit(actor, &article) {
        return Err(EditError::NotAllowed);
    }
    if article.version != expected_version {
        return Err(EditError::Conflict);
    }
    let content = check_draft(store, draft).await?;
    let published = article.status == ArticleStatus::Published;
    let revision_kind = match (published, kind) {
        (true, SaveKind::PublicUpdate) => RevisionKind::PublicUpdate,
        (true, SaveKind::Quiet) => RevisionKind::MinorFix,
        (false, _) => RevisionKind::Saved,
    };
    if published && !actor.role.may(Action::Publish) {
        return Err(EditError::NotAllowed);
    }
    let mut update = ArticleUpdate::of(&article, revision_kind, by(actor), now);
    update.content = content;
    update.embargo_until = draft.embargo_until;
    // An agency's embargo is the agency's: the desk may move it later, never earlier.
    if let Some(crate::wire::AgencyHold::Embargo(until)) = crate::wire::agency_hold(store, id, now).await? {
        update.embargo_until = Some(update.embargo_until.map_or(until, |desk| desk.max(until)));
    }
    if revision_kind == RevisionKind::PublicUpdate {
        update.last_public_update_at = Some(now);
    }
    Ok(store.update_article(&update).await?)
}

async fn change_status(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    expected_version: i64,
    now: Timestamp,
    change: impl FnOnce(&Article, &mut ArticleUpdate) -> Result<(), EditError>,
    kind: RevisionKind,
) -> Result<Article, EditError> {
    let article = store.article_by_id(id).await?;
    if article.version != expected_version {
        return Err(EditError::Conflict);
    }
    let mut update = ArticleUpdate::of(&article, kind, by(actor), now);
    change(&article, &mut update)?;
    Ok(store.update_article(&update).await?)
}

pub async fn submit_for_review(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    now: Timestamp,
) -> Result<Article, EditError> {
    let article = store.article_by_id(id).await?;
    let own = article.created_by == Some(actor.id);
    if !(actor.role.may(Action::SubmitForReview) && (own || actor.role.may(Action::EditAnyStory))) {
        return Err(EditError::NotAllowed);
    }
    change_status(
        store,
        actor,
        id,
        version,
        now,
        |a, u| {
            if a.status != ArticleStatus::Draft {
                return Err(EditError::WrongStatus(status_words(a.status)));
            }
            u.status = ArticleStatus::InReview;
            Ok(())
        },
        RevisionKind::Saved,
    )
    .await
}

/// Refuses to make public at `at` a story the agency killed or embargoed past `at`.
async fn check_agency_hold(store: &impl Store, id: ArticleId, at: Timestamp, now: Timestamp) -> Result<(), EditError> {
    match crate::wire::agency_hold(store, id, now).await? {
        Some(crate::wire::AgencyHold::Killed) => Err(EditError::WrongStatus("killed by the agency")),
        Some(crate::wire::AgencyHold::Embargo(until)) if until > at => Err(EditError::EmbargoNotLifted(until)),
        _ => Ok(()),
    }
}

fn status_words(status: ArticleStatus) -> &'static str {
    match status {
        ArticleStatus::Draft => "a draft",
        ArticleStatus::InReview => "in review",
        ArticleStatus::Scheduled => "scheduled",
        ArticleStatus::Published => "published",
        ArticleStatus::Unpublished => "unpublished",
        ArticleStatus::Removed => "removed",
    }
}

pub async fn publish(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    now: Timestamp,
) -> Result<Article, EditError> {
    if !actor.role.may(Action::Publish) {
        return Err(EditError::NotAllowed);
    }
    check_agency_hold(store, id, now, now).await?;
    change_status(
        store,
        actor,
        id,
        version,
        now,
        |a, u| {
            match a.status {
                ArticleStatus::Published | ArticleStatus::Removed => {
                    return Err(EditError::WrongStatus(status_words(a.status)))
                }
                _ => {}
            }
            if let Some(until) = a.embargo_until.filter(|until| *until > now) {
                return Err(EditError::EmbargoNotLifted(until));
            }
            u.status = ArticleStatus::Published;
            u.publish_at = None;
            u.first_published_at = Some(a.first_published_at.unwrap_or(now));
            Ok(())
        },
        RevisionKind::Published,
    )
    .await
}

pub async fn schedule(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    at: Timestamp,
    now: Timestamp,
) -> Result<Article, EditError> {
    if !actor.role.may(Action::Schedule) {
        return Err(EditError::NotAllowed);
    }
    if at <= now {
        return Err(EditError::ScheduleInPast);
    }
    check_agency_hold(store, id, at, now).await?;
    change_status(
        store,
        actor,
        id,
        version,
        now,
        |a, u| {
            match a.status {
                ArticleStatus::Published | ArticleStatus::Removed => {
                    return Err(EditError::WrongStatus(status_words(a.status)))
                }
                _ => {}
            }
            if let Some(until) = a.embargo_until.filter(|until| *until > at) {
                return Err(EditError::EmbargoNotLifted(until));
            }
            u.status = ArticleStatus::Scheduled;
            u.publish_at = Some(at);
            Ok(())
        },
        RevisionKind::Saved,
    )
    .await
}

pub async fn unpublish(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    now: Timestamp,
) -> Result<Article, EditError> {
    if !actor.role.may(Action::Unpublish) {
        return Err(EditError::NotAllowed);
    }
    change_status(
        store,
        actor,
        id,
        version,
        now,
        |a, u| {
            if !matches!(a.status, ArticleStatus::Published | ArticleStatus::Scheduled) {
                return Err(EditError::WrongStatus(status_words(a.status)));
            }
            u.status = ArticleStatus::Unpublished;
            u.publish_at = None;
            Ok(())
        },
        RevisionKind::Unpublished,
    )
    .await
}

/// Takes a story down for legal reasons: its URL answers 410 and it leaves every list; the
/// revision keeps who did it, when and why.
pub async fn remove(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    reason: &str,
    now: Timestamp,
) -> Result<Article, EditError> {
    if !actor.role.may(Action::Remove) {
        return Err(EditError::NotAllowed);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(EditError::ReasonRequired);
    }
    if reason.chars().count() > MAX_REMOVAL_REASON_CHARS {
        return Err(EditError::Invalid(vec![FieldError {
            field: "reason",
            message: "The reason is too long.".into(),
        }]));
    }
    let reason = reason.to_owned();
    change_status(
        store,
        actor,
        id,
        version,
        now,
        move |a, u| {
            if a.status == ArticleStatus::Removed {
                return Err(EditError::WrongStatus("removed"));
            }
            u.status = ArticleStatus::Removed;
            u.publish_at = None;
            u.note = Some(reason);
            Ok(())
        },
        RevisionKind::Removed,
    )
    .await
}

/// Sets (or clears) a story's lead photo: the photo desk's part in a story, which needs no
/// right to edit its text.
pub async fn choose_lead_photo(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    photo: Option<MediaId>,
    now: Timestamp,
) -> Result<Article, EditError> {
    if !actor.role.may(Action::ChooseLeadPhoto) {
        return Err(EditError::NotAllowed);
    }
    if let Some(media) = photo {
        store.media_by_id(media).await?;
    }
    let article = store.article_by_id(id).await?;
    if article.status == ArticleStatus::Removed {
        return Err(EditError::WrongStatus("removed"));
    }
    let kind = if article.status == ArticleStatus::Published { RevisionKind::MinorFix } else { RevisionKind::Saved };
    let mut update = ArticleUpdate::of(&article, kind, by(actor), now);
    update.content.lead_media_id = photo;
    Ok(store.update_article(&update).await?)
}

/// Brings back the text of an earlier revision as a new revision; nothing in between is lost.
pub async fn restore_revision(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    number: i64,
    now: Timestamp,
) -> Result<Article, EditError> {
    let article = store.article_by_id(id).await?;
    if !may_edit(actor, &article) || (article.status == ArticleStatus::Published && !actor.role.may(Action::Publish)) {
        return Err(EditError::NotAllowed);
    }
    if article.version != version {
        return Err(EditError::Conflict);
    }
    let revision = store
        .revisions(id)
        .await?
        .into_iter()
        .find(|r| r.number == number)
        .ok_or(EditError::Store(StoreError::NotFound))?;
    let mut update = ArticleUpdate::of(&article, RevisionKind::Restored, by(actor), now);
    update.content = revision.content;
    update.note = Some(format!("restored revision {number}"));
    Ok(store.update_article(&update).await?)
}

pub const MAX_CORRECTION_CHARS: usize = 2_000;

/// Attaches a correction to a published story: readers see it at the end of the story and on
/// the corrections page, and the story counts as updated.
pub async fn correct(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    text: &str,
    now: Timestamp,
) -> Result<Article, EditError> {
    if !actor.role.may(Action::Correct) {
        return Err(EditError::NotAllowed);
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_CORRECTION_CHARS {
        let message = format!("Write the correction, in at most {MAX_CORRECTION_CHARS} characters.");
        return Err(EditError::Invalid(vec![FieldError { field: "correction", message }]));
    }
    let text = text.to_owned();
    change_status(
        store,
        actor,
        id,
        version,
        now,
        move |a, u| {
            if a.status != ArticleStatus::Published {
                return Err(EditError::WrongStatus(status_words(a.status)));
            }
            u.last_public_update_at = Some(now);
            u.note = Some(text.clone());
            u.correction = Some(text);
            Ok(())
        },
        RevisionKind::Correction,
    )
    .await
}

/// Publishes every scheduled story whose time has come, at the time it was scheduled for.
/// Several instances may run it at once: the version check lets exactly one of them publish
/// each story. Returns the stories it published.
pub async fn publish_due(store: &impl Store, now: Timestamp) -> Result<Vec<ArticleId>, StoreError> {
    let mut published = Vec::new();
    for article in store.scheduled_due(now).await? {
        let Some(at) = article.publish_at else { continue };
        if article.embargo_until.is_some_and(|until| until > now) {
            continue;
        }
        let mut update = ArticleUpdate::of(&article, RevisionKind::Published, RevisionAuthor::system("scheduler"), now);
        update.status = ArticleStatus::Published;
        update.publish_at = None;
        update.first_published_at = Some(article.first_published_at.unwrap_or(at));
        match store.update_article(&update).await {
            Ok(_) => published.push(article.id),
            Err(StoreError::Conflict(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(published)
}
