//! Which index PostgreSQL's search gets: RUM when the server offers the extension (CI installs
//! it), GIN when it does not, and GIN again when an operator moves to a server without it.

use dateline_newsroom::search::{parse_query, SearchOrder, SearchQuery};
use dateline_newsroom::{ArticleId, SearchStore};
use dateline_testkit::on_every_search_index;
use dateline_testkit::paper::{SmallPaper, StoryBuilder};
use dateline_testkit::{TestBackend, TestDatabase};
use jiff::{SignedDuration, Timestamp};

fn server_offers_rum(url: &str) -> bool {
    let out = std::process::Command::new("psql")
        .arg(url)
        .args(["-Atc", "SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'"])
        .output()
        .expect("psql");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim() == "1"
}

/// The access method of PostgreSQL's full-text index, `None` when it has none.
fn full_text_index_method(url: &str) -> Option<String> {
    let out = std::process::Command::new("psql")
        .arg(url)
        .args([
            "-Atc",
            "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam \
             WHERE c.relname = 'article_search_document' AND c.relkind = 'i'",
        ])
        .output()
        .expect("psql");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned()).filter(|method| !method.is_empty())
}

/// `dateline seed` sets the index aside while it writes many stories, and builds it at the
/// end; a load stopped in between leaves the archive without it until the next start.
async fn a_bulk_load_sets_the_search_index_aside_and_the_next_start_builds_it_again(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::now();
    let id = StoryBuilder::new("Zeppelin lands at the harbour", paper.national.id, now).store(&store).await;
    let finds_it = |store: dateline_storage::SqlStore| async move {
        let found = store.search(&SearchQuery::new(parse_query("zeppelin")), Timestamp::now()).await.expect("search");
        found.hits.iter().map(|hit| hit.story.id).collect::<Vec<ArticleId>>()
    };
    store.set_search_index_aside().await.expect("set aside");
    if db.backend == TestBackend::Postgres {
        assert_eq!(full_text_index_method(&db.url), None, "the index is gone while the load writes");
    }
    assert_eq!(finds_it(store.clone()).await, [id], "search still answers without it");
    store.migrate(now).await.expect("the next start");
    if db.backend == TestBackend::Postgres {
        let expected = if server_offers_rum(&db.url) { "rum" } else { "gin" };
        assert_eq!(full_text_index_method(&db.url).as_deref(), Some(expected), "the start built it again");
    }
    assert_eq!(finds_it(store.clone()).await, [id]);
    store.make_search_index().await.expect("made again when it is there already: nothing to do");
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

/// An archive longer than the first stretch of newest stories PostgreSQL reads: the windows it
/// reads after must find the oldest stories, count every match once, and stop at a thousand.
async fn an_archive_searched_in_windows_finds_its_oldest_story_and_counts_each_match_once(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let start = Timestamp::now() - SignedDuration::from_hours(24 * 400);
    let mut rare = Vec::new();
    for n in 0..2_300_i64 {
        let body =
            if n % 100 == 7 { "The harbour pilot boarded a zeppelin." } else { "The harbour pilot boarded a ferry." };
        let id = StoryBuilder::new(&format!("Harbour log {n}"), paper.national.id, start)
            .published_at(start + SignedDuration::from_mins(n * 90))
            .body(body)
            .store(&store)
            .await;
        if n % 100 == 7 {
            rare.push(id);
        }
    }
    let now = Timestamp::now();
    let ask = |text: &str, order: SearchOrder, offset: u32| {
        let mut query = SearchQuery::new(parse_query(text));
        query.order = order;
        query.offset = offset;
        query
    };
    let first = store.search(&ask("zeppelin", SearchOrder::Relevance, 0), now).await.expect("searched");
    let second = store.search(&ask("zeppelin", SearchOrder::Relevance, 20), now).await.expect("searched");
    assert_eq!((first.total, first.more_than_total), (23, false), "each of the 23 counted once");
    let found: Vec<ArticleId> = first.hits.iter().chain(&second.hits).map(|hit| hit.story.id).collect();
    assert_eq!(found.len(), 23);
    assert!(found.contains(&rare[0]), "the oldest, 2,200 stories back, is found");
    let mut sorted = found.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 23, "no story twice across the pages");

    let common = store.search(&ask("harbour pilot", SearchOrder::Newest, 0), now).await.expect("searched");
    assert_eq!((common.total, common.more_than_total), (1_000, true));
    let newest: Vec<&str> = common.hits.iter().take(3).map(|hit| hit.story.headline.as_str()).collect();
    assert_eq!(newest, ["Harbour log 2299", "Harbour log 2298", "Harbour log 2297"]);
}

on_every_search_index!(
    an_archive_searched_in_windows_finds_its_oldest_story_and_counts_each_match_once,
    a_bulk_load_sets_the_search_index_aside_and_the_next_start_builds_it_again
);
