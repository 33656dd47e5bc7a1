//! Syndication partners on the desk, for admins: set one up (its pull token shown once),
//! see who takes what, and end a partnership. What a partner is offered is the newsroom's
//! rule (`dateline_newsroom::syndication`); pushes show among the webhook deliveries.

use super::catalog_outcome;
use super::session::{Desk, DeskForm};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::prelude::*;
use dateline_newsroom::syndication::{add_partner, revoke_partner, PartnerFields};
use dateline_newsroom::SectionTree;
use serde::Serialize;

#[derive(Serialize)]
struct PartnerRow {
    slug: String,
    name: String,
    takes: String,
    embargoed_copy: bool,
    format: &'static str,
    push_url: Option<String>,
    created: String,
    ended: Option<String>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    title: String,
}

#[derive(Serialize)]
struct TokenShown {
    name: String,
    feed: String,
    token: String,
}

#[derive(Serialize)]
struct PartnersPage {
    partners: Vec<PartnerRow>,
    sections: Vec<Choice>,
    topics: Vec<Choice>,
    token: Option<TokenShown>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    desk: &Desk,
    token: Option<TokenShown>,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    let clock = super::stories::paper_clock(state).await?;
    let when = |t: jiff::Timestamp| clock.time(t).text;
    let store = state.store();
    let tree = SectionTree::new(store.sections().await?);
    let topics = store.topics().await?;
    let partners = store
        .partners()
        .await?
        .into_iter()
        .map(|p| {
            let mut takes: Vec<String> =
                p.sections.iter().filter_map(|id| tree.get(*id)).map(|s| format!("{} (section)", s.name)).collect();
            takes.extend(
                p.topics
                    .iter()
                    .filter_map(|id| topics.iter().find(|t| t.id == *id))
                    .map(|t| format!("{} (topic)", t.name)),
            );
            PartnerRow {
                slug: p.slug.to_string(),
                name: p.name,
                takes: if takes.is_empty() { "The whole paper".to_owned() } else { takes.join(", ") },
                embargoed_copy: p.embargoed_copy,
                format: p.format.as_str(),
                push_url: p.push_url,
                created: when(p.created_at),
                ended: p.revoked_at.map(when),
            }
        })
        .collect();
    let sections = tree.iter().map(|s| Choice { value: s.path.clone(), title: s.path.clone() }).collect();
    let topics = topics.iter().map(|t| Choice { value: t.slug.to_string(), title: t.name.clone() }).collect();
    desk.render(state, "desk/partners.html", PartnersPage { partners, sections, topics, token, error }).await
}

pub(crate) async fn show(State(state): State<AppState>, desk: Desk) -> Result<Html<String>, WebError> {
    desk.require(Action::ManageUsers)?;
    page(&state, &desk, None, None).await
}

pub(crate) async fn add(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let fields = PartnerFields {
        slug: form.get("slug").to_owned(),
        name: form.get("name").to_owned(),
        sections: form.all("sections").into_iter().map(str::to_owned).collect(),
        topics: form.all("topics").into_iter().map(str::to_owned).collect(),
        embargoed_copy: form.get("embargoed_copy") == "on",
        format: form.get("format").to_owned(),
        push_url: form.get("push_url").to_owned(),
        push_token: form.get("push_token").to_owned(),
    };
    match add_partner(state.store(), Some(&desk.session.user), &fields, state.now()).await {
        // The token is on this page only; every desk page is `private, no-store`.
        Ok((partner, token)) => {
            let feed = crate::site::feeds::absolute(&state, &format!("/api/v1/syndication/{}", partner.slug));
            let shown = TokenShown { name: partner.name, feed, token };
            Ok(page(&state, &desk, Some(shown), None).await?.into_response())
        }
        Err(error) => {
            let problem = catalog_outcome::<()>(Err(error))?.err().unwrap_or_default();
            let html = page(&state, &desk, None, Some(format!("Not set up: {problem}."))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub(crate) async fn end(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    revoke_partner(state.store(), Some(&desk.session.user), form.get("partner"), state.now()).await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/desk/partners")]).into_response())
}
