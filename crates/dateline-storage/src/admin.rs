//! Whole-database tasks on a PostgreSQL server: creating (perhaps from a template), renaming
//! and dropping a database by name, as the test suite does for every test. The name is checked, since it cannot be a bound
//! parameter in these statements.

use crate::connect::redact_url;
use crate::db::map_error;
use dateline_newsroom::StoreError;
use sqlx::Connection;

fn checked(name: &str) -> Result<&str, StoreError> {
    let plain = !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    plain.then_some(name).ok_or_else(|| StoreError::Other(format!("{name:?} is not a plain database name")))
}

async fn on_server(admin_url: &str, statement: &str) -> Result<(), StoreError> {
    let mut connection = sqlx::PgConnection::connect(admin_url)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot reach {}: {e}", redact_url(admin_url))))?;
    let done = sqlx::query(statement).execute(&mut connection).await.map(drop).map_err(map_error);
    connection.close().await.ok();
    done
}

/// Creates an empty database on the server `admin_url` points at.
pub async fn create_postgres_database(admin_url: &str, name: &str) -> Result<(), StoreError> {
    on_server(admin_url, &format!("CREATE DATABASE {}", checked(name)?)).await
}

/// Creates a database as a copy of `template` (which nobody may be connected to): a test's
/// database cloned from one migrated once, instead of migrating each.
pub async fn create_postgres_database_from(admin_url: &str, name: &str, template: &str) -> Result<(), StoreError> {
    on_server(admin_url, &format!("CREATE DATABASE {} TEMPLATE {}", checked(name)?, checked(template)?)).await
}

/// Whether a database of this name exists on the server.
pub async fn postgres_database_exists(admin_url: &str, name: &str) -> Result<bool, StoreError> {
    let mut connection = sqlx::PgConnection::connect(admin_url)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot reach {}: {e}", redact_url(admin_url))))?;
    let found: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(checked(name)?)
        .fetch_optional(&mut connection)
        .await
        .map_err(map_error)?;
    connection.close().await.ok();
    Ok(found.is_some())
}

/// Renames a database (nobody may be connected to it).
pub async fn rename_postgres_database(admin_url: &str, from: &str, to: &str) -> Result<(), StoreError> {
    on_server(admin_url, &format!("ALTER DATABASE {} RENAME TO {}", checked(from)?, checked(to)?)).await
}

/// Drops a database, ending the connections still open to it.
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> Result<(), StoreError> {
    on_server(admin_url, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", checked(name)?)).await
}

/// Gives the database's search a GIN index in place of RUM, as a server without the RUM
/// extension has (see migration 0021): for tests of that path, and for a database about to
/// move to such a server. Stores connected before keep the kind they saw.
pub async fn use_gin_search_index(database_url: &str) -> Result<(), StoreError> {
    let mut connection = sqlx::PgConnection::connect(database_url)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot reach {}: {e}", redact_url(database_url))))?;
    sqlx::raw_sql(
        "BEGIN; DROP INDEX IF EXISTS article_search_document; \
         CREATE INDEX article_search_document ON article_search USING gin (document); COMMIT;",
    )
    .execute(&mut connection)
    .await
    .map_err(map_error)?;
    connection.close().await.ok();
    Ok(())
}
