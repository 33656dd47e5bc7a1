//! Newsletters on the desk, for editors: the lists (create, change, how many readers each
//! has), and editions: put together from the newsletter's source, edited (subject, note,
//! stories), previewed as HTML and as text, sent as a test to oneself, then scheduled or sent,
//! with the progress of the sending (sent, failed, waiting).

use super::catalog_outcome;
use super::form::{local_input, local_time};
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::site::{chrome, letters};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::newsletters::{
    self as domain, Edition, EditionDraft, EditionSource, EditionState, Newsletter, NewsletterDraft,
};
use dateline_newsroom::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct SourceChoice {
    value: String,
    name: String,
}

#[derive(Serialize, Default)]
struct NewsletterForm {
    name: String,
    slug: String,
    description: String,
    sender_name: String,
    sender_address: String,
    schedule: String,
    source: String,
}

impl NewsletterForm {
    fn of(newsletter: &Newsletter) -> Self {
        NewsletterForm {
            name: newsletter.name.clone(),
            slug: newsletter.slug.to_string(),
            description: newsletter.description.clone(),
            sender_name: newsletter.sender_name.clone(),
            sender_address: newsletter.sender_address.clone(),
            schedule: newsletter.schedule.map(|s| s.as_text()).unwrap_or_default(),
            source: newsletter.source.as_text(),
        }
    }

    fn draft(form: &super::form::FormData) -> NewsletterDraft {
        NewsletterDraft {
            name: form.get("name").to_owned(),
            slug: form.get("slug").to_owned(),
            description: form.get("description").to_owned(),
            sender_name: form.get("sender_name").to_owned(),
            sender_address: form.get("sender_address").to_owned(),
            schedule: form.get("schedule").to_owned(),
            source: form.get("source").to_owned(),
        }
    }

    fn from_draft(draft: &NewsletterDraft) -> Self {
        NewsletterForm {
            name: draft.name.clone(),
            slug: draft.slug.clone(),
            description: draft.description.clone(),
            sender_name: draft.sender_name.clone(),
            sender_address: draft.sender_address.clone(),
            schedule: draft.schedule.clone(),
            source: draft.source.clone(),
        }
    }
}

#[derive(Serialize)]
struct NewsletterRow {
    id: i64,
    name: String,
    schedule: String,
    subscribers: i64,
    url: String,
}

#[derive(Serialize)]
struct ListPage {
    newsletters: Vec<NewsletterRow>,
    form: NewsletterForm,
    sources: Vec<SourceChoice>,
    error: Option<String>,
    sending: bool,
}

async fn sources(state: &AppState) -> Result<Vec<SourceChoice>, WebError> {
    let tree = dateline_newsroom::SectionTree::new(state.store().sections().await?);
    let mut choices = vec![
        SourceChoice { value: "home".into(), name: "The home page's stories".into() },
        SourceChoice { value: "by-hand".into(), name: "Chosen by hand".into() },
    ];
    for choice in super::stories::section_choices(&tree) {
        choices.push(SourceChoice {
            value: EditionSource::Section(dateline_newsroom::SectionId(choice.id)).as_text(),
            name: format!("Newest in {}", choice.name),
        });
    }
    Ok(choices)
}

async fn list_page(
    state: &AppState,
    desk: &Desk,
    form: NewsletterForm,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let store = state.store();
    let counts = store.subscriber_counts().await?;
    let newsletters = store
        .newsletters()
        .await?
        .into_iter()
        .map(|n| NewsletterRow {
            id: n.id,
            subscribers: counts.iter().find(|(id, _)| *id == n.id).map_or(0, |(_, c)| *c),
            schedule: n.schedule.map_or_else(|| "sent by hand".to_owned(), |s| s.as_text()),
            url: letters::archive_path(&n),
            name: n.name,
        })
        .collect();
    let content = ListPage {
        newsletters,
        form,
        sources: sources(state).await?,
        error,
        sending: state.settings().mail.relay.is_some(),
    };
    desk.render(state, "desk/newsletters.html", content).await
}

pub(crate) async fn list(State(state): State<AppState>, desk: Desk) -> Result<Html<String>, WebError> {
    desk.require(Action::CurateHome)?;
    let form = NewsletterForm { source: "home".into(), ..NewsletterForm::default() };
    list_page(&state, &desk, form, None).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let draft = NewsletterForm::draft(&form);
    let created = domain::create_newsletter(state.store(), &desk.session.user, &draft, state.now()).await;
    match created {
        Ok(newsletter) => {
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/newsletters/{}", newsletter.id))])
                .into_response())
        }
        Err(error) => {
            let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
            let html =
                list_page(&state, &desk, NewsletterForm::from_draft(&draft), Some(format!("Not created: {problem}.")))
                    .await?;
            Ok(super::unprocessable(html))
        }
    }
}

#[derive(Serialize)]
struct EditionRow {
    id: i64,
    subject: String,
    state: &'static str,
    when: String,
    progress: Option<String>,
}

#[derive(Serialize)]
struct NewsletterPage {
    id: i64,
    name: String,
    form: NewsletterForm,
    sources: Vec<SourceChoice>,
    editions: Vec<EditionRow>,
    subscribers: i64,
    archive_url: String,
    error: Option<String>,
    notice: Option<&'static str>,
}

fn progress_text(progress: &domain::SendingProgress) -> String {
    let mut text = format!("{} sent, {} failed, {} waiting", progress.sent, progress.failed, progress.pending);
    if progress.skipped > 0 {
        text.push_str(&format!(", {} unsubscribed before it went", progress.skipped));
    }
    text
}

async fn newsletter_page(
    state: &AppState,
    desk: &Desk,
    newsletter: &Newsletter,
    form: NewsletterForm,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<Html<String>, WebError> {
    let store = state.store();
    let clock = super::stories::paper_clock(state).await?;
    let mut editions = Vec::new();
    for edition in store.editions_of(newsletter.id, false, 50, 0).await? {
        let progress = match edition.state {
            EditionState::Sending | EditionState::Sent => {
                Some(progress_text(&store.sending_progress(edition.id).await?))
            }
            _ => None,
        };
        let when = edition.started_at.or(edition.send_at).map(|t| clock.time(t).text).unwrap_or_default();
        editions.push(EditionRow {
            id: edition.id,
            subject: edition.subject,
            state: edition.state.as_str(),
            when,
            progress,
        });
    }
    let subscribers =
        store.subscriber_counts().await?.into_iter().find(|(id, _)| *id == newsletter.id).map_or(0, |(_, c)| c);
    let content = NewsletterPage {
        id: newsletter.id,
        name: newsletter.name.clone(),
        form,
        sources: sources(state).await?,
        editions,
        subscribers,
        archive_url: letters::archive_path(newsletter),
        error,
        notice,
    };
    desk.render(state, "desk/newsletter.html", content).await
}

pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<i64>,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::CurateHome)?;
    let newsletter = state.store().newsletter_by_id(id).await?;
    let notice = notice.is_saved().then_some("Saved.");
    newsletter_page(&state, &desk, &newsletter, NewsletterForm::of(&newsletter), None, notice).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let newsletter = state.store().newsletter_by_id(id).await?;
    let draft = NewsletterForm::draft(&form);
    match domain::change_newsletter(state.store(), &desk.session.user, id, &draft).await {
        Ok(_) => Ok(super::saved(&format!("/desk/newsletters/{id}"))),
        Err(error) => {
            let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
            let form = NewsletterForm::from_draft(&draft);
            let html =
                newsletter_page(&state, &desk, &newsletter, form, Some(format!("Not saved: {problem}.")), None).await?;
            Ok(super::unprocessable(html))
        }
    }
}

/// `POST /desk/newsletters/{id}/editions`: a new edition, with the stories of the newsletter's
/// source as they are now.
pub(crate) async fn new_edition(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DeskForm { desk, form: _ }: DeskForm,
) -> Result<Response, WebError> {
    let newsletter = state.store().newsletter_by_id(id).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let stories = letters::assembled_stories(&state, &chrome, newsletter.source).await?;
    let draft = EditionDraft {
        subject: format!(
            "{}, {}",
            newsletter.name,
            state.now().to_zoned(chrome.clock.zone.clone()).strftime("%-d %B %Y")
        ),
        note: String::new(),
        stories: stories.iter().map(|s| s.0.to_string()).collect::<Vec<_>>().join(", "),
    };
    match domain::create_edition(state.store(), &desk.session.user, id, &draft, state.now()).await {
        Ok(edition) => {
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/editions/{}", edition.id))]).into_response())
        }
        Err(error) => {
            let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
            let form = NewsletterForm::of(&newsletter);
            let html = newsletter_page(&state, &desk, &newsletter, form, Some(format!("No edition: {problem}.")), None)
                .await?;
            Ok(super::unprocessable(html))
        }
    }
}

#[derive(Serialize)]
struct StoryRow {
    id: i64,
    headline: String,
    public: bool,
}

#[derive(Serialize)]
struct EditionPage {
    id: i64,
    newsletter_id: i64,
    newsletter_name: String,
    subject: String,
    note: String,
    stories: String,
    story_rows: Vec<StoryRow>,
    state: &'static str,
    editable: bool,
    send_at: String,
    progress: Option<String>,
    web_url: Option<String>,
    zone: String,
    error: Option<String>,
    notice: Option<String>,
    sending: bool,
}

async fn edition_page(
    state: &AppState,
    desk: &Desk,
    edition: &Edition,
    typed: Option<&EditionDraft>,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Html<String>, WebError> {
    let store = state.store();
    let newsletter = state.store().newsletter_by_id(edition.newsletter_id).await?;
    let clock = super::stories::paper_clock(state).await?;
    let public = store.public_by_ids(state.now(), &edition.story_ids).await?;
    let mut story_rows = Vec::new();
    for id in &edition.story_ids {
        let (headline, is_public) = match public.iter().find(|s| s.id == *id) {
            Some(story) => (story.headline.clone(), true),
            None => match store.article_by_id(*id).await {
                Ok(article) => (article.content.headline, false),
                Err(dateline_newsroom::StoreError::NotFound) => ("(no such story)".to_owned(), false),
                Err(other) => return Err(other.into()),
            },
        };
        story_rows.push(StoryRow { id: id.0, headline, public: is_public });
    }
    let progress = match edition.state {
        EditionState::Sending | EditionState::Sent => Some(progress_text(&store.sending_progress(edition.id).await?)),
        _ => None,
    };
    let stories_text = edition.story_ids.iter().map(|s| s.0.to_string()).collect::<Vec<_>>().join(", ");
    let content = EditionPage {
        id: edition.id,
        newsletter_id: newsletter.id,
        newsletter_name: newsletter.name.clone(),
        subject: typed.map_or_else(|| edition.subject.clone(), |t| t.subject.clone()),
        note: typed.map_or_else(|| edition.note.clone(), |t| t.note.clone()),
        stories: typed.map_or(stories_text, |t| t.stories.clone()),
        story_rows,
        state: edition.state.as_str(),
        editable: matches!(edition.state, EditionState::Draft | EditionState::Scheduled),
        send_at: local_input(edition.send_at, &clock.zone),
        progress,
        web_url: matches!(edition.state, EditionState::Sending | EditionState::Sent)
            .then(|| letters::edition_path(&newsletter, edition.id)),
        zone: clock.zone.iana_name().unwrap_or("UTC").to_owned(),
        error,
        notice,
        sending: state.settings().mail.relay.is_some(),
    };
    desk.render(state, "desk/edition.html", content).await
}

pub(crate) async fn edition(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<i64>,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::CurateHome)?;
    let edition = state.store().edition_by_id(id).await?;
    let notice = notice.is_saved().then(|| "Saved.".to_owned());
    edition_page(&state, &desk, &edition, None, None, notice).await
}

/// `POST /desk/editions/{id}`: `action` is `save`, `test` (save, then send it to oneself),
/// `schedule` (at `send_at`), `send` (now) or `unschedule`.
pub(crate) async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let edition = state.store().edition_by_id(id).await?;
    let user = &desk.session.user;
    let action = form.get("action");
    let draft = EditionDraft {
        subject: form.get("subject").to_owned(),
        note: form.get("note").to_owned(),
        stories: form.get("stories").to_owned(),
    };
    let stored = edition.clone();
    let refuse = |problem: String| async {
        let html = edition_page(&state, &desk, &stored, Some(&draft), Some(problem), None).await?;
        Ok::<Response, WebError>(super::unprocessable(html))
    };
    // What is asked is checked whole before anything is saved, so a refused send leaves the
    // edition as it was.
    let scheduled = match action {
        "save" | "test" => None,
        "schedule" => {
            let clock = super::stories::paper_clock(&state).await?;
            match local_time(form.get("send_at"), &clock.zone) {
                Ok(Some(at)) if at > state.now() => Some(at),
                Ok(Some(_)) => {
                    return refuse("The time to send is in the past; choose a later one, or Send now.".into()).await
                }
                Ok(None) => return refuse("Choose when to send it.".into()).await,
                Err(why) => return refuse(format!("The time to send cannot be read: {why}.")).await,
            }
        }
        "send" => Some(state.now()),
        "unschedule" => None,
        _ => return Err(WebError::BadRequest("Unknown action.".into())),
    };
    if scheduled.is_some() && state.settings().mail.relay.is_none() {
        return refuse("The paper has no mail relay set up ([mail] relay), so nothing can be sent.".into()).await;
    }
    if scheduled.is_some() {
        if let Ok(content) = domain::check_edition(&draft) {
            if content.story_ids.is_empty() && content.note.is_empty() {
                return refuse("Not sent: an edition with no stories and no note is empty.".into()).await;
            }
        }
    }
    let editable = matches!(edition.state, EditionState::Draft | EditionState::Scheduled);
    let edition = if editable && matches!(action, "save" | "test" | "schedule" | "send") {
        match domain::change_edition(state.store(), user, id, &draft).await {
            Ok(saved) => saved,
            Err(error) => {
                let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
                return refuse(format!("Not saved: {problem}.")).await;
            }
        }
    } else {
        desk.require(Action::CurateHome)?;
        edition
    };
    match action {
        "save" => return Ok(super::saved(&format!("/desk/editions/{id}"))),
        "test" => {
            let notice = match send_test(&state, &edition, &user.email).await {
                Ok(()) => format!("A test was sent to {}.", user.email),
                Err(why) => return refuse(format!("The test could not be sent: {why}.")).await,
            };
            let html = edition_page(&state, &desk, &edition, None, None, Some(notice)).await?;
            return Ok(html.into_response());
        }
        _ => {}
    }
    match domain::schedule_edition(state.store(), user, id, scheduled).await {
        Ok(_) => Ok(super::saved(&format!("/desk/editions/{id}"))),
        Err(error) => {
            let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
            refuse(format!("Not sent: {problem}.")).await
        }
    }
}

/// The edition as one reader would get it, sent to the editor alone, marked as a test.
async fn send_test(state: &AppState, edition: &Edition, to: &str) -> Result<(), String> {
    let relay = state.settings().mail.relay.clone().ok_or("the paper has no mail relay set up")?;
    let to = domain::normalize_email(to).map_err(str::to_owned)?;
    let newsletter = state.store().newsletter_by_id(edition.newsletter_id).await.map_err(|e| e.to_string())?;
    let chrome = chrome::load(state, state.now()).await.map_err(|e| e.to_string())?;
    let view = letters::edition_view(state, &chrome, &newsletter, edition).await.map_err(|e| e.to_string())?;
    let mut letter = letters::Letter::render(state, &chrome.site.name, &view).map_err(|e| e.to_string())?;
    letter.subject = format!("[Test] {}", letter.subject);
    let key = state.store().server_secret(letters::LINK_KEY).await.map_err(|e| e.to_string())?;
    let message = letters::ReaderMessage {
        newsletter: &newsletter,
        letter: &letter,
        edition_id: edition.id,
        subscriber_id: 0,
        email: &to,
    };
    let bytes = message.bytes(state, &key, state.now())?;
    let envelope = dateline_mail::smtp::Envelope { from: newsletter.sender_address.clone(), to };
    relay.send(&envelope, &bytes, || async { Ok(()) }).await.map_err(|e| e.to_string())
}

#[derive(Deserialize)]
pub(crate) struct PreviewAsked {
    #[serde(default)]
    format: String,
}

/// `GET /desk/editions/{id}/preview`: the message as readers will get it, as HTML or (with
/// `?format=text`) as its plain-text part.
pub(crate) async fn preview(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<i64>,
    Query(asked): Query<PreviewAsked>,
) -> Result<Response, WebError> {
    desk.require(Action::CurateHome)?;
    let edition = state.store().edition_by_id(id).await?;
    let newsletter = state.store().newsletter_by_id(edition.newsletter_id).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let view = letters::edition_view(&state, &chrome, &newsletter, &edition).await?;
    let letter = letters::Letter::render(&state, &chrome.site.name, &view)?;
    let (html, text) = letter.for_reader("#unsubscribe", "#manage");
    let no_store = (header::CACHE_CONTROL, "private, no-store");
    if asked.format == "text" {
        Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), no_store], text).into_response())
    } else {
        Ok(([no_store], Html(html)).into_response())
    }
}
