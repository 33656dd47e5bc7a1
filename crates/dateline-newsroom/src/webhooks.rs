//! Webhooks: what happened to a story, told to the endpoints an admin registered.
//!
//! Which event a change is follows from the change itself ([`event_of`]): the store writes
//! one delivery per subscribed endpoint in the change's own transaction, so a crash between
//! the change and its telling loses nothing. Deliveries are signed as the Standard Webhooks
//! specification says ([`sign`]: `webhook-id`, `webhook-timestamp`, `webhook-signature` with
//! HMAC-SHA256 over `id.timestamp.payload`) and retried on the specification's schedule
//! ([`pause_after`]) for more than a day.

use crate::accounts::{Action, User};
use crate::article::{ArticleStatus, ArticleUpdate, RevisionKind};
use crate::catalog::CatalogError;
use crate::store::StoreResult;
use jiff::{SignedDuration, Timestamp};
use std::future::Future;

/// What happened to a story, as a webhook names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    Published,
    /// A public update ("Updated" shows on the page).
    Updated,
    Corrected,
    Unpublished,
    /// Taken down for legal reasons.
    Removed,
    /// Scheduled, or its scheduled time changed.
    Scheduled,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 6] = [
        WebhookEvent::Published,
        WebhookEvent::Updated,
        WebhookEvent::Corrected,
        WebhookEvent::Unpublished,
        WebhookEvent::Removed,
        WebhookEvent::Scheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::Published => "story.published",
            WebhookEvent::Updated => "story.updated",
            WebhookEvent::Corrected => "story.corrected",
            WebhookEvent::Unpublished => "story.unpublished",
            WebhookEvent::Removed => "story.removed",
            WebhookEvent::Scheduled => "story.scheduled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == text.trim())
    }
}

/// The event a story's update is, if any: what the revision records, and for a scheduled
/// story any save that keeps it scheduled (its time may have moved).
pub fn event_of(update: &ArticleUpdate) -> Option<WebhookEvent> {
    match update.revision_kind {
        RevisionKind::Published => Some(WebhookEvent::Published),
        RevisionKind::PublicUpdate => Some(WebhookEvent::Updated),
        RevisionKind::Correction => Some(WebhookEvent::Corrected),
        RevisionKind::Unpublished => Some(WebhookEvent::Unpublished),
        RevisionKind::Removed => Some(WebhookEvent::Removed),
        _ if update.status == ArticleStatus::Scheduled => Some(WebhookEvent::Scheduled),
        _ => None,
    }
}

/// An endpoint an admin registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub secret: String,
    pub created_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
}

/// One event for one endpoint, delivered or waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub url: String,
    pub secret: String,
    pub message_id: String,
    pub event: String,
    pub article_id: i64,
    pub article_version: i64,
    pub article_slug: String,
    pub created_at: Timestamp,
    pub attempts: i64,
    pub delivered_at: Option<Timestamp>,
    pub given_up_at: Option<Timestamp>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    /// Set when the endpoint is a syndication partner's: the delivery carries the story
    /// itself, as the partner is offered it (`crate::syndication`), not the event.
    pub partner_id: Option<i64>,
    /// Sent as `Authorization: Bearer …` when set (a partner's ingest token).
    pub bearer_token: Option<String>,
}

pub trait WebhookStore {
    fn insert_webhook(
        &self,
        url: &str,
        events: &[WebhookEvent],
        secret: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<WebhookEndpoint>> + Send;
    fn webhooks(&self) -> impl Future<Output = StoreResult<Vec<WebhookEndpoint>>> + Send;
    /// Deliveries due at `now`, oldest first.
    fn webhook_deliveries_due(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> impl Future<Output = StoreResult<Vec<WebhookDelivery>>> + Send;
    /// The newest deliveries, for the desk.
    fn recent_webhook_deliveries(&self, limit: i64) -> impl Future<Output = StoreResult<Vec<WebhookDelivery>>> + Send;
    fn webhook_delivered(&self, id: i64, status: u16, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
    /// Marks a delivery done without sending it, and why (a partner is offered nothing of
    /// that story).
    fn webhook_skipped(&self, id: i64, reason: &str, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
    /// Records a failed attempt; `retry_at` none gives the delivery up.
    fn webhook_failed(
        &self,
        id: i64,
        status: Option<u16>,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Stops an endpoint from now on: nothing more is queued for it or sent to it (its
    /// deliveries stay, for the record). `NotFound` for no such endpoint.
    fn disable_webhook(&self, id: i64, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
    /// Sends a delivery again from now (an admin's resend), with its message id.
    fn resend_webhook(&self, id: i64, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
}

/// How long to wait after the `attempts`-th failed attempt, on the Standard Webhooks
/// schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: more than a day in all); `None` when
/// the delivery is to be given up.
pub fn pause_after(attempts: i64) -> Option<SignedDuration> {
    const SCHEDULE: [i64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
    usize::try_from(attempts - 1).ok().and_then(|i| SCHEDULE.get(i)).map(|s| SignedDuration::from_secs(*s))
}

/// The `webhook-signature` value for a message: `v1,` and the base64 of HMAC-SHA256 keyed with
/// the secret's bytes (the base64 after `whsec_`) over `id.timestamp.payload`.
pub fn sign(secret: &str, message_id: &str, timestamp: i64, payload: &str) -> Option<String> {
    use hmac::Mac;
    let key = base64_decode(secret.strip_prefix("whsec_").unwrap_or(secret))?;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{message_id}.{timestamp}.{payload}").as_bytes());
    Some(format!("v1,{}", base64_encode(&mac.finalize().into_bytes())))
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for c in text.trim_end_matches('=').bytes() {
        let value = BASE64.iter().position(|b| *b == c)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

/// A new signing secret: `whsec_` and 24 random bytes in base64.
pub fn new_secret() -> Option<String> {
    let mut bytes = [0u8; 24];
    getrandom::getrandom(&mut bytes).ok()?;
    Some(format!("whsec_{}", base64_encode(&bytes)))
}

/// Registers an endpoint for some events; returns it with its secret (shown to the admin once
/// on the desk). The address must be `http://` or `https://` with a host and no credentials;
/// where it may point (no private addresses unless the operator allows them) is checked at
/// every delivery, after the name is resolved.
pub async fn add_webhook(
    store: &impl WebhookStore,
    actor: Option<&User>,
    url: &str,
    events: &[String],
    now: Timestamp,
) -> Result<WebhookEndpoint, CatalogError> {
    if actor.is_some_and(|a| !a.role.may(Action::ManageUsers)) {
        return Err(CatalogError::NotAllowed);
    }
    let invalid = |field, problem: &str| CatalogError::Invalid { field, problem: problem.to_owned() };
    let url = check_endpoint_url(url)?;
    let mut chosen = Vec::new();
    for name in events {
        let event = WebhookEvent::parse(name).ok_or_else(|| {
            invalid("events", "events are story.published, story.updated, story.corrected, story.unpublished, story.removed and story.scheduled")
        })?;
        if !chosen.contains(&event) {
            chosen.push(event);
        }
    }
    if chosen.is_empty() {
        return Err(invalid("events", "choose at least one event"));
    }
    let secret = new_secret().ok_or_else(|| invalid("secret", "the system gave no random numbers"))?;
    Ok(store.insert_webhook(&url, &chosen, &secret, now).await?)
}

/// An endpoint's address as given, if it can be one: `http://` or `https://` with a host and
/// no credentials. Where it may point (no private addresses unless the operator allows them)
/// is checked at every delivery, after the name is resolved.
pub fn check_endpoint_url(url: &str) -> Result<String, CatalogError> {
    let invalid = |problem: &str| CatalogError::Invalid { field: "url", problem: problem.to_owned() };
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| invalid("the address must start with https:// or http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') || url.len() > 2_000 || url.chars().any(char::is_whitespace) {
        return Err(invalid("the address needs a host, and no user name, password or spaces"));
    }
    Ok(url.to_owned())
}

/// Stops an endpoint: an admin on the desk, or the operator (`None`) at the command line.
pub async fn disable_webhook(
    store: &impl WebhookStore,
    actor: Option<&User>,
    id: i64,
    now: Timestamp,
) -> Result<(), CatalogError> {
    if actor.is_some_and(|a| !a.role.may(Action::ManageUsers)) {
        return Err(CatalogError::NotAllowed);
    }
    Ok(store.disable_webhook(id, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification's reference libraries.
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(signature.as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    #[test]
    fn base64_round_trips_and_the_retries_last_more_than_a_day() {
        for bytes in [&b""[..], b"a", b"ab", b"abc", b"abcd", &[0, 255, 128, 7, 9]] {
            assert_eq!(base64_decode(&base64_encode(bytes)).as_deref(), Some(bytes));
        }
        let total: i64 = (1..).map_while(pause_after).map(|d| d.as_secs()).sum();
        assert!(total > 24 * 3600, "{total} s");
        assert_eq!(pause_after(1), Some(SignedDuration::from_secs(5)));
        assert_eq!(pause_after(8), None);
    }
}
