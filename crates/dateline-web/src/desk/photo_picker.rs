//! The editor's photo picker: the whole library as a searchable grid of thumbnails (caption,
//! credit, date added and the stories that lead with each), paged through to the oldest
//! photo, where a writer makes one the story's lead photo, takes the Markdown that places it
//! in the body, or uploads a new one. It is a page of its own, so it works without
//! JavaScript; `desk-editor.js` opens it in a dialog over the editor and fills the form in
//! place (the lead photo field, or the body at the cursor), so nothing typed is left behind.

use super::photos::{thumbnail, LibraryAsked, PHOTOS_PER_PAGE};
use super::session::Desk;
use super::stories::{paper_clock, parse_story_id};
use crate::error::WebError;
use crate::query::Query;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Html;
use dateline_newsroom::accounts::Action;
use dateline_newsroom::body::PHOTO_SCHEME;
use dateline_newsroom::editing;
use dateline_newsroom::prelude::*;
use dateline_newsroom::MediaId;
use serde::Serialize;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct PickerAsked {
    story: String,
    q: String,
    unused: String,
    page: Option<String>,
    /// A photo just uploaded from the picker, to say so.
    uploaded: String,
}

#[derive(Serialize)]
struct PickedPhoto {
    id: i64,
    thumbnail: String,
    /// The thumbnail's height at 160 wide, so the grid does not move as it loads.
    thumbnail_height: u32,
    caption: String,
    credit: String,
    alt: String,
    added: String,
    /// Headlines of the stories leading with it.
    used_in: Vec<String>,
    /// What places it in a body: `![alt](photo:12)`.
    markdown: String,
    is_lead: bool,
    just_uploaded: bool,
}

#[derive(Serialize)]
struct PickerPage {
    story_id: i64,
    version: i64,
    headline: String,
    photos: Vec<PickedPhoto>,
    query: String,
    unused: bool,
    newer: Option<String>,
    older: Option<String>,
    page_number: u32,
    /// Whether the role may make a photo a story's lead photo from here (editors and photo
    /// editors); a writer chooses it in the editor's own field instead, which the dialog fills.
    may_choose_lead: bool,
    may_upload: bool,
    max_bytes: u64,
}

/// The picker's address for this search at `page`.
fn link_to(story: i64, asked: &PickerAsked, page: u32) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("story", &story.to_string());
    if !asked.q.is_empty() {
        query.append_pair("q", &asked.q);
    }
    if asked.unused == "1" {
        query.append_pair("unused", "1");
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    format!("/desk/photos/pick?{}", query.finish())
}

/// `GET /desk/photos/pick?story=12&q=…&page=2`: the library, to choose from for story 12.
pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Query(asked): Query<PickerAsked>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::WriteDraft)?;
    let store = state.store();
    let article = store.article_by_id(parse_story_id(asked.story.trim())?).await?;
    if !editing::may_edit(&desk.session.user, &article) {
        return Err(WebError::Forbidden);
    }
    let clock = paper_clock(&state).await?;
    let library = LibraryAsked {
        q: asked.q.clone(),
        unused: asked.unused.clone(),
        page: asked.page.clone(),
        ..LibraryAsked::default()
    };
    let mut found = store.find_media(&library.query(&clock.zone)?).await?;
    let page_number = library.page_number()?;
    let more = found.len() > PHOTOS_PER_PAGE as usize;
    found.truncate(PHOTOS_PER_PAGE as usize);
    let ids: Vec<MediaId> = found.iter().map(|m| m.id).collect();
    let uses = store.stories_leading_with(&ids).await?;
    let just_uploaded = asked.uploaded.trim().parse::<i64>().ok();
    let photos = found
        .iter()
        .map(|media| {
            let description = if media.alt_text.is_empty() { &media.caption } else { &media.alt_text };
            // Brackets would end the Markdown's description early.
            let description = description.replace(['[', ']'], "");
            PickedPhoto {
                id: media.id.0,
                thumbnail: thumbnail(media),
                thumbnail_height: (u64::from(media.height) * 160 / u64::from(media.width.max(1))) as u32,
                caption: media.caption.clone(),
                credit: media.credit.clone(),
                alt: media.alt_text.clone(),
                added: clock.time(media.created_at).text,
                used_in: uses.iter().filter(|(m, _, _)| *m == media.id).map(|(_, _, h)| h.clone()).collect(),
                markdown: format!("![{description}]({PHOTO_SCHEME}{})", media.id),
                is_lead: article.content.lead_media_id == Some(media.id),
                just_uploaded: just_uploaded == Some(media.id.0),
            }
        })
        .collect();
    let role = desk.session.user.role;
    let page = PickerPage {
        story_id: article.id.0,
        version: article.version,
        headline: article.content.headline.clone(),
        photos,
        query: asked.q.clone(),
        unused: asked.unused == "1",
        newer: (page_number > 1).then(|| link_to(article.id.0, &asked, page_number - 1)),
        older: more.then(|| link_to(article.id.0, &asked, page_number + 1)),
        page_number,
        may_choose_lead: role.may(Action::ChooseLeadPhoto),
        may_upload: role.may(Action::UploadPhoto),
        max_bytes: state.settings().max_image_bytes,
    };
    desk.render(&state, "desk/photo_picker.html", page).await
}
