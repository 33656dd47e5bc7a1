//! The use cases on a story: create it, and [`act`] on it (save, submit for review, publish,
//! schedule, unpublish, remove, correct, choose the lead photo, restore a revision), and the
//! scheduler's "publish what is due". Every caller (the desk, the wire, the API to come)
//! goes through [`act`]: it checks the actor against the one permission table in [`rules`],
//! lets the pure [`rules::decide`] compute one update from the story as loaded and `now`, and
//! hands it to the store's one write, which refuses it if someone saved in between (the
//! version check).

pub mod bulk;
mod rules;

pub use rules::{
    actions_for, check, decide, may_edit, may_see, role_allows, CheckedText, PreparedRequest, StoryAction, StoryActions,
};

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
pub const MAX_DATELINE_CHARS: usize = 100;
pub const MAX_REMOVAL_REASON_CHARS: usize = 2_000;
/// More authors than any byline holds; past it a story (or an agency's item) is refused.
pub const MAX_BYLINES: usize = 20;
/// More topics than any story is filed under.
pub const MAX_TOPICS: usize = 30;

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
    /// "SEOUL, Nov. 29 (Hanbit News) --"; empty for none.
    pub dateline: String,
    pub embargo_until: Option<Timestamp>,
}

impl StoryDraft {
    /// The story's text as it stands, ready to be changed and saved again.
    pub fn of(article: &Article) -> StoryDraft {
        let c = &article.content;
        StoryDraft {
            headline: c.headline.clone(),
            deck: c.deck.clone().unwrap_or_default(),
            slug: c.slug.to_string(),
            section_id: Some(c.section_id),
            bylines: c.bylines.clone(),
            label: c.label,
            topics: c.topics.clone(),
            lead_media_id: c.lead_media_id,
            body: c.body.clone(),
            seo_title: c.seo_title.clone().unwrap_or_default(),
            seo_description: c.seo_description.clone().unwrap_or_default(),
            dateline: c.dateline.clone().unwrap_or_default(),
            embargo_until: article.embargo_until,
        }
    }
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

/// What a body may be: at most [`MAX_BODY_CHARS`] characters, quotations and lists nested at
/// most [`crate::body::MAX_BODY_NESTING`] deep.
pub fn check_body(body: &str) -> Result<(), FieldError> {
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(FieldError {
            field: "body",
            message: format!("The body is longer than {MAX_BODY_CHARS} characters."),
        });
    }
    let nesting = crate::body::nesting_depth(body);
    if nesting > crate::body::MAX_BODY_NESTING {
        return Err(FieldError {
            field: "body",
            message: format!(
                "The body nests quotations or lists {nesting} levels deep; keep it to {} levels.",
                crate::body::MAX_BODY_NESTING
            ),
        });
    }
    Ok(())
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
    if draft.dateline.chars().count() > MAX_DATELINE_CHARS {
        errors.push(FieldError {
            field: "dateline",
            message: format!("Keep the dateline under {MAX_DATELINE_CHARS} characters."),
        });
    } else if draft.dateline.contains(['\n', '\r']) {
        errors.push(FieldError { field: "dateline", message: "A dateline is one line.".into() });
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
    if bylines.len() > MAX_BYLINES {
        errors.push(FieldError { field: "bylines", message: format!("A byline names at most {MAX_BYLINES} authors.") });
    }
    if draft.topics.len() > MAX_TOPICS {
        errors.push(FieldError {
            field: "topics",
            message: format!("A story is filed under at most {MAX_TOPICS} topics."),
        });
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
    if let Err(problem) = check_body(&draft.body) {
        errors.push(problem);
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
            dateline: trimmed_or_none(&draft.dateline),
        }),
        _ => Err(EditError::Invalid(errors)),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
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
        made_by: rules::by(actor),
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

/// What an editor asks of a story, as the desk (or any other caller) sends it: texts are
/// unchecked drafts, checked against the paper by [`act`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryRequest {
    Save {
        draft: StoryDraft,
        kind: SaveKind,
    },
    /// Submit for review, with a note for the editors; with a draft, its text is saved in the
    /// same change.
    Submit {
        draft: Option<StoryDraft>,
        note: Option<String>,
    },
    /// The writer takes the story back from review.
    Withdraw,
    /// An editor returns the story in review to its writer, saying why.
    SendBack {
        note: String,
    },
    /// Publish now; with a draft, its text is saved in the same change and revision.
    Publish {
        draft: Option<StoryDraft>,
    },
    Schedule {
        draft: Option<StoryDraft>,
        at: Timestamp,
    },
    /// Take a scheduled story back to a draft.
    Unschedule,
    Unpublish,
    Remove {
        reason: String,
    },
    Correct {
        text: String,
    },
    ChooseLeadPhoto {
        photo: Option<MediaId>,
    },
    Restore {
        number: i64,
    },
}

impl StoryRequest {
    pub fn action(&self) -> StoryAction {
        match self {
            StoryRequest::Save { kind: SaveKind::PublicUpdate, .. } => StoryAction::PublicUpdate,
            StoryRequest::Save { .. } => StoryAction::Save,
            StoryRequest::Submit { .. } => StoryAction::Submit,
            StoryRequest::Withdraw => StoryAction::Withdraw,
            StoryRequest::SendBack { .. } => StoryAction::SendBack,
            StoryRequest::Publish { .. } => StoryAction::Publish,
            StoryRequest::Schedule { .. } => StoryAction::Schedule,
            StoryRequest::Unschedule => StoryAction::Unschedule,
            StoryRequest::Unpublish => StoryAction::Unpublish,
            StoryRequest::Remove { .. } => StoryAction::Remove,
            StoryRequest::Correct { .. } => StoryAction::Correct,
            StoryRequest::ChooseLeadPhoto { .. } => StoryAction::ChooseLeadPhoto,
            StoryRequest::Restore { .. } => StoryAction::Restore,
        }
    }
}

async fn check_text(store: &impl Store, draft: StoryDraft) -> Result<CheckedText, EditError> {
    let content = check_draft(store, &draft).await?;
    Ok(CheckedText { content, embargo_until: draft.embargo_until })
}

async fn checked_text(store: &impl Store, draft: Option<StoryDraft>) -> Result<Option<CheckedText>, EditError> {
    match draft {
        Some(draft) => check_text(store, draft).await.map(Some),
        None => Ok(None),
    }
}

/// The one way a story changes: loads it, checks `actor` against the permission table once,
/// loads and checks what the request needs (the text against the paper, the agency's hold,
/// the revision to restore), lets [`rules::decide`] compute one update, and hands it to the
/// store's one write (one transaction, one revision, refused if someone saved in between).
pub async fn act(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    expected_version: i64,
    request: StoryRequest,
    now: Timestamp,
) -> Result<Article, EditError> {
    // Refuse early, before the story is loaded or any text checked, so that a refusal costs
    // nothing, changes nothing and says why.
    if !rules::role_allows(actor, request.action()) {
        return Err(EditError::NotAllowed);
    }
    let article = store.article_by_id(id).await?;
    rules::check(actor, &article, request.action())?;
    let prepared = match request {
        StoryRequest::Save { draft, kind } => PreparedRequest::Save { text: check_text(store, draft).await?, kind },
        StoryRequest::Submit { draft, note } => {
            PreparedRequest::Submit { text: checked_text(store, draft).await?, note }
        }
        StoryRequest::Withdraw => PreparedRequest::Withdraw,
        StoryRequest::SendBack { note } => PreparedRequest::SendBack { note },
        StoryRequest::Publish { draft } => PreparedRequest::Publish { text: checked_text(store, draft).await? },
        StoryRequest::Schedule { draft, at } => {
            PreparedRequest::Schedule { text: checked_text(store, draft).await?, at }
        }
        StoryRequest::Unschedule => PreparedRequest::Unschedule,
        StoryRequest::Unpublish => PreparedRequest::Unpublish,
        StoryRequest::Remove { reason } => PreparedRequest::Remove { reason },
        StoryRequest::Correct { text } => PreparedRequest::Correct { text },
        StoryRequest::ChooseLeadPhoto { photo } => {
            if let Some(media) = photo {
                store.media_by_id(media).await?;
            }
            PreparedRequest::ChooseLeadPhoto { photo }
        }
        StoryRequest::Restore { number } => {
            let revision = store
                .revisions(id)
                .await?
                .into_iter()
                .find(|r| r.number == number)
                .ok_or(EditError::Store(StoreError::NotFound))?;
            PreparedRequest::Restore { number, content: revision.content }
        }
    };
    let hold = crate::wire::agency_hold(store, id, now).await?;
    let update = rules::decide(actor, &article, expected_version, prepared, hold, now)?;
    Ok(store.update_article(&update).await?)
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
    act(store, actor, id, expected_version, StoryRequest::Save { draft: draft.clone(), kind }, now).await
}

pub async fn submit_for_review(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    now: Timestamp,
) -> Result<Article, EditError> {
    act(store, actor, id, version, StoryRequest::Submit { draft: None, note: None }, now).await
}

pub async fn publish(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    now: Timestamp,
) -> Result<Article, EditError> {
    act(store, actor, id, version, StoryRequest::Publish { draft: None }, now).await
}

pub async fn schedule(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    at: Timestamp,
    now: Timestamp,
) -> Result<Article, EditError> {
    act(store, actor, id, version, StoryRequest::Schedule { draft: None, at }, now).await
}

pub async fn unpublish(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    version: i64,
    now: Timestamp,
) -> Result<Article, EditError> {
    act(store, actor, id, version, StoryRequest::Unpublish, now).await
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
    act(store, actor, id, version, StoryRequest::Remove { reason: reason.to_owned() }, now).await
}

/// Sets (or clears) a story's lead photo: the photo desk's part in a story, which needs no
/// right to edit its text. It applies to the story as it is now, whatever version.
pub async fn choose_lead_photo(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    photo: Option<MediaId>,
    now: Timestamp,
) -> Result<Article, EditError> {
    let version = store.article_by_id(id).await?.version;
    act(store, actor, id, version, StoryRequest::ChooseLeadPhoto { photo }, now).await
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
    act(store, actor, id, version, StoryRequest::Restore { number }, now).await
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
    act(store, actor, id, version, StoryRequest::Correct { text: text.to_owned() }, now).await
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

/// The headline a story autosaved before its first save carries until its writer gives it one.
pub const UNTITLED_HEADLINE: &str = "Untitled draft";

/// A new story's first autosave: what was typed on the new-story screen before anyone pressed
/// Save is stored as a draft, so a closed tab or a crashed browser loses nothing. What the
/// screen may not say yet is filled in so the draft can be kept (a missing headline becomes
/// [`UNTITLED_HEADLINE`], a missing home section the paper's first); a field a save would
/// refuse (a bad slug or dateline, a byline that no longer exists) is left out rather than
/// refusing the text. `None` when nothing has been typed yet. The story is a draft and only a
/// draft, whatever button the form shows; the writer's own save then edits it.
pub async fn create_from_autosave(
    store: &impl Store,
    actor: &User,
    draft: &StoryDraft,
    now: Timestamp,
) -> Result<Option<ArticleId>, EditError> {
    if !actor.role.may(Action::WriteDraft) {
        return Err(EditError::NotAllowed);
    }
    if [&draft.headline, &draft.deck, &draft.body].iter().all(|text| text.trim().is_empty()) {
        return Ok(None);
    }
    let mut kept = draft.clone();
    if kept.headline.trim().is_empty() {
        UNTITLED_HEADLINE.clone_into(&mut kept.headline);
    }
    let sections = store.sections().await?;
    if !kept.section_id.is_some_and(|id| sections.iter().any(|s| s.id == id)) {
        kept.section_id = sections.first().map(|s| s.id);
    }
    let content = match check_draft(store, &kept).await {
        Ok(content) => content,
        Err(EditError::Invalid(errors))
            if errors.iter().all(|e| !matches!(e.field, "headline" | "deck" | "body" | "section")) =>
        {
            let text_only = StoryDraft {
                headline: kept.headline,
                deck: kept.deck,
                body: kept.body,
                section_id: kept.section_id,
                seo_title: kept.seo_title,
                seo_description: kept.seo_description,
                ..StoryDraft::default()
            };
            check_draft(store, &text_only).await?
        }
        Err(other) => return Err(other),
    };
    let new = NewArticle {
        content,
        status: ArticleStatus::Draft,
        embargo_until: None,
        publish_at: None,
        first_published_at: None,
        last_public_update_at: None,
        created_at: now,
        made_by: rules::by(actor),
    };
    Ok(Some(store.insert_article(&new).await?))
}

/// What the editor screen sends by itself while someone types: the headline, deck, body and
/// search fields as typed, laid over the story as stored, kept as an autosave revision and
/// never written to the story. Whatever was typed is kept, even what a save would refuse
/// (an empty headline), within the size limits.
pub async fn autosave(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    draft: &StoryDraft,
    now: Timestamp,
) -> Result<(), EditError> {
    let article = store.article_by_id(id).await?;
    if !may_edit(actor, &article) {
        return Err(EditError::NotAllowed);
    }
    let too_long = |field: &'static str, text: &str, most: usize| {
        (text.chars().count() > most)
            .then(|| FieldError { field, message: format!("Keep it under {most} characters.") })
    };
    let errors: Vec<FieldError> = [
        too_long("headline", &draft.headline, MAX_HEADLINE_CHARS),
        too_long("deck", &draft.deck, MAX_DECK_CHARS),
        too_long("body", &draft.body, MAX_BODY_CHARS),
        too_long("seo_title", &draft.seo_title, MAX_HEADLINE_CHARS),
        too_long("seo_description", &draft.seo_description, MAX_DECK_CHARS),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !errors.is_empty() {
        return Err(EditError::Invalid(errors));
    }
    let mut content = article.content.clone();
    content.headline = draft.headline.trim().to_owned();
    content.deck = trimmed_or_none(&draft.deck);
    content.body = draft.body.replace("\r\n", "\n").trim_end().to_owned();
    content.seo_title = trimmed_or_none(&draft.seo_title);
    content.seo_description = trimmed_or_none(&draft.seo_description);
    if content == article.content {
        // Nothing typed differs from the story as saved.
        return Ok(());
    }
    let by = RevisionAuthor { user_id: Some(actor.id), name: actor.name.clone() };
    Ok(store.save_autosave(id, &content, &by, now).await?)
}
