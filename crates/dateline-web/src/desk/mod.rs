//! The newsroom desk under `/desk/`: signing in, the story list, the editor and the actions
//! on a story. Server-rendered like the reader site; every form works without JavaScript.
//! Handlers check the role (`Desk::require`) and the CSRF token (`Desk::check_csrf`) before
//! anything else, then hand the change to the newsroom's use cases.

mod form;
mod frame;
mod session;
mod sign_in;
mod stories;
pub(crate) mod throttle;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/", get(stories::list))
        .route("/desk/stories", post(stories::create))
        .route("/desk/stories/new", get(stories::new_story))
        .route("/desk/stories/{id}", get(stories::edit).post(stories::act))
        .route("/desk/stories/{id}/remove", post(stories::remove))
        .route("/desk/stories/{id}/correct", post(stories::correct))
        .route("/desk/stories/{id}/preview", get(stories::preview))
        .route("/desk/stories/{id}/history", get(stories::history))
        .route("/desk", get(|| async { axum::response::Redirect::permanent("/desk/") }))
        .route("/desk/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/desk/sign-out", post(sign_in::sign_out))
}
