//! The desk's story budget: a day's stories by section (planned, being written, in review,
//! scheduled, published) with who is on each and when it is due, for the morning meeting;
//! editors plan new stories there and change a story's plan. The rules are
//! `dateline_newsroom::planning`'s; this module reads forms and draws pages.

use super::form::{local_input, local_time, FormData};
use super::session::{Desk, DeskForm};
use super::stories::{errors_view, paper_clock, parse_story_id, section_choices, Choice, ErrorView};
use crate::error::WebError;
use crate::query::Query;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::editing::FieldError;
use dateline_newsroom::planning::{self, BudgetStory, PlanDraft, PlanError};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{SectionId, SectionTree, UserId};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

#[derive(Serialize)]
struct BudgetLine {
    id: i64,
    headline: String,
    summary: String,
    person: String,
    status: &'static str,
    /// The planned (or scheduled) time, in the paper's zone.
    due: String,
    /// Whether the one looking may open it in the editor (else its preview).
    editable: bool,
    yours: bool,
}

#[derive(Serialize)]
struct BudgetSection {
    name: String,
    stories: Vec<BudgetLine>,
}

/// The plan form's fields as typed, kept when it is refused.
#[derive(Serialize, Default)]
struct PlanForm {
    headline: String,
    summary: String,
    section: Option<i64>,
    assignee: Option<i64>,
    planned_for: String,
}

#[derive(Serialize)]
struct BudgetPage {
    day: String,
    day_title: String,
    previous: String,
    next: String,
    sections: Vec<BudgetSection>,
    story_count: usize,
    may_plan: bool,
    form: PlanForm,
    errors: Vec<ErrorView>,
    section_choices: Vec<Choice>,
    writers: Vec<Choice>,
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct DayAsked {
    day: String,
    planned: String,
}

/// The day asked for (`2026-12-07`), or the paper's today.
fn day_of(asked: &str, zone: &TimeZone, now: Timestamp) -> Result<Date, WebError> {
    match asked.trim() {
        "" => Ok(now.to_zoned(zone.clone()).date()),
        text => {
            text.parse::<Date>().map_err(|_| WebError::BadRequest(format!("{text:?} is not a day such as 2026-12-07.")))
        }
    }
}

/// From the day's midnight to the next, in the paper's zone.
fn day_bounds(day: Date, zone: &TimeZone) -> Result<(Timestamp, Timestamp), WebError> {
    let start = day.to_zoned(zone.clone()).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let end = start.tomorrow().and_then(|z| z.start_of_day()).map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok((start.timestamp(), end.timestamp()))
}

/// Everyone a story can be assigned to: the desk users whose role writes.
async fn writers(state: &AppState) -> Result<Vec<Choice>, WebError> {
    let mut writers: Vec<Choice> = state
        .store()
        .users()
        .await?
        .into_iter()
        .filter(|u| u.role.may(Action::WriteDraft))
        .map(|u| Choice { id: u.id.0, name: u.name })
        .collect();
    writers.sort_by_key(|w| w.name.to_lowercase());
    Ok(writers)
}

async fn budget_page(
    state: &AppState,
    desk: &Desk,
    day: Date,
    form: PlanForm,
    errors: Vec<ErrorView>,
    notice: Option<String>,
) -> Result<BudgetPage, WebError> {
    let store = state.store();
    let clock = paper_clock(state).await?;
    let zone = clock.zone.clone();
    let (from, to) = day_bounds(day, &zone)?;
    let tree = SectionTree::new(store.sections().await?);
    let stories = store.budget(from, to).await?;
    let user = &desk.session.user;
    let line = |story: &BudgetStory| {
        let due = story.plan.as_ref().map(|p| p.planned_for).or(story.publish_at);
        let yours =
            story.plan.as_ref().and_then(|p| p.assignee).map_or(story.created_by == Some(user.id), |a| a == user.id);
        let open = matches!(
            story.status,
            dateline_newsroom::ArticleStatus::Draft | dateline_newsroom::ArticleStatus::InReview
        );
        BudgetLine {
            id: story.id.0,
            headline: story.headline.clone(),
            summary: story.plan.as_ref().map(|p| p.summary.clone()).unwrap_or_default(),
            person: story.person.clone(),
            status: planning::budget_status(story),
            due: due.map(|t| t.to_zoned(zone.clone()).strftime("%H:%M").to_string()).unwrap_or_default(),
            editable: user.role.may(Action::EditAnyStory) || (yours && open && user.role.may(Action::EditOwnStory)),
            yours,
        }
    };
    // Sections in the paper's order (as the section menus list them), each with its stories;
    // a section with none is left out.
    let choices = section_choices(&tree);
    let mut sections = Vec::new();
    for section in &choices {
        let here: Vec<BudgetLine> = stories.iter().filter(|s| s.section_id.0 == section.id).map(line).collect();
        if !here.is_empty() {
            sections.push(BudgetSection { name: section.name.clone(), stories: here });
        }
    }
    let mut form = form;
    if form.planned_for.is_empty() {
        // A new plan is due at six in the evening of the day shown, unless the editor says.
        let evening = day.at(18, 0, 0, 0).to_zoned(zone.clone()).map(|z| z.timestamp()).ok();
        form.planned_for = local_input(evening, &zone);
    }
    let link = |day: Option<Date>| day.map(|d| format!("/desk/budget?day={d}")).unwrap_or_default();
    Ok(BudgetPage {
        day: day.to_string(),
        day_title: day.strftime("%A %-d %B %Y").to_string(),
        previous: link(day.yesterday().ok()),
        next: link(day.tomorrow().ok()),
        story_count: stories.len(),
        sections,
        may_plan: user.role.may(Action::EditAnyStory),
        form,
        errors,
        section_choices: choices,
        writers: writers(state).await?,
        notice,
    })
}

/// `GET /desk/budget?day=2026-12-07`: the day's budget (the paper's today without a day).
pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Query(asked): Query<DayAsked>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    let zone = paper_clock(&state).await?.zone;
    let day = day_of(&asked.day, &zone, state.now())?;
    let notice = match asked.planned.trim() {
        "" => None,
        id => {
            let article = state.store().article_by_id(parse_story_id(id)?).await?;
            Some(format!("Planned \u{201c}{}\u{201d}.", article.content.headline))
        }
    };
    let page = budget_page(&state, &desk, day, PlanForm::default(), Vec::new(), notice).await?;
    desk.render(&state, "desk/budget.html", page).await
}

/// The plan form as a draft: a time that cannot be read is a field error, not a refusal of
/// the whole form.
fn plan_from(form: &FormData, zone: &TimeZone) -> Result<(PlanDraft, PlanForm, Vec<FieldError>), WebError> {
    let mut errors = Vec::new();
    let planned_for = match local_time(form.get("planned_for"), zone) {
        Ok(at) => at,
        Err(message) => {
            errors.push(FieldError { field: "planned_for", message });
            None
        }
    };
    let section = form.id("section")?;
    let assignee = form.id("assignee")?;
    let draft = PlanDraft {
        headline: form.get("headline").to_owned(),
        section_id: section.map(SectionId),
        summary: form.get("summary").to_owned(),
        assignee: assignee.map(UserId),
        planned_for,
    };
    let typed = PlanForm {
        headline: form.get("headline").to_owned(),
        summary: form.get("summary").to_owned(),
        section,
        assignee,
        planned_for: form.get("planned_for").to_owned(),
    };
    Ok((draft, typed, errors))
}

/// `POST /desk/budget`: plans a new story and goes back to the day it is planned for.
pub(crate) async fn plan(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::EditAnyStory)?;
    let zone = paper_clock(&state).await?.zone;
    let (draft, typed, mut errors) = plan_from(&form, &zone)?;
    // A time that could not be read leaves the draft without one, so the plan is refused
    // whatever else it holds, with every other problem named beside it.
    let outcome = planning::plan_story(state.store(), &desk.session.user, &draft, state.now()).await;
    match outcome {
        Ok(id) => {
            let day = draft.planned_for.map(|t| t.to_zoned(zone.clone()).date()).unwrap_or_default();
            Ok(super::see_other(&format!("/desk/budget?day={day}&planned={id}")))
        }
        Err(PlanError::NotAllowed) => Err(WebError::Forbidden),
        Err(PlanError::Store(error)) => Err(error.into()),
        Err(PlanError::Invalid(found)) => {
            merge(&mut errors, found);
            let day = day_of(form.get("day"), &zone, state.now())
                .unwrap_or_else(|_| state.now().to_zoned(zone.clone()).date());
            let page = budget_page(&state, &desk, day, typed, errors_view(errors), None).await?;
            let html = desk.render(&state, "desk/budget.html", page).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// The rules' problems after the form's own, one per field (an unreadable time is said once).
fn merge(errors: &mut Vec<FieldError>, found: Vec<FieldError>) {
    for problem in found {
        if !errors.iter().any(|e| e.field == problem.field) {
            errors.push(problem);
        }
    }
}

#[derive(Serialize)]
struct PlanPage {
    story_id: i64,
    headline: String,
    form: PlanForm,
    errors: Vec<ErrorView>,
    writers: Vec<Choice>,
}

/// `GET /desk/stories/{id}/plan`: a story's plan, to change (or to give it one).
pub(crate) async fn edit_plan(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::EditAnyStory)?;
    let store = state.store();
    let article = store.article_by_id(parse_story_id(&id)?).await?;
    let zone = paper_clock(&state).await?.zone;
    let plan = store.plan_of(article.id).await?;
    let form = PlanForm {
        headline: article.content.headline.clone(),
        summary: plan.as_ref().map(|p| p.summary.clone()).unwrap_or_default(),
        section: Some(article.content.section_id.0),
        assignee: plan.as_ref().and_then(|p| p.assignee).or(article.created_by).map(|u| u.0),
        planned_for: local_input(plan.as_ref().map(|p| p.planned_for).or(article.publish_at), &zone),
    };
    let page = PlanPage {
        story_id: article.id.0,
        headline: article.content.headline,
        form,
        errors: Vec::new(),
        writers: writers(&state).await?,
    };
    desk.render(&state, "desk/plan.html", page).await
}

/// `POST /desk/stories/{id}/plan`: changes the plan and goes back to its day's budget.
pub(crate) async fn save_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::EditAnyStory)?;
    let store = state.store();
    let article = store.article_by_id(parse_story_id(&id)?).await?;
    let zone = paper_clock(&state).await?.zone;
    let (draft, mut typed, mut errors) = plan_from(&form, &zone)?;
    let outcome = planning::replan(store, &desk.session.user, article.id, &draft).await;
    match outcome {
        Ok(plan) => {
            let day = plan.planned_for.to_zoned(zone).date();
            Ok(super::see_other(&format!("/desk/budget?day={day}")))
        }
        Err(PlanError::NotAllowed) => Err(WebError::Forbidden),
        Err(PlanError::Store(error)) => Err(error.into()),
        Err(PlanError::Invalid(found)) => {
            merge(&mut errors, found);
            typed.headline = article.content.headline.clone();
            let page = PlanPage {
                story_id: article.id.0,
                headline: article.content.headline,
                form: typed,
                errors: errors_view(errors),
                writers: writers(&state).await?,
            };
            let html = desk.render(&state, "desk/plan.html", page).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
