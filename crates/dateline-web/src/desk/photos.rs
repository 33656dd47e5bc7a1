//! The photo desk: upload a photo (JPEG, PNG, WebP or GIF, checked to be what it claims and
//! within the size limit), keep its caption, credit, alt text and photographer, find earlier
//! uploads, and choose a story's lead photo.

use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_media::VariantFormat;
use dateline_newsroom::accounts::Action;
use dateline_newsroom::editing;
use dateline_newsroom::media::MediaQuery;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, Media, MediaDetails, MediaId, Window};
use dateline_render::views::media_url;
use serde::Serialize;

#[derive(Serialize)]
struct PhotoRow {
    id: i64,
    thumbnail: String,
    caption: String,
    credit: String,
    alt: String,
    size: String,
}

#[derive(Serialize)]
struct PhotosPage {
    photos: Vec<PhotoRow>,
    query: String,
    unused: bool,
    from: String,
    until: String,
    errors: Vec<ErrorRow>,
    details: DetailsForm,
    may_upload: bool,
    max_bytes: u64,
}

#[derive(Serialize, Default)]
struct DetailsForm {
    caption: String,
    credit: String,
    alt_text: String,
    photographer: String,
    redistributable: bool,
}

#[derive(Serialize)]
struct ErrorRow {
    field: &'static str,
    message: String,
}

#[derive(Serialize)]
struct PhotoPage {
    id: i64,
    src: String,
    width: u32,
    height: u32,
    details: DetailsForm,
    errors: Vec<ErrorRow>,
    stories: Vec<StoryChoice>,
    may_edit_details: bool,
    may_choose_lead: bool,
    notice: Option<String>,
    /// What the file said of itself when it came in, and where.
    file_facts: Vec<FactRow>,
}

#[derive(Serialize)]
struct FactRow {
    field: String,
    value: String,
    source: String,
    /// The photo's field that now holds this very value, if one does.
    in_use_as: Option<&'static str>,
}

/// Which of the photo's fields holds `value` now: how the desk sees that a caption or a
/// credit came from the file (or was changed since).
fn in_use_as(media: &Media, value: &str) -> Option<&'static str> {
    [
        ("caption", &media.caption),
        ("credit", &media.credit),
        ("alt text", &media.alt_text),
        ("photographer", &media.photographer),
    ]
    .into_iter()
    .find(|(_, held)| held.as_str() == value)
    .map(|(name, _)| name)
}

#[derive(Serialize)]
struct StoryChoice {
    id: i64,
    headline: String,
}

fn row(media: &Media) -> PhotoRow {
    let copies = dateline_media::copies(&media.storage_key, media.width, &media.variant_formats, VariantFormat::Jpeg);
    let thumbnail = match copies.first() {
        Some((_, key)) => media_url(key),
        None => media_url(&media.storage_key),
    };
    PhotoRow {
        id: media.id.0,
        thumbnail,
        caption: media.caption.clone(),
        credit: media.credit.clone(),
        alt: media.alt_text.clone(),
        size: format!("{}×{}", media.width, media.height),
    }
}

async fn photos_page(
    state: &AppState,
    desk: &Desk,
    asked: &LibraryAsked,
    details: DetailsForm,
    errors: Vec<ErrorRow>,
) -> Result<Html<String>, WebError> {
    let zone = super::stories::paper_clock(state).await?.zone;
    let found = state.store().find_media(&asked.query(&zone)?).await?;
    let page = PhotosPage {
        photos: found.iter().map(row).collect(),
        query: asked.q.clone(),
        unused: asked.unused == "1",
        from: asked.from.clone(),
        until: asked.until.clone(),
        errors,
        details,
        may_upload: desk.session.user.role.may(Action::UploadPhoto),
        max_bytes: state.settings().max_image_bytes,
    };
    desk.render(state, "desk/photos.html", page).await
}

/// What the library's search asks: words, only unused photos, added from and until a day
/// (`YYYY-MM-DD`, in the paper's zone, both included).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct LibraryAsked {
    q: String,
    unused: String,
    from: String,
    until: String,
}

impl LibraryAsked {
    fn query(&self, zone: &jiff::tz::TimeZone) -> Result<MediaQuery, WebError> {
        let day = |text: &str, field: &str| -> Result<Option<jiff::Timestamp>, WebError> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            let date: jiff::civil::Date = text.trim().parse().map_err(|_| {
                WebError::BadRequest(format!("The {field} date must be written as YYYY-MM-DD, such as 2026-11-29."))
            })?;
            date.to_zoned(zone.clone())
                .map(|z| Some(z.timestamp()))
                .map_err(|_| WebError::BadRequest(format!("The {field} date is out of range.")))
        };
        // Until a day means to its end.
        let until = day(&self.until, "until")?.map(|start| start + jiff::SignedDuration::from_hours(24));
        Ok(MediaQuery {
            words: MediaQuery::words_of(&self.q),
            unused_only: self.unused == "1",
            added_from: day(&self.from, "from")?,
            added_until: until,
            limit: 100,
        })
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(asked): Query<LibraryAsked>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    photos_page(&state, &desk, &asked, DetailsForm::default(), Vec::new()).await
}

/// `POST /desk/photos` (multipart): the file and its details, stored together or not at all.
pub(crate) async fn upload(
    State(state): State<AppState>,
    desk: Desk,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let limit = state.settings().max_image_bytes;
    let mut file: Option<(std::sync::Arc<[u8]>, String)> = None;
    let mut details = DetailsForm::default();
    let mut csrf = String::new();
    let mut too_large = false;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                return Err(WebError::BadRequest(format!("The upload was cut short or is larger than {limit} bytes.")))
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let content_type = field.content_type().unwrap_or("").to_owned();
        if name == "file" {
            let mut bytes = Vec::new();
            let mut field = field;
            while let Ok(Some(chunk)) = field.chunk().await {
                if (bytes.len() + chunk.len()) as u64 > limit {
                    too_large = true;
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((std::sync::Arc::<[u8]>::from(bytes), content_type));
            if too_large {
                break;
            }
            continue;
        }
        let value = field.text().await.map_err(|_| WebError::BadRequest("A form field could not be read.".into()))?;
        let value = super::without_control_characters(&value);
        match name.as_str() {
            "csrf" => csrf = value,
            "caption" => details.caption = value,
            "credit" => details.credit = value,
            "alt_text" => details.alt_text = value,
            "photographer" => details.photographer = value,
            _ => {}
        }
    }
    desk.check_csrf(&csrf)?;
    desk.require(Action::UploadPhoto)?;

    let mut errors = Vec::new();
    let checked = match &file {
        _ if too_large => {
            errors.push(ErrorRow {
                field: "file",
                message: format!("The file is larger than the limit of {limit} bytes."),
            });
            None
        }
        None => {
            errors.push(ErrorRow { field: "file", message: "Choose a photo to upload.".into() });
            None
        }
        Some((bytes, claimed)) => match dateline_intake::photos::check(state.intake(), bytes.clone(), claimed).await {
            Ok(found) => Some(found),
            Err(problem) => {
                errors.push(ErrorRow { field: "file", message: format!("This photo cannot be used: {problem}.") });
                None
            }
        },
    };
    let mut media_details = MediaDetails {
        caption: details.caption.clone(),
        credit: details.credit.clone(),
        alt_text: details.alt_text.clone(),
        photographer: details.photographer.clone(),
        redistributable: false,
    };
    // What the desk left empty, the file may say (its IPTC and XMP).
    if let (Some(found), Some((bytes, _))) = (&checked, &file) {
        dateline_intake::photos::fill_from_file(&mut media_details, bytes, found);
        details.caption.clone_from(&media_details.caption);
        details.credit.clone_from(&media_details.credit);
        details.alt_text.clone_from(&media_details.alt_text);
        details.photographer.clone_from(&media_details.photographer);
    }
    errors.extend(
        media_details.problems().into_iter().map(|(field, message)| ErrorRow { field, message: message.into() }),
    );
    let (Some(found), Some((bytes, _)), true) = (checked, file, errors.is_empty()) else {
        let html = photos_page(&state, &desk, &LibraryAsked::default(), details, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    };

    let texts = dateline_intake::PhotoTexts {
        caption: media_details.caption,
        credit: media_details.credit,
        alt_text: media_details.alt_text,
        photographer: media_details.photographer,
    };
    let stored =
        dateline_intake::photos::add_to_library(state.intake(), &desk.session.user, bytes, &found, texts, state.now())
            .await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/photos/{}?saved=1", stored.id))]).into_response())
}

fn parse_media_id(text: &str) -> Result<MediaId, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).map(MediaId).ok_or(WebError::NotFound)
}

async fn photo_page(
    state: &AppState,
    desk: &Desk,
    media: &Media,
    errors: Vec<ErrorRow>,
    notice: Option<String>,
) -> Result<Html<String>, WebError> {
    let role = desk.session.user.role;
    let stories = if role.may(Action::ChooseLeadPhoto) {
        state
            .store()
            .desk_stories(None, Window { limit: 100, offset: 0 })
            .await?
            .into_iter()
            .map(|s| StoryChoice { id: s.id.0, headline: s.headline })
            .collect()
    } else {
        Vec::new()
    };
    let page = PhotoPage {
        id: media.id.0,
        src: media_url(&media.storage_key),
        width: media.width,
        height: media.height,
        details: DetailsForm {
            caption: media.caption.clone(),
            credit: media.credit.clone(),
            alt_text: media.alt_text.clone(),
            photographer: media.photographer.clone(),
            redistributable: media.redistributable,
        },
        errors,
        stories,
        may_edit_details: role.may(Action::EditPhotoDetails),
        may_choose_lead: role.may(Action::ChooseLeadPhoto),
        notice,
        file_facts: state
            .store()
            .file_facts(media.id)
            .await?
            .into_iter()
            .map(|fact| FactRow {
                in_use_as: in_use_as(media, &fact.value),
                field: fact.field,
                value: fact.value,
                source: fact.source,
            })
            .collect(),
    };
    desk.render(state, "desk/photo.html", page).await
}

pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    let media = state.store().media_by_id(parse_media_id(&id)?).await?;
    let notice = notice.is_saved().then(|| "Saved.".to_owned());
    photo_page(&state, &desk, &media, Vec::new(), notice).await
}

/// `POST /desk/photos/{id}`: new caption, credit, alt text and photographer.
pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::EditPhotoDetails)?;
    let media = state.store().media_by_id(parse_media_id(&id)?).await?;
    let details = MediaDetails {
        caption: form.get("caption").into(),
        credit: form.get("credit").into(),
        alt_text: form.get("alt_text").into(),
        photographer: form.get("photographer").into(),
        redistributable: form.get("redistributable") == "on",
    };
    let problems = details.problems();
    if !problems.is_empty() {
        let errors = problems.into_iter().map(|(field, message)| ErrorRow { field, message: message.into() }).collect();
        let html = photo_page(&state, &desk, &media, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    state.store().update_media_details(media.id, &details).await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/photos/{}?saved=1", media.id))]).into_response())
}

/// `POST /desk/photos/{id}/lead`: make this photo the lead photo of a story.
pub(crate) async fn choose_as_lead(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::ChooseLeadPhoto)?;
    let media = state.store().media_by_id(parse_media_id(&id)?).await?;
    let story = ArticleId(form.id("story")?.ok_or_else(|| WebError::BadRequest("Choose a story.".into()))?);
    editing::choose_lead_photo(state.store(), &desk.session.user, story, Some(media.id), state.now()).await.map_err(
        |e| match e {
            editing::EditError::NotAllowed => WebError::Forbidden,
            editing::EditError::Store(s) => s.into(),
            other => WebError::BadRequest(other.to_string()),
        },
    )?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/photos/{}?saved=1", media.id))]).into_response())
}
