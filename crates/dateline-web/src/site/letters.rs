//! An edition of a newsletter as readers get it: the view of its note and stories (shared by
//! the message, the desk's preview and the public web copy), the message itself from the
//! theme's `newsletter/email.html` and `newsletter/email.txt`, and the confirmation a reader
//! who subscribes is sent.
//!
//! An edition is rendered once however many readers get it: the reader's own links (one-click
//! unsubscribe, manage) are written as marks ([`UNSUBSCRIBE_MARK`], [`MANAGE_MARK`]) and put
//! in per message ([`Letter::for_reader`]). Only stories readers can see when the message is
//! made go in: one unpublished since the edition was put together is left out.

use super::chrome::{self, Chrome};
use super::feeds::absolute;
use crate::error::WebError;
use crate::state::AppState;
use dateline_mail::message::Newsletter as Message;
use dateline_newsroom::newsletters::{Edition, EditionSource, Newsletter, Token};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, ArticleSummary, Listing, SectionId, Window};
use jiff::Timestamp;
use serde::Serialize;

pub(crate) const UNSUBSCRIBE_MARK: &str = "%%DATELINE-UNSUBSCRIBE%%";
pub(crate) const MANAGE_MARK: &str = "%%DATELINE-MANAGE%%";
/// The server secret that signs the newsletters' links.
pub(crate) const LINK_KEY: &str = "newsletter-links";
/// Stories an edition takes from the home page or a section.
const STORIES_ASSEMBLED: u32 = 8;
/// Mail clients lay the message out at most this wide; photos are chosen for it.
const EMAIL_WIDTH: u32 = 600;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EmailImage {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub credit: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionStory {
    pub headline: String,
    pub deck: Option<String>,
    pub url: String,
    pub section: Option<String>,
    pub bylines: String,
    pub excerpt: String,
    pub image: Option<EmailImage>,
}

/// What every rendering of an edition shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EditionView {
    pub id: i64,
    pub subject: String,
    pub note_html: String,
    pub note_text: String,
    pub date: String,
    pub web_url: String,
    pub newsletter_name: String,
    pub newsletter_description: String,
    pub archive_url: String,
    pub stories: Vec<EditionStory>,
}

pub(crate) fn archive_path(newsletter: &Newsletter) -> String {
    format!("/newsletters/{}/", newsletter.slug)
}

pub(crate) fn edition_path(newsletter: &Newsletter, edition_id: i64) -> String {
    format!("/newsletters/{}/{edition_id}", newsletter.slug)
}

/// The photo size closest above the e-mail's width (or the original), with its height.
fn email_image(state: &AppState, media: &dateline_newsroom::Media) -> EmailImage {
    let copies = dateline_media::copies(
        &media.storage_key,
        media.width,
        &media.variant_formats,
        dateline_media::VariantFormat::Jpeg,
    );
    let (key, file_width) = copies
        .into_iter()
        .filter(|(w, _)| *w >= EMAIL_WIDTH)
        .min_by_key(|(w, _)| *w)
        .map_or((media.storage_key.clone(), media.width), |(w, key)| (key, w));
    let shown_width = file_width.min(EMAIL_WIDTH);
    let shown_height = (u64::from(media.height) * u64::from(shown_width) / u64::from(media.width.max(1))) as u32;
    EmailImage {
        src: absolute(state, &dateline_render::views::media_url(&key)),
        width: shown_width,
        height: shown_height,
        alt: media.alt_text.clone(),
        credit: media.credit.clone(),
    }
}

/// The note and the public stories of an edition, in the edition's order, as every rendering
/// shows them.
pub(crate) async fn edition_view(
    state: &AppState,
    chrome: &Chrome,
    newsletter: &Newsletter,
    edition: &Edition,
) -> Result<EditionView, WebError> {
    let found = state.store().public_by_ids(chrome.now, &edition.story_ids).await?;
    let ordered: Vec<&ArticleSummary> =
        edition.story_ids.iter().filter_map(|id| found.iter().find(|story| story.id == *id)).collect();
    let lookup = chrome::lookup_for(state, chrome, &ordered, &[], &[]).await?;
    let stories = ordered
        .iter()
        .map(|story| EditionStory {
            headline: story.headline.clone(),
            deck: story.deck.clone(),
            url: absolute(state, &dateline_render::views::article_url(story.id, &story.slug)),
            section: lookup.section_link(story.section_id).map(|s| s.name),
            bylines: lookup.bylines(&story.bylines).into_iter().map(|b| b.name).collect::<Vec<_>>().join(", "),
            excerpt: dateline_render::views::plain_excerpt(&story.excerpt, 240),
            image: story.lead_media_id.and_then(|id| lookup.media.get(&id)).map(|m| email_image(state, m)),
        })
        .collect();
    let day = edition.send_at.or(edition.started_at).unwrap_or(edition.created_at);
    Ok(EditionView {
        id: edition.id,
        subject: edition.subject.clone(),
        note_html: dateline_render::markdown::render_markdown(&edition.note),
        note_text: edition.note.clone(),
        date: chrome.clock.time(day).text,
        web_url: absolute(state, &edition_path(newsletter, edition.id)),
        newsletter_name: newsletter.name.clone(),
        newsletter_description: newsletter.description.clone(),
        archive_url: absolute(state, &archive_path(newsletter)),
        stories,
    })
}

/// The stories a new edition starts with, from where its newsletter takes them.
pub(crate) async fn assembled_stories(
    state: &AppState,
    chrome: &Chrome,
    source: EditionSource,
) -> Result<Vec<ArticleId>, WebError> {
    let store = state.store();
    let window = Window { limit: STORIES_ASSEMBLED, offset: 0 };
    let stories = match source {
        EditionSource::ByHand => return Ok(Vec::new()),
        EditionSource::Home => {
            let curation = store.home_curation().await?;
            let chosen = store.public_by_ids(chrome.now, &curation.chosen()).await?;
            let mut ids: Vec<ArticleId> =
                curation.chosen().into_iter().filter(|id| chosen.iter().any(|s| s.id == *id)).collect();
            for story in store.latest_public(chrome.now, Listing::Everything, window).await? {
                if ids.len() >= STORIES_ASSEMBLED as usize {
                    break;
                }
                if !ids.contains(&story.id) {
                    ids.push(story.id);
                }
            }
            return Ok(ids);
        }
        EditionSource::Section(id) => {
            let mut ids: Vec<SectionId> = vec![id];
            ids.extend(chrome.tree.children(id).map(|s| s.id));
            store.latest_public(chrome.now, Listing::Sections(&ids), window).await?
        }
    };
    Ok(stories.into_iter().map(|s| s.id).collect())
}

/// An edition's message parts, rendered once, with the reader's links still marks.
pub(crate) struct Letter {
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Serialize)]
struct EmailContext<'a> {
    site_name: &'a str,
    site_url: String,
    edition: &'a EditionView,
    unsubscribe_url: &'a str,
    manage_url: &'a str,
}

impl Letter {
    pub fn render(state: &AppState, site_name: &str, view: &EditionView) -> Result<Letter, WebError> {
        let context = EmailContext {
            site_name,
            site_url: absolute(state, "/"),
            edition: view,
            unsubscribe_url: UNSUBSCRIBE_MARK,
            manage_url: MANAGE_MARK,
        };
        Ok(Letter {
            subject: view.subject.clone(),
            html: state.theme().render("newsletter/email.html", &context)?,
            text: state.theme().render("newsletter/email.txt", &context)?,
        })
    }

    /// The HTML and text with one reader's links in.
    pub fn for_reader(&self, unsubscribe_url: &str, manage_url: &str) -> (String, String) {
        let in_html = |url: &str| url.replace('&', "&amp;");
        (
            self.html.replace(UNSUBSCRIBE_MARK, &in_html(unsubscribe_url)).replace(MANAGE_MARK, &in_html(manage_url)),
            self.text.replace(UNSUBSCRIBE_MARK, unsubscribe_url).replace(MANAGE_MARK, manage_url),
        )
    }
}

/// The reader's one-click unsubscribe and manage addresses.
pub(crate) fn reader_links(state: &AppState, key: &str, subscriber: i64, newsletter: i64) -> (String, String) {
    let unsubscribe = Token::Unsubscribe { subscriber, newsletter }.sign(key);
    let manage = Token::Manage { subscriber }.sign(key);
    (
        absolute(state, &format!("/newsletters/unsubscribe?t={unsubscribe}")),
        absolute(state, &format!("/newsletters/manage?t={manage}")),
    )
}

/// The host readers reach the paper at, for `List-Id` and `Message-ID`.
pub(crate) fn paper_host(state: &AppState) -> String {
    crate::settings::public_host(&state.settings().public_url).to_owned()
}

/// RFC 5322's date: `Sun, 29 Nov 2026 07:00:00 +0000`.
pub(crate) fn message_date(now: Timestamp) -> String {
    now.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// One reader's message of an edition, signed when the operator gave a DKIM key.
pub(crate) struct ReaderMessage<'a> {
    pub newsletter: &'a Newsletter,
    pub letter: &'a Letter,
    pub edition_id: i64,
    pub subscriber_id: i64,
    pub email: &'a str,
}

impl ReaderMessage<'_> {
    pub fn bytes(&self, state: &AppState, key: &str, now: Timestamp) -> Result<Vec<u8>, String> {
        let (unsubscribe_url, manage_url) = reader_links(state, key, self.subscriber_id, self.newsletter.id);
        let (html, text) = self.letter.for_reader(&unsubscribe_url, &manage_url);
        let host = paper_host(state);
        let unsubscribe_to = state.settings().mail.unsubscribe_address.clone();
        let unsubscribe_to = unsubscribe_to.as_deref().unwrap_or(&self.newsletter.sender_address);
        let token = unsubscribe_url.rsplit("t=").next().unwrap_or_default().to_owned();
        let message = Message {
            from_name: self.newsletter.sender_name.clone(),
            from_address: self.newsletter.sender_address.clone(),
            to: self.email.to_owned(),
            subject: self.letter.subject.clone(),
            list_id: format!("{}.{host}", self.newsletter.slug),
            date: message_date(now),
            message_id: format!("edition-{}.reader-{}@{host}", self.edition_id, self.subscriber_id),
            unsubscribe_url,
            unsubscribe_mailto: format!("mailto:{unsubscribe_to}?subject=unsubscribe%20{token}"),
            text,
            html,
        };
        signed(state, message.to_bytes().map_err(|e| e.to_string())?, now)
    }
}

fn signed(state: &AppState, bytes: Vec<u8>, now: Timestamp) -> Result<Vec<u8>, String> {
    match &state.settings().mail.dkim {
        Some(key) => key.sign(&bytes, now.as_second()).map_err(|e| e.to_string()),
        None => Ok(bytes),
    }
}

#[derive(Serialize)]
struct ConfirmContext<'a> {
    site_name: &'a str,
    site_url: String,
    confirm_url: &'a str,
    newsletters: Vec<&'a str>,
    hours: i64,
}

/// The confirmation a reader asked for by subscribing: sent at once, never queued, so the
/// address is not stored before its owner confirms it. From the first chosen newsletter's
/// sender.
pub(crate) async fn send_confirmation(
    state: &AppState,
    site_name: &str,
    email: &str,
    chosen: &[&Newsletter],
    now: Timestamp,
) -> Result<(), String> {
    let relay = state.settings().mail.relay.clone().ok_or("the paper sends no mail yet")?;
    let first = chosen.first().ok_or("no newsletter was chosen")?;
    let key = state.store().server_secret(LINK_KEY).await.map_err(|e| e.to_string())?;
    let token = Token::Confirm {
        email: email.to_owned(),
        newsletters: chosen.iter().map(|n| n.id).collect(),
        expires: now + dateline_newsroom::newsletters::CONFIRMATION_LIFETIME,
    }
    .sign(&key);
    let confirm_url = absolute(state, &format!("/newsletters/confirm?t={token}"));
    let context = ConfirmContext {
        site_name,
        site_url: absolute(state, "/"),
        confirm_url: &confirm_url,
        newsletters: chosen.iter().map(|n| n.name.as_str()).collect(),
        hours: dateline_newsroom::newsletters::CONFIRMATION_LIFETIME.as_hours(),
    };
    let host = paper_host(state);
    let message = Message {
        from_name: first.sender_name.clone(),
        from_address: first.sender_address.clone(),
        to: email.to_owned(),
        subject: format!("Confirm your subscription to {}", first.name),
        list_id: String::new(),
        date: message_date(now),
        // The token is unique to this address, these lists and this moment.
        message_id: format!("confirm.{}@{host}", &token[token.len().saturating_sub(22)..]),
        unsubscribe_url: String::new(),
        unsubscribe_mailto: String::new(),
        text: state.theme().render("newsletter/confirm.txt", &context).map_err(|e| e.to_string())?,
        html: state.theme().render("newsletter/confirm.html", &context).map_err(|e| e.to_string())?,
    };
    let bytes = signed(state, message.to_bytes().map_err(|e| e.to_string())?, now)?;
    let envelope = dateline_mail::smtp::Envelope { from: first.sender_address.clone(), to: email.to_owned() };
    relay.send(&envelope, &bytes, || async { Ok(()) }).await.map_err(|e| e.to_string())
}
