//! Throwaway databases: a temporary SQLite file in WAL mode, or a PostgreSQL database
//! created for one test (cloned from a migrated template) and dropped when the test ends.

use dateline_storage::{ConnectOptions, SqlStore};
use jiff::Timestamp;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

pub struct TestDatabase {
    pub backend: TestBackend,
    /// The URL of this test's own database.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<PostgresCleanup>,
}

struct PostgresCleanup {
    admin_url: String,
    name: String,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

#[expect(clippy::disallowed_methods, reason = "tests are configured by the environment")]
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The server's URL with another database name in its path.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    format!("{server}/{name}{query}")
}

/// The name of the migrated template for this build's migrations: the same schema always gets
/// the same name, so test runs share it, and a changed migration gets a new one.
fn template_name() -> String {
    use sha2::Digest;
    let mut digest = sha2::Sha256::new();
    for migration in dateline_storage::migrate::MIGRATIONS {
        digest.update(migration.version.to_le_bytes());
        digest.update(migration.postgres.as_bytes());
    }
    let hex: String = digest.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("dateline_template_{hex}")
}

/// A database with every migration applied, made once and then only copied: cloning a
/// template is a file copy on the server, much cheaper than running the migrations for each
/// test. It is made under a name of this process's own and renamed when complete, so a
/// test never copies a half-migrated template, and two test processes at once cannot collide.
async fn migrated_template(admin_url: &str) -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            use dateline_storage::admin;
            let name = template_name();
            let exists = admin::postgres_database_exists(admin_url, &name).await;
            if exists.unwrap_or_else(|e| panic!("cannot reach DATELINE_TEST_POSTGRES_URL: {e}")) {
                return name;
            }
            let building = format!("{name}_{}", std::process::id());
            admin::create_postgres_database(admin_url, &building).await.expect("create the template");
            let options = ConnectOptions::new(with_database(admin_url, &building));
            let store = SqlStore::connect(&options).await.expect("connect to the template");
            store.migrate(Timestamp::now()).await.expect("migrate the template");
            store.close().await;
            if admin::rename_postgres_database(admin_url, &building, &name).await.is_err() {
                // Another process finished the same template first; theirs is as good.
                admin::drop_postgres_database(admin_url, &building).await.ok();
            }
            name
        })
        .await
}

impl TestDatabase {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder for the test database");
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        TestDatabase { backend: TestBackend::Sqlite, url, _dir: Some(dir), postgres: None }
    }

    /// A fresh PostgreSQL database with the schema in place (a copy of the migrated
    /// template), or `None` (with a notice) when no server is configured.
    pub async fn postgres() -> Option<Self> {
        Self::postgres_made(true).await
    }

    /// A fresh PostgreSQL database whose search index is GIN, as on a server without the RUM
    /// extension, whatever the template was given.
    pub async fn postgres_with_gin_search() -> Option<Self> {
        let db = Self::postgres_made(true).await?;
        dateline_storage::admin::use_gin_search_index(&db.url).await.expect("a GIN search index");
        Some(db)
    }

    /// A fresh PostgreSQL database with nothing in it, not even the schema: for tests of
    /// `dateline migrate` itself.
    pub async fn postgres_unmigrated() -> Option<Self> {
        Self::postgres_made(false).await
    }

    async fn postgres_made(migrated: bool) -> Option<Self> {
        let Some(admin_url) = env("DATELINE_TEST_POSTGRES_URL") else {
            if env("DATELINE_TEST_REQUIRE_POSTGRES").as_deref() == Some("1") {
                panic!("DATELINE_TEST_REQUIRE_POSTGRES=1 but DATELINE_TEST_POSTGRES_URL is not set");
            }
            eprintln!("skipped on PostgreSQL: set DATELINE_TEST_POSTGRES_URL to run this test there too");
            return None;
        };
        let name = format!(
            "dateline_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            Timestamp::now().as_microsecond() % 1_000_000_000
        );
        let created = if migrated {
            let template = migrated_template(&admin_url).await;
            dateline_storage::admin::create_postgres_database_from(&admin_url, &name, template).await
        } else {
            dateline_storage::admin::create_postgres_database(&admin_url, &name).await
        };
        created.unwrap_or_else(|e| panic!("cannot create a test database with DATELINE_TEST_POSTGRES_URL: {e}"));
        Some(TestDatabase {
            backend: TestBackend::Postgres,
            url: with_database(&admin_url, &name),
            _dir: None,
            postgres: Some(PostgresCleanup { admin_url, name }),
        })
    }

    /// Another process holding the write lock on the stories for `seconds`, as a long
    /// transaction elsewhere would: `python3`'s sqlite3 with `BEGIN IMMEDIATE` on SQLite, `psql`
    /// with `LOCK TABLE articles` on PostgreSQL. The returned child ends by itself.
    pub fn hold_write_lock(&self, seconds: u32) -> std::process::Child {
        let mut command = match self.backend {
            TestBackend::Sqlite => {
                let path = self.url.trim_start_matches("sqlite:").to_owned();
                let script = format!(
                    "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nc.execute('UPDATE articles SET version = version WHERE id = 0')\nprint('locked', flush=True)\ntime.sleep({seconds})\nc.execute('ROLLBACK')\n"
                );
                let mut command = std::process::Command::new("python3");
                command.arg("-c").arg(script).arg(path);
                command
            }
            TestBackend::Postgres => {
                let mut command = std::process::Command::new("psql");
                // One -c per statement: psql runs them in one session and prints each result as
                // it comes, so "locked" is read while the lock is held.
                command.arg(&self.url).arg("-v").arg("ON_ERROR_STOP=1");
                for statement in [
                    "BEGIN".to_owned(),
                    "LOCK TABLE articles IN ACCESS EXCLUSIVE MODE".to_owned(),
                    "SELECT 'locked'".to_owned(),
                    format!("SELECT pg_sleep({seconds})"),
                    "ROLLBACK".to_owned(),
                ] {
                    command.arg("-c").arg(statement);
                }
                command
            }
        };
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("a process to hold the lock (python3 or psql)");
        // Wait until the lock is held before the test goes on.
        let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        while std::io::BufRead::read_line(&mut out, &mut line).unwrap_or(0) > 0 && !line.contains("locked") {
            line.clear();
        }
        child
    }

    /// A store on this database with the schema in place.
    /// Another empty, migrated database of the same kind, for a test of two papers.
    pub async fn another(&self) -> TestDatabase {
        match self.backend {
            TestBackend::Sqlite => TestDatabase::sqlite().await,
            TestBackend::Postgres => {
                TestDatabase::postgres().await.expect("PostgreSQL, as for this test's own database")
            }
        }
    }

    pub async fn store(&self) -> SqlStore {
        // A lock held elsewhere is given up on after 2 s in tests (10 s by default), so a test
        // of a busy database is quick; no test's own writes wait that long.
        let options =
            ConnectOptions { lock_timeout: std::time::Duration::from_secs(2), ..ConnectOptions::new(&self.url) };
        let store = SqlStore::connect(&options).await.expect("connect to the test database");
        store.migrate(Timestamp::now()).await.expect("migrate the test database");
        store
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(cleanup) = self.postgres.take() else { return };
        // Drop runs inside the test's runtime, which cannot block on async work: use a thread
        // with a runtime of its own. FORCE ends connections the test left open.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(dateline_storage::admin::drop_postgres_database(&cleanup.admin_url, &cleanup.name)).ok()
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("could not drop a test database; it is left behind");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_database_replaces_only_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(with_database("postgres://u@h/db?sslmode=disable", "t2"), "postgres://u@h/t2?sslmode=disable");
        assert_eq!(with_database("postgres://u@h", "t3"), "postgres://u@h/t3");
    }
}
