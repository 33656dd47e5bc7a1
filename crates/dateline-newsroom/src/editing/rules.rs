//! The rules of a story's life, as pure functions: who may do what to a story in which state
//! ([`check`], and [`actions_for`] for the buttons a screen offers, from the same table), and
//! the one update each request makes ([`decide`]). Nothing here reads the store or the clock:
//! the use case in the parent module loads what the rules need and applies what they decide,
//! so every rule is unit-tested without a database.

use super::{EditError, FieldError, SaveKind, MAX_CORRECTION_CHARS, MAX_REMOVAL_REASON_CHARS};
use crate::accounts::{Action, User};
use crate::article::{Article, ArticleContent, ArticleStatus, ArticleUpdate, RevisionAuthor, RevisionKind};
use crate::ids::MediaId;
use crate::wire::AgencyHold;
use jiff::Timestamp;
use serde::Serialize;

/// Everything that can be done to a story that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoryAction {
    /// Save the text; on a published story, a minor fix with no public trace.
    Save,
    /// Save a published story's text as an update readers are told of.
    PublicUpdate,
    Submit,
    /// The writer takes a story back from review, to work on it again.
    Withdraw,
    /// An editor returns a story in review to its writer, with a note saying why.
    SendBack,
    Publish,
    Schedule,
    /// Take a scheduled story back to a draft, so it will not go out by itself.
    Unschedule,
    Unpublish,
    Remove,
    Correct,
    ChooseLeadPhoto,
    Restore,
}

impl StoryAction {
    pub const ALL: [StoryAction; 13] = [
        StoryAction::Save,
        StoryAction::PublicUpdate,
        StoryAction::Submit,
        StoryAction::Withdraw,
        StoryAction::SendBack,
        StoryAction::Publish,
        StoryAction::Schedule,
        StoryAction::Unschedule,
        StoryAction::Unpublish,
        StoryAction::Remove,
        StoryAction::Correct,
        StoryAction::ChooseLeadPhoto,
        StoryAction::Restore,
    ];
}

/// Whether `actor` may change this story's text at all: anyone who may edit any story, or
/// its writer while it is a draft or in review.
pub fn may_edit(actor: &User, article: &Article) -> bool {
    let own = article.is_written_by(actor.id);
    let open = matches!(article.status, ArticleStatus::Draft | ArticleStatus::InReview);
    actor.role.may(Action::EditAnyStory) || (own && open && actor.role.may(Action::EditOwnStory))
}

/// Whether `actor` may open the story on the desk at all.
pub fn may_see(actor: &User, article: &Article) -> bool {
    may_edit(actor, article) || actor.role.may(Action::EditAnyStory) || article.is_written_by(actor.id)
}

/// Whether `actor`'s role could do `action` to some story at all: checked before the story is
/// even loaded, so that a role that never may learns nothing about which stories exist.
pub fn role_allows(actor: &User, action: StoryAction) -> bool {
    let role = actor.role;
    match action {
        StoryAction::Save | StoryAction::Restore => role.may(Action::EditOwnStory) || role.may(Action::EditAnyStory),
        StoryAction::PublicUpdate | StoryAction::Publish => role.may(Action::Publish),
        StoryAction::Submit | StoryAction::Withdraw => role.may(Action::SubmitForReview),
        StoryAction::SendBack => role.may(Action::Publish),
        StoryAction::Schedule | StoryAction::Unschedule => role.may(Action::Schedule),
        StoryAction::Unpublish => role.may(Action::Unpublish),
        StoryAction::Remove => role.may(Action::Remove),
        StoryAction::Correct => role.may(Action::Correct),
        StoryAction::ChooseLeadPhoto => role.may(Action::ChooseLeadPhoto),
    }
}

/// Whether `actor` may do `action` to `article` as it stands: the one permission table.
/// A role that may never do it gets [`EditError::NotAllowed`]; a story in a state where it
/// cannot be done gets [`EditError::WrongStatus`] naming the state.
pub fn check(actor: &User, article: &Article, action: StoryAction) -> Result<(), EditError> {
    use ArticleStatus::*;
    let role = actor.role;
    let status = article.status;
    let edits_published = status != Published || role.may(Action::Publish);
    if !role_allows(actor, action) {
        return Err(EditError::NotAllowed);
    }
    let (allowed, state_fits) = match action {
        StoryAction::Save => (may_edit(actor, article) && edits_published, true),
        StoryAction::PublicUpdate => (may_edit(actor, article) && role.may(Action::Publish), status == Published),
        StoryAction::Submit => (
            role.may(Action::SubmitForReview) && (article.is_written_by(actor.id) || role.may(Action::EditAnyStory)),
            status == Draft,
        ),
        StoryAction::Withdraw => (
            role.may(Action::SubmitForReview) && (article.is_written_by(actor.id) || role.may(Action::EditAnyStory)),
            status == InReview,
        ),
        StoryAction::SendBack => (role.may(Action::Publish), status == InReview),
        StoryAction::Publish => (role.may(Action::Publish), !matches!(status, Published | Removed)),
        StoryAction::Schedule => (role.may(Action::Schedule), !matches!(status, Published | Removed)),
        StoryAction::Unschedule => (role.may(Action::Schedule), status == Scheduled),
        StoryAction::Unpublish => (role.may(Action::Unpublish), matches!(status, Published | Scheduled)),
        StoryAction::Remove => (role.may(Action::Remove), status != Removed),
        StoryAction::Correct => (role.may(Action::Correct), status == Published),
        StoryAction::ChooseLeadPhoto => (role.may(Action::ChooseLeadPhoto), status != Removed),
        StoryAction::Restore => (may_edit(actor, article) && edits_published, true),
    };
    match (allowed, state_fits) {
        (false, _) => Err(EditError::NotAllowed),
        (true, false) => Err(EditError::WrongStatus(status_words(status))),
        (true, true) => Ok(()),
    }
}

/// What the desk offers `actor` on a story (or, with `None`, on a story not yet written):
/// exactly what [`check`] allows, so no screen shows a button the rules refuse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StoryActions {
    pub save: bool,
    pub public_update: bool,
    pub submit: bool,
    pub withdraw: bool,
    pub send_back: bool,
    pub publish: bool,
    pub schedule: bool,
    pub unschedule: bool,
    pub unpublish: bool,
    pub remove: bool,
    pub correct: bool,
    pub choose_lead_photo: bool,
    pub restore: bool,
}

pub fn actions_for(actor: &User, article: Option<&Article>) -> StoryActions {
    // A new story: the buttons that act on it once it is stored, as far as the role goes.
    let Some(article) = article else {
        let writes = actor.role.may(Action::WriteDraft);
        return StoryActions {
            save: writes,
            submit: writes && role_allows(actor, StoryAction::Submit),
            publish: writes && role_allows(actor, StoryAction::Publish),
            schedule: writes && role_allows(actor, StoryAction::Schedule),
            ..StoryActions::default()
        };
    };
    let may = |action| check(actor, article, action).is_ok();
    StoryActions {
        save: may(StoryAction::Save),
        public_update: may(StoryAction::PublicUpdate),
        submit: may(StoryAction::Submit),
        withdraw: may(StoryAction::Withdraw),
        send_back: may(StoryAction::SendBack),
        publish: may(StoryAction::Publish),
        schedule: may(StoryAction::Schedule),
        unschedule: may(StoryAction::Unschedule),
        unpublish: may(StoryAction::Unpublish),
        remove: may(StoryAction::Remove),
        correct: may(StoryAction::Correct),
        choose_lead_photo: may(StoryAction::ChooseLeadPhoto),
        restore: may(StoryAction::Restore),
    }
}

/// The editor's text, checked against the paper (sections, authors, topics, photos exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedText {
    pub content: ArticleContent,
    pub embargo_until: Option<Timestamp>,
}

/// A request on a story with everything the rules need already loaded and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreparedRequest {
    Save {
        text: CheckedText,
        kind: SaveKind,
    },
    /// Submit for review, with the text as it stands in the form when there is one, and a
    /// note for the editors.
    Submit {
        text: Option<CheckedText>,
        note: Option<String>,
    },
    Withdraw,
    SendBack {
        note: String,
    },
    Publish {
        text: Option<CheckedText>,
    },
    Schedule {
        text: Option<CheckedText>,
        at: Timestamp,
    },
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
        content: ArticleContent,
    },
}

impl PreparedRequest {
    pub fn action(&self) -> StoryAction {
        match self {
            PreparedRequest::Save { kind: SaveKind::PublicUpdate, .. } => StoryAction::PublicUpdate,
            PreparedRequest::Save { .. } => StoryAction::Save,
            PreparedRequest::Submit { .. } => StoryAction::Submit,
            PreparedRequest::Withdraw => StoryAction::Withdraw,
            PreparedRequest::SendBack { .. } => StoryAction::SendBack,
            PreparedRequest::Publish { .. } => StoryAction::Publish,
            PreparedRequest::Schedule { .. } => StoryAction::Schedule,
            PreparedRequest::Unschedule => StoryAction::Unschedule,
            PreparedRequest::Unpublish => StoryAction::Unpublish,
            PreparedRequest::Remove { .. } => StoryAction::Remove,
            PreparedRequest::Correct { .. } => StoryAction::Correct,
            PreparedRequest::ChooseLeadPhoto { .. } => StoryAction::ChooseLeadPhoto,
            PreparedRequest::Restore { .. } => StoryAction::Restore,
        }
    }

    fn text(&self) -> Option<&CheckedText> {
        match self {
            PreparedRequest::Save { text, .. } => Some(text),
            PreparedRequest::Submit { text, .. }
            | PreparedRequest::Publish { text }
            | PreparedRequest::Schedule { text, .. } => text.as_ref(),
            _ => None,
        }
    }
}

pub(super) fn by(actor: &User) -> RevisionAuthor {
    RevisionAuthor { user_id: Some(actor.id), name: actor.name.clone() }
}

/// The longest note a review carries.
pub const MAX_REVIEW_NOTE_CHARS: usize = 2_000;

/// A review note as typed: trimmed, `None` when empty, refused when too long.
fn review_note(text: &str) -> Result<Option<String>, EditError> {
    let text = text.trim();
    if text.chars().count() > MAX_REVIEW_NOTE_CHARS {
        return Err(EditError::Invalid(vec![FieldError {
            field: "review_note",
            message: format!("Keep the note under {MAX_REVIEW_NOTE_CHARS} characters."),
        }]));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// The one update `request` makes to `article` (loaded at `expected_version`), recorded as
/// one revision: "Publish now" with an edited text is a single change, not a save and then a
/// publish. `hold` is the agency's hold on a wire story, if any.
pub fn decide(
    actor: &User,
    article: &Article,
    expected_version: i64,
    request: PreparedRequest,
    hold: Option<AgencyHold>,
    now: Timestamp,
) -> Result<ArticleUpdate, EditError> {
    let action = request.action();
    check(actor, article, action)?;
    if request.text().is_some() && action != StoryAction::Save && action != StoryAction::PublicUpdate {
        // Saving the text on the way is editing it.
        check(actor, article, StoryAction::Save)?;
    }
    if article.version != expected_version {
        return Err(EditError::Conflict);
    }
    if let PreparedRequest::Schedule { at, .. } = &request {
        if *at <= now {
            return Err(EditError::ScheduleInPast);
        }
    }
    let published = article.status == ArticleStatus::Published;
    let kind = match &request {
        PreparedRequest::Save { kind: SaveKind::PublicUpdate, .. } => RevisionKind::PublicUpdate,
        PreparedRequest::Save { .. } if published => RevisionKind::MinorFix,
        PreparedRequest::Save { .. }
        | PreparedRequest::Submit { .. }
        | PreparedRequest::Schedule { .. }
        | PreparedRequest::Unschedule
        | PreparedRequest::Withdraw
        | PreparedRequest::SendBack { .. } => RevisionKind::Saved,
        PreparedRequest::Publish { .. } => RevisionKind::Published,
        PreparedRequest::Unpublish => RevisionKind::Unpublished,
        PreparedRequest::Remove { .. } => RevisionKind::Removed,
        PreparedRequest::Correct { .. } => RevisionKind::Correction,
        PreparedRequest::ChooseLeadPhoto { .. } if published => RevisionKind::MinorFix,
        PreparedRequest::ChooseLeadPhoto { .. } => RevisionKind::Saved,
        PreparedRequest::Restore { .. } => RevisionKind::Restored,
    };
    let mut update = ArticleUpdate::of(article, kind, by(actor), now);
    if let Some(text) = request.text() {
        update.content = text.content.clone();
        update.embargo_until = text.embargo_until;
    }
    // An agency's embargo is the agency's: the desk may move it later, never earlier.
    if let Some(AgencyHold::Embargo(until)) = hold {
        update.embargo_until = Some(update.embargo_until.map_or(until, |desk| desk.max(until)));
    }
    let goes_public_at = match &request {
        PreparedRequest::Publish { .. } => Some(now),
        PreparedRequest::Schedule { at, .. } => Some(*at),
        _ => None,
    };
    if let Some(at) = goes_public_at {
        if hold == Some(AgencyHold::Killed) {
            return Err(EditError::WrongStatus("killed by the agency"));
        }
        if let Some(until) = update.embargo_until.filter(|until| *until > at) {
            return Err(EditError::EmbargoNotLifted(until));
        }
    }
    match request {
        PreparedRequest::Save { kind: SaveKind::PublicUpdate, .. } => update.last_public_update_at = Some(now),
        PreparedRequest::Save { .. } => {}
        PreparedRequest::Submit { note, .. } => {
            update.status = ArticleStatus::InReview;
            // Always a note, so the desk can tell the latest step of the review loop.
            update.note = Some(match review_note(note.as_deref().unwrap_or_default())? {
                Some(note) => format!("Submitted for review: {note}"),
                None => "Submitted for review.".to_owned(),
            });
        }
        PreparedRequest::Withdraw => {
            update.status = ArticleStatus::Draft;
            update.note = Some("Withdrawn from review by its writer.".into());
        }
        PreparedRequest::SendBack { note } => {
            let Some(note) = review_note(&note)? else {
                return Err(EditError::Invalid(vec![FieldError {
                    field: "review_note",
                    message: "Say what the writer should change.".into(),
                }]));
            };
            update.status = ArticleStatus::Draft;
            update.note = Some(format!("Sent back: {note}"));
        }
        PreparedRequest::Publish { .. } => {
            update.status = ArticleStatus::Published;
            update.publish_at = None;
            update.first_published_at = Some(article.first_published_at.unwrap_or(now));
        }
        PreparedRequest::Schedule { at, .. } => {
            update.status = ArticleStatus::Scheduled;
            update.publish_at = Some(at);
        }
        PreparedRequest::Unschedule => {
            update.status = ArticleStatus::Draft;
            update.publish_at = None;
            update.note = Some("Unscheduled: a draft again, not to be published by itself.".into());
        }
        PreparedRequest::Unpublish => {
            update.status = ArticleStatus::Unpublished;
            update.publish_at = None;
        }
        PreparedRequest::Remove { reason } => {
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
            update.status = ArticleStatus::Removed;
            update.publish_at = None;
            update.note = Some(reason.to_owned());
        }
        PreparedRequest::Correct { text } => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > MAX_CORRECTION_CHARS {
                let message = format!("Write the correction, in at most {MAX_CORRECTION_CHARS} characters.");
                return Err(EditError::Invalid(vec![FieldError { field: "correction", message }]));
            }
            update.last_public_update_at = Some(now);
            update.note = Some(text.to_owned());
            update.correction = Some(text.to_owned());
        }
        PreparedRequest::ChooseLeadPhoto { photo } => update.content.lead_media_id = photo,
        PreparedRequest::Restore { number, content } => {
            update.content = content;
            update.note = Some(format!("restored revision {number}"));
        }
    }
    Ok(update)
}

pub(super) fn status_words(status: ArticleStatus) -> &'static str {
    match status {
        ArticleStatus::Draft => "a draft",
        ArticleStatus::InReview => "in review",
        ArticleStatus::Scheduled => "scheduled",
        ArticleStatus::Published => "published",
        ArticleStatus::Unpublished => "unpublished",
        ArticleStatus::Removed => "removed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;
    use crate::ids::{ArticleId, SectionId, Slug, UserId};
    use jiff::SignedDuration;

    fn now() -> Timestamp {
        "2026-11-28T03:00:00Z".parse().expect("instant")
    }

    fn user(id: i64, role: Role) -> User {
        User {
            id: UserId(id),
            email: format!("u{id}@paper.example"),
            name: format!("User {id}"),
            role,
            created_at: now(),
            author_id: None,
        }
    }

    fn content(headline: &str) -> ArticleContent {
        ArticleContent {
            slug: Slug::parse("a-story").expect("slug"),
            headline: headline.into(),
            deck: None,
            section_id: SectionId(1),
            bylines: Vec::new(),
            label: None,
            topics: Vec::new(),
            lead_media_id: None,
            body: "Words.".into(),
            seo_title: None,
            seo_description: None,
            dateline: None,
        }
    }

    /// A story written by user 1, in `status`, at version 3.
    fn story(status: ArticleStatus) -> Article {
        let published = matches!(status, ArticleStatus::Published | ArticleStatus::Unpublished);
        Article {
            id: ArticleId(7),
            content: content("Ferries sail again"),
            status,
            embargo_until: None,
            publish_at: (status == ArticleStatus::Scheduled).then(|| now() + SignedDuration::from_hours(1)),
            first_published_at: published.then(|| now() - SignedDuration::from_hours(5)),
            last_public_update_at: None,
            created_at: now() - SignedDuration::from_hours(6),
            modified_at: now() - SignedDuration::from_hours(5),
            version: 3,
            created_by: Some(UserId(1)),
            assignee: None,
        }
    }

    fn text(headline: &str) -> CheckedText {
        CheckedText { content: content(headline), embargo_until: None }
    }

    #[test]
    fn the_buttons_offered_are_exactly_what_the_rules_allow_for_every_role_and_status() {
        for role in Role::ALL {
            for owner in [1, 2] {
                let actor = user(owner, role);
                for status in ArticleStatus::ALL {
                    let article = story(status);
                    let offered = actions_for(&actor, Some(&article));
                    let flags = [
                        offered.save,
                        offered.public_update,
                        offered.submit,
                        offered.withdraw,
                        offered.send_back,
                        offered.publish,
                        offered.schedule,
                        offered.unschedule,
                        offered.unpublish,
                        offered.remove,
                        offered.correct,
                        offered.choose_lead_photo,
                        offered.restore,
                    ];
                    assert_eq!(flags.len(), StoryAction::ALL.len(), "a flag for every action");
                    for (action, offered) in StoryAction::ALL.into_iter().zip(flags) {
                        assert_eq!(check(&actor, &article, action).is_ok(), offered, "{role:?} {status:?} {action:?}");
                        if !role_allows(&actor, action) {
                            assert_eq!(check(&actor, &article, action), Err(EditError::NotAllowed));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_reporter_submits_their_own_draft_but_may_never_publish_and_a_contributor_may_not_submit() {
        let reporter = user(1, Role::Reporter);
        let draft = story(ArticleStatus::Draft);
        assert!(check(&reporter, &draft, StoryAction::Submit).is_ok());
        assert!(check(&reporter, &draft, StoryAction::Save).is_ok());
        assert_eq!(check(&reporter, &draft, StoryAction::Publish), Err(EditError::NotAllowed));
        assert_eq!(check(&user(2, Role::Reporter), &draft, StoryAction::Save), Err(EditError::NotAllowed));
        assert_eq!(check(&reporter, &story(ArticleStatus::Published), StoryAction::Save), Err(EditError::NotAllowed));
        assert_eq!(check(&user(1, Role::Contributor), &draft, StoryAction::Submit), Err(EditError::NotAllowed));
        assert_eq!(
            actions_for(&user(1, Role::Contributor), None),
            StoryActions { save: true, ..StoryActions::default() }
        );
    }

    #[test]
    fn publish_now_with_an_edited_text_is_one_update_and_one_published_revision() {
        let editor = user(9, Role::Editor);
        let request = PreparedRequest::Publish { text: Some(text("Ferries sail again at dawn")) };
        let update = decide(&editor, &story(ArticleStatus::InReview), 3, request, None, now()).expect("published");
        assert_eq!(update.status, ArticleStatus::Published);
        assert_eq!(update.revision_kind, RevisionKind::Published);
        assert_eq!(update.content.headline, "Ferries sail again at dawn");
        assert_eq!((update.first_published_at, update.expected_version), (Some(now()), 3));
        assert_eq!(update.made_by.name, "User 9");
    }

    #[test]
    fn a_stale_version_is_a_conflict_and_a_wrong_state_is_named() {
        let editor = user(9, Role::Editor);
        let save = || PreparedRequest::Save { text: text("New"), kind: SaveKind::Quiet };
        assert_eq!(decide(&editor, &story(ArticleStatus::Draft), 2, save(), None, now()), Err(EditError::Conflict));
        let publish = PreparedRequest::Publish { text: None };
        assert_eq!(
            decide(&editor, &story(ArticleStatus::Published), 3, publish, None, now()),
            Err(EditError::WrongStatus("published"))
        );
        let correct = PreparedRequest::Correct { text: "A date was wrong.".into() };
        assert_eq!(
            decide(&editor, &story(ArticleStatus::Draft), 3, correct, None, now()),
            Err(EditError::WrongStatus("a draft"))
        );
    }

    #[test]
    fn embargoes_hold_and_an_agency_embargo_is_never_moved_earlier() {
        let editor = user(9, Role::Editor);
        let until = now() + SignedDuration::from_hours(2);
        let mut embargoed = text("Budget");
        embargoed.embargo_until = Some(until);
        let publish = PreparedRequest::Publish { text: Some(embargoed.clone()) };
        assert_eq!(
            decide(&editor, &story(ArticleStatus::Draft), 3, publish, None, now()),
            Err(EditError::EmbargoNotLifted(until))
        );
        let later = until + SignedDuration::from_mins(1);
        let scheduled = PreparedRequest::Schedule { text: Some(embargoed), at: later };
        let update = decide(&editor, &story(ArticleStatus::Draft), 3, scheduled, None, now()).expect("scheduled");
        assert_eq!((update.status, update.publish_at), (ArticleStatus::Scheduled, Some(later)));

        let cleared = PreparedRequest::Save { text: text("Budget"), kind: SaveKind::Quiet };
        let hold = Some(AgencyHold::Embargo(until));
        let update = decide(&editor, &story(ArticleStatus::Draft), 3, cleared, hold, now()).expect("saved");
        assert_eq!(update.embargo_until, Some(until), "the agency's embargo stays when the desk clears the field");
        let killed = PreparedRequest::Publish { text: None };
        assert_eq!(
            decide(&editor, &story(ArticleStatus::Draft), 3, killed, Some(AgencyHold::Killed), now()),
            Err(EditError::WrongStatus("killed by the agency"))
        );
    }

    #[test]
    fn a_public_update_sets_updated_a_quiet_fix_leaves_no_trace_and_scheduling_in_the_past_is_refused() {
        let editor = user(9, Role::Editor);
        let published = story(ArticleStatus::Published);
        let public = PreparedRequest::Save { text: text("Ferries"), kind: SaveKind::PublicUpdate };
        let update = decide(&editor, &published, 3, public, None, now()).expect("update");
        assert_eq!((update.revision_kind, update.last_public_update_at), (RevisionKind::PublicUpdate, Some(now())));
        let quiet = PreparedRequest::Save { text: text("Ferries"), kind: SaveKind::Quiet };
        let update = decide(&editor, &published, 3, quiet, None, now()).expect("fix");
        assert_eq!((update.revision_kind, update.last_public_update_at), (RevisionKind::MinorFix, None));
        let past = PreparedRequest::Schedule { text: None, at: now() - SignedDuration::from_mins(1) };
        assert_eq!(decide(&editor, &story(ArticleStatus::Draft), 3, past, None, now()), Err(EditError::ScheduleInPast));
        let removal = PreparedRequest::Remove { reason: "  ".into() };
        assert_eq!(decide(&editor, &published, 3, removal, None, now()), Err(EditError::ReasonRequired));
    }
}
