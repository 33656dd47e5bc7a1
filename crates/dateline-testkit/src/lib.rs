//! Test support, used only as a dev-dependency: a running server with HTML helpers
//! (`TestApp`), builders for test content (`paper`), and a fresh database per test on SQLite always
//! and on PostgreSQL when `DATELINE_TEST_POSTGRES_URL` names a server (with
//! `DATELINE_TEST_REQUIRE_POSTGRES=1` a missing server fails the test instead of skipping it).

mod app;
pub mod checkers;
mod database;
mod desk;
pub mod paper;

pub use app::{attributes, texts, TestApp, PUBLIC_URL};
pub use database::{TestBackend, TestDatabase};
pub use desk::DeskSession;

/// Writes one test per backend: `mod name { fn sqlite(); fn postgres(); }`, so a failure names
/// the database it happened on and a skipped PostgreSQL run is visible as such.
///
/// ```ignore
/// on_both_databases! {
///     async fn a_story_is_stored(db) {
///         let store = db.store().await;
///         // …
///     }
/// }
/// ```
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($db:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test]
                async fn sqlite() {
                    let $db = $crate::TestDatabase::sqlite().await;
                    $body
                }

                #[tokio::test]
                async fn postgres() {
                    let Some($db) = $crate::TestDatabase::postgres().await else { return };
                    $body
                }
            }
        )*
    };
}
