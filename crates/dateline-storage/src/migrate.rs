//! Schema migrations, in same-numbered pairs: `migrations/sqlite/NNNN_name.sql` and
//! `migrations/postgres/NNNN_name.sql`. Both files of a pair are compiled into the binary; a
//! test checks that the two folders and this list hold the same numbers.

use crate::db::{params, Db, Tx};
use dateline_newsroom::StoreError;
use jiff::Timestamp;

pub struct Migration {
    pub version: i64,
    /// The file name without `.sql`, which starts with the version zero-padded to four digits.
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_content_model"),
    migration!(2, "0002_article_views"),
    migration!(3, "0003_desk_sessions"),
    migration!(4, "0004_corrections"),
    migration!(5, "0005_section_redirects"),
    migration!(6, "0006_search"),
    migration!(7, "0007_visibility_index"),
    migration!(8, "0008_leases"),
    migration!(9, "0009_wire"),
    migration!(10, "0010_outbox"),
    migration!(11, "0011_server_secrets"),
    migration!(12, "0012_api_keys"),
    migration!(13, "0013_webhooks"),
    migration!(14, "0014_syndication"),
    migration!(15, "0015_moving_in"),
    migration!(16, "0016_live"),
    migration!(17, "0017_photo_file_facts"),
    migration!(18, "0018_newsletters"),
    migration!(19, "0019_datelines"),
    migration!(20, "0020_search_vocabulary"),
    migration!(21, "0021_narrow_search"),
    migration!(22, "0022_podcasts"),
    migration!(23, "0023_video"),
    migration!(24, "0024_photo_variants"),
    migration!(25, "0025_focal_point"),
    migration!(26, "0026_wire_refusals"),
    migration!(27, "0027_story_plans"),
    migration!(28, "0028_content_credentials"),
    migration!(29, "0029_search_words"),
];

const CREATE_LEDGER_SQLITE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
const CREATE_LEDGER_POSTGRES: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)";
/// Serialises migrations when several instances start at once on one PostgreSQL.
const LOCK_POSTGRES: &str = "SELECT pg_advisory_xact_lock(7305846419730001)";

/// Applies every migration the database has not seen, each in its own transaction, and
/// returns the versions it applied.
pub(crate) async fn run(db: &Db, now: Timestamp) -> Result<Vec<i64>, StoreError> {
    let mut applied_now = Vec::new();
    for migration in MIGRATIONS {
        let mut tx = db.begin().await?;
        let (ledger, script) = match &tx {
            Tx::Sqlite(_) => (CREATE_LEDGER_SQLITE, migration.sqlite),
            Tx::Postgres(_) => (CREATE_LEDGER_POSTGRES, migration.postgres),
        };
        if matches!(tx, Tx::Postgres(_)) {
            // A migration may wait for another instance's (the lock) or for readers, and may
            // build an index for a long time: the serving pool's limits do not apply to it.
            tx.execute("SET LOCAL lock_timeout = 0", vec![]).await?;
            tx.execute("SET LOCAL statement_timeout = 0", vec![]).await?;
            tx.execute(LOCK_POSTGRES, vec![]).await?;
        }
        tx.execute(ledger, vec![]).await?;
        let seen: Option<(i64,)> = tx
            .fetch_optional("SELECT version FROM schema_migrations WHERE version = $1", params![migration.version])
            .await?;
        if seen.is_some() {
            continue;
        }
        tx.execute_script(script).await?;
        // The vocabulary, and PostgreSQL's words as written, are made of words as Rust splits
        // them, which no SQL can do.
        if migration.name == "0020_search_vocabulary" {
            crate::search::fill_vocabulary(&mut tx).await?;
        }
        if migration.name == "0029_search_words" && tx.is_postgres() {
            crate::search::fill_search_words(&mut tx).await?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            params![migration.version, migration.name, now],
        )
        .await?;
        tx.commit().await?;
        tracing::info!(migration.version, migration.name, "applied migration");
        applied_now.push(migration.version);
    }
    // A bulk load sets the full-text index aside until it ends; one that was stopped left
    // the archive without it.
    if let Db::Postgres(_) = db {
        let mut tx = db.begin().await?;
        tx.execute(LOCK_POSTGRES, vec![]).await?;
        crate::search::make_full_text_index(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(applied_now)
}
