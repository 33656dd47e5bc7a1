//! The outbox's worker: the lasting side effects of every change readers could see, done
//! once, by one instance, and never lost.
//!
//! The store writes each change into the outbox in the transaction of the write itself
//! (`SqlStore::commit_with_change`). This worker, run under the `outbox` lease so that one
//! instance of many does it, reads the rows waiting, makes their side effects and marks them
//! done. Today that is the CDN purge: the keys of every page the changes touch, in one call
//! to the operator's purge hook per batch (or none, when no hook is set). A failed call is
//! tried again with growing pauses (1 s, 2 s, 4 s, … at most an hour) and given up after
//! [`MOST_ATTEMPTS`], since the CDN's own `s-maxage` bounds how long it can serve the old page
//! anyway. The same worker, under the same lease, sends the webhooks the story writes queued
//! (`webhooks.rs`); newsletter sends will be further side effects.
//!
//! Only the outbox purges the CDN: an instance that drops pages from its own memory (because
//! it heard another instance's notice, or lost the notices' connection) never does.

use crate::page_cache::tags_touched;
use crate::state::AppState;
use dateline_newsroom::{Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;
use std::time::Duration;

/// Rows handled together: one purge call covers all of them.
const BATCH: i64 = 200;
/// Attempts before a row's side effects are given up.
pub const MOST_ATTEMPTS: i64 = 20;
/// The lease the worker runs under, and how long it lasts without renewal.
const LEASE_JOB: &str = "outbox";
const LEASE: SignedDuration = SignedDuration::from_secs(30);
/// Done rows are kept this long (for an operator's look), then pruned.
const KEEP_DONE: SignedDuration = SignedDuration::from_hours(24);

/// How long to wait before trying a row again after its `attempts`-th failure.
fn pause_after(attempts: i64) -> SignedDuration {
    let seconds = 1_i64.checked_shl(u32::try_from(attempts.clamp(0, 12)).unwrap_or(12)).unwrap_or(3600);
    SignedDuration::from_secs(seconds.min(3600))
}

/// Works one batch of waiting rows at `now`; returns how many rows it finished.
pub async fn work_once(state: &AppState, now: Timestamp) -> Result<usize, StoreError> {
    let store = state.store();
    let due = store.outbox_due(now, BATCH).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = due.iter().map(|entry| entry.id).collect();
    let Some(hook) = state.purge_hook() else {
        store.outbox_done(&ids, now).await?;
        return Ok(ids.len());
    };
    let mut everything = false;
    let mut keys = BTreeSet::new();
    for entry in &due {
        match tags_touched(&entry.change) {
            Some(tags) => keys.extend(tags),
            None => everything = true,
        }
    }
    let sent = if everything { hook.purge_everything().await } else { hook.purge(keys.into_iter().collect()).await };
    match sent {
        Ok(()) => {
            store.outbox_done(&ids, now).await?;
            Ok(ids.len())
        }
        Err(reason) => {
            tracing::warn!(error = %reason, rows = ids.len(), "the purge hook failed; the outbox tries again");
            let mut given_up = Vec::new();
            for entry in &due {
                if entry.attempts + 1 >= MOST_ATTEMPTS {
                    tracing::error!(
                        outbox.id = entry.id,
                        "gave up purging the CDN for a change after {MOST_ATTEMPTS} attempts"
                    );
                    given_up.push(entry.id);
                } else {
                    store.outbox_failed(entry.id, now + pause_after(entry.attempts), &reason).await?;
                }
            }
            store.outbox_done(&given_up, now).await?;
            Ok(given_up.len())
        }
    }
}

/// Runs the worker every `interval` until the program stops, under the `outbox` lease.
pub async fn run(state: AppState, holder: String, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        ticker.tick().await;
        let now = state.now();
        match state.store().take_lease(LEASE_JOB, &holder, now, now + LEASE).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::warn!(%error, "the outbox could not take its lease");
                continue;
            }
        }
        // A full batch means more may wait: keep going until the outbox is drained.
        loop {
            match work_once(&state, now).await {
                Ok(done) if done as i64 == BATCH => continue,
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(%error, "the outbox could not be worked");
                    break;
                }
            }
        }
        if let Err(error) = crate::webhooks::deliver_due(&state, now).await {
            tracing::warn!(%error, "the webhooks could not be delivered");
        }
        ticks += 1;
        if ticks % 3600 == 1 {
            if let Err(error) = state.store().outbox_prune(now - KEEP_DONE).await {
                tracing::warn!(%error, "could not prune the outbox");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_and_stop_growing_at_an_hour() {
        assert_eq!(pause_after(0), SignedDuration::from_secs(1));
        assert_eq!(pause_after(3), SignedDuration::from_secs(8));
        assert_eq!(pause_after(19), SignedDuration::from_secs(3600));
    }
}
