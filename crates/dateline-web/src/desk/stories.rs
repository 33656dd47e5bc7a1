//! The desk's story screens: the editor (one screen for everything an editor edits), the
//! actions on a story, the private preview and the history (the list and its bulk changes
//! are `story_list`'s, the budget `budget`'s). Every change goes
//! through `dateline_newsroom::editing`, which checks the role and the version.

use super::form::{local_input, local_time, FormData};
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::Query;
use crate::site::article::{render as render_article, Audience};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::editing::{self, EditError, FieldError, SaveKind, StoryDraft, StoryRequest};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{
    Article, ArticleId, ArticleStatus, AuthorId, Label, Media, MediaId, SectionId, SectionTree, Store, StoreError,
    TopicId, Window,
};
use dateline_render::PaperClock;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

/// How many byline fields the editor offers.
const BYLINE_FIELDS: usize = 4;

#[derive(Serialize)]
pub(crate) struct Choice {
    pub(crate) id: i64,
    pub(crate) name: String,
}

#[derive(Serialize)]
pub(crate) struct ErrorView {
    pub(crate) field: &'static str,
    pub(crate) message: String,
}

#[derive(Serialize)]
struct ConflictView {
    headline: String,
    body: String,
    saved_by: String,
}

#[derive(Serialize)]
struct EditorPage {
    story_id: Option<i64>,
    version: i64,
    status: &'static str,
    headline: String,
    deck: String,
    dateline: String,
    slug: String,
    section_id: Option<i64>,
    bylines: Vec<Option<i64>>,
    label: String,
    topics: Vec<i64>,
    lead_media_id: Option<i64>,
    body: String,
    seo_title: String,
    seo_description: String,
    embargo_until: String,
    publish_at: String,
    public_url: Option<String>,
    sections: Vec<Choice>,
    authors: Vec<Choice>,
    all_topics: Vec<Choice>,
    labels: Vec<&'static str>,
    media: Vec<Choice>,
    errors: Vec<ErrorView>,
    notice: Option<String>,
    /// Beside a notice: the reader page as it is now, past any browser or CDN copy.
    notice_link: Option<String>,
    conflict: Option<ConflictView>,
    /// What the rules allow this user on this story: the buttons the screen offers.
    may: editing::StoryActions,
    time_zone: String,
    /// Where the story came from on the wire, and any agency update waiting.
    wire: Option<super::wire::WireBanner>,
    /// "live" for a new story that is to be live from its creation.
    kind: &'static str,
    /// Whether the story is live (Some), and whether its coverage still runs.
    live_running: Option<bool>,
    /// Whether this user may make the story live or run its coverage.
    may_run_live: bool,
    /// The show, for a story that is a podcast episode.
    episode_of_show: Option<String>,
    /// Whether the story leads with a video.
    has_video: bool,
    /// "412 words, about 2 min to read": the body's length as the form holds it.
    body_length: String,
    /// An autosave newer than the saved story: when and by whom, if there is one.
    newer_autosave: Option<String>,
    /// The form shows that autosave's text, not the saved story's.
    showing_autosave: bool,
    /// The last note of the review loop (a submission's or a sending back), while the story
    /// is a draft or in review: who wrote it, when, and what it says.
    review_note: Option<ReviewNote>,
    /// The budget's plan for the story, in a line: what it is, who is on it, when it is due.
    plan: Option<String>,
}

#[derive(Serialize)]
struct ReviewNote {
    by: String,
    at: String,
    text: String,
}

#[derive(Serialize)]
struct HistoryRow {
    number: i64,
    kind: &'static str,
    made_by: String,
    made_at: String,
    headline: String,
    note: Option<String>,
}

#[derive(Serialize)]
struct HistoryPage {
    story_id: i64,
    version: i64,
    headline: String,
    revisions: Vec<HistoryRow>,
    autosaves: Vec<HistoryRow>,
    may_restore: bool,
}

pub(crate) use dateline_render::views::status_title;

pub(crate) async fn paper_clock(state: &AppState) -> Result<PaperClock, WebError> {
    let settings = state.store().settings().await?;
    Ok(PaperClock {
        zone: settings.zone().map_err(|e| WebError::Internal(e.to_string()))?,
        date_line_format: settings.date_line_format,
        timestamp_format: settings.timestamp_format,
    })
}

pub(crate) fn section_choices(tree: &SectionTree) -> Vec<Choice> {
    let mut choices = Vec::new();
    for top in tree.top_level() {
        choices.push(Choice { id: top.id.0, name: top.name.clone() });
        for child in tree.children(top.id) {
            choices.push(Choice { id: child.id.0, name: format!("{} › {}", top.name, child.name) });
        }
    }
    choices
}

/// "Due 14:00, Nov 28 · Cub Reporter · Figures from the commission…", for a planned story.
async fn plan_line(state: &AppState, article: &Article, zone: &TimeZone) -> Result<Option<String>, WebError> {
    use dateline_newsroom::planning::PlanStore;
    let Some(plan) = state.store().plan_of(article.id).await? else { return Ok(None) };
    let due = plan.planned_for.to_zoned(zone.clone()).strftime("%H:%M, %b %-d");
    let person = match plan.assignee {
        Some(user) => state.store().user_by_id(user).await.map(|u| u.name).unwrap_or_default(),
        None => "nobody assigned yet".to_owned(),
    };
    Ok(Some(format!("Due {due} \u{b7} {person} \u{b7} {}", plan.summary)))
}

/// What the editor shows for a story (or a new one), before errors and notices.
async fn editor_page(
    state: &AppState,
    desk: &Desk,
    article: Option<&Article>,
    draft: &StoryDraft,
    zone: &TimeZone,
) -> Result<EditorPage, WebError> {
    let store = state.store();
    let tree = SectionTree::new(store.sections().await?);
    let status = article.map(|a| a.status).unwrap_or(ArticleStatus::Draft);
    let mut bylines: Vec<Option<i64>> = draft.bylines.iter().map(|a| Some(a.0)).collect();
    // Always one empty slot past the chosen bylines, so any number can be added, a save at a time.
    bylines.resize(BYLINE_FIELDS.max(bylines.len() + 1), None);
    Ok(EditorPage {
        story_id: article.map(|a| a.id.0),
        version: article.map(|a| a.version).unwrap_or(0),
        status: status_title(status),
        headline: draft.headline.clone(),
        deck: draft.deck.clone(),
        dateline: draft.dateline.clone(),
        slug: draft.slug.clone(),
        section_id: draft.section_id.map(|s| s.0),
        bylines,
        label: draft.label.map(|l| l.as_str()).unwrap_or("").to_owned(),
        topics: draft.topics.iter().map(|t| t.0).collect(),
        lead_media_id: draft.lead_media_id.map(|m| m.0),
        body: draft.body.clone(),
        seo_title: draft.seo_title.clone(),
        seo_description: draft.seo_description.clone(),
        embargo_until: local_input(draft.embargo_until, zone),
        publish_at: local_input(article.and_then(|a| a.publish_at), zone),
        public_url: article
            .filter(|a| a.status == ArticleStatus::Published)
            .map(|a| dateline_render::views::article_url(a.id, &a.content.slug)),
        sections: section_choices(&tree),
        authors: store.authors().await?.into_iter().map(|a| Choice { id: a.id.0, name: a.name }).collect(),
        all_topics: store.topics().await?.into_iter().map(|t| Choice { id: t.id.0, name: t.name }).collect(),
        labels: Label::ALL.iter().map(|l| l.as_str()).collect(),
        media: photo_choices(store, draft.lead_media_id.as_slice()).await?,
        errors: Vec::new(),
        notice: None,
        notice_link: None,
        conflict: None,
        may: editing::actions_for(&desk.session.user, article),
        time_zone: zone.iana_name().unwrap_or("UTC").to_owned(),
        wire: match article {
            Some(article) => super::wire::banner(state, article).await?,
            None => None,
        },
        kind: "",
        live_running: match article {
            Some(article) => crate::site::live::coverage_of(state, article.id).await?.map(|c| c.is_running()),
            None => None,
        },
        may_run_live: article.is_some_and(|a| dateline_newsroom::live::may_run_coverage(&desk.session.user, a)),
        episode_of_show: match article {
            Some(article) => {
                crate::site::podcasts::episode_of(state, article.id).await?.map(|(_, show)| show.fields.title)
            }
            None => None,
        },
        body_length: body_length(&draft.body),
        has_video: match article {
            Some(article) => crate::site::video::video_of(state, article.id).await?.is_some(),
            None => false,
        },
        newer_autosave: None,
        showing_autosave: false,
        review_note: None,
        plan: match article {
            Some(article) => plan_line(state, article, zone).await?,
            None => None,
        },
    })
}

/// The body's length as a writer reads it (the desk's script keeps it current while typing).
fn body_length(body: &str) -> String {
    let words = dateline_newsroom::body::word_count(body);
    match words {
        0 => "No words yet.".to_owned(),
        1 => "1 word, about 1 min to read.".to_owned(),
        _ => format!("{words} words, about {} min to read.", dateline_newsroom::body::reading_minutes(words)),
    }
}

/// The editor form as a draft; fields that cannot be read become field errors.
fn draft_from(form: &FormData, zone: &TimeZone) -> Result<(StoryDraft, Vec<FieldError>), WebError> {
    let mut errors = Vec::new();
    let label = match form.get("label").trim() {
        "" => None,
        text => match Label::parse(text) {
            Some(label) => Some(label),
            None => {
                errors.push(FieldError { field: "label", message: format!("{text:?} is not a label.") });
                None
            }
        },
    };
    let embargo_until = local_time(form.get("embargo_until"), zone).unwrap_or_else(|message| {
        errors.push(FieldError { field: "embargo_until", message });
        None
    });
    let draft = StoryDraft {
        headline: form.get("headline").to_owned(),
        deck: form.get("deck").to_owned(),
        slug: form.get("slug").to_owned(),
        section_id: form.id("section")?.map(SectionId),
        bylines: form.ids("byline")?.into_iter().map(AuthorId).collect(),
        label,
        topics: form.ids("topic")?.into_iter().map(TopicId).collect(),
        lead_media_id: form.id("lead_media")?.map(MediaId),
        body: form.get("body").to_owned(),
        seo_title: form.get("seo_title").to_owned(),
        seo_description: form.get("seo_description").to_owned(),
        dateline: form.get("dateline").to_owned(),
        embargo_until,
    };
    Ok((draft, errors))
}

pub(crate) fn errors_view(errors: Vec<FieldError>) -> Vec<ErrorView> {
    errors.into_iter().map(|e| ErrorView { field: e.field, message: e.message }).collect()
}

pub(super) fn parse_story_id(text: &str) -> Result<ArticleId, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).map(ArticleId).ok_or(WebError::NotFound)
}

async fn show_editor(
    state: &AppState,
    desk: &Desk,
    status: StatusCode,
    page: EditorPage,
) -> Result<Response, WebError> {
    Ok((status, desk.render(state, "desk/editor.html", page).await?).into_response())
}

/// `?status=draft` (or any status) and `?page=2` on the story list.
/// `?kind=live` on the new-story screen.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct KindAsked {
    kind: String,
}

fn story_kind(text: &str) -> Result<&'static str, WebError> {
    match text {
        "" | "story" => Ok(""),
        "live" => Ok("live"),
        other => Err(WebError::BadRequest(format!("{other:?} is not a kind of story."))),
    }
}

pub(crate) async fn new_story(
    State(state): State<AppState>,
    desk: Desk,
    Query(asked): Query<KindAsked>,
) -> Result<Response, WebError> {
    desk.require(Action::WriteDraft)?;
    let zone = paper_clock(&state).await?.zone;
    // A writer's own byline comes first on a new story; others are added beside it.
    let draft = StoryDraft { bylines: desk.session.user.author_id.into_iter().collect(), ..StoryDraft::default() };
    let mut page = editor_page(&state, &desk, None, &draft, &zone).await?;
    page.kind = story_kind(&asked.kind)?;
    show_editor(&state, &desk, StatusCode::OK, page).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::WriteDraft)?;
    // A button the role never has is refused before anything is stored.
    let then = match form.get("action") {
        "publish" => Some(editing::StoryAction::Publish),
        "schedule" => Some(editing::StoryAction::Schedule),
        "submit" => Some(editing::StoryAction::Submit),
        _ => None,
    };
    if then.is_some_and(|action| !editing::role_allows(&desk.session.user, action)) {
        return Err(WebError::Forbidden);
    }
    let zone = paper_clock(&state).await?.zone;
    let (draft, mut errors) = draft_from(&form, &zone)?;
    let kind = story_kind(form.get("kind"))?;
    if errors.is_empty() {
        match editing::create_story(state.store(), &desk.session.user, &draft, state.now()).await {
            Ok(id) if kind == "live" && start_live_coverage(&state, &desk, id).await? => {
                return Ok(super::see_other(&format!("/desk/stories/{id}/live?saved=1")));
            }
            // "Publish now", "Schedule" or "Submit" on a new story: it is stored, then the
            // button acts on it as on any story, so a refusal (an embargo, a time in the
            // past) leaves the draft saved and says why on its editor.
            Ok(id) if then.is_some() => {
                let article = state.store().article_by_id(id).await?;
                let version = article.version;
                return act_on(state, desk, article, version, form).await;
            }
            Ok(id) => return Ok(super::see_other(&format!("/desk/stories/{id}?saved=1"))),
            Err(EditError::Invalid(found)) => errors = found,
            Err(other) => return Err(edit_failure(other)),
        }
    }
    let mut page = editor_page(&state, &desk, None, &draft, &zone).await?;
    page.kind = kind;
    page.errors = errors_view(errors);
    show_editor(&state, &desk, StatusCode::UNPROCESSABLE_ENTITY, page).await
}

/// A new story asked for as live starts its coverage; whether it did. The story is kept as
/// written whatever happens: one its writer may not run live stays an ordinary draft, and the
/// editor says so.
async fn start_live_coverage(state: &AppState, desk: &Desk, id: ArticleId) -> Result<bool, WebError> {
    match dateline_newsroom::live::start_coverage(state.store(), &desk.session.user, id, state.now()).await {
        Ok(_) => Ok(true),
        Err(dateline_newsroom::live::LiveError::NotAllowed) => Ok(false),
        Err(other) => Err(WebError::BadRequest(other.to_string())),
    }
}

/// An autosave's refusal for what it carried (sizes), as one sentence per field.
fn autosave_refused(errors: Vec<FieldError>) -> WebError {
    WebError::BadRequest(
        errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join(" "),
    )
}

/// The errors that are not about the form's content.
pub(crate) fn edit_failure(error: EditError) -> WebError {
    match error {
        EditError::NotAllowed => WebError::Forbidden,
        EditError::Conflict => {
            WebError::Conflict("Someone changed this story after you opened it. Open it again and retry.".into())
        }
        EditError::Store(e) => e.into(),
        other => WebError::BadRequest(other.to_string()),
    }
}

async fn load(state: &AppState, desk: &Desk, id: &str) -> Result<Article, WebError> {
    let article = state.store().article_by_id(parse_story_id(id)?).await?;
    tracing::Span::current().record("article.id", article.id.0);
    if !editing::may_see(&desk.session.user, &article) {
        return Err(WebError::Forbidden);
    }
    Ok(article)
}

/// `?saved=1`, and `?autosaved=1` to load the newest autosave into the form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct EditorAsked {
    saved: Option<String>,
    autosaved: Option<String>,
    /// What was just done (`published`, `scheduled`…), for the notice that says so.
    done: Option<String>,
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    Query(asked): Query<EditorAsked>,
) -> Result<Response, WebError> {
    desk.require(Action::UseDesk)?;
    let article = load(&state, &desk, &id).await?;
    let clock = paper_clock(&state).await?;
    let mut revisions = state.store().revisions(article.id).await?;
    let review_note = if matches!(article.status, ArticleStatus::Draft | ArticleStatus::InReview) {
        // The review loop's latest step decides: a submission's or a sending back's words are
        // shown; a withdrawal, or a submission without a note, shows none.
        revisions
            .iter()
            .rev()
            .filter(|r| r.kind != dateline_newsroom::RevisionKind::Autosave)
            .find_map(|r| r.note.as_deref().filter(|note| is_review_step(note)).map(|note| (r, note)))
            .and_then(|(r, note)| {
                let text = note.strip_prefix("Sent back: ").or_else(|| note.strip_prefix("Submitted for review: "))?;
                Some(ReviewNote { by: r.made_by.name.clone(), at: clock.time(r.made_at).text, text: text.to_owned() })
            })
    } else {
        None
    };
    // The newest revision, when it is an autosave, holds text newer than the story's.
    let newest = revisions.pop();
    let autosave = newest.filter(|r| r.kind == dateline_newsroom::RevisionKind::Autosave);
    let showing_autosave = asked.autosaved.as_deref() == Some("1") && autosave.is_some();
    let mut draft = StoryDraft::of(&article);
    if let (true, Some(saved)) = (showing_autosave, &autosave) {
        let typed = &saved.content;
        draft.headline.clone_from(&typed.headline);
        draft.deck = typed.deck.clone().unwrap_or_default();
        draft.body.clone_from(&typed.body);
        draft.seo_title = typed.seo_title.clone().unwrap_or_default();
        draft.seo_description = typed.seo_description.clone().unwrap_or_default();
    }
    let mut page = editor_page(&state, &desk, Some(&article), &draft, &clock.zone).await?;
    page.showing_autosave = showing_autosave;
    page.review_note = review_note;
    page.newer_autosave = autosave.map(|r| format!("{} by {}", clock.time(r.made_at).text, r.made_by.name));
    if asked.saved.as_deref() == Some("1") {
        page.notice = Some("Saved.".into());
    }
    if let Some(done) = asked.done.as_deref() {
        let tree = SectionTree::new(state.store().sections().await?);
        page.notice = Some(what_happened(done, &article, &tree, &clock));
        page.notice_link = live_link(&article, state.now());
    }
    show_editor(&state, &desk, StatusCode::OK, page).await
}

/// Whether a revision's note records a step of the review loop (a submission, a withdrawal,
/// a sending back), as the newsroom's rules write them.
fn is_review_step(note: &str) -> bool {
    ["Submitted for review", "Sent back: ", "Withdrawn from review"].iter().any(|step| note.starts_with(step))
}

/// What the desk says after an action on a story, in the newsroom's words: where readers see
/// it now, when it goes out, or what they get instead.
fn what_happened(done: &str, article: &Article, tree: &SectionTree, clock: &PaperClock) -> String {
    let section =
        tree.trail(article.content.section_id).iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(" › ");
    match done {
        "published" => format!("Published. Readers see it now on the home page's latest news and the {section} front."),
        "updated" => "Saved as a public update: readers see the new text, marked with the time it was updated.".into(),
        "scheduled" => match article.publish_at {
            Some(at) => format!("Scheduled for {} {} time.", clock.time(at).text, zone_city(&clock.zone)),
            None => "Scheduled.".into(),
        },
        "unscheduled" => "Unscheduled: it is a draft again and will not be published by itself.".into(),
        "submitted" => "Submitted for review: an editor will publish it or send it back with a note.".into(),
        "withdrawn" => "Withdrawn from review: it is a draft again, and editors no longer see it waiting.".into(),
        "sent_back" => "Sent back to its writer with your note: it is a draft again.".into(),
        "unpublished" => {
            "Unpublished. Readers who follow its address now get \u{201c}page not found\u{201d}; it stays here on the desk."
                .into()
        }
        "removed" => "Removed for legal reasons. Readers who follow its address are told it was removed, and no front, feed, search or sitemap lists it.".into(),
        "corrected" => "Correction published. Readers see it at the end of the story and on the corrections page.".into(),
        _ => "Saved.".into(),
    }
}

/// The city of a time zone's name, as a newsroom says it: `Asia/Seoul` is Seoul time.
fn zone_city(zone: &TimeZone) -> String {
    let name = zone.iana_name().unwrap_or("UTC");
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

/// The story's reader page for an editor who just changed it, when readers may see it: the
/// story's version in the address makes it one no browser or CDN has kept, so the page shows
/// the change (readers' own addresses stay cacheable; the origin drops its copy on change).
fn live_link(article: &Article, now: Timestamp) -> Option<String> {
    article.is_public(now).then(|| {
        format!("{}?v={}", dateline_render::views::article_url(article.id, &article.content.slug), article.version)
    })
}

/// `POST /desk/stories/{id}/autosave`: what the editor screen sends by itself while someone
/// types; kept as the story's autosave, never written to the story.
/// `POST /desk/preview-body`: the body as readers' pages will show it (the same renderer and
/// sanitizer), for the editor's side-by-side preview; a body the rules refuse (too long, too
/// deeply nested) is refused with the reason.
pub(crate) async fn preview_body(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::WriteDraft)?;
    let body = form.get("body");
    if let Err(problem) = editing::check_body(body) {
        return Err(WebError::BadRequest(format!("{}: {}", problem.field, problem.message)));
    }
    let html = state.render_work().body_html(body).await;
    let mut photos = std::collections::HashMap::new();
    for id in dateline_newsroom::body::photo_references(body) {
        match state.store().media_by_id(id).await {
            Ok(media) => {
                photos.insert(id, dateline_render::views::ImageView::new(&media));
            }
            Err(StoreError::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let html = dateline_render::place_body_photos(&html, |id| photos.get(&id).cloned());
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "private, no-store")], html)
        .into_response())
}

pub(crate) async fn autosave(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::UseDesk)?;
    let article = load(&state, &desk, &id).await?;
    let zone = paper_clock(&state).await?.zone;
    let (draft, _) = draft_from(&form, &zone)?;
    match editing::autosave(state.store(), &desk.session.user, article.id, &draft, state.now()).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(EditError::Invalid(errors)) => Err(autosave_refused(errors)),
        Err(other) => Err(edit_failure(other)),
    }
}

/// Where the new-story screen goes on once its first autosave has made it a stored draft.
#[derive(Serialize)]
struct AutosavedNew {
    story: i64,
    version: i64,
    /// The editor's address, and so the form's from now on.
    edit: String,
    /// Where later autosaves go.
    autosave: String,
}

/// `POST /desk/stories/new/autosave`: the new-story screen's autosave before its first save.
/// The first one that carries any text stores the story as a draft and answers 201 with its
/// addresses, so the screen's later autosaves and its Save go to that story; nothing typed
/// answers 204 and stores nothing.
pub(crate) async fn autosave_new(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::WriteDraft)?;
    let zone = paper_clock(&state).await?.zone;
    // A field the form could not read (a half-typed time) is not a reason to lose the text.
    let (draft, _) = draft_from(&form, &zone)?;
    let kind = story_kind(form.get("kind"))?;
    let id = match editing::create_from_autosave(state.store(), &desk.session.user, &draft, state.now()).await {
        Ok(Some(id)) => id,
        Ok(None) => return Ok(StatusCode::NO_CONTENT.into_response()),
        Err(EditError::Invalid(errors)) => return Err(autosave_refused(errors)),
        Err(other) => return Err(edit_failure(other)),
    };
    if kind == "live" {
        start_live_coverage(&state, &desk, id).await?;
    }
    let version = state.store().article_by_id(id).await?.version;
    let answer = AutosavedNew {
        story: id.0,
        version,
        edit: format!("/desk/stories/{id}"),
        autosave: format!("/desk/stories/{id}/autosave"),
    };
    Ok((StatusCode::CREATED, [(header::LOCATION, answer.edit.clone())], axum::Json(answer)).into_response())
}

/// `POST /desk/stories/{id}`: save the text, then take the action the button asked for.
pub(crate) async fn act(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::UseDesk)?;
    let article = load(&state, &desk, &id).await?;
    let version = form.id("version")?.unwrap_or(0);
    act_on(state, desk, article, version, form).await
}

/// The button pressed on `article`'s editor (loaded at `version`), with the form's text.
async fn act_on(
    state: AppState,
    desk: Desk,
    article: Article,
    version: i64,
    form: super::form::FormData,
) -> Result<Response, WebError> {
    let zone = paper_clock(&state).await?.zone;
    let (draft, errors) = draft_from(&form, &zone)?;
    let store = state.store();
    // The button pressed, as a request on the story: the text in the form goes with it, so
    // "Publish now" saves and publishes in one change.
    let request = match form.get("action") {
        "save" => StoryRequest::Save { draft: draft.clone(), kind: SaveKind::Quiet },
        "update_public" => StoryRequest::Save { draft: draft.clone(), kind: SaveKind::PublicUpdate },
        "submit" => StoryRequest::Submit { draft: Some(draft.clone()), note: Some(form.get("review_note").to_owned()) },
        "withdraw" => StoryRequest::Withdraw,
        "send_back" => StoryRequest::SendBack { note: form.get("review_note").to_owned() },
        "publish" => StoryRequest::Publish { draft: Some(draft.clone()) },
        "schedule" => StoryRequest::Schedule { draft: Some(draft.clone()), at: Timestamp::MAX },
        "unschedule" => StoryRequest::Unschedule,
        "unpublish" => StoryRequest::Unpublish,
        other => return Err(WebError::BadRequest(format!("{other:?} is not an action on a story."))),
    };
    // Refuse what the rules never allow before reading the form any further, so a refusal
    // changes nothing and says so.
    if let Err(EditError::NotAllowed) = editing::check(&desk.session.user, &article, request.action()) {
        return Err(WebError::Forbidden);
    }
    // Taking a story down asks first, and says what readers will see.
    if matches!(request, StoryRequest::Unpublish) && form.get("confirmed") != "yes" {
        return confirm(&state, &desk, &article, Confirming::Unpublish).await;
    }
    let done = done_word(&request);
    // Unscheduling and unpublishing take nothing from the form's text (their confirmation
    // carries none), so only a request that saves the text is refused for its problems.
    let carries_text = !matches!(
        request,
        StoryRequest::Unschedule | StoryRequest::Unpublish | StoryRequest::Withdraw | StoryRequest::SendBack { .. }
    );
    let outcome: Result<Article, EditError> = if carries_text && !errors.is_empty() {
        Err(EditError::Invalid(errors))
    } else {
        match request {
            StoryRequest::Schedule { draft, .. } => match local_time(form.get("publish_at"), &zone) {
                Ok(Some(at)) => {
                    let request = StoryRequest::Schedule { draft, at };
                    editing::act(store, &desk.session.user, article.id, version, request, state.now()).await
                }
                Ok(None) => Err(EditError::Invalid(vec![FieldError {
                    field: "publish_at",
                    message: "Give the time to publish at.".into(),
                }])),
                Err(message) => Err(EditError::Invalid(vec![FieldError { field: "publish_at", message }])),
            },
            request => editing::act(store, &desk.session.user, article.id, version, request, state.now()).await,
        }
    };

    match outcome {
        Ok(saved) => Ok(super::see_other(&after_action(saved.id, done))),
        Err(EditError::Conflict) => {
            // Keep both texts: the editor's, in the form, and the one saved meanwhile, beside it.
            let current = store.article_by_id(article.id).await?;
            let saved_by = store.revisions(current.id).await?.pop().map(|r| r.made_by.name).unwrap_or_default();
            let mut page = editor_page(&state, &desk, Some(&current), &draft, &zone).await?;
            page.conflict = Some(ConflictView {
                headline: current.content.headline.clone(),
                body: current.content.body.clone(),
                saved_by,
            });
            show_editor(&state, &desk, StatusCode::CONFLICT, page).await
        }
        Err(EditError::NotAllowed) => Err(WebError::Forbidden),
        Err(EditError::Store(error)) => Err(error.into()),
        Err(problem) => {
            let current = store.article_by_id(article.id).await?;
            let mut page = editor_page(&state, &desk, Some(&current), &draft, &zone).await?;
            match problem {
                EditError::Invalid(found) => page.errors = errors_view(found),
                other => {
                    page.errors =
                        vec![ErrorView { field: "story", message: format!("{}.", capitalize(&other.to_string())) }]
                }
            }
            show_editor(&state, &desk, StatusCode::UNPROCESSABLE_ENTITY, page).await
        }
    }
}

pub(crate) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Where the editor goes after an action: back to the story, saying what was done (a plain
/// save keeps its short `?saved=1`).
fn after_action(id: ArticleId, done: &str) -> String {
    match done {
        "saved" => format!("/desk/stories/{id}?saved=1"),
        done => format!("/desk/stories/{id}?done={done}"),
    }
}

/// The word for what a request did, as the editor's notice reads it (`?done=`).
fn done_word(request: &StoryRequest) -> &'static str {
    match request {
        StoryRequest::Save { kind: SaveKind::PublicUpdate, .. } => "updated",
        StoryRequest::Save { .. } | StoryRequest::ChooseLeadPhoto { .. } | StoryRequest::Restore { .. } => "saved",
        StoryRequest::Submit { .. } => "submitted",
        StoryRequest::Withdraw => "withdrawn",
        StoryRequest::SendBack { .. } => "sent_back",
        StoryRequest::Publish { .. } => "published",
        StoryRequest::Schedule { .. } => "scheduled",
        StoryRequest::Unschedule => "unscheduled",
        StoryRequest::Unpublish => "unpublished",
        StoryRequest::Remove { .. } => "removed",
        StoryRequest::Correct { .. } => "corrected",
    }
}

/// What a confirmation screen asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirming {
    Unpublish,
    Remove,
}

#[derive(Serialize)]
struct ConfirmPage {
    story_id: i64,
    version: i64,
    headline: String,
    /// `unpublish` or `remove`: what the confirming form posts.
    action: &'static str,
    question: String,
    readers_will_see: &'static str,
    button: &'static str,
    reason: String,
}

/// Asks before a story comes down, saying what readers will see; the form posts the same
/// action again with `confirmed=yes`.
async fn confirm(state: &AppState, desk: &Desk, article: &Article, what: Confirming) -> Result<Response, WebError> {
    confirm_with_reason(state, desk, article, what, String::new()).await
}

async fn confirm_with_reason(
    state: &AppState,
    desk: &Desk,
    article: &Article,
    what: Confirming,
    reason: String,
) -> Result<Response, WebError> {
    let headline = article.content.headline.clone();
    let (action, question, readers_will_see, button) = match what {
        Confirming::Unpublish => (
            "unpublish",
            format!("Unpublish \u{201c}{headline}\u{201d}?"),
            "Readers who follow its address will get \u{201c}page not found\u{201d}, and it leaves the fronts, feeds, search and sitemaps. It stays on the desk, and an editor can publish it again.",
            "Unpublish",
        ),
        Confirming::Remove => (
            "remove",
            format!("Remove \u{201c}{headline}\u{201d} for legal reasons?"),
            "Readers who follow its address will be told the story was removed (410 Gone), and it leaves the fronts, feeds, search and sitemaps for good. The reason stays in its history.",
            "Remove the story",
        ),
    };
    let page = ConfirmPage {
        story_id: article.id.0,
        version: article.version,
        headline,
        action,
        question,
        readers_will_see,
        button,
        reason,
    };
    let html = desk.render(state, "desk/confirm.html", page).await?;
    Ok((StatusCode::OK, html).into_response())
}

/// `POST /desk/stories/{id}/remove`: legal removal, with a reason, once confirmed.
pub(crate) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let reason = form.get("reason").to_owned();
    if form.get("confirmed") != "yes" && !reason.trim().is_empty() {
        let article = load(&state, &desk, &id).await?;
        if let Err(EditError::NotAllowed) = editing::check(&desk.session.user, &article, editing::StoryAction::Remove) {
            return Err(WebError::Forbidden);
        }
        return confirm_with_reason(&state, &desk, &article, Confirming::Remove, reason).await;
    }
    let request = StoryRequest::Remove { reason };
    act_from_form(&state, &desk, &id, &form, request).await
}

/// `POST /desk/stories/{id}/correct`: a correction readers see at the end of the story.
pub(crate) async fn correct(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let request = StoryRequest::Correct { text: form.get("correction").to_owned() };
    act_from_form(&state, &desk, &id, &form, request).await
}

/// A request from one of the editor screen's smaller forms: done, or the editor shown again
/// with what was wrong.
async fn act_from_form(
    state: &AppState,
    desk: &Desk,
    id: &str,
    form: &FormData,
    request: StoryRequest,
) -> Result<Response, WebError> {
    let id = parse_story_id(id)?;
    let version = form.id("version")?.unwrap_or(0);
    let done = done_word(&request);
    let errors = match editing::act(state.store(), &desk.session.user, id, version, request, state.now()).await {
        Ok(changed) => return Ok(super::see_other(&after_action(changed.id, done))),
        Err(EditError::ReasonRequired) => {
            vec![ErrorView { field: "reason", message: "Say why the story is removed.".into() }]
        }
        Err(EditError::Invalid(found)) => errors_view(found),
        Err(other) => return Err(edit_failure(other)),
    };
    let article = load(state, desk, &id.to_string()).await?;
    let zone = paper_clock(state).await?.zone;
    let mut page = editor_page(state, desk, Some(&article), &StoryDraft::of(&article), &zone).await?;
    page.errors = errors;
    show_editor(state, desk, StatusCode::UNPROCESSABLE_ENTITY, page).await
}

/// The story as readers will see it, at a private desk address, whatever its status.
pub(crate) async fn preview(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    desk.require(Action::UseDesk)?;
    let article = load(&state, &desk, &id).await?;
    let mut page = render_article(&state, &article, dateline_newsroom::StoryHas::UNKNOWN, Audience::Preview, 1).await?;
    // A preview is never kept, whatever it shows.
    page.extensions_mut().remove::<crate::page_cache::Shows>();
    Ok(page)
}

pub(crate) async fn history(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    let article = load(&state, &desk, &id).await?;
    let clock = paper_clock(&state).await?;
    let revisions = state.store().revisions(article.id).await?;
    let row = |r: dateline_newsroom::Revision| HistoryRow {
        number: r.number,
        kind: r.kind.as_str(),
        made_by: r.made_by.name,
        made_at: clock.time(r.made_at).text,
        headline: r.content.headline,
        note: r.note,
    };
    // Autosaves are listed apart, folded away: they are drafts of a save, not saves.
    let (autosaves, saves): (Vec<_>, Vec<_>) =
        revisions.into_iter().rev().partition(|r| r.kind == dateline_newsroom::RevisionKind::Autosave);
    let page = HistoryPage {
        story_id: article.id.0,
        version: article.version,
        may_restore: editing::actions_for(&desk.session.user, Some(&article)).restore,
        headline: article.content.headline.clone(),
        revisions: saves.into_iter().map(row).collect(),
        autosaves: autosaves.into_iter().map(row).collect(),
    };
    desk.render(&state, "desk/history.html", page).await
}

/// The photos a picker offers (a lead photo, a live post's photo, the share image): the
/// newest hundred, and always those in `keep` (chosen now) however old, so that saving a form never
/// drops a photo the editor did not touch.
pub(crate) async fn photo_choices(store: &impl Store, keep: &[MediaId]) -> Result<Vec<Choice>, WebError> {
    let choice = |m: Media| Choice { id: m.id.0, name: if m.caption.is_empty() { m.storage_key } else { m.caption } };
    Ok(library_photos_keeping(store, 100, keep).await?.into_iter().map(choice).collect())
}

/// The newest `limit` library photos, and before them any of `keep` that are older: a form
/// offers the photo it already carries whatever the list shows, so saving a form nobody
/// touched never clears a photo chosen long ago.
pub(crate) async fn library_photos_keeping(
    store: &impl Store,
    limit: u32,
    keep: &[MediaId],
) -> Result<Vec<Media>, WebError> {
    let mut photos = store.media_list(Window { limit, offset: 0 }).await?;
    let mut older = Vec::new();
    for id in keep {
        if photos.iter().chain(&older).any(|m: &Media| m.id == *id) {
            continue;
        }
        match store.media_by_id(*id).await {
            Ok(media) => older.push(media),
            Err(StoreError::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
    }
    older.append(&mut photos);
    Ok(older)
}
