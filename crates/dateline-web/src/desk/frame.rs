//! The frame every desk page is drawn in: the paper's name, who is signed in, their role and
//! the CSRF token the page's forms carry.

use super::session::Desk;
use crate::error::WebError;
use crate::state::AppState;
use axum::response::Html;
use dateline_newsroom::accounts::Action;
use dateline_newsroom::SettingsStore;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct DeskFrame<'a, T: Serialize> {
    pub site_name: String,
    pub user_name: &'a str,
    pub role: &'static str,
    pub csrf: &'a str,
    pub may_publish: bool,
    pub may_manage_users: bool,
    #[serde(flatten)]
    pub content: T,
}

impl Desk {
    /// Renders a desk template inside the desk's frame.
    pub(crate) async fn render(
        &self,
        state: &AppState,
        template: &str,
        content: impl Serialize,
    ) -> Result<Html<String>, WebError> {
        let user = &self.session.user;
        let frame = DeskFrame {
            site_name: state.store().settings().await?.site_name,
            user_name: &user.name,
            role: user.role.title(),
            csrf: &self.session.csrf_token,
            may_publish: user.role.may(Action::Publish),
            may_manage_users: user.role.may(Action::ManageUsers),
            content,
        };
        Ok(Html(state.theme().render(template, frame)?))
    }
}
