//! Sending newsletters: the worker that puts together the editions of scheduled newsletters,
//! starts the editions whose time has come, and sends their messages, under the
//! `newsletters` lease so that one instance of many does it; when that instance dies, another
//! takes the sending over once the lease runs out (30 s).
//!
//! At most once, and nearly always exactly once: every (edition, reader) is one delivery row.
//! A message is written to the relay whole, then the row is claimed as sent
//! (`claim_delivery_sent`, a conditional update that only one sender can win), and only then
//! does the relay get the final `.` that makes the message real. A crash before the claim
//! leaves the relay an unfinished message it discards and the row waiting, to be sent again;
//! a crash after the `.` leaves a sent message marked sent; a crash in the instant between the
//! claim's commit and the `.` loses that one message (at most one per connection), which is
//! never sent twice instead. A sender that loses the claim (another instance got there first) abandons
//! its copy. A relay that answers 4xx has the row tried again later with growing pauses; a
//! 5xx marks it failed and counts against the address, which is suppressed after
//! `mail.suppress_after_failures` such failures.
//!
//! The pace is `mail.messages_per_second` across `mail.connections` connections, each
//! carrying message after message.

use crate::site::chrome;
use crate::site::letters::{self, Letter, ReaderMessage};
use crate::state::AppState;
use crate::WebError;
use dateline_mail::smtp::{Envelope, Relay, SendError, Session};
use dateline_newsroom::newsletters::{retry_pause, Delivery, DeliveryOutcome, EditionContent, Newsletter};
use dateline_newsroom::prelude::*;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

const LEASE_JOB: &str = "newsletters";
/// How long the lease lasts without renewal: how soon another instance takes the sending
/// over when the one sending dies.
const LEASE: SignedDuration = SignedDuration::from_secs(30);
/// Deliveries taken at once at most; the lease is renewed between batches.
const LARGEST_BATCH: i64 = 1_000;
/// A batch at the configured pace lasts about this long, well inside the lease.
const BATCH_SECONDS: i64 = 10;
/// A scheduled newsletter whose slot passed longer ago than this (the paper was down) skips
/// that slot rather than send a stale briefing.
const LATEST_CATCH_UP: SignedDuration = SignedDuration::from_hours(1);

/// Runs the worker every `interval` until the program stops.
pub async fn run(state: AppState, holder: String, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(error) = work(&state, &holder).await {
            tracing::warn!(%error, "the newsletters could not be sent");
        }
    }
}

/// One round: when this instance holds the lease, puts scheduled editions together, starts
/// those due and sends every message waiting. Returns the messages sent.
pub async fn work(state: &AppState, holder: &str) -> Result<usize, WebError> {
    let store = state.store();
    let now = state.now();
    if !store.take_lease(LEASE_JOB, holder, now, now + LEASE).await? {
        return Ok(0);
    }
    assemble_scheduled(state, now).await?;
    store.start_due_editions(now).await?;
    let Some(relay) = state.settings().mail.relay.clone() else { return Ok(0) };
    let mail = &state.settings().mail;
    let batch = match mail.messages_per_second {
        0 => LARGEST_BATCH,
        pace => (i64::from(pace) * BATCH_SECONDS).clamp(mail.connections as i64, LARGEST_BATCH),
    };
    let mut sent = 0;
    loop {
        let now = state.now();
        let due = store.deliveries_due(now, batch).await?;
        if due.is_empty() {
            break;
        }
        let full = due.len() as i64 == batch;
        sent += send_batch(state, &relay, due).await?;
        if !full {
            break;
        }
        let now = state.now();
        if !store.take_lease(LEASE_JOB, holder, now, now + LEASE).await? {
            break;
        }
    }
    store.finish_editions(state.now()).await?;
    Ok(sent)
}

/// For every newsletter that goes out by itself, the edition of its latest slot, when the slot
/// has passed, is recent, and no edition was scheduled or sent for it.
async fn assemble_scheduled(state: &AppState, now: Timestamp) -> Result<(), WebError> {
    let store = state.store();
    let newsletters = store.newsletters().await?;
    let scheduled: Vec<&Newsletter> =
        newsletters.iter().filter(|n| n.schedule.is_some() && n.retired_at.is_none()).collect();
    if scheduled.is_empty() {
        return Ok(());
    }
    let chrome = chrome::load(state, now).await?;
    for newsletter in scheduled {
        let Some(schedule) = newsletter.schedule else { continue };
        // The slots of the last eight days: the latest passed one, and the one before it.
        let mut slots = Vec::new();
        let mut at = now - SignedDuration::from_hours(24 * 8);
        while let Some(next) = schedule.next_after(at, &chrome.clock.zone).filter(|next| *next <= now) {
            slots.push(next);
            at = next;
        }
        let Some(&slot) = slots.last() else { continue };
        if now.duration_since(slot) > LATEST_CATCH_UP || slot < newsletter.created_at {
            continue;
        }
        let since = slots.len().checked_sub(2).map_or(slot, |i| slots[i] + SignedDuration::from_secs(1));
        if store.latest_edition_since(newsletter.id, since).await?.is_some() {
            continue;
        }
        let stories = letters::assembled_stories(state, &chrome, newsletter.source).await?;
        if stories.is_empty() {
            tracing::info!(newsletter = %newsletter.slug, "nothing to send at this slot");
            continue;
        }
        let subject =
            format!("{}, {}", newsletter.name, slot.to_zoned(chrome.clock.zone.clone()).strftime("%-d %B %Y"));
        let content = EditionContent { subject, note: String::new(), story_ids: stories };
        let edition = store.insert_edition(newsletter.id, &content, None, now).await?;
        store.schedule_edition(edition.id, Some(slot)).await?;
        tracing::info!(newsletter = %newsletter.slug, edition = edition.id, "an edition was put together for its slot");
    }
    Ok(())
}

/// What the senders share: each edition's letter, and the key that signs readers' links.
struct Prepared {
    letters: HashMap<i64, (Newsletter, Letter)>,
    key: String,
}

async fn send_batch(state: &AppState, relay: &Relay, due: Vec<Delivery>) -> Result<usize, WebError> {
    let store = state.store();
    let chrome = chrome::load(state, state.now()).await?;
    let mut letters = HashMap::new();
    for delivery in &due {
        if letters.contains_key(&delivery.edition_id) {
            continue;
        }
        let edition = store.edition_by_id(delivery.edition_id).await?;
        let newsletter = store.newsletter_by_id(edition.newsletter_id).await?;
        let view = letters::edition_view(state, &chrome, &newsletter, &edition).await?;
        let letter = Letter::render(state, &chrome.site.name, &view)?;
        letters.insert(edition.id, (newsletter, letter));
    }
    let prepared = Arc::new(Prepared { letters, key: store.server_secret(letters::LINK_KEY).await? });
    let mail = &state.settings().mail;
    let connections = mail.connections.clamp(1, due.len().max(1));
    // Each connection sends every `connections`-th message; together they keep the pace.
    let pause = (mail.messages_per_second > 0)
        .then(|| Duration::from_secs_f64(connections as f64 / f64::from(mail.messages_per_second)));
    let mut shares: Vec<Vec<Delivery>> = vec![Vec::new(); connections];
    for (i, delivery) in due.into_iter().enumerate() {
        shares[i % connections].push(delivery);
    }
    let senders = shares.into_iter().map(|share| send_share(state, relay, prepared.clone(), share, pause));
    let results = futures_util::future::join_all(senders).await;
    let mut sent = 0;
    for result in results {
        sent += result?;
    }
    Ok(sent)
}

/// Sends one connection's share of a batch, in order, at its pace.
async fn send_share(
    state: &AppState,
    relay: &Relay,
    prepared: Arc<Prepared>,
    share: Vec<Delivery>,
    pause: Option<Duration>,
) -> Result<usize, WebError> {
    let store = state.store();
    let mut session: Option<Session> = None;
    let mut sent = 0;
    let mut next_start = tokio::time::Instant::now();
    for delivery in share {
        if let Some(pause) = pause {
            tokio::time::sleep_until(next_start).await;
            next_start += pause;
        }
        let Some((newsletter, letter)) = prepared.letters.get(&delivery.edition_id) else { continue };
        let now = state.now();
        let message = ReaderMessage {
            newsletter,
            letter,
            edition_id: delivery.edition_id,
            subscriber_id: delivery.subscriber_id,
            email: &delivery.email,
        };
        let claimed = std::sync::atomic::AtomicBool::new(false);
        let outcome = match message.bytes(state, &prepared.key, now) {
            Err(why) => Err(SendError::Invalid(why)),
            Ok(bytes) => {
                let envelope = Envelope { from: newsletter.sender_address.clone(), to: delivery.email.clone() };
                send_one(relay, &mut session, &envelope, &bytes, || async {
                    match store.claim_delivery_sent(delivery.id, state.now()).await {
                        Ok(true) => {
                            claimed.store(true, std::sync::atomic::Ordering::SeqCst);
                            Ok(())
                        }
                        Ok(false) => Err("another sender sent it already".to_owned()),
                        Err(error) => Err(format!("the delivery could not be marked sent: {error}")),
                    }
                })
                .await
            }
        };
        let claimed = claimed.load(std::sync::atomic::Ordering::SeqCst);
        match outcome {
            Ok(()) => sent += 1,
            // Abandoned before the end: the relay kept nothing, and the row says what is true
            // (sent by another, or still waiting for the next round).
            Err(SendError::Abandoned(why)) => tracing::info!(delivery = delivery.id, %why, "a message was abandoned"),
            Err(SendError::Unconfirmed(why)) => {
                sent += 1;
                tracing::warn!(delivery = delivery.id, %why, "the relay did not confirm a message; it counts as sent, never twice");
            }
            Err(SendError::Temporary(error)) => {
                let retry_at = retry_pause(delivery.attempts + 1).map(|pause| now + pause);
                store.delivery_failed(&delivery, &DeliveryOutcome::Deferred { error, retry_at }, claimed, now).await?;
            }
            Err(SendError::Permanent(error) | SendError::Invalid(error)) => {
                let suppress_after = state.settings().mail.suppress_after_failures;
                let refused = DeliveryOutcome::Refused { error, suppress_after };
                store.delivery_failed(&delivery, &refused, claimed, now).await?;
            }
        }
    }
    if let Some(session) = session {
        session.quit().await;
    }
    Ok(sent)
}

/// Sends on the open session, opening one when there is none; any failure spends it.
async fn send_one<F, Fut>(
    relay: &Relay,
    session: &mut Option<Session>,
    envelope: &Envelope,
    bytes: &[u8],
    commit: F,
) -> Result<(), SendError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let mut open = match session.take() {
        Some(open) => open,
        None => relay.connect().await?,
    };
    open.send(envelope, bytes, commit).await?;
    *session = Some(open);
    Ok(())
}
