//! The wire on the desk: the queue of incoming agency items (newest first, by source, with
//! embargoes, kills and waiting updates shown), the agency sources and their tokens (admins
//! only; a token is shown once and kept only as a digest), and an editor's decision on an
//! agency update that the desk's own changes held back.

use super::form::FormData;
use super::revisions::{compare, FieldDiff};
use super::session::{Desk, DeskForm};
use super::stories::{section_choices, Choice};
use super::{catalog_outcome, unprocessable};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_ingest::WireFormat;
use dateline_newsroom::accounts::{random_token, token_digest, Action};
use dateline_newsroom::prelude::*;
use dateline_newsroom::wire::{
    check_folder_name, decide_pending, set_up_source, story_content, PendingDecision, SourceSetUp, WireSource,
    WireStatus,
};
use dateline_newsroom::{Article, ArticleId, SectionId, SectionTree, Slug, Window, WireSourceId};
use serde::Serialize;

#[derive(Serialize)]
struct QueueRow {
    received: String,
    source: String,
    headline: String,
    link: Option<String>,
    status: &'static str,
    version: i64,
    embargo: Option<String>,
    note: Option<String>,
    update_waiting: bool,
    /// `killed` or `withheld` when the agency took it back (each must come down; a withheld
    /// item may come back).
    standing: Option<&'static str>,
}

#[derive(Serialize)]
struct RefusalRow {
    refused: String,
    source: String,
    delivery: String,
    reason: String,
}

/// A source whose latest delivery was refused: the feed may be failing.
#[derive(Serialize)]
struct FailingFeed {
    source: String,
    refused_in_a_row: usize,
    last: String,
    reason: String,
}

#[derive(Serialize)]
struct SourceChoice {
    slug: String,
    name: String,
    selected: bool,
}

#[derive(Serialize)]
struct QueuePage {
    rows: Vec<QueueRow>,
    sources: Vec<SourceChoice>,
    filtered: bool,
    refusals: Vec<RefusalRow>,
    failing: Vec<FailingFeed>,
}

/// Refused deliveries the queue lists.
const REFUSALS_SHOWN: u32 = 50;

/// `?source=slug` on the wire queue.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct SourceAsked {
    source: Option<String>,
}

pub(crate) async fn queue(
    State(state): State<AppState>,
    desk: Desk,
    Query(asked): Query<SourceAsked>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::Publish)?;
    let store = state.store();
    let sources = store.wire_sources().await?;
    let wanted = asked.source.filter(|s| !s.is_empty());
    let chosen = wanted.as_deref().and_then(|slug| sources.iter().find(|s| s.slug.as_str() == slug));
    if wanted.is_some() && chosen.is_none() {
        return Err(WebError::BadRequest("There is no such wire source.".into()));
    }
    let clock = super::stories::paper_clock(&state).await?;
    let now = state.now();
    let entries = store.wire_queue(chosen.map(|s| s.id), Window { limit: 200, offset: 0 }).await?;
    let refused = store.wire_refusals(chosen.map(|s| s.id), REFUSALS_SHOWN).await?;
    let latest = store.latest_wire_arrivals().await?;
    let failing = failing_feeds(&latest, &refused)
        .into_iter()
        .map(|(refusal, in_a_row)| FailingFeed {
            source: refusal.source_name.clone(),
            refused_in_a_row: in_a_row,
            last: clock.time(refusal.refused_at).text,
            reason: refusal.reason.clone(),
        })
        .collect();
    let refusals = refused
        .iter()
        .map(|refusal| RefusalRow {
            refused: clock.time(refusal.refused_at).text,
            source: refusal.source_name.clone(),
            delivery: refusal.delivery.clone(),
            reason: refusal.reason.clone(),
        })
        .collect();
    let rows = entries
        .into_iter()
        .map(|entry| {
            let item = &entry.item;
            QueueRow {
                received: clock.time(item.received_at).text,
                source: entry.source_name,
                headline: entry.headline,
                link: item
                    .article_id
                    .map(|id| format!("/desk/stories/{id}"))
                    .or_else(|| item.media_id.map(|id| format!("/desk/photos/{id}"))),
                status: match (entry.story_status, item.media_id) {
                    (Some(status), _) => super::stories::status_title(status),
                    (None, Some(_)) => "Photo",
                    (None, None) if item.waits_for_rendition() => "Waiting for its image",
                    (None, None) => "Not run",
                },
                version: item.version,
                embargo: item.embargo_until.filter(|until| *until > now).map(|until| clock.time(until).text),
                note: item.note.clone(),
                update_waiting: item.pending.is_some(),
                standing: match item.status {
                    WireStatus::Canceled => Some("killed"),
                    WireStatus::Withheld => Some("withheld"),
                    WireStatus::Usable => None,
                },
            }
        })
        .collect();
    let sources = sources
        .iter()
        .map(|s| SourceChoice {
            slug: s.slug.to_string(),
            name: s.name.clone(),
            selected: chosen.is_some_and(|c| c.id == s.id),
        })
        .collect();
    let page = QueuePage { rows, sources, filtered: chosen.is_some(), refusals, failing };
    desk.render(&state, "desk/wire.html", page).await
}

/// The sources whose latest delivery was refused (none taken since), each with its latest
/// refusal and how many came in a row: what the desk must hear first.
fn failing_feeds<'a>(
    latest_taken: &[(WireSourceId, jiff::Timestamp)],
    refused: &'a [dateline_newsroom::wire::WireRefusal],
) -> Vec<(&'a dateline_newsroom::wire::WireRefusal, usize)> {
    let mut failing: Vec<(&dateline_newsroom::wire::WireRefusal, usize)> = Vec::new();
    for refusal in refused {
        let last_taken = latest_taken.iter().find(|(source, _)| *source == refusal.source_id).map(|(_, at)| *at);
        if last_taken.is_some_and(|at| at >= refusal.refused_at) {
            continue;
        }
        match failing.iter_mut().find(|(first, _)| first.source_id == refusal.source_id) {
            Some((_, in_a_row)) => *in_a_row += 1,
            None => failing.push((refusal, 1)),
        }
    }
    failing
}

#[derive(Serialize)]
struct SourceRow {
    id: i64,
    slug: String,
    name: String,
    format: String,
    section_id: i64,
    publish_at_once: bool,
    folder: String,
    over_http: bool,
    dateline_format: String,
}

#[derive(Serialize)]
struct SourcesPage {
    sources: Vec<SourceRow>,
    formats: Vec<String>,
    sections: Vec<Choice>,
    error: Option<String>,
    notice: Option<String>,
    /// A token just made: shown this once.
    token: Option<TokenShown>,
    default_dateline_format: &'static str,
}

#[derive(Serialize)]
struct TokenShown {
    source: String,
    token: String,
    address: String,
}

async fn sources_page(
    state: &AppState,
    desk: &Desk,
    error: Option<String>,
    notice: Option<String>,
    token: Option<TokenShown>,
) -> Result<Html<String>, WebError> {
    let store = state.store();
    let sections = section_choices(&SectionTree::new(store.sections().await?));
    let sources = store
        .wire_sources()
        .await?
        .into_iter()
        .map(|s| SourceRow {
            id: s.id.0,
            slug: s.slug.to_string(),
            name: s.name,
            format: s.format,
            section_id: s.section_id.0,
            publish_at_once: s.publish_at_once,
            folder: s.folder.unwrap_or_default(),
            over_http: s.token_digest.is_some(),
            dateline_format: s.dateline_format,
        })
        .collect();
    let formats = WireFormat::all().into_iter().map(WireFormat::name).collect();
    let default_dateline_format = dateline_newsroom::wire::datelines::DEFAULT_DATELINE_FORMAT;
    let page = SourcesPage { sources, formats, sections, error, notice, token, default_dateline_format };
    desk.render(state, "desk/wire_sources.html", page).await
}

pub(crate) async fn sources(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageWireSources)?;
    let notice = notice.is_saved().then(|| "Saved.".to_owned());
    sources_page(&state, &desk, None, notice, None).await
}

/// The settings a source form sends, checked.
struct SourceForm {
    name: String,
    format: String,
    section_id: SectionId,
    publish_at_once: bool,
    folder: Option<String>,
    dateline_format: String,
}

fn read_source_form(form: &FormData) -> Result<SourceForm, String> {
    let name = form.get("name").trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err("a source needs a name of at most 100 characters (the agency's, as bylines show it)".into());
    }
    let format = form.get("format").trim().to_owned();
    if WireFormat::parse(&format).is_none() {
        return Err(format!("{format:?} is not a format Dateline reads"));
    }
    let section_id = form
        .get("section")
        .parse::<i64>()
        .map(SectionId)
        .map_err(|_| "choose the section its stories go to".to_owned())?;
    let folder = Some(form.get("folder").trim().to_owned()).filter(|f| !f.is_empty());
    if let Some(folder) = &folder {
        check_folder_name(folder)?;
    }
    let dateline_format = form.get("dateline_format").trim().to_owned();
    dateline_newsroom::wire::datelines::check_dateline_format(&dateline_format)?;
    Ok(SourceForm {
        name,
        format,
        section_id,
        publish_at_once: form.get("arrival") == "publish",
        folder,
        dateline_format,
    })
}

fn new_token_for(source: &str, slug: &str) -> Result<(TokenShown, String), WebError> {
    let token = random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let digest = token_digest(&token);
    Ok((TokenShown { source: source.to_owned(), token, address: format!("/api/v1/ingest/{slug}") }, digest))
}

/// A paper has a handful of sources: finding one among them costs less than a query of its own.
async fn source_by_id(state: &AppState, id: WireSourceId) -> Result<Option<WireSource>, WebError> {
    Ok(state.store().wire_sources().await?.into_iter().find(|s| s.id == id))
}

/// The sources page again, saying why the form was not saved.
async fn refused_form(state: &AppState, desk: &Desk, problem: String) -> Result<Response, WebError> {
    Ok(unprocessable(sources_page(state, desk, Some(format!("Not saved: {problem}.")), None, None).await?))
}

pub(crate) async fn create_source(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::ManageWireSources)?;
    let settings = match read_source_form(&form) {
        Ok(settings) => settings,
        Err(text) => return refused_form(&state, &desk, text).await,
    };
    let slug = match Slug::parse(form.get("slug").trim()) {
        Ok(slug) => slug,
        Err(e) => return refused_form(&state, &desk, format!("the slug is not usable: {e}")).await,
    };
    let set_up = SourceSetUp {
        slug,
        name: settings.name,
        format: settings.format,
        section_id: settings.section_id,
        publish_at_once: settings.publish_at_once,
        folder: settings.folder,
        over_http: form.get("http") == "on",
        dateline_format: Some(settings.dateline_format),
    };
    match set_up_source(state.store(), &set_up, state.now()).await {
        Ok((source, token)) => {
            let token = token.map(|token| TokenShown {
                source: source.name.clone(),
                token,
                address: format!("/api/v1/ingest/{}", source.slug),
            });
            // The token is on this page only; every desk page is `private, no-store`.
            Ok(sources_page(&state, &desk, None, Some(format!("{} is set up.", source.name)), token)
                .await?
                .into_response())
        }
        Err(text) => refused_form(&state, &desk, text).await,
    }
}

pub(crate) async fn update_source(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::ManageWireSources)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let mut source = source_by_id(&state, WireSourceId(id)).await?.ok_or(WebError::NotFound)?;
    let mut token = None;
    match form.get("action") {
        "new_token" => {
            let (shown, digest) = new_token_for(&source.name, source.slug.as_str())?;
            source.token_digest = Some(digest);
            token = Some(shown);
        }
        "stop_http" => source.token_digest = None,
        _ => match read_source_form(&form) {
            Ok(settings) => {
                source.name = settings.name;
                source.format = settings.format;
                source.section_id = settings.section_id;
                source.publish_at_once = settings.publish_at_once;
                source.folder = settings.folder;
                source.dateline_format = settings.dateline_format;
            }
            Err(text) => return refused_form(&state, &desk, text).await,
        },
    }
    match catalog_outcome(
        state.store().update_wire_source(&source).await.map_err(dateline_newsroom::catalog::CatalogError::from),
    )? {
        Ok(()) => Ok(sources_page(&state, &desk, None, Some(format!("{} is saved.", source.name)), token)
            .await?
            .into_response()),
        Err(text) => refused_form(&state, &desk, text).await,
    }
}

/// What the editor screen shows of a story's agency origin.
#[derive(Serialize)]
pub(crate) struct WireBanner {
    source_name: String,
    guid: String,
    version: i64,
    note: Option<String>,
    killed: bool,
    pending: Option<PendingView>,
}

#[derive(Serialize)]
struct PendingView {
    version: i64,
    fields: Vec<FieldDiff>,
}

/// The banner for a story that came from the wire, with the diff of any waiting update.
pub(crate) async fn banner(state: &AppState, article: &Article) -> Result<Option<WireBanner>, WebError> {
    let store = state.store();
    let Some(item) = store.wire_item_of_article(article.id).await? else { return Ok(None) };
    let Some(source) = source_by_id(state, item.source_id).await? else { return Ok(None) };
    let pending = match &item.pending {
        Some(copy) => {
            let theirs = story_content(
                store,
                &source,
                copy,
                article.content.lead_media_id,
                Some(article.content.slug.clone()),
                item.received_at,
            )
            .await?;
            Some(PendingView { version: copy.version, fields: compare(&article.content, &theirs) })
        }
        None => None,
    };
    Ok(Some(WireBanner {
        source_name: source.name,
        guid: item.guid,
        version: item.version,
        note: item.note,
        killed: item.status.is_kill(),
        pending,
    }))
}

pub(crate) async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::Publish)?;
    let id = ArticleId(id.parse().map_err(|_| WebError::NotFound)?);
    let decision = match form.get("decision") {
        "take" => PendingDecision::TakeAgencyVersion,
        "keep" => PendingDecision::KeepDeskVersion,
        _ => {
            return Err(WebError::BadRequest("Choose to take the agency's version or keep the story as it is.".into()))
        }
    };
    let store = state.store();
    let item = store.wire_item_of_article(id).await?.ok_or(WebError::NotFound)?;
    let source = source_by_id(&state, item.source_id).await?.ok_or(WebError::NotFound)?;
    match decide_pending(store, &desk.session.user, &source, id, decision, state.now()).await {
        Ok(()) => {
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/stories/{id}?saved=1"))]).into_response())
        }
        Err(dateline_newsroom::editing::EditError::Conflict) => {
            Err(WebError::Conflict("The story was saved in the meantime. Reload it and decide again.".into()))
        }
        Err(dateline_newsroom::editing::EditError::NotAllowed) => Err(WebError::Forbidden),
        Err(dateline_newsroom::editing::EditError::Store(error)) => Err(error.into()),
        Err(other) => Err(WebError::BadRequest(format!("{other}."))),
    }
}
