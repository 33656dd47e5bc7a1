//! The newsroom desk under `/desk/`: signing in, the story list, the editor and the actions
//! on a story. Server-rendered like the reader site; every form works without JavaScript.
//! Every POST handler takes a [`session::DeskForm`], so the session and the form's CSRF token
//! are checked before it runs; what the user may do is the newsroom's rule (story actions go
//! through `dateline_newsroom::editing::act`), and handlers only read forms and draw pages.

mod api_keys;
mod authors;
mod budget;
mod form;
mod frame;
mod front_page;
pub(crate) mod kept;
mod live;
mod newsletters;
mod pages;
mod partners;
mod photo_picker;
pub(crate) mod photos;
mod podcasts;
mod revisions;
mod sections;
mod session;
mod settings;
mod sign_in;
mod stories;
mod story_list;
mod topics;
mod uploads;
mod users;
mod video;
mod webhooks;
mod wire;

pub(crate) use form::without_control_characters;

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// The desk's routes; `max_upload_bytes` bounds a photo upload's whole request body, and
/// `max_audio_bytes` an episode's sound file, `max_video_bytes` a story's video.
pub(crate) fn routes(max_upload_bytes: u64, max_audio_bytes: usize, max_video_bytes: usize) -> Router<AppState> {
    // Room for as many photos as one upload takes (read one at a time) and the form's fields.
    let upload_limit = DefaultBodyLimit::max(
        usize::try_from(max_upload_bytes)
            .unwrap_or(usize::MAX)
            .saturating_mul(photos::MOST_PHOTOS_PER_UPLOAD)
            .saturating_add(64 * 1024),
    );
    // An episode's sound, its transcript and the form's fields.
    let audio_limit = DefaultBodyLimit::max(
        max_audio_bytes.saturating_add(dateline_newsroom::timed_text::MAX_TRANSCRIPT_BYTES).saturating_add(64 * 1024),
    );
    // A video, its captions and the form's fields.
    let video_limit = DefaultBodyLimit::max(
        max_video_bytes.saturating_add(dateline_newsroom::timed_text::MAX_TRANSCRIPT_BYTES).saturating_add(64 * 1024),
    );
    Router::new()
        .route("/desk/", get(story_list::list))
        .route("/desk/stories", post(stories::create))
        .route("/desk/stories/bulk", post(story_list::change_many))
        .route("/desk/budget", get(budget::show).post(budget::plan))
        .route("/desk/stories/{id}/plan", get(budget::edit_plan).post(budget::save_plan))
        .route("/desk/search", get(story_list::search))
        .route("/desk/stories/new", get(stories::new_story))
        .route("/desk/stories/new/autosave", post(stories::autosave_new))
        .route("/desk/preview-body", post(stories::preview_body))
        .route("/desk/stories/{id}", get(stories::edit).post(stories::act))
        .route("/desk/stories/{id}/remove", post(stories::remove))
        .route("/desk/stories/{id}/correct", post(stories::correct))
        .route("/desk/stories/{id}/preview", get(stories::preview))
        .route("/desk/stories/{id}/history", get(stories::history))
        .route("/desk/stories/{id}/diff", get(revisions::diff))
        .route("/desk/stories/{id}/restore", post(revisions::restore))
        .route("/desk/stories/{id}/autosave", post(stories::autosave))
        .route("/desk/stories/{id}/live", get(live::show).post(live::add_post))
        .route("/desk/stories/{id}/live/coverage", post(live::coverage))
        .route("/desk/live-posts/{post}", post(live::change_post))
        .route("/desk/live-posts/{post}/history", get(live::history))
        .route("/desk", get(|| async { axum::response::Redirect::permanent("/desk/") }))
        .route("/desk/photos/pick", get(photo_picker::show))
        .route("/desk/photos", get(photos::list).post(photos::upload).layer(upload_limit))
        .route("/desk/photos/{id}", get(photos::show).post(photos::update))
        .route("/desk/photos/{id}/lead", post(photos::choose_as_lead))
        .route("/desk/photos/{id}/focus", post(photos::move_focal_point))
        .route("/desk/home-page", get(front_page::show).post(front_page::save))
        .route("/desk/home-page/preview", post(front_page::preview))
        .route("/desk/sections", get(sections::list).post(sections::create))
        .route("/desk/sections/{id}", post(sections::update))
        .route("/desk/authors", get(authors::list).post(authors::create))
        .route("/desk/authors/{id}", post(authors::update))
        .route("/desk/topics", get(topics::list).post(topics::create))
        .route("/desk/topics/{id}", post(topics::update))
        .route("/desk/pages", get(pages::list).post(pages::create))
        .route("/desk/pages/{id}", post(pages::update))
        .route("/desk/settings", get(settings::show).post(settings::save))
        .route("/desk/users", get(users::list).post(users::create))
        .route("/desk/users/{id}/byline", post(users::set_byline))
        .route("/desk/api-keys", get(api_keys::list).post(api_keys::create))
        .route("/desk/api-keys/revoke", post(api_keys::revoke))
        .route("/desk/webhooks", get(webhooks::show).post(webhooks::register))
        .route("/desk/webhooks/resend", post(webhooks::resend))
        .route("/desk/webhooks/disable", post(webhooks::disable))
        .route("/desk/newsletters", get(newsletters::list).post(newsletters::create))
        .route("/desk/newsletters/{id}", get(newsletters::show).post(newsletters::update))
        .route("/desk/newsletters/{id}/editions", post(newsletters::new_edition))
        .route("/desk/editions/{id}", get(newsletters::edition).post(newsletters::act))
        .route("/desk/editions/{id}/preview", get(newsletters::preview))
        .route("/desk/podcasts", get(podcasts::list).post(podcasts::create))
        .route("/desk/podcasts/{id}", get(podcasts::show).post(podcasts::update))
        .route("/desk/podcasts/{id}/episodes", post(podcasts::create_episode).layer(audio_limit))
        .route("/desk/stories/{id}/episode", get(podcasts::episode).post(podcasts::update_episode).layer(audio_limit))
        .route("/desk/stories/{id}/video", get(video::show).post(video::save).layer(video_limit))
        .route("/desk/partners", get(partners::show).post(partners::add))
        .route("/desk/partners/end", post(partners::end))
        .route("/desk/wire", get(wire::queue))
        .route("/desk/wire/sources", get(wire::sources).post(wire::create_source))
        .route("/desk/wire/sources/{id}", post(wire::update_source))
        .route("/desk/stories/{id}/agency-update", post(wire::decide))
        .route("/desk/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/desk/resume", post(kept::resume))
        .route("/desk/sign-out", post(sign_in::sign_out))
}

/// The answer to a desk form that worked: back to its screen, which says it is saved.
pub(crate) fn saved(screen: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (axum::http::StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, format!("{screen}?saved=1"))]).into_response()
}

/// A desk form redrawn with what was wrong with it.
/// Where a form sends the browser after it did what was asked (303 See Other).
pub(crate) fn see_other(to: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (axum::http::StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, to.to_owned())]).into_response()
}

pub(crate) fn unprocessable(page: axum::response::Html<String>) -> axum::response::Response {
    use axum::response::IntoResponse;
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// The outcome of a catalog use case for a desk form: done, or a sentence for the editor to
/// act on (what cannot be used, what clashes). A refusal by role is a 403, a missing entry a
/// 404, any other failure the server's.
pub(crate) fn catalog_outcome<T>(
    result: Result<T, dateline_newsroom::catalog::CatalogError>,
) -> Result<Result<(), String>, crate::error::WebError> {
    use crate::error::WebError;
    use dateline_newsroom::catalog::CatalogError;
    match result {
        Ok(_) => Ok(Ok(())),
        Err(problem @ (CatalogError::Invalid { .. } | CatalogError::Taken(_))) => Ok(Err(problem.to_string())),
        Err(CatalogError::NotAllowed) => Err(WebError::Forbidden),
        Err(CatalogError::NotFound) => Err(WebError::NotFound),
        Err(CatalogError::Store(error)) => Err(error.into()),
    }
}
