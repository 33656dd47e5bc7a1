//! The newsroom desk under `/desk/`: signing in, the story list, the editor and the actions
//! on a story. Server-rendered like the reader site; every form works without JavaScript.
//! Handlers check the role (`Desk::require`) and the CSRF token (`Desk::check_csrf`) before
//! anything else, then hand the change to the newsroom's use cases.

mod home;
mod session;
mod sign_in;
pub(crate) mod throttle;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/", get(home::show))
        .route("/desk", get(|| async { axum::response::Redirect::permanent("/desk/") }))
        .route("/desk/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/desk/sign-out", post(sign_in::sign_out))
}
