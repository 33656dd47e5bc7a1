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
use dateline_newsroom::{ArticleId, FocalPoint, Media, MediaDetails, MediaId, Window};
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
    page_number: u32,
    /// The library's pages before and after this one, with the same search.
    newer: Option<String>,
    older: Option<String>,
    query: String,
    unused: bool,
    from: String,
    until: String,
    errors: Vec<ErrorRow>,
    details: DetailsForm,
    /// What became of each file of an upload of several.
    results: Vec<UploadResult>,
    may_upload: bool,
    max_bytes: u64,
    most_files: usize,
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
    /// What its Content Credentials said when it came in.
    credentials: Option<CredentialsPanel>,
    /// Where its crops centre, in percent across and down.
    focal_x: u8,
    focal_y: u8,
    /// The crops as readers get them (16:9, 4:3, 1:1, the shared-link image), or the reason
    /// they are not shown yet.
    crops: Vec<CropPreview>,
    crops_waiting: bool,
}

#[derive(Serialize)]
struct CredentialsPanel {
    /// One word for the desk's eye: "Verified", "Unknown signer", "Does not match", "Unreadable".
    verdict: &'static str,
    /// Whether the verdict is good news.
    good: bool,
    summary: String,
    signer: String,
    organisation: String,
    signed_at: String,
    made_with: String,
    problems: Vec<String>,
    /// What readers see under the photo, if anything.
    reader_note: Option<String>,
}

impl CredentialsPanel {
    fn of(media: &Media) -> Option<CredentialsPanel> {
        use dateline_newsroom::media::CredentialsVerdict;
        let credentials = media.content_credentials.as_ref()?;
        let verdict = match credentials.verdict {
            CredentialsVerdict::Trusted => "Verified",
            CredentialsVerdict::UnknownSigner => "Unknown signer",
            CredentialsVerdict::DoesNotMatch => "Does not match",
            CredentialsVerdict::Unreadable => "Unreadable",
        };
        Some(CredentialsPanel {
            verdict,
            good: credentials.verdict == CredentialsVerdict::Trusted,
            summary: credentials.verdict_for_the_desk(),
            signer: credentials.signer.clone(),
            organisation: credentials.organisation.clone(),
            signed_at: credentials.signed_at.clone().unwrap_or_default(),
            made_with: credentials.made_with.clone(),
            problems: credentials.problems.clone(),
            reader_note: media.credentials_note_for_readers(),
        })
    }
}

#[derive(Serialize)]
struct CropPreview {
    name: &'static str,
    src: String,
    width: u32,
    height: u32,
}

/// The crops of a photo as the desk previews them: each shape's narrowest file (the shared
/// link's only one), once they are made for its focal point.
fn crop_previews(media: &Media) -> Vec<CropPreview> {
    use dateline_media::Crop;
    [
        (Crop::Wide, "16:9, for a front's lead"),
        (Crop::Standard, "4:3, for a front's grid"),
        (Crop::Square, "1:1, for thumbnails"),
        (Crop::Share, "1200 × 630, for shared links"),
    ]
    .into_iter()
    .filter_map(|(crop, name)| {
        let (width, height, key) =
            dateline_render::views::crop_files(media, crop, VariantFormat::Jpeg).into_iter().next()?;
        Some(CropPreview { name, src: media_url(&key), width, height })
    })
    .collect()
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

pub(super) fn thumbnail(media: &Media) -> String {
    let copies = dateline_media::copies(&media.storage_key, media.width, &media.variant_formats, VariantFormat::Jpeg);
    match copies.first() {
        Some((_, key)) => media_url(key),
        None => media_url(&media.storage_key),
    }
}

fn row(media: &Media) -> PhotoRow {
    PhotoRow {
        id: media.id.0,
        thumbnail: thumbnail(media),
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
    results: Vec<UploadResult>,
) -> Result<Html<String>, WebError> {
    let zone = super::stories::paper_clock(state).await?.zone;
    let mut found = state.store().find_media(&asked.query(&zone)?).await?;
    let page_number = asked.page_number()?;
    let more = found.len() > PHOTOS_PER_PAGE as usize;
    found.truncate(PHOTOS_PER_PAGE as usize);
    let page = PhotosPage {
        newer: (page_number > 1).then(|| asked.link_to(page_number - 1)),
        older: more.then(|| asked.link_to(page_number + 1)),
        page_number,
        photos: found.iter().map(row).collect(),
        query: asked.q.clone(),
        unused: asked.unused == "1",
        from: asked.from.clone(),
        until: asked.until.clone(),
        errors,
        details,
        results,
        may_upload: desk.session.user.role.may(Action::UploadPhoto),
        max_bytes: state.settings().max_image_bytes,
        most_files: MOST_PHOTOS_PER_UPLOAD,
    };
    desk.render(state, "desk/photos.html", page).await
}

/// What the library's search asks: words, only unused photos, added from and until a day
/// (`YYYY-MM-DD`, in the paper's zone, both included).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct LibraryAsked {
    pub(super) q: String,
    pub(super) unused: String,
    pub(super) from: String,
    pub(super) until: String,
    /// Which page of the library, from 1 (the newest photos).
    pub(super) page: Option<String>,
}

/// Photos a page of the library shows.
pub(super) const PHOTOS_PER_PAGE: u32 = 60;

impl LibraryAsked {
    pub(super) fn query(&self, zone: &jiff::tz::TimeZone) -> Result<MediaQuery, WebError> {
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
            // One more than a page, to know whether another follows.
            limit: PHOTOS_PER_PAGE + 1,
            offset: (self.page_number()? - 1) * PHOTOS_PER_PAGE,
        })
    }

    pub(super) fn page_number(&self) -> Result<u32, WebError> {
        crate::site::paging::requested_page(&crate::query::PageAsked { page: self.page.clone() })
    }

    /// This search's address at `page`.
    fn link_to(&self, page: u32) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("q", &self.q), ("unused", &self.unused), ("from", &self.from), ("until", &self.until)] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/desk/photos".to_owned()
        } else {
            format!("/desk/photos?{query}")
        }
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    desk: Desk,
    Query(asked): Query<LibraryAsked>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::UseDesk)?;
    photos_page(&state, &desk, &asked, DetailsForm::default(), Vec::new(), Vec::new()).await
}

/// The most photos one upload takes; each is read, checked and stored before the next is
/// read, so memory holds one file at a time however many are sent.
pub(crate) const MOST_PHOTOS_PER_UPLOAD: usize = 20;

/// What became of one file of an upload.
#[derive(Debug, Serialize)]
struct UploadResult {
    name: String,
    stored: Option<i64>,
    problem: Option<String>,
}

/// `POST /desk/photos` (multipart): one photo or several, with details given once for all
/// (what a file says of itself fills what is left empty, per file). Each file is stored with
/// its row or not at all, and the answer says what became of each. The desk's form sends its
/// token and the details before the files, so each file is checked and stored before the
/// next is read; a file sent before the token waits for it (within the body's limit), and
/// nothing is stored without it.
pub(crate) async fn upload(
    State(state): State<AppState>,
    desk: Desk,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    // Read only when admitted: a burst of uploads waits unread rather than filling memory.
    let _admitted = state.intake().images().admit().await.map_err(WebError::Internal)?;
    let limit = state.settings().max_image_bytes;
    let mut details = DetailsForm::default();
    let mut token_checked = false;
    let mut waiting_for_token: Vec<SentPhoto> = Vec::new();
    let mut taken = Taken::default();
    // From the editor's photo picker: back to it, with the new photo first.
    let mut pick_for: Option<i64> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                return Err(WebError::BadRequest(format!(
                    "The upload was cut short or is larger than {limit} bytes a file."
                )))
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = super::without_control_characters(field.file_name().unwrap_or(""));
            let content_type = field.content_type().unwrap_or("").to_owned();
            let (bytes, too_large) = read_file(field, limit).await?;
            // A file input left empty still sends a part, without a name or bytes.
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            let sent = SentPhoto { file_name, content_type, bytes, too_large };
            if token_checked {
                taken.take(&state, &desk, sent, &details).await?;
            } else {
                waiting_for_token.push(sent);
            }
            continue;
        }
        let value = field.text().await.map_err(|_| WebError::BadRequest("A form field could not be read.".into()))?;
        let value = super::without_control_characters(&value);
        match name.as_str() {
            "csrf" if !token_checked => {
                desk.check_csrf(&value)?;
                desk.require(Action::UploadPhoto)?;
                token_checked = true;
                for sent in std::mem::take(&mut waiting_for_token) {
                    taken.take(&state, &desk, sent, &details).await?;
                }
            }
            "caption" => details.caption = value,
            "credit" => details.credit = value,
            "alt_text" => details.alt_text = value,
            "photographer" => details.photographer = value,
            "pick_for" => pick_for = value.trim().parse::<i64>().ok().filter(|id| *id > 0),
            _ => {}
        }
    }
    if !token_checked {
        desk.check_csrf("")?;
    }
    desk.require(Action::UploadPhoto)?;
    let last_stored = taken.results.iter().rev().find_map(|r| r.stored);
    if let (Some(story), Some(photo), [_]) = (pick_for, last_stored, taken.results.as_slice()) {
        let back = format!("/desk/photos/pick?story={story}&uploaded={photo}");
        return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response());
    }
    match taken.results.as_slice() {
        [] => {
            let errors = vec![ErrorRow { field: "file", message: "Choose a photo to upload.".into() }];
            let html = photos_page(&state, &desk, &LibraryAsked::default(), details, errors, Vec::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        // One photo, as the form has always sent: its page, or the form again with the reasons.
        [UploadResult { stored: Some(id), .. }] => {
            Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/desk/photos/{id}?saved=1"))]).into_response())
        }
        [UploadResult { stored: None, .. }] => {
            let html =
                photos_page(&state, &desk, &LibraryAsked::default(), details, taken.last_problems, Vec::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        _ => {
            let status = if taken.results.iter().any(|r| r.stored.is_some()) {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let html = photos_page(&state, &desk, &LibraryAsked::default(), details, Vec::new(), taken.results).await?;
            Ok((status, html).into_response())
        }
    }
}

/// One file of an upload, as sent.
struct SentPhoto {
    file_name: String,
    content_type: String,
    bytes: Vec<u8>,
    too_large: bool,
}

/// What an upload has done so far.
#[derive(Default)]
struct Taken {
    results: Vec<UploadResult>,
    /// Why the last refused file was refused, field by field (for the one-photo form).
    last_problems: Vec<ErrorRow>,
}

impl Taken {
    async fn take(
        &mut self,
        state: &AppState,
        desk: &Desk,
        sent: SentPhoto,
        details: &DetailsForm,
    ) -> Result<(), WebError> {
        let limit = state.settings().max_image_bytes;
        let name = if sent.file_name.is_empty() { format!("file {}", self.results.len() + 1) } else { sent.file_name };
        let outcome = if self.results.len() >= MOST_PHOTOS_PER_UPLOAD {
            Err(vec![ErrorRow {
                field: "file",
                message: format!("One upload takes at most {MOST_PHOTOS_PER_UPLOAD} photos; send this one again."),
            }])
        } else if sent.too_large {
            Err(vec![ErrorRow {
                field: "file",
                message: format!("The file is larger than the limit of {limit} bytes."),
            }])
        } else {
            take_one(state, desk, sent.bytes, &sent.content_type, details).await?
        };
        match outcome {
            Ok(id) => self.results.push(UploadResult { name, stored: Some(id.0), problem: None }),
            Err(problems) => {
                let text = problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" ");
                self.results.push(UploadResult { name, stored: None, problem: Some(text) });
                self.last_problems = problems;
            }
        }
        Ok(())
    }
}

/// A file's bytes, read up to `limit`; past it the rest is left unread and it is too large.
async fn read_file(mut field: axum::extract::multipart::Field<'_>, limit: u64) -> Result<(Vec<u8>, bool), WebError> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if (bytes.len() + chunk.len()) as u64 > limit {
                    return Ok((Vec::new(), true));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok((bytes, false)),
            Err(_) => return Err(WebError::BadRequest("The upload was cut short.".into())),
        }
    }
}

/// Checks and stores one file of an upload with the details given; the photo's id, or what
/// is wrong with it.
async fn take_one(
    state: &AppState,
    desk: &Desk,
    bytes: Vec<u8>,
    claimed: &str,
    details: &DetailsForm,
) -> Result<Result<MediaId, Vec<ErrorRow>>, WebError> {
    let bytes = std::sync::Arc::<[u8]>::from(bytes);
    let found = match dateline_intake::photos::check(state.intake(), bytes.clone(), claimed).await {
        Ok(found) => found,
        Err(problem) => {
            let message = format!("This photo cannot be used: {problem}.");
            return Ok(Err(vec![ErrorRow { field: "file", message }]));
        }
    };
    let mut media_details = MediaDetails {
        caption: details.caption.clone(),
        credit: details.credit.clone(),
        alt_text: details.alt_text.clone(),
        photographer: details.photographer.clone(),
        redistributable: false,
    };
    // What the desk left empty, the file may say (its IPTC and XMP).
    dateline_intake::photos::fill_from_file(&mut media_details, &bytes, &found);
    let problems: Vec<ErrorRow> = media_details
        .problems()
        .into_iter()
        .map(|(field, message)| ErrorRow { field, message: message.into() })
        .collect();
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let texts = dateline_intake::PhotoTexts {
        caption: media_details.caption,
        credit: media_details.credit,
        alt_text: media_details.alt_text,
        photographer: media_details.photographer,
    };
    let stored =
        dateline_intake::photos::add_to_library(state.intake(), &desk.session.user, bytes, &found, texts, state.now())
            .await?;
    Ok(Ok(stored.id))
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
        credentials: CredentialsPanel::of(media),
        focal_x: media.focal_point.x,
        focal_y: media.focal_point.y,
        crops: crop_previews(media),
        crops_waiting: !media.has_variants_in(dateline_media::crops::CROPS_RECORDED)
            && !media.has_variants_in(dateline_newsroom::media::VARIANTS_UNMAKEABLE),
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

/// `POST /desk/photos/{id}/focus`: move where the photo's crops centre.
pub(crate) async fn move_focal_point(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    desk.require(Action::EditPhotoDetails)?;
    let media = state.store().media_by_id(parse_media_id(&id)?).await?;
    let point = match FocalPoint::parse(form.get("focal_x"), form.get("focal_y")) {
        Ok(point) => point,
        Err(message) => {
            let errors = vec![ErrorRow { field: "focal_x", message: message.into() }];
            let html = photo_page(&state, &desk, &media, errors, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    dateline_newsroom::media::move_focal_point(state.store(), &desk.session.user, media.id, point)
        .await
        .map_err(super::stories::edit_failure)?;
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
    editing::choose_lead_photo(state.store(), &desk.session.user, story, Some(media.id), state.now())
        .await
        .map_err(super::stories::edit_failure)?;
    // From the editor's photo picker, back to the story; from the photo's page, back to it.
    let back = match form.get("back") {
        "editor" => format!("/desk/stories/{story}?saved=1"),
        _ => format!("/desk/photos/{}?saved=1", media.id),
    };
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response())
}
