//! The frame every desk page is drawn in: the paper's name, who is signed in, their role, the
//! CSRF token the page's forms carry, and the desk's standing counts (stories waiting for
//! review, scheduled for the paper's today, agency updates waiting).

use super::session::Desk;
use crate::error::WebError;
use crate::state::AppState;
use axum::response::Html;
use dateline_newsroom::accounts::Action;
use dateline_newsroom::{ArticleStore, SettingsStore};
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct DeskFrame<'a, T: Serialize> {
    pub site_name: String,
    pub user_name: &'a str,
    pub role: &'static str,
    pub csrf: &'a str,
    pub may_publish: bool,
    pub may_manage_users: bool,
    pub counts: dateline_newsroom::DeskCounts,
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
        let settings = state.store().settings().await?;
        let counts = state.store().desk_counts(paper_today(&settings.time_zone, state.now())).await?;
        let frame = DeskFrame {
            counts,
            site_name: settings.site_name,
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

/// The paper's today, from its midnight to the next, in its own time zone (UTC when the
/// setting does not name one).
fn paper_today(zone_name: &str, now: jiff::Timestamp) -> (jiff::Timestamp, jiff::Timestamp) {
    let zone = jiff::tz::TimeZone::get(zone_name).unwrap_or(jiff::tz::TimeZone::UTC);
    let here = now.to_zoned(zone);
    let start = here.start_of_day().map(|z| z.timestamp()).unwrap_or(now);
    let end = here.tomorrow().and_then(|z| z.start_of_day()).map(|z| z.timestamp()).unwrap_or(now);
    (start, end)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_papers_today_runs_from_its_own_midnight() {
        let now: jiff::Timestamp = "2026-11-28T16:30:00Z".parse().expect("instant");
        let (start, end) = super::paper_today("Asia/Seoul", now);
        assert_eq!(start.to_string(), "2026-11-28T15:00:00Z", "midnight of the 29th in Seoul");
        assert_eq!(end.to_string(), "2026-11-29T15:00:00Z");
    }
}
