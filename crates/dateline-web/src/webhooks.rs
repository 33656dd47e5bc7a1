//! Delivering webhooks: the deliveries the story writes queued (in their own transactions),
//! sent by the outbox worker, so by one instance at a time, signed as Standard Webhooks says
//! (`dateline_newsroom::webhooks::sign`), and retried on its schedule for more than a day.
//! A syndication partner's endpoint gets the story itself instead of the event, as the partner
//! is offered it when it is sent (`api::syndication`), with the partner's bearer token.
//!
//! An endpoint's name is resolved at each attempt and the request goes to the address that
//! was checked (no second lookup a DNS trick could change): loopback, private, link-local and
//! other special addresses are refused unless the operator allows them
//! (`webhooks.allow_private_addresses`, for an intranet receiver or a test). Redirects are not
//! followed, so an endpoint cannot send the paper on to a private address either.

use crate::state::AppState;
use dateline_newsroom::prelude::*;
use dateline_newsroom::webhooks::{pause_after, sign, WebhookDelivery};
use dateline_newsroom::StoreError;
use jiff::Timestamp;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

const BATCH: i64 = 50;
const TIMEOUT: Duration = Duration::from_secs(10);

/// The JSON of one event: the same bytes on every attempt.
fn payload(state: &AppState, delivery: &WebhookDelivery) -> String {
    let absolute = |path: &str| crate::site::feeds::absolute(state, path);
    serde_json::json!({
        "type": delivery.event,
        "timestamp": delivery.created_at.to_string(),
        "data": {
            "id": delivery.article_id,
            "version": delivery.article_version,
            "url": absolute(&format!("/article/{}/{}", delivery.article_id, delivery.article_slug)),
            "api_url": absolute(&format!("/api/v1/stories/{}", delivery.article_id)),
        }
    })
    .to_string()
}

/// Whether an address is one a webhook may not reach without the operator's leave.
fn is_special(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_special(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// The address to send to: the endpoint's name resolved, refused when special.
async fn checked_address(url: &reqwest::Url, allow_private: bool) -> Result<SocketAddr, String> {
    let host = url.host_str().ok_or("the address has no host")?;
    let port = url.port_or_known_default().ok_or("the address has no port")?;
    let mut found = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|_| format!("{host} could not be resolved"))?;
    let address = found.next().ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private && is_special(address.ip()) {
        return Err(format!(
            "{host} is at {}, a private or special address; webhooks.allow_private_addresses allows it",
            address.ip()
        ));
    }
    Ok(address)
}

/// What a delivery sends: its body and content type, or why nothing is sent.
enum Outgoing {
    Send(String, &'static str),
    Skip(&'static str),
}

/// An event's JSON; or, for a partner's endpoint, the story as the partner is offered it now
/// (so a push that is retried carries the story's latest state, with its version).
async fn outgoing(state: &AppState, delivery: &WebhookDelivery, now: Timestamp) -> Result<Outgoing, String> {
    let Some(partner_id) = delivery.partner_id else {
        return Ok(Outgoing::Send(payload(state, delivery), "application/json"));
    };
    let store = state.store();
    let partner = store.partner_by_id(partner_id).await.map_err(|e| format!("the partner cannot be read: {e}"))?;
    let article = match store.article_by_id(dateline_newsroom::ArticleId(delivery.article_id)).await {
        Ok(article) => article,
        Err(StoreError::NotFound) => return Ok(Outgoing::Skip("the story no longer exists")),
        Err(error) => return Err(format!("the story cannot be read: {error}")),
    };
    let chrome = crate::site::chrome::load(state, now).await.map_err(|e| format!("the paper cannot be read: {e}"))?;
    let item = crate::api::syndication::syndicated(state, &chrome, &partner, &article)
        .await
        .map_err(|e| format!("the story cannot be written out: {e}"))?;
    Ok(match crate::api::syndication::push_body(&partner, &item, now, &chrome.site.name) {
        Ok((body, content_type)) => Outgoing::Send(body, content_type),
        Err(reason) => Outgoing::Skip(reason),
    })
}

/// One attempt: the status of a 2xx answer, or why it failed (and the status, if any).
async fn attempt(
    state: &AppState,
    delivery: &WebhookDelivery,
    body: String,
    content_type: &str,
    now: Timestamp,
) -> Result<u16, (Option<u16>, String)> {
    let url = reqwest::Url::parse(&delivery.url).map_err(|_| (None, "the address cannot be read".to_owned()))?;
    let address = checked_address(&url, state.settings().webhooks_allow_private).await.map_err(|e| (None, e))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&host, address)
        .user_agent("Dateline-Webhooks/1")
        .build()
        .map_err(|e| (None, e.to_string()))?;
    let timestamp = now.as_second();
    let signature = sign(&delivery.secret, &delivery.message_id, timestamp, &body)
        .ok_or_else(|| (None, "the endpoint's secret cannot be read".to_owned()))?;
    let mut request = client
        .post(url)
        .header("content-type", content_type)
        .header("webhook-id", &delivery.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature);
    if let Some(token) = &delivery.bearer_token {
        request = request.bearer_auth(token);
    }
    let response = request.body(body).send().await.map_err(|e| {
        (None, if e.is_timeout() { "no answer in time".to_owned() } else { "could not connect".to_owned() })
    })?;
    let status = response.status().as_u16();
    if response.status().is_success() {
        Ok(status)
    } else {
        Err((Some(status), format!("the endpoint answered {status}")))
    }
}

/// Sends every delivery due at `now`; returns how many were tried.
pub(crate) async fn deliver_due(state: &AppState, now: Timestamp) -> Result<usize, StoreError> {
    let store = state.store();
    let due = store.webhook_deliveries_due(now, BATCH).await?;
    for delivery in &due {
        let sent = match outgoing(state, delivery, now).await {
            Ok(Outgoing::Send(body, content_type)) => attempt(state, delivery, body, content_type, now).await,
            Ok(Outgoing::Skip(reason)) => {
                store.webhook_skipped(delivery.id, reason, now).await?;
                continue;
            }
            Err(error) => Err((None, error)),
        };
        match sent {
            Ok(status) => store.webhook_delivered(delivery.id, status, now).await?,
            Err((status, error)) => {
                let retry_at = pause_after(delivery.attempts + 1).map(|pause| now + pause);
                if retry_at.is_none() {
                    tracing::error!(webhook.delivery = delivery.id, url = %delivery.url, %error, "a webhook delivery is given up");
                } else {
                    tracing::warn!(webhook.delivery = delivery.id, url = %delivery.url, %error, "a webhook delivery failed; it is tried again");
                }
                store.webhook_failed(delivery.id, status, &error, retry_at, now).await?;
            }
        }
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_told_apart_from_public_ones() {
        for special in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_special(special.parse().expect("address")), "{special}");
        }
        for public in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(!is_special(public.parse().expect("address")), "{public}");
        }
    }
}
