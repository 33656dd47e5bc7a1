//! Opening a pool from a database URL, with errors that tell the operator what to change.

use crate::db::Db;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// A PostgreSQL connection idle for longer than this is checked before it is used again.
const IDLE_BEFORE_CHECKING: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub url: String,
    pub max_connections: u32,
    /// How long a request waits for a free connection before the database counts as unavailable.
    pub acquire_timeout: Duration,
    /// How long a statement waits for a lock another connection (or process) holds before it
    /// gives up and the database counts as busy (SQLite's busy timeout, PostgreSQL's
    /// `lock_timeout`): the request answers 503 with `Retry-After` instead of hanging.
    pub lock_timeout: Duration,
    /// The longest a statement may run on PostgreSQL (`statement_timeout`); none for long
    /// jobs such as an import.
    pub statement_timeout: Option<Duration>,
}

impl ConnectOptions {
    pub fn new(url: impl Into<String>) -> Self {
        ConnectOptions {
            url: url.into(),
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
            lock_timeout: Duration::from_secs(10),
            statement_timeout: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("the database URL {0:?} has a scheme Dateline does not know; use sqlite:PATH (for example sqlite:./data/dateline.db) or postgres://USER@HOST/DATABASE")]
    UnknownScheme(String),
    #[error("the database URL {url} cannot be read ({reason}); check its spelling")]
    BadUrl { url: String, reason: String },
    #[error("cannot reach the database at {url} ({reason}); check that the database is running and that database_url points at it")]
    Unreachable { url: String, reason: String },
}

/// The URL with any password replaced by `***`, fit for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

pub(crate) async fn open(options: &ConnectOptions) -> Result<Db, ConnectError> {
    let url = options.url.trim();
    let shown = redact_url(url);
    if url.starts_with("sqlite:") {
        let connect = SqliteConnectOptions::from_str(url)
            .map_err(|e| ConnectError::BadUrl { url: shown.clone(), reason: e.to_string() })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(options.lock_timeout);
        // A connection to a file on this machine does not go stale the way a network one
        // does, and sqlx's check before each acquire is a round trip to the connection's own
        // thread: as costly as the query it guards (issue 20's profile of an uncached page).
        let pool = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect)
            .await
            .map_err(|e| ConnectError::Unreachable { url: shown, reason: e.to_string() })?;
        Ok(Db::Sqlite(pool))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let millis = |d: Duration| format!("{}ms", d.as_millis().max(1));
        let mut settings = vec![("lock_timeout", millis(options.lock_timeout))];
        if let Some(limit) = options.statement_timeout {
            settings.push(("statement_timeout", millis(limit)));
        }
        let connect = PgConnectOptions::from_str(url)
            .map_err(|e| ConnectError::BadUrl { url: shown.clone(), reason: e.to_string() })?
            .options(settings);
        // sqlx checks a connection with a round trip before each use and again when it is
        // given back: three round trips for one query. The check on giving back stays (it
        // closes a connection the server dropped); the one before use is kept only for a
        // connection that sat idle long enough for the server to have gone away meanwhile.
        let pool = PgPoolOptions::new()
            .test_before_acquire(false)
            .before_acquire(|connection, held| {
                Box::pin(async move {
                    if held.idle_for > IDLE_BEFORE_CHECKING {
                        sqlx::Connection::ping(connection).await?;
                    }
                    Ok(true)
                })
            })
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout)
            .connect_with(connect)
            .await
            .map_err(|e| ConnectError::Unreachable { url: shown, reason: e.to_string() })?;
        Ok(Db::Postgres(pool))
    } else {
        Err(ConnectError::UnknownScheme(shown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_database_url_is_never_shown() {
        assert_eq!(redact_url("postgres://news:s3cret@db.example/paper"), "postgres://news:***@db.example/paper");
        assert_eq!(redact_url("postgres://news@db.example/paper"), "postgres://news@db.example/paper");
        assert_eq!(redact_url("sqlite:./paper.db"), "sqlite:./paper.db");
    }
}
