//! The outbox's rows: what the worker reads, and how it marks them done or to be tried again.
//! Rows are written by `SqlStore::commit_with_change` in the transaction of the write they
//! describe. Part of the running system, not of the paper: never exported.

use crate::db::params;
use crate::SqlStore;
use dateline_newsroom::{Change, StoreError};
use jiff::Timestamp;

/// The kind of a row that carries a [`Change`] as JSON.
pub(crate) const CHANGE: &str = "change";

/// A row of the outbox waiting for its side effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: i64,
    pub change: Change,
    /// How many times its side effects have failed so far.
    pub attempts: i64,
}

impl SqlStore {
    /// Up to `limit` rows waiting, oldest first: those never tried, and those whose next
    /// attempt is due at `now`. (A row's first attempt does not wait for any clock.)
    pub async fn outbox_due(&self, now: Timestamp, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows: Vec<(i64, String, String, i64)> = self
            .db
            .fetch_all(
                "SELECT id, kind, payload, attempts FROM outbox WHERE done_at IS NULL AND (attempts = 0 OR next_attempt_at <= $1) \
                 ORDER BY id LIMIT $2",
                params![now, limit],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, kind, payload, attempts)| {
                // A row this version cannot read (written by a newer one) means "everything".
                let change = (kind == CHANGE)
                    .then(|| serde_json::from_str(&payload).ok())
                    .flatten()
                    .unwrap_or(Change::Everything);
                OutboxEntry { id, change, attempts }
            })
            .collect())
    }

    /// Marks rows whose side effects are done.
    pub async fn outbox_done(&self, ids: &[i64], now: Timestamp) -> Result<(), StoreError> {
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            self.db.execute(&format!("UPDATE outbox SET done_at = $1 WHERE id IN ({list})"), params![now]).await?;
        }
        Ok(())
    }

    /// Records a failed attempt: the row is tried again at `retry_at`.
    pub async fn outbox_failed(&self, id: i64, retry_at: Timestamp, error: &str) -> Result<(), StoreError> {
        let error: String = error.chars().take(1_000).collect();
        self.db
            .execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1",
                params![id, retry_at, error],
            )
            .await
            .map(drop)
    }

    /// Forgets rows done before `before`; returns how many.
    pub async fn outbox_prune(&self, before: Timestamp) -> Result<u64, StoreError> {
        self.db.execute("DELETE FROM outbox WHERE done_at IS NOT NULL AND done_at < $1", params![before]).await
    }

    /// How many rows wait for their side effects (for `/metrics` and tests).
    pub async fn outbox_waiting(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            self.db.fetch_one("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL", params![]).await?;
        Ok(count)
    }
}
