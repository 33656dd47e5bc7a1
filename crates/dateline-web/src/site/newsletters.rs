//! The newsletters on the reader site: the list with its sign-up form (`/newsletters/`),
//! double opt-in (`/newsletters/subscribe`, then the link in the confirmation e-mail,
//! `/newsletters/confirm`), a reader's choices (`/newsletters/manage`), the one-click
//! unsubscribe every message carries (`/newsletters/unsubscribe`, RFC 8058), and each
//! newsletter's archive of editions with their web copies.
//!
//! No address is ever shown back: a sign-up answers the same whether the address is new,
//! subscribed already, or caught by the honeypot, and the manage page shows the address only
//! in part. Links in e-mails open a page with a button, never act on a GET, since mail
//! scanners follow links; the one-click unsubscribe acts on its POST alone, as RFC 8058 asks.
//! None of these pages is kept in the page cache.

use super::chrome;
use super::letters::{self, archive_path, edition_path, EditionView};
use crate::client::{client_address, Peer};
use crate::error::WebError;
use crate::page_cache::Shows;
use crate::query::{PageAsked, Query};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use dateline_newsroom::newsletters::{normalize_email, EditionState, Newsletter, Token};
use dateline_newsroom::prelude::*;
use dateline_newsroom::StoreError;
use serde::{Deserialize, Serialize};

const EDITIONS_PER_PAGE: i64 = 20;
/// The longest sign-up form read.
const MAX_FORM_BYTES: usize = 16 * 1024;

#[derive(Serialize)]
struct NewsletterCard {
    id: i64,
    name: String,
    description: String,
    schedule: Option<String>,
    url: String,
    chosen: bool,
}

fn card(newsletter: &Newsletter, chosen: bool) -> NewsletterCard {
    NewsletterCard {
        id: newsletter.id,
        name: newsletter.name.clone(),
        description: newsletter.description.clone(),
        schedule: newsletter.schedule.map(|s| s.as_text()),
        url: archive_path(newsletter),
        chosen,
    }
}

/// What the sign-up and reader pages show: the step the reader is at and its words.
#[derive(Serialize, Default)]
struct ReaderPage {
    /// `choose`, `check-inbox`, `confirm`, `subscribed`, `manage`, `saved`, `unsubscribe`,
    /// `unsubscribed`, `refused`.
    step: &'static str,
    newsletters: Vec<NewsletterCard>,
    /// The address as typed, redrawn only for the visitor who typed it (after an error).
    email: String,
    masked_email: String,
    token: String,
    error: Option<String>,
    sending: bool,
    title: String,
}

/// Renders a reader page outside the page cache.
async fn page(
    state: &AppState,
    status: StatusCode,
    template: &str,
    content: impl Serialize,
) -> Result<Response, WebError> {
    let chrome = chrome::load(state, state.now()).await?;
    let mut response = chrome.render(state, template, content).await?;
    response.extensions_mut().remove::<Shows>();
    *response.status_mut() = status;
    response.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(response)
}

fn live(newsletters: Vec<Newsletter>) -> Vec<Newsletter> {
    newsletters.into_iter().filter(|n| n.retired_at.is_none()).collect()
}

fn sending(state: &AppState) -> bool {
    state.settings().mail.relay.is_some()
}

/// `/newsletters/`: every newsletter, and the form to subscribe.
pub(crate) async fn list(State(state): State<AppState>) -> Result<Response, WebError> {
    let newsletters = live(state.store().newsletters().await?);
    let content = ReaderPage {
        step: "choose",
        newsletters: newsletters.iter().map(|n| card(n, newsletters.len() == 1)).collect(),
        sending: sending(&state),
        title: "Newsletters".into(),
        ..ReaderPage::default()
    };
    page(&state, StatusCode::OK, "newsletters.html", content).await
}

fn form_pairs(body: &Bytes) -> Result<Vec<(String, String)>, WebError> {
    if body.len() > MAX_FORM_BYTES {
        return Err(WebError::BadRequest("The form is too large.".into()));
    }
    Ok(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

fn chosen_ids(pairs: &[(String, String)]) -> Vec<i64> {
    pairs.iter().filter(|(k, _)| k == "newsletter").filter_map(|(_, v)| v.trim().parse().ok()).collect()
}

/// `POST /newsletters/subscribe`: checks the address and the choice, and sends the
/// confirmation. Nothing is stored.
pub(crate) async fn subscribe(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let pairs = form_pairs(&body)?;
    let newsletters = live(state.store().newsletters().await?);
    let mut ids = chosen_ids(&pairs);
    if ids.is_empty() && newsletters.len() == 1 {
        ids = vec![newsletters[0].id];
    }
    let chosen: Vec<&Newsletter> = newsletters.iter().filter(|n| ids.contains(&n.id)).collect();
    let typed = field(&pairs, "email");
    let redraw = |error: String| ReaderPage {
        step: "choose",
        newsletters: newsletters.iter().map(|n| card(n, ids.contains(&n.id))).collect(),
        email: typed.chars().take(254).collect(),
        error: Some(error),
        sending: sending(&state),
        title: "Newsletters".into(),
        ..ReaderPage::default()
    };
    if !sending(&state) {
        let content = redraw("The paper is not sending newsletters yet. Please come back later.".into());
        return page(&state, StatusCode::SERVICE_UNAVAILABLE, "newsletters.html", content).await;
    }
    let email = match normalize_email(typed) {
        Ok(email) => email,
        Err(why) => {
            let content = redraw(format!("Your address could not be used: {why}."));
            return page(&state, StatusCode::UNPROCESSABLE_ENTITY, "newsletters.html", content).await;
        }
    };
    if chosen.is_empty() {
        let content = redraw("Choose at least one newsletter.".into());
        return page(&state, StatusCode::UNPROCESSABLE_ENTITY, "newsletters.html", content).await;
    }
    let check_inbox = ReaderPage { step: "check-inbox", title: "Check your inbox".into(), ..ReaderPage::default() };
    // A form a person cannot see, filled in: a robot. It is told what a person is told.
    if !field(&pairs, "website").is_empty() {
        return page(&state, StatusCode::OK, "newsletters.html", check_inbox).await;
    }
    let client = client_address(state.settings(), peer, &headers);
    if !state.sign_up_throttle().allow(&email, client) {
        let content = ReaderPage {
            step: "refused",
            error: Some("Too many sign-ups from here or to this address. Please try again in an hour.".into()),
            title: "Please try later".into(),
            ..ReaderPage::default()
        };
        return page(&state, StatusCode::TOO_MANY_REQUESTS, "newsletters.html", content).await;
    }
    let chrome = chrome::load(&state, state.now()).await?;
    if let Err(error) = letters::send_confirmation(&state, &chrome.site.name, &email, &chosen, state.now()).await {
        tracing::warn!(%error, "a confirmation e-mail could not be sent");
        let content =
            redraw("The confirmation e-mail could not be sent just now. Please try again in a few minutes.".into());
        return page(&state, StatusCode::SERVICE_UNAVAILABLE, "newsletters.html", content).await;
    }
    page(&state, StatusCode::OK, "newsletters.html", check_inbox).await
}

#[derive(Deserialize)]
pub(crate) struct TokenAsked {
    #[serde(default)]
    t: String,
}

async fn verified(state: &AppState, token: &str) -> Result<Result<Token, &'static str>, WebError> {
    let key = state.store().server_secret(letters::LINK_KEY).await?;
    Ok(Token::verify(token, &key, state.now()))
}

async fn refused(state: &AppState, why: &str) -> Result<Response, WebError> {
    let content = ReaderPage {
        step: "refused",
        error: Some(sentence(why)),
        title: "This link does not work".into(),
        ..ReaderPage::default()
    };
    page(state, StatusCode::BAD_REQUEST, "newsletters.html", content).await
}

/// "this link …" as a sentence: "This link ….".
fn sentence(why: &str) -> String {
    let mut chars = why.chars();
    chars.next().map(|first| format!("{}{}.", first.to_uppercase(), chars.as_str())).unwrap_or_default()
}

/// `GET /newsletters/confirm?t=…`: the button that confirms (a GET changes nothing).
pub(crate) async fn confirm_page(
    State(state): State<AppState>,
    Query(asked): Query<TokenAsked>,
) -> Result<Response, WebError> {
    let ids = match verified(&state, &asked.t).await? {
        Ok(Token::Confirm { newsletters, .. }) => newsletters,
        Ok(_) => return refused(&state, "this is not a confirmation link").await,
        Err(why) => return refused(&state, why).await,
    };
    let newsletters = live(state.store().newsletters().await?);
    let content = ReaderPage {
        step: "confirm",
        newsletters: newsletters.iter().filter(|n| ids.contains(&n.id)).map(|n| card(n, true)).collect(),
        token: asked.t.clone(),
        title: "Confirm your subscription".into(),
        ..ReaderPage::default()
    };
    page(&state, StatusCode::OK, "newsletters.html", content).await
}

/// `POST /newsletters/confirm`: stores the address with its lists.
pub(crate) async fn confirm(State(state): State<AppState>, body: Bytes) -> Result<Response, WebError> {
    let pairs = form_pairs(&body)?;
    let (email, ids) = match verified(&state, field(&pairs, "t")).await? {
        Ok(Token::Confirm { email, newsletters, .. }) => (email, newsletters),
        Ok(_) => return refused(&state, "this is not a confirmation link").await,
        Err(why) => return refused(&state, why).await,
    };
    let subscriber = state.store().confirm_subscriber(&email, &ids, state.now()).await?;
    let key = state.store().server_secret(letters::LINK_KEY).await?;
    let newsletters = live(state.store().newsletters().await?);
    let content = ReaderPage {
        step: "subscribed",
        newsletters: newsletters
            .iter()
            .filter(|n| subscriber.newsletters.contains(&n.id))
            .map(|n| card(n, true))
            .collect(),
        token: Token::Manage { subscriber: subscriber.id }.sign(&key),
        title: "You are subscribed".into(),
        ..ReaderPage::default()
    };
    page(&state, StatusCode::OK, "newsletters.html", content).await
}

/// `r•••@example.com`: enough for readers to know it is theirs.
fn masked(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}•••@{domain}", local.chars().next().unwrap_or('•')),
        None => "•••".into(),
    }
}

async fn manage_content(
    state: &AppState,
    subscriber_id: i64,
    token: &str,
    step: &'static str,
) -> Result<ReaderPage, WebError> {
    let (email, subscribed) = match state.store().subscriber_by_id(subscriber_id).await {
        Ok(subscriber) => (subscriber.email, subscriber.newsletters),
        // A reader who left every list is forgotten; the page still lets them join again.
        Err(StoreError::NotFound) => (String::new(), Vec::new()),
        Err(error) => return Err(error.into()),
    };
    let newsletters = live(state.store().newsletters().await?);
    Ok(ReaderPage {
        step,
        newsletters: newsletters.iter().map(|n| card(n, subscribed.contains(&n.id))).collect(),
        masked_email: if email.is_empty() { String::new() } else { masked(&email) },
        token: token.to_owned(),
        title: "Your newsletters".into(),
        ..ReaderPage::default()
    })
}

/// `GET /newsletters/manage?t=…`: a reader's lists, to change.
pub(crate) async fn manage_page(
    State(state): State<AppState>,
    Query(asked): Query<TokenAsked>,
) -> Result<Response, WebError> {
    match verified(&state, &asked.t).await? {
        Ok(Token::Manage { subscriber }) => {
            let content = manage_content(&state, subscriber, &asked.t, "manage").await?;
            page(&state, StatusCode::OK, "newsletters.html", content).await
        }
        Ok(_) => refused(&state, "this is not a link to your newsletters").await,
        Err(why) => refused(&state, why).await,
    }
}

/// `POST /newsletters/manage`: saves a reader's lists. A reader who had been forgotten (left
/// every list) cannot be signed up again this way: that takes a new confirmation.
pub(crate) async fn manage(State(state): State<AppState>, body: Bytes) -> Result<Response, WebError> {
    let pairs = form_pairs(&body)?;
    let token = field(&pairs, "t");
    let subscriber = match verified(&state, token).await? {
        Ok(Token::Manage { subscriber }) => subscriber,
        Ok(_) => return refused(&state, "this is not a link to your newsletters").await,
        Err(why) => return refused(&state, why).await,
    };
    match state.store().set_subscriptions(subscriber, &chosen_ids(&pairs), state.now()).await {
        Ok(()) | Err(StoreError::NotFound) => {}
        Err(error) => return Err(error.into()),
    }
    let content = manage_content(&state, subscriber, token, "saved").await?;
    page(&state, StatusCode::OK, "newsletters.html", content).await
}

/// `GET /newsletters/unsubscribe?t=…`: the footer link of a message, a page with one button.
pub(crate) async fn unsubscribe_page(
    State(state): State<AppState>,
    Query(asked): Query<TokenAsked>,
) -> Result<Response, WebError> {
    let newsletter = match verified(&state, &asked.t).await? {
        Ok(Token::Unsubscribe { newsletter, .. }) => newsletter,
        Ok(_) => return refused(&state, "this is not an unsubscribe link").await,
        Err(why) => return refused(&state, why).await,
    };
    let newsletters = state.store().newsletters().await?;
    let content = ReaderPage {
        step: "unsubscribe",
        newsletters: newsletters.iter().filter(|n| n.id == newsletter).map(|n| card(n, true)).collect(),
        token: asked.t.clone(),
        title: "Unsubscribe".into(),
        ..ReaderPage::default()
    };
    page(&state, StatusCode::OK, "newsletters.html", content).await
}

/// `POST /newsletters/unsubscribe?t=…`: unsubscribes at once, from the page's button or from
/// a mail program's one-click request (`List-Unsubscribe=One-Click` in the body, RFC 8058).
pub(crate) async fn unsubscribe(
    State(state): State<AppState>,
    Query(asked): Query<TokenAsked>,
    body: Bytes,
) -> Result<Response, WebError> {
    let pairs = form_pairs(&body)?;
    let token = if asked.t.is_empty() { field(&pairs, "t").to_owned() } else { asked.t };
    let (subscriber, newsletter) = match verified(&state, &token).await? {
        Ok(Token::Unsubscribe { subscriber, newsletter }) => (subscriber, newsletter),
        Ok(_) => return refused(&state, "this is not an unsubscribe link").await,
        Err(why) => return refused(&state, why).await,
    };
    state.store().unsubscribe(subscriber, newsletter).await?;
    let key = state.store().server_secret(letters::LINK_KEY).await?;
    let newsletters = state.store().newsletters().await?;
    let content = ReaderPage {
        step: "unsubscribed",
        newsletters: newsletters.iter().filter(|n| n.id == newsletter).map(|n| card(n, false)).collect(),
        token: Token::Manage { subscriber }.sign(&key),
        title: "You are unsubscribed".into(),
        ..ReaderPage::default()
    };
    page(&state, StatusCode::OK, "newsletters.html", content).await
}

#[derive(Serialize)]
struct EditionLink {
    subject: String,
    date: String,
    url: String,
}

#[derive(Serialize)]
struct ArchivePage {
    newsletter: NewsletterCard,
    retired: bool,
    editions: Vec<EditionLink>,
    next: Option<String>,
    previous: Option<String>,
    sending: bool,
    title: String,
}

/// `/newsletters/{slug}/`: a newsletter's editions, newest first, and its sign-up form.
pub(crate) async fn archive(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(asked): Query<PageAsked>,
) -> Result<Response, WebError> {
    let page_number = i64::from(super::requested_page(&asked)?);
    let newsletter = state.store().newsletter_by_slug(&slug).await?;
    let chrome = chrome::load(&state, state.now()).await?;
    let offset = (page_number - 1) * EDITIONS_PER_PAGE;
    let mut editions = state.store().editions_of(newsletter.id, true, EDITIONS_PER_PAGE + 1, offset).await?;
    if editions.is_empty() && page_number > 1 {
        return Err(WebError::NotFound);
    }
    let more = editions.len() as i64 > EDITIONS_PER_PAGE;
    editions.truncate(EDITIONS_PER_PAGE as usize);
    let base = archive_path(&newsletter);
    let content = ArchivePage {
        retired: newsletter.retired_at.is_some(),
        editions: editions
            .iter()
            .map(|e| EditionLink {
                subject: e.subject.clone(),
                date: chrome.clock.time(e.started_at.unwrap_or(e.created_at)).text,
                url: edition_path(&newsletter, e.id),
            })
            .collect(),
        next: more.then(|| format!("{base}?page={}", page_number + 1)),
        previous: (page_number > 1).then(|| {
            if page_number == 2 {
                base.clone()
            } else {
                format!("{base}?page={}", page_number - 1)
            }
        }),
        sending: sending(&state),
        title: newsletter.name.clone(),
        newsletter: card(&newsletter, true),
    };
    page(&state, StatusCode::OK, "newsletter.html", content).await
}

#[derive(Serialize)]
struct EditionPage {
    newsletter: NewsletterCard,
    edition: EditionView,
    title: String,
}

/// `/newsletters/{slug}/{edition}`: the web copy of an edition that went out.
pub(crate) async fn edition(
    State(state): State<AppState>,
    Path((slug, edition_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let edition_id: i64 = edition_id.parse().map_err(|_| WebError::NotFound)?;
    let newsletter = state.store().newsletter_by_slug(&slug).await?;
    let edition = state.store().edition_by_id(edition_id).await?;
    let went_out = matches!(edition.state, EditionState::Sending | EditionState::Sent);
    if edition.newsletter_id != newsletter.id || !went_out {
        return Err(WebError::NotFound);
    }
    let chrome = chrome::load(&state, state.now()).await?;
    let view = letters::edition_view(&state, &chrome, &newsletter, &edition).await?;
    let content = EditionPage { title: view.subject.clone(), edition: view, newsletter: card(&newsletter, true) };
    page(&state, StatusCode::OK, "newsletter_edition.html", content).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_shown_only_in_part() {
        assert_eq!(masked("reader@example.com"), "r•••@example.com");
        assert_eq!(masked("독자@example.kr"), "독•••@example.kr");
    }
}
