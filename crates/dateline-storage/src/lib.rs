//! Every SQL statement of Dateline lives here, for SQLite and PostgreSQL alike.
//!
//! [`SqlStore`] implements the newsroom's `Store` traits over one connection pool of either
//! kind, chosen at start by the database URL's scheme (`sqlite:` or `postgres://`). The
//! statements are written once with `$N` placeholders (see `db.rs`); each aggregate has its
//! own file. Nothing outside this crate writes SQL or sees `sqlx` errors: they become
//! `StoreError` in one place.

pub mod admin;
mod archive;
mod articles;
mod articles_in_bulk;
mod authors;
mod backup;
mod changes;
pub use changes::ChangesAnnounced;
mod connect;
mod db;
mod live;
mod media;
pub mod migrate;
mod moving_in;
mod newsletters;
mod outbox;
mod pages;
mod planning;
mod podcasts;
mod search;
mod search_snippets;
mod secrets;
mod sections;
mod settings;
mod syndication;
mod topics;
mod users;
mod video;
mod webhooks;
mod wire;

pub use archive::{archive_table, ArchiveImport, ArchiveTable, Cell, ColumnKind, ExportError, ARCHIVE_TABLES};
pub use backup::BackupError;
pub use connect::{redact_url, ConnectError, ConnectOptions};
pub use db::Backend;
pub use moving_in::ImportTx;
pub use outbox::OutboxEntry;

use dateline_newsroom::{Store, StoreError};
use jiff::Timestamp;

/// The database behind the whole program: SQLite or PostgreSQL, one type either way.
#[derive(Debug, Clone)]
pub struct SqlStore {
    db: db::Db,
    changes: changes::ChangeFeed,
    /// Whether PostgreSQL's search index ranks inside itself (RUM) or only finds (GIN); asked
    /// of the database once.
    search_index: std::sync::Arc<tokio::sync::OnceCell<search::SearchIndex>>,
}

impl SqlStore {
    /// Connects to the database the URL names; it does not change the schema.
    pub async fn connect(options: &ConnectOptions) -> Result<Self, ConnectError> {
        Ok(SqlStore {
            db: connect::open(options).await?,
            changes: changes::ChangeFeed::new(),
            search_index: std::sync::Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// Brings the schema up to date; returns the migration numbers it applied.
    pub async fn migrate(&self, now: Timestamp) -> Result<Vec<i64>, StoreError> {
        migrate::run(&self.db, now).await
    }

    /// Refreshes what PostgreSQL's planner knows of the tables, after `dateline seed`'s bulk
    /// load: until the autovacuum gets to them, it plans searches on a freshly filled archive
    /// without statistics, three times slower. (Not after `dateline import`: work after its
    /// commit would make a kill in that moment look like a failed import to the operator.) Not on SQLite: its
    /// queries name the indexes they need, and with `sqlite_stat1` its planner chose plans
    /// that made search twice as slow (median 8.2 against 16.1 ms at 20,000 stories).
    pub async fn refresh_planner_statistics(&self) -> Result<(), StoreError> {
        match self.db.backend() {
            Backend::Postgres => self.db.execute("ANALYZE", Vec::new()).await.map(drop),
            Backend::Sqlite => Ok(()),
        }
    }

    /// Connections open in the pool, and how many of them are idle.
    pub fn pool_usage(&self) -> (u32, usize) {
        match &self.db {
            db::Db::Sqlite(pool) => (pool.size(), pool.num_idle()),
            db::Db::Postgres(pool) => (pool.size(), pool.num_idle()),
        }
    }

    /// Closes every connection; later calls fail as unavailable.
    pub async fn close(&self) {
        self.db.close().await;
    }
}

impl Store for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        self.db.fetch_one::<(i64,)>("SELECT CAST(1 AS BIGINT)", vec![]).await.map(drop)
    }

    async fn take_lease(&self, job: &str, holder: &str, now: Timestamp, until: Timestamp) -> Result<bool, StoreError> {
        // One statement, so two instances asking at once cannot both win: the row is taken
        // when it is new, has run out, or is already this holder's.
        let taken = self
            .db
            .execute(
                "INSERT INTO leases (job, holder, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                 WHERE leases.expires_at <= $4 OR leases.holder = excluded.holder",
                db::params![job, holder, until, now],
            )
            .await?;
        Ok(taken == 1)
    }
}
