//! Two `dateline serve` processes on one PostgreSQL database, as a paper runs them behind a
//! proxy: a story published through one shows on the other's kept pages (the other learns of
//! it from PostgreSQL's notices, since kept fronts and articles have no lifetime to run out),
//! a scheduled story is published once, views counted on both add up in Most Popular, and a
//! desk session made on one works on the other. Each process has its own connection pool,
//! page cache, scheduler and view counter: nothing is shared but the database.

use crate::support::Running;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{texts, DeskSession, TestDatabase};
use jiff::{SignedDuration, Timestamp};
use std::time::{Duration, Instant};

fn serve(database: &TestDatabase, media: &std::path::Path) -> Running {
    Running::serve(&database.url, media, &[])
}

/// The page-cache hits an instance reports on /metrics (readable from loopback).
async fn cache_hits(server: &Running) -> u64 {
    let metrics = server.text("/metrics", 200).await;
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("dateline_page_cache_hits_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the page-cache hits are on /metrics")
}

/// Fetches `path` from `server` until `shows` holds of the page, or panics after `limit`.
async fn wait_until(server: &Running, path: &str, limit: Duration, shows: impl Fn(&scraper::Html) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let page = server.page(path).await;
        if shows(&page) {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{path} on {} did not change within {limit:?}", server.base_url);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn read_beacon(server: &Running, id: i64) {
    let response = reqwest::Client::new()
        .get(format!("{}/_v/{id}", server.base_url))
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36")
        .send()
        .await
        .expect("beacon");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn two_servers_on_one_postgresql_database_run_one_paper() {
    let Some(database) = TestDatabase::postgres().await else { return };
    let store = database.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let now = Timestamp::now();
    StoryBuilder::new("Earlier story", paper.politics.id, now - SignedDuration::from_hours(2)).store(&store).await;
    let media = tempfile::tempdir().expect("shared media folder");
    let a = serve(&database, media.path());
    let b = serve(&database, media.path());

    // B keeps the home page and the section front: the second request is answered from memory.
    for path in ["/", "/national/politics/"] {
        b.page(path).await;
        let before = cache_hits(&b).await;
        b.page(path).await;
        assert_eq!(cache_hits(&b).await, before + 1, "instance B keeps {path}");
    }

    // An editor signs in on A; the same session works on B.
    let desk = DeskSession::sign_in_at(&a.base_url, &editor.email, &password).await;
    assert_eq!(desk.on(&b.base_url).get("/desk/").await.status(), 200, "a session made on A is valid on B");

    let section = paper.politics.id.to_string();
    let fields =
        [("headline", "Assembly passes the budget"), ("section", section.as_str()), ("body", "By a wide margin.")];
    let created = desk.post("/desk/stories", &fields).await;
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().expect("location").to_owned();
    let id: i64 =
        location.trim_start_matches("/desk/stories/").split('?').next().and_then(|id| id.parse().ok()).expect("id");
    // B shows the article page (a 404 while it is a draft) before it is published.
    b.text(&format!("/article/{id}/assembly-passes-the-budget"), 404).await;
    let mut publishing = fields.to_vec();
    publishing.extend([("action", "publish"), ("version", "1")]);
    assert_eq!(desk.post(&format!("/desk/stories/{id}"), &publishing).await.status(), 303);

    let shows_it =
        |page: &scraper::Html| texts(page, ".card__headline").iter().any(|h| h == "Assembly passes the budget");
    let front = wait_until(&b, "/national/politics/", Duration::from_secs(10), shows_it).await;
    println!("published through instance A, on instance B's kept section front after {front:?}");
    wait_until(&b, "/", Duration::from_secs(10), shows_it).await;
    let article = b.page(&format!("/article/{id}/assembly-passes-the-budget")).await;
    assert_eq!(texts(&article, "h1"), ["Assembly passes the budget"]);

    // A story scheduled a moment ahead: both schedulers are running; one publishes it, once.
    let due = Timestamp::now() + SignedDuration::from_secs(2);
    let mut scheduled =
        StoryBuilder::new("Dawn ferry resumes", paper.politics.id, now).status(ArticleStatus::Scheduled).build();
    scheduled.first_published_at = None;
    scheduled.publish_at = Some(due);
    let scheduled = store.insert_article(&scheduled).await.expect("scheduled");
    let ferry = |page: &scraper::Html| texts(page, ".card__headline").iter().any(|h| h == "Dawn ferry resumes");
    let appeared = wait_until(&a, "/national/politics/", Duration::from_secs(30), ferry).await;
    wait_until(&b, "/national/politics/", Duration::from_secs(10), ferry).await;
    println!("the scheduled story was on both fronts {appeared:?} after it was stored (due 2 s after)");
    // Both schedulers (every 5 s) have had a turn since it was due.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let kinds: Vec<String> =
        store.revisions(scheduled).await.expect("history").iter().map(|r| r.kind.as_str().to_owned()).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "published").count(), 1, "published exactly once: {kinds:?}");

    // Three reads on each instance for one story, five on A alone for another: only if B's
    // views are added to A's does the first (six) lead Most Popular over the second (five).
    let single = StoryBuilder::new("Read on one server", paper.national.id, now).store(&store).await;
    for server in [&a, &b] {
        for _ in 0..3 {
            read_beacon(server, id).await;
        }
    }
    for _ in 0..5 {
        read_beacon(&a, single.0).await;
    }
    // Each instance saves its count every 15 seconds; Most Popular follows.
    let leads = |page: &scraper::Html| {
        texts(page, ".list--popular li a").first().map(String::as_str) == Some("Assembly passes the budget")
    };
    let waited = wait_until(&a, "/", Duration::from_secs(60), leads).await;
    wait_until(&b, "/", Duration::from_secs(60), leads).await;
    println!("views from both instances added up in Most Popular after {waited:?}");
    store.close().await;
}
