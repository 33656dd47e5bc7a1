//! Test support, used only as a dev-dependency: a running server with HTML helpers
//! (`TestApp`), builders for test content (`paper`), and a fresh database per test on SQLite always
//! and on PostgreSQL when `DATELINE_TEST_POSTGRES_URL` names a server (with
//! `DATELINE_TEST_REQUIRE_POSTGRES=1` a missing server fails the test instead of skipping it).

mod app;
pub mod checkers;
pub mod content_credentials;
mod database;
mod desk;
pub mod mail;
pub mod paper;

pub use app::{attributes, form_fields, texts, TestApp, PUBLIC_URL};
pub use database::{TestBackend, TestDatabase};
pub use desk::DeskSession;

/// Every file under `folder`, at any depth (none when it does not exist): what a test left
/// in a media folder.
pub fn files_under(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// Runs each named test on both databases: for every `name`, an ordinary
/// `async fn name(db: TestDatabase)` written beside it (so rustfmt formats it like any code),
/// the macro writes `mod name { fn sqlite(); fn postgres(); }`, so a failure names the
/// database it happened on and a skipped PostgreSQL run is visible as such.
///
/// ```ignore
/// async fn a_story_is_stored(db: TestDatabase) {
///     let store = db.store().await;
///     // …
/// }
///
/// on_both_databases!(a_story_is_stored);
/// ```
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $( $crate::__database_cases!($name {}); )*
    };
}

/// [`on_both_databases!`] for search: the test runs on SQLite, on PostgreSQL with the index
/// the migration chose (RUM where the extension is installed, as in CI), and on PostgreSQL
/// with the GIN index a server without RUM has, so both of its paths meet the same test.
#[macro_export]
macro_rules! on_every_search_index {
    ($($name:ident),* $(,)?) => {
        $(
            $crate::__database_cases!($name {
                #[tokio::test]
                async fn postgres_gin() {
                    let Some(db) = $crate::TestDatabase::postgres_with_gin_search().await else { return };
                    super::$name(db).await
                }
            });
        )*
    };
}

/// The module of one test's cases: SQLite, PostgreSQL, and any `extra` cases given.
#[doc(hidden)]
#[macro_export]
macro_rules! __database_cases {
    ($name:ident { $($extra:item)* }) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::TestDatabase::sqlite().await).await
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::TestDatabase::postgres().await else { return };
                super::$name(db).await
            }

            $($extra)*
        }
    };
}
