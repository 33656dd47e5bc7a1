//! The desk's story list: every story, newest change first, fifty to a page, filtered by
//! status (each filter with its count) or found by words; and the editors' bulk changes to
//! the stories ticked in it (a topic added or taken away, a move to another section, an
//! unpublish that asks first). The changes themselves are
//! `dateline_newsroom::editing::bulk`'s: one save per story through the same rules as the
//! editor.

use super::session::{Desk, DeskForm};
use super::stories::{paper_clock, status_title};
use crate::error::WebError;
use crate::query::{Query, TextAsked};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::editing;
use dateline_newsroom::editing::bulk::{self, BulkChange, BulkError, BulkOutcome};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, ArticleStatus, AuthorId, SectionId, SectionTree, Store, TopicId, Window};
use serde::Serialize;

#[derive(Serialize)]
struct ListRow {
    id: i64,
    headline: String,
    status: &'static str,
    section: String,
    modified: String,
    scheduled: Option<String>,
    editable: bool,
    /// The bylines' names, and who made the last change (empty where the list does not know).
    bylines: String,
    changed_by: String,
}

#[derive(Serialize)]
struct ListPage {
    stories: Vec<ListRow>,
    /// What the desk search asked for, when this is a search.
    query: String,
    status: String,
    /// `(value, title, how many)` for each filter.
    statuses: Vec<(&'static str, &'static str, u64)>,
    all_count: u64,
    /// The list's pages before and after this one, with the same filter.
    newer: Option<String>,
    older: Option<String>,
    page_number: u32,
    /// The bulk changes' choices, for editors (none for anyone else: the list has no ticks).
    bulk: Option<BulkChoices>,
    /// This page's own address, where a bulk change returns to.
    here: String,
}

#[derive(Serialize)]
struct BulkChoices {
    /// `(id, name)` of every topic and every section (sections with their path).
    topics: Vec<(i64, String)>,
    sections: Vec<super::stories::Choice>,
}

async fn bulk_choices(store: &impl Store, desk: &Desk, tree: &SectionTree) -> Result<Option<BulkChoices>, WebError> {
    if !desk.session.user.role.may(Action::EditAnyStory) {
        return Ok(None);
    }
    let mut topics: Vec<(i64, String)> = store.topics().await?.into_iter().map(|t| (t.id.0, t.name)).collect();
    topics.sort_by_key(|t| t.1.to_lowercase());
    Ok(Some(BulkChoices { topics, sections: super::stories::section_choices(tree) }))
}

/// Stories a page of the desk's list shows.
const STORIES_PER_LIST_PAGE: u32 = 50;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct StatusAsked {
    status: String,
    page: String,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(asked): Query<StatusAsked>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    let wanted = asked.status.as_str();
    let status = match wanted {
        "" => None,
        text => Some(
            ArticleStatus::parse(text)
                .ok_or_else(|| WebError::BadRequest(format!("{text:?} is not a story status.")))?,
        ),
    };
    let page_number = match asked.page.trim() {
        "" => 1,
        text => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| WebError::BadRequest(format!("{text:?} is not a page of the story list.")))?,
    };
    let store = state.store();
    let clock = paper_clock(&state).await?;
    let tree = SectionTree::new(store.sections().await?);
    let names: std::collections::HashMap<AuthorId, String> =
        store.authors().await?.into_iter().map(|a| (a.id, a.name)).collect();
    let user = &desk.session.user;
    // One more than a page, to know whether an older page exists.
    let window = Window { limit: STORIES_PER_LIST_PAGE + 1, offset: (page_number - 1) * STORIES_PER_LIST_PAGE };
    let mut stories = store.desk_stories(status, window).await?;
    let has_older = stories.len() > STORIES_PER_LIST_PAGE as usize;
    stories.truncate(STORIES_PER_LIST_PAGE as usize);
    let rows = stories
        .into_iter()
        .map(|s| ListRow {
            id: s.id.0,
            editable: user.role.may(Action::EditAnyStory)
                || ((s.created_by == Some(user.id) || s.assignee == Some(user.id))
                    && matches!(s.status, ArticleStatus::Draft | ArticleStatus::InReview)),
            headline: s.headline,
            status: status_title(s.status),
            section: tree.get(s.section_id).map(|x| x.name.clone()).unwrap_or_default(),
            modified: clock.time(s.modified_at).text,
            scheduled: s.publish_at.map(|t| clock.time(t).text),
            bylines: s.bylines.iter().filter_map(|id| names.get(id).cloned()).collect::<Vec<_>>().join(", "),
            changed_by: s.last_changed_by,
        })
        .collect();
    let (statuses, all_count) = status_filters(store).await?;
    let link_to = |page: u32| {
        let mut query = Vec::new();
        if !wanted.is_empty() {
            query.push(format!("status={wanted}"));
        }
        if page > 1 {
            query.push(format!("page={page}"));
        }
        if query.is_empty() {
            "/desk/".to_owned()
        } else {
            format!("/desk/?{}", query.join("&"))
        }
    };
    let page = ListPage {
        stories: rows,
        status: wanted.to_owned(),
        statuses,
        all_count,
        query: String::new(),
        newer: (page_number > 1).then(|| link_to(page_number - 1)),
        older: has_older.then(|| link_to(page_number + 1)),
        page_number,
        bulk: bulk_choices(store, &desk, &tree).await?,
        here: link_to(page_number),
    };
    desk.render(&state, "desk/home.html", page).await
}

/// The list's filters: each status with its title and how many stories it holds, and the
/// count of all stories.
async fn status_filters(store: &impl Store) -> Result<(Vec<(&'static str, &'static str, u64)>, u64), WebError> {
    let counts = store.count_by_status().await?;
    let count_of = |status: ArticleStatus| counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
    let statuses = ArticleStatus::ALL.iter().map(|s| (s.as_str(), status_title(*s), count_of(*s))).collect();
    Ok((statuses, counts.iter().map(|(_, n)| n).sum()))
}

/// `GET /desk/search?q=…`: every story the desk may see, drafts and removed ones too, by
/// headline, body, byline or slug words, or by its id.
pub(crate) async fn search(
    State(state): State<AppState>,
    desk: Desk,
    Query(TextAsked { q: text }): Query<TextAsked>,
) -> Result<Html<String>, WebError> {
    use dateline_newsroom::search::{parse_query, SearchQuery};
    desk.require(Action::UseDesk)?;
    let store = state.store();
    let clock = paper_clock(&state).await?;
    let tree = SectionTree::new(store.sections().await?);
    let user = &desk.session.user;
    let mut rows = Vec::new();
    let mut seen = Vec::new();
    if let Ok(id) = text.trim().parse::<i64>() {
        if let Ok(article) = store.article_by_id(ArticleId(id)).await {
            seen.push(article.id);
            rows.push(ListRow {
                id: article.id.0,
                editable: editing::may_edit(user, &article),
                headline: article.content.headline.clone(),
                status: status_title(article.status),
                section: tree.get(article.content.section_id).map(|x| x.name.clone()).unwrap_or_default(),
                modified: clock.time(article.modified_at).text,
                scheduled: article.publish_at.map(|t| clock.time(t).text),
                bylines: String::new(),
                changed_by: String::new(),
            });
        }
    }
    let mut search = SearchQuery::new(parse_query(&text.replace('-', " ")));
    search.include_unpublished = true;
    search.limit = 100;
    for hit in store.search(&search, state.now()).await?.hits {
        if seen.contains(&hit.story.id) {
            continue;
        }
        rows.push(ListRow {
            id: hit.story.id.0,
            editable: user.role.may(Action::EditAnyStory),
            headline: hit.story.headline,
            status: status_title(hit.status),
            section: tree.get(hit.story.section_id).map(|x| x.name.clone()).unwrap_or_default(),
            modified: clock.time(hit.story.first_published_at).text,
            scheduled: None,
            bylines: String::new(),
            changed_by: String::new(),
        });
    }
    let (statuses, all_count) = status_filters(store).await?;
    let page = ListPage {
        stories: rows,
        status: String::new(),
        statuses,
        all_count,
        newer: None,
        older: None,
        page_number: 1,
        bulk: bulk_choices(store, &desk, &tree).await?,
        here: format!(
            "/desk/search?{}",
            form_urlencoded::Serializer::new(String::new()).append_pair("q", &text).finish()
        ),
        query: text,
    };
    desk.render(&state, "desk/home.html", page).await
}

/// What the bulk change's screen shows: the question before an unpublish, or what was done.
#[derive(Serialize)]
struct BulkPage {
    title: String,
    /// A refusal of the whole request: nothing was changed.
    refusal: Option<String>,
    /// For the unpublish question: the stories, and what readers will see.
    confirming: Vec<StoryLine>,
    readers_will_see: &'static str,
    changed: Vec<StoryLine>,
    already: Vec<StoryLine>,
    skipped: Vec<StoryLine>,
    back: String,
}

#[derive(Serialize)]
struct StoryLine {
    id: i64,
    headline: String,
    /// Why a story was not changed.
    reason: String,
}

impl BulkPage {
    fn new(title: String, back: String) -> BulkPage {
        BulkPage {
            title,
            refusal: None,
            confirming: Vec::new(),
            readers_will_see: "",
            changed: Vec::new(),
            already: Vec::new(),
            skipped: Vec::new(),
            back,
        }
    }
}

/// Where to go back to after a bulk change: the list page it came from, never elsewhere.
fn back_to(asked: &str) -> String {
    let from_list = (asked == "/desk/" || asked.starts_with("/desk/?") || asked.starts_with("/desk/search?"))
        && !asked.contains(['\\', '\r', '\n']);
    if from_list {
        asked.to_owned()
    } else {
        "/desk/".to_owned()
    }
}

/// The change the form asks for, or what is missing from it.
fn change_asked(form: &super::form::FormData) -> Result<BulkChange, String> {
    let id_of = |field: &str, what: &str| -> Result<i64, String> {
        form.get(field).trim().parse::<i64>().map_err(|_| format!("Choose the {what}."))
    };
    match form.get("change") {
        "add_topic" => Ok(BulkChange::AddTopic(TopicId(id_of("topic", "topic to file the stories under")?))),
        "remove_topic" => Ok(BulkChange::RemoveTopic(TopicId(id_of("topic", "topic to take off the stories")?))),
        "move_section" => Ok(BulkChange::MoveToSection(SectionId(id_of("section", "section to move the stories to")?))),
        "unpublish" => Ok(BulkChange::Unpublish),
        "" => Err("Choose what to do with the stories.".into()),
        other => Err(format!("{other:?} is not a change the story list makes.")),
    }
}

/// `POST /desk/stories/bulk`: one change to every ticked story. Unpublishing asks first,
/// naming the stories; the answer names what changed, what already was so, and what could
/// not be changed and why.
pub(crate) async fn change_many(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    if !desk.session.user.role.may(Action::EditAnyStory) {
        return Err(WebError::Forbidden);
    }
    let back = back_to(form.get("back"));
    let ids: Vec<ArticleId> = form.ids("story")?.into_iter().map(ArticleId).collect();
    let store = state.store();
    let refused = |message: String, back: String| {
        let mut page = BulkPage::new("Nothing was changed".into(), back);
        page.refusal = Some(message);
        page
    };
    let change = match change_asked(&form) {
        Ok(change) => change,
        Err(message) => {
            let html = desk.render(&state, "desk/bulk.html", refused(message, back)).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    if change == BulkChange::Unpublish && form.get("confirmed") != "yes" && !ids.is_empty() {
        let mut page = BulkPage::new(format!("Unpublish {}?", stories_count(ids.len())), back);
        for id in &ids {
            if let Ok(article) = store.article_by_id(*id).await {
                page.confirming.push(StoryLine { id: id.0, headline: article.content.headline, reason: String::new() });
            }
        }
        page.readers_will_see = "Readers who follow their addresses will get \u{201c}page not found\u{201d}, and they leave the fronts, feeds, search and sitemaps. They stay on the desk, and an editor can publish them again.";
        return Ok(desk.render(&state, "desk/bulk.html", page).await?.into_response());
    }
    match bulk::change_stories(store, &desk.session.user, &ids, change, state.now()).await {
        Ok(outcome) => {
            let title = done_title(store, change, &outcome).await?;
            let mut page = BulkPage::new(title, back);
            let line = |a: &dateline_newsroom::Article| StoryLine {
                id: a.id.0,
                headline: a.content.headline.clone(),
                reason: String::new(),
            };
            page.changed = outcome.changed.iter().map(line).collect();
            page.already = outcome.already.iter().map(line).collect();
            page.skipped = outcome
                .skipped
                .into_iter()
                .map(|s| StoryLine { id: s.id.0, headline: s.headline, reason: super::stories::capitalize(&s.reason) })
                .collect();
            Ok(desk.render(&state, "desk/bulk.html", page).await?.into_response())
        }
        Err(BulkError::NotAllowed) => Err(WebError::Forbidden),
        Err(BulkError::Store(error)) => Err(error.into()),
        Err(refusal) => {
            let message = format!("{}.", super::stories::capitalize(&refusal.to_string()));
            let html = desk.render(&state, "desk/bulk.html", refused(message, back)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

fn stories_count(n: usize) -> String {
    if n == 1 {
        "1 story".to_owned()
    } else {
        format!("{n} stories")
    }
}

/// The answer's heading, naming the change: "Filed 3 stories under “Elections”".
async fn done_title(store: &impl Store, change: BulkChange, outcome: &BulkOutcome) -> Result<String, WebError> {
    let count = stories_count(outcome.changed.len());
    let topic_name = |id: TopicId| async move {
        Ok::<_, WebError>(store.topics().await?.into_iter().find(|t| t.id == id).map(|t| t.name).unwrap_or_default())
    };
    Ok(match change {
        BulkChange::AddTopic(id) => format!("Filed {count} under \u{201c}{}\u{201d}", topic_name(id).await?),
        BulkChange::RemoveTopic(id) => format!("Took \u{201c}{}\u{201d} off {count}", topic_name(id).await?),
        BulkChange::MoveToSection(id) => {
            let tree = SectionTree::new(store.sections().await?);
            let name = tree.get(id).map(|s| s.name.clone()).unwrap_or_default();
            format!("Moved {count} to {name}")
        }
        BulkChange::Unpublish => format!("Unpublished {count}"),
    })
}
