//! `GET /api/v1/syndication/{partner}`: a partner's feed of the paper's stories, and the items
//! a partner's push carries (the webhook sender, `webhooks.rs`, sends those).
//!
//! What a partner is offered of a story is the newsroom's rule (`Partner::offer`): this module
//! only writes it as NinJS 2.2 or NewsML-G2. The feed is a change feed: stories in the order
//! they changed (for a partner without embargoed copy, the order they became offerable), from
//! a cursor the partner keeps, so polling with the last `next_cursor` returns only what is
//! new. A change enters the feed [`SETTLE`] after it is saved, so a write still committing is
//! never passed over by a cursor. Every answer is the partner's own: it is never cached.

use super::shapes::Story;
use super::stories::whole_story;
use super::{newsml, ninjs};
use crate::error::WebError;
use crate::query::Query;
use crate::site::chrome::{self, Chrome};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_feeds::xml::rfc3339;
use dateline_newsroom::accounts::{constant_time_eq, token_digest};
use dateline_newsroom::prelude::*;
use dateline_newsroom::syndication::{FeedCursor, FeedOrder, Offer, Partner, PartnerFormat};
use dateline_newsroom::{Article, StoreError};
use dateline_render::views::article_url;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::IntoParams;

/// How long after a save a change enters the pull feed.
pub(crate) const SETTLE: SignedDuration = SignedDuration::from_secs(30);
const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

/// A story as one partner is offered it, in both formats.
pub(crate) enum Syndicated {
    Item {
        ninjs: Value,
        /// The text item, then any picture item.
        newsml: Vec<String>,
    },
    /// Nothing for this partner, and why.
    Nothing(&'static str),
}

fn usage_terms(partner: &Partner, paper: &str) -> String {
    format!("Syndicated by {paper} to {} under their agreement; credit {paper}.", partner.name)
}

fn issuer<'a>(chrome: &'a Chrome, terms: &'a str) -> newsml::Issuer<'a> {
    newsml::Issuer { paper: &chrome.site.name, language: &chrome.site.language, usage_terms: terms }
}

/// What `partner` is offered of `article` now, written out.
pub(crate) async fn syndicated(
    state: &AppState,
    chrome: &Chrome,
    partner: &Partner,
    article: &Article,
) -> Result<Syndicated, WebError> {
    let terms = usage_terms(partner, &chrome.site.name);
    let canonical = crate::site::feeds::absolute(state, &article_url(article.id, &article.content.slug));
    let notice = |status: &str, note: &str| {
        let ninjs = json!({
            "uri": canonical,
            "type": "text",
            "version": article.version.to_string(),
            "versioncreated": rfc3339(article.modified_at),
            "pubstatus": status,
            "ednote": note,
            "infosources": [{"name": chrome.site.name, "role": "publisher"}],
        });
        let item = newsml::notice_item(
            &canonical,
            article.version,
            article.modified_at,
            status,
            note,
            &issuer(chrome, &terms),
        );
        Syndicated::Item { ninjs, newsml: vec![item] }
    };
    let embargoed_until = match partner.offer(article, &chrome.tree, chrome.now) {
        Offer::Nothing => {
            return Ok(Syndicated::Nothing(
                "not offered to this partner (its sections and topics, or not yet released)",
            ))
        }
        Offer::Withhold => {
            return Ok(notice(
                "withheld",
                "Withdrawn by the paper: take it down where it has been published, until further notice.",
            ))
        }
        Offer::Kill => {
            return Ok(notice(
                "canceled",
                "Killed for legal reasons: take it down wherever it has been published and do not use it again.",
            ))
        }
        Offer::Copy { embargoed_until } => embargoed_until,
    };
    let (story, photo_travels) = whole_story(state, chrome, article, dateline_newsroom::StoryHas::UNKNOWN).await?;
    let modified = rfc3339(article.modified_at);
    let first = if story.published.is_empty() { modified.clone() } else { story.published.clone() };
    let version_created = story.updated.clone().unwrap_or_else(|| first.clone());
    Ok(Syndicated::Item {
        ninjs: ninjs_copy(&story, chrome, &terms, embargoed_until, photo_travels, (&first, &version_created)),
        newsml: newsml::story_items(
            &story,
            &issuer(chrome, &terms),
            (&first, &version_created),
            embargoed_until,
            story.lead_photo.as_ref().filter(|_| photo_travels),
        ),
    })
}

fn ninjs_copy(
    story: &Story,
    chrome: &Chrome,
    terms: &str,
    embargoed_until: Option<Timestamp>,
    photo_travels: bool,
    (first, version_created): (&str, &str),
) -> Value {
    let mut item = ninjs::item(story, &chrome.site.name, &chrome.site.language);
    if let Value::Object(fields) = &mut item {
        if !photo_travels {
            // Only photos the desk cleared for others to republish travel.
            fields.remove("associations");
        }
        fields.insert("firstcreated".into(), Value::from(first));
        fields.insert("versioncreated".into(), Value::from(version_created));
        if let Some(at) = embargoed_until {
            fields.insert("embargoed".into(), Value::from(rfc3339(at)));
        }
        fields.insert("copyrightholder".into(), Value::from(chrome.site.name.clone()));
        fields.insert("usageterms".into(), Value::from(terms));
    }
    item
}

/// How a partner asks for its feed.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct FeedAsked {
    /// `ninjs` (the default) for JSON with NinJS 2.2 items, `newsml` for a NewsML-G2
    /// newsMessage.
    format: Option<FeedFormat>,
    /// Items per page (50 by default).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
    /// Where the previous page ended (its `next_cursor`); none starts at the beginning.
    #[param(pattern = r"^[0-9]{1,17}-[0-9]{1,18}$")]
    cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FeedFormat {
    Ninjs,
    Newsml,
}

/// A page of a partner's feed as JSON.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct SyndicationPage {
    /// NinJS 2.2 items: stories (`pubstatus` `usable`, with `embargoed` for embargoed copy) and
    /// notices (`withheld`, `canceled`) naming a story by its `uri`.
    #[schema(value_type = Vec<Object>)]
    items: Vec<Value>,
    /// Poll again with this cursor; it stays the same while nothing new has come.
    next_cursor: Option<String>,
    /// The address of the next page.
    next: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/syndication/{partner}",
    tag = "syndication",
    params(("partner" = String, Path, description = "The partner's short name"), FeedAsked),
    responses(
        (status = 200, description = "What changed since the cursor: stories and notices for this partner",
         content((SyndicationPage = "application/json"), (String = "application/vnd.iptc.g2.newsmessage+xml"))),
        (status = 400, description = "A parameter that cannot be read", body = crate::error::ApiErrors),
        (status = 401, description = "Unknown partner, ended partnership or wrong token", body = crate::error::ApiErrors),
    ),
    security(("partner_token" = []))
)]
pub(crate) async fn feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(asked): Query<FeedAsked>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let partner = authenticated(&state, &slug, &headers).await?;
    let limit = asked.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(WebError::Refused {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            detail: format!("The limit must be a whole number from 1 to {MAX_LIMIT}."),
            field: Some("limit"),
        });
    }
    let after = match asked.cursor.as_deref() {
        None => None,
        Some(text) => Some(FeedCursor::decode(text).ok_or_else(|| WebError::Refused {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            detail: "The cursor cannot be read; use the next_cursor of a page.".into(),
            field: Some("cursor"),
        })?),
    };
    let chrome = chrome::load(&state, state.now()).await?;
    let order = if partner.embargoed_copy { FeedOrder::Changed } else { FeedOrder::Offered };
    let changes = state.store().syndication_changes(order, after, chrome.now - SETTLE, limit).await?;
    let mut ninjs_items = Vec::new();
    let mut newsml_items = Vec::new();
    for change in &changes {
        let article = match state.store().article_by_id(change.id).await {
            Ok(article) => article,
            Err(StoreError::NotFound) => continue,
            Err(error) => return Err(error.into()),
        };
        if let Syndicated::Item { ninjs, newsml } = syndicated(&state, &chrome, &partner, &article).await? {
            ninjs_items.push(ninjs);
            newsml_items.extend(newsml);
        }
    }
    let next_cursor = changes.last().copied().or(after).map(|c| c.encode());
    let format = asked.format.unwrap_or(FeedFormat::Ninjs);
    let next = next_cursor.as_ref().map(|cursor| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if format == FeedFormat::Newsml {
            query.append_pair("format", "newsml");
        }
        if let Some(limit) = asked.limit {
            query.append_pair("limit", &limit.to_string());
        }
        query.append_pair("cursor", cursor);
        crate::site::feeds::absolute(&state, &format!("/api/v1/syndication/{}?{}", partner.slug, query.finish()))
    });
    let (content_type, body) = match format {
        FeedFormat::Ninjs => (
            "application/json; charset=utf-8",
            serde_json::to_vec(&SyndicationPage { items: ninjs_items, next_cursor, next: next.clone() })
                .map_err(|e| WebError::Internal(format!("the feed could not be written: {e}")))?,
        ),
        FeedFormat::Newsml => {
            (newsml::MESSAGE_MEDIA_TYPE, newsml::message(&newsml_items, chrome.now, &chrome.site.name).into_bytes())
        }
    };
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Some(link) = next.and_then(|next| HeaderValue::from_str(&format!("<{next}>; rel=\"next\"")).ok()) {
        headers.insert(header::LINK, link);
    }
    Ok(response)
}

/// The partner the token belongs to. An unknown partner, an ended partnership and a wrong
/// token all get the same answer, so nobody learns from outside who the partners are.
async fn authenticated(state: &AppState, slug: &str, headers: &HeaderMap) -> Result<Partner, WebError> {
    let unauthorized = || {
        WebError::refused(
            StatusCode::UNAUTHORIZED,
            "bad_token",
            "the partner or its token is wrong, or the token is missing",
        )
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if given.is_empty() {
        return Err(unauthorized());
    }
    let partner = match state.store().partner_by_slug(slug).await {
        Ok(partner) => partner,
        Err(StoreError::NotFound) => return Err(unauthorized()),
        Err(error) => return Err(error.into()),
    };
    if partner.revoked_at.is_some() || !constant_time_eq(&token_digest(given), &partner.token_digest) {
        return Err(unauthorized());
    }
    Ok(partner)
}

/// A push's body and content type for a partner in its format, or why nothing is pushed.
pub(crate) fn push_body(
    partner: &Partner,
    item: &Syndicated,
    now: Timestamp,
    paper: &str,
) -> Result<(String, &'static str), &'static str> {
    let (ninjs, newsml) = match item {
        Syndicated::Item { ninjs, newsml } => (ninjs, newsml),
        Syndicated::Nothing(reason) => return Err(reason),
    };
    Ok(match partner.format {
        PartnerFormat::NinJs => (ninjs.to_string(), ninjs::MEDIA_TYPE),
        PartnerFormat::NewsMlG2 if newsml.len() == 1 => (newsml::document(&newsml[0]), newsml::ITEM_MEDIA_TYPE),
        PartnerFormat::NewsMlG2 => (newsml::message(newsml, now, paper), newsml::MESSAGE_MEDIA_TYPE),
    })
}
