//! Curating the home page: the lead story and the order of the top stories, chosen from the
//! stories readers can see, and the photo each place shows (the story's own lead photo unless
//! an editor chooses another); a preview shows the home page as the form would make it before
//! anything is saved. The rest of the home page follows the news by itself.

use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::catalog::{check_home_curation, curate_home, CatalogError};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, Listing, MediaId, SlotPhoto, Window};
use serde::Serialize;

/// How many top-story places the form offers.
const TOP_PLACES: usize = 6;

#[derive(Serialize)]
struct StoryChoice {
    id: i64,
    headline: String,
}

#[derive(Serialize)]
struct FrontPageForm {
    stories: Vec<StoryChoice>,
    lead: Option<i64>,
    lead_photo: Option<i64>,
    /// Each top-story place: the story chosen, and the photo chosen for it.
    top: Vec<(Option<i64>, Option<i64>)>,
    photos: Vec<super::stories::Choice>,
    notice: Option<&'static str>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::CurateHome)?;
    let store = state.store();
    let curation = store.home_curation().await?;
    let recent = store.latest_public(state.now(), Listing::Everything, Window { limit: 60, offset: 0 }).await?;
    let photo_of = |story: ArticleId| curation.photo_for(story).map(|p| p.0);
    let mut top: Vec<(Option<i64>, Option<i64>)> = curation.top.iter().map(|id| (Some(id.0), photo_of(*id))).collect();
    top.resize(TOP_PLACES.max(top.len()), (None, None));
    let keep: Vec<_> = curation.photos.iter().map(|p| p.photo).collect();
    let page = FrontPageForm {
        stories: recent.into_iter().map(|s| StoryChoice { id: s.id.0, headline: s.headline }).collect(),
        lead: curation.lead.map(|id| id.0),
        lead_photo: curation.lead.and_then(photo_of),
        top,
        photos: super::stories::photo_choices(store, &keep).await?,
        notice: notice.is_saved().then_some("The home page is updated."),
    };
    desk.render(&state, "desk/front_page.html", page).await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let CurationAsked { lead, picks, photos } = read_form(&form)?;
    match curate_home(state.store(), &desk.session.user, lead, &picks, &photos, state.now()).await {
        Ok(_) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/home-page?saved=1")]).into_response()),
        Err(CatalogError::Invalid { problem, .. }) => {
            Err(WebError::BadRequest(format!("{}.", super::stories::capitalize(&problem))))
        }
        Err(other) => Err(other.into()),
    }
}

/// What the curation form asks for.
struct CurationAsked {
    lead: Option<ArticleId>,
    /// The top stories, in order.
    picks: Vec<ArticleId>,
    photos: Vec<SlotPhoto>,
}

/// The form's lead, its top stories in order, and the photos chosen for their places (each
/// place's photo field beside its story field).
fn read_form(form: &super::form::FormData) -> Result<CurationAsked, WebError> {
    let number = |text: &str| -> Result<Option<i64>, WebError> {
        match text.trim() {
            "" => Ok(None),
            text => {
                text.parse::<i64>().map(Some).map_err(|_| WebError::BadRequest(format!("{text:?} is not a choice.")))
            }
        }
    };
    let lead = form.id("lead")?.map(ArticleId);
    let mut picks = Vec::new();
    let mut photos = Vec::new();
    if let (Some(story), Some(photo)) = (lead, form.id("lead_photo")?) {
        photos.push(SlotPhoto { story, photo: MediaId(photo) });
    }
    let chosen_photos = form.all("top_photo");
    for (place, story) in form.all("top").into_iter().enumerate() {
        let Some(story) = number(story)?.map(ArticleId) else { continue };
        picks.push(story);
        if let Some(photo) = chosen_photos.get(place).map(|text| number(text)).transpose()?.flatten() {
            photos.push(SlotPhoto { story, photo: MediaId(photo) });
        }
    }
    Ok(CurationAsked { lead, picks, photos })
}

/// `POST /desk/home-page/preview`: the home page as the form would make it, nothing saved.
pub(crate) async fn preview(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let CurationAsked { lead, picks, photos } = read_form(&form)?;
    match check_home_curation(state.store(), &desk.session.user, lead, &picks, &photos, state.now()).await {
        Ok(curation) => crate::site::home::render(&state, &curation, true).await,
        Err(CatalogError::Invalid { problem, .. }) => {
            Err(WebError::BadRequest(format!("{}.", super::stories::capitalize(&problem))))
        }
        Err(other) => Err(other.into()),
    }
}
