//! The paper's editorial settings, for admins: name, owner, language, time zone, date
//! formats, outbound links and the legal masthead.

use super::catalog_outcome;
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::query::{Query, SavedNotice};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::catalog::change_settings;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{EditorialSettings, Masthead, OutboundLinks};
use serde::Serialize;

#[derive(Serialize)]
struct SettingsPage {
    settings: EditorialSettings,
    /// The photos the default share image may be chosen from.
    photos: Vec<super::stories::Choice>,
    error: Option<String>,
    notice: Option<&'static str>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Query(notice): Query<SavedNotice>,
) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageSettings)?;
    let settings = state.store().settings().await?;
    let notice = notice.is_saved().then_some("Saved.");
    let current = settings.share_image_media_id.map(dateline_newsroom::MediaId);
    let photos = super::stories::photo_choices(state.store(), current.as_slice()).await?;
    desk.render(&state, "desk/settings.html", SettingsPage { settings, photos, error: None, notice }).await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let current = state.store().settings().await?;
    let text = |name: &str| form.get(name).trim().to_owned();
    let settings = EditorialSettings {
        site_name: text("site_name"),
        owner: text("owner"),
        language: text("language"),
        logo_media_id: current.logo_media_id,
        share_image_media_id: form.id("share_image")?,
        time_zone: text("time_zone"),
        date_line_format: text("date_line_format"),
        timestamp_format: text("timestamp_format"),
        links: OutboundLinks {
            podcast_url: text("podcast_url"),
            video_channel_url: text("video_channel_url"),
            subscribe_url: text("subscribe_url"),
        },
        masthead: Masthead {
            copyright_line: text("copyright_line"),
            postal_address: text("postal_address"),
            registration_number: text("registration_number"),
            registration_date: text("registration_date"),
            publisher: text("publisher"),
            editor: text("editor"),
            juvenile_protection_manager: text("juvenile_protection_manager"),
            telephone: text("telephone"),
        },
    };
    let missing_photo = match settings.share_image_media_id {
        Some(id) => matches!(
            state.store().media_by_id(dateline_newsroom::MediaId(id)).await,
            Err(dateline_newsroom::StoreError::NotFound)
        ),
        None => false,
    };
    let outcome = if missing_photo {
        Err("the default share image is not in the library".to_owned())
    } else {
        catalog_outcome(change_settings(state.store(), &desk.session.user, &settings).await)?
    };
    match outcome {
        Ok(()) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/settings?saved=1")]).into_response()),
        Err(problem) => {
            let typed = settings.share_image_media_id.or(current.share_image_media_id);
            let typed: Vec<_> = typed.map(dateline_newsroom::MediaId).into_iter().collect();
            let photos = super::stories::photo_choices(state.store(), &typed).await?;
            let page = SettingsPage { settings, photos, error: Some(format!("Not saved: {problem}.")), notice: None };
            let html = desk.render(&state, "desk/settings.html", page).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
