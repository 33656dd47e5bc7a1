//! Telling the rest of the program, the other instances on the same PostgreSQL database, and
//! the outbox what each write changed ([`Change`]).
//!
//! Every write method of the store that readers could notice ends with
//! [`SqlStore::commit_with_change`]: inside the write's own transaction it adds the change to
//! the outbox (whose worker makes its lasting side effects, such as the CDN purge) and, on
//! PostgreSQL, queues the notice to the other instances (NOTIFY is delivered on commit and
//! dropped on rollback, so no crash can separate a write from its notice); after the commit
//! it tells this instance's subscribers at once, so the writer reads its own write.
//!
//! Between instances the notice travels through PostgreSQL's own LISTEN/NOTIFY, so no other
//! service is needed. A notice carries the sending instance's number so that an instance
//! does not act twice on its own changes. If the listening connection drops, notices may
//! have been missed, so the instance hears [`Change::Everything`] once it is back: it forgets
//! what it kept in memory, and nothing more (the CDN heard every change through the outbox).

use crate::db::{params, Db, Tx};
use crate::SqlStore;
use dateline_newsroom::{Change, StoreError};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::sync::broadcast;

/// The longest notice sent; PostgreSQL refuses payloads of 8,000 bytes or more.
const MAX_NOTICE_BYTES: usize = 7_900;
/// PostgreSQL's channel for Dateline's notices.
const CHANNEL: &str = "dateline_changes";
/// Changes a slow subscriber may fall behind by before it is told it lagged (and then drops
/// everything, which is always safe).
const BACKLOG: usize = 1024;

#[derive(Debug, Clone)]
pub(crate) struct ChangeFeed {
    sender: broadcast::Sender<Change>,
    /// How many changes were told to subscribers, counted after each is sent.
    announced: ChangesAnnounced,
    /// This process's number among the instances, chosen at random at start.
    instance: u64,
}

impl ChangeFeed {
    pub(crate) fn new() -> Self {
        let mut bytes = [0u8; 8];
        // A clash of two random 64-bit numbers would only make an instance skip a notice that
        // carried its own number; getrandom failing leaves 0, which is as good for one instance.
        let _ = getrandom::getrandom(&mut bytes);
        ChangeFeed {
            sender: broadcast::channel(BACKLOG).0,
            announced: ChangesAnnounced::default(),
            instance: u64::from_le_bytes(bytes),
        }
    }

    /// Tells this instance's subscribers; no receiver left is not an error (the cache may be
    /// switched off).
    fn announce(&self, change: Change) {
        let _ = self.sender.send(change);
        self.announced.0.fetch_add(1, std::sync::atomic::Ordering::Release);
    }
}

/// How many changes this instance has told its subscribers so far. A subscriber that
/// remembers the count it last caught up to can tell with one atomic read that nothing new
/// was said, without touching the channel (whose receiving end takes a lock each time): the
/// question every kept page's request asks.
#[derive(Debug, Clone, Default)]
pub struct ChangesAnnounced(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl ChangesAnnounced {
    /// The count so far; every change it counts can already be received.
    pub fn count(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }
}

#[derive(Serialize, Deserialize)]
struct Notice {
    from: u64,
    change: Change,
}

impl SqlStore {
    /// Every change from now on, this instance's and (on PostgreSQL, once
    /// [`SqlStore::listen_to_other_instances`] runs) the other instances'.
    pub fn subscribe_changes(&self) -> broadcast::Receiver<Change> {
        self.changes.sender.subscribe()
    }

    /// The count of changes told to subscribers so far (see [`ChangesAnnounced`]).
    pub fn changes_announced(&self) -> ChangesAnnounced {
        self.changes.announced.clone()
    }

    /// Ends a write made in `tx`: records `change` (if the write changed anything readers
    /// see) in the outbox and, on PostgreSQL, the notice to the other instances, all in `tx`;
    /// commits; then tells this instance's subscribers.
    pub(crate) async fn commit_with_change(&self, mut tx: Tx, change: Option<Change>) -> Result<(), StoreError> {
        if let Some(change) = &change {
            self.record_change(&mut tx, change).await?;
        }
        tx.commit().await?;
        if let Some(change) = change {
            self.changes.announce(change);
        }
        Ok(())
    }

    /// Adds `change` to the outbox and queues the notice to the other instances, in `tx`.
    async fn record_change(&self, tx: &mut Tx, change: &Change) -> Result<(), StoreError> {
        let payload = serde_json::to_string(change).map_err(|e| StoreError::Other(e.to_string()))?;
        // Written with the real time: the outbox is the running system's, not the paper's.
        let now = jiff::Timestamp::now();
        tx.execute(
            "INSERT INTO outbox (kind, payload, created_at, next_attempt_at) VALUES ($1, $2, $3, $3)",
            params![crate::outbox::CHANGE, payload, now],
        )
        .await?;
        if matches!(self.db, Db::Postgres(_)) {
            let notice = Notice { from: self.changes.instance, change: change.clone() };
            let mut text = serde_json::to_string(&notice).map_err(|e| StoreError::Other(e.to_string()))?;
            // NOTIFY carries at most 8,000 bytes; a change too long to tell is "everything".
            if text.len() > MAX_NOTICE_BYTES {
                let everything = Notice { from: self.changes.instance, change: Change::Everything };
                text = serde_json::to_string(&everything).map_err(|e| StoreError::Other(e.to_string()))?;
            }
            tx.execute("SELECT pg_notify($1, $2)", params![CHANNEL, text]).await?;
        }
        Ok(())
    }

    /// On PostgreSQL, hears the other instances' changes until the program stops, and passes
    /// them to this instance's subscribers. Does nothing on SQLite, where one process owns the
    /// database file.
    pub async fn listen_to_other_instances(&self) -> Result<(), StoreError> {
        let Db::Postgres(pool) = &self.db else { return Ok(()) };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await.map_err(crate::db::map_error)?;
        listener.listen(CHANNEL).await.map_err(crate::db::map_error)?;
        let feed = self.changes.clone();
        let pool = pool.clone();
        tokio::spawn(async move {
            // Set when the notices' connection dropped: whatever was said meanwhile is lost,
            // so once the database answers again everything counts as changed. Until then the
            // caches keep serving what they have.
            let mut lost = false;
            let mut ticker = tokio::time::interval(Duration::from_secs(1));
            loop {
                tokio::select! {
                    received = listener.try_recv() => match received {
                        Ok(Some(notification)) => match serde_json::from_str::<Notice>(notification.payload()) {
                            Ok(notice) if notice.from == feed.instance => {}
                            Ok(notice) => {
                                feed.announce(notice.change);
                            }
                            Err(error) => tracing::warn!(%error, "a change notice could not be read"),
                        },
                        // sqlx reconnects on the next call.
                        Ok(None) => {
                            tracing::warn!("lost the connection that hears other instances' changes; reconnecting");
                            lost = true;
                        }
                        Err(error) => {
                            tracing::warn!(%error, "cannot hear the other instances' changes; trying again");
                            lost = true;
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    },
                    _ = ticker.tick(), if lost => {
                        if sqlx::query("SELECT 1").execute(&pool).await.is_ok() {
                            lost = false;
                            feed.announce(Change::Everything);
                        }
                    }
                }
            }
        });
        Ok(())
    }
}
