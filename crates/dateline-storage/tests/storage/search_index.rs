//! Which index PostgreSQL's search gets: RUM when the server offers the extension (CI installs
//! it), GIN when it does not, and GIN again when an operator moves to a server without it.

use dateline_testkit::{TestBackend, TestDatabase};

fn server_offers_rum(url: &str) -> bool {
    let out = std::process::Command::new("psql")
        .arg(url)
        .args(["-Atc", "SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'"])
        .output()
        .expect("psql");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim() == "1"
}

#[tokio::test]
async fn search_ranks_in_a_rum_index_where_the_server_has_it_and_in_gin_otherwise() {
    let sqlite = TestDatabase::sqlite().await;
    assert!(!sqlite.store().await.search_ranks_in_index().await.expect("asked"), "FTS5 ranks the newest matches");

    let Some(db) = TestDatabase::postgres().await else { return };
    assert_eq!(db.backend, TestBackend::Postgres);
    let offered = server_offers_rum(&db.url);
    assert_eq!(db.store().await.search_ranks_in_index().await.expect("asked"), offered);
    #[expect(clippy::disallowed_methods, reason = "CI says so through the environment")]
    let in_ci = std::env::var("DATELINE_REQUIRE_CHECKERS").as_deref() == Ok("1");
    assert!(offered || !in_ci, "CI installs postgresql-NN-rum, so the RUM path is tested there");

    let gin = TestDatabase::postgres_with_gin_search().await.expect("PostgreSQL, as above");
    assert!(!gin.store().await.search_ranks_in_index().await.expect("asked"));
}
