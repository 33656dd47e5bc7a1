//! `/metrics` as an operator's Prometheus reads it, and as a stranger cannot.

use dateline_testkit::paper::{SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{on_both_databases, TestApp};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// The value of one series in the Prometheus text.
fn series(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(name_and_labels)?.trim().parse().ok())
}

async fn prometheus_reads_requests_latency_cache_pool_and_jobs(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let id = StoryBuilder::new("Metro line extended", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/article/{id}/metro-line-extended")).await.status(), 200);
    }
    assert_eq!(app.get("/no/such/page/here").await.status(), 404);

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("type").starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.expect("body");
    assert_eq!(
        series(&text, "dateline_http_requests_total{route=\"/article/{id}/{slug}\",status=\"200\"}"),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        series(&text, "dateline_http_request_duration_seconds_count{route=\"/article/{id}/{slug}\"}"),
        Some(3.0)
    );
    assert!(text.lines().any(|l| l.contains("status=\"404\"")), "the miss is counted: {text}");
    assert!(!text.contains("metro-line-extended"), "routes are patterns, never addresses");
    assert_eq!(series(&text, "dateline_page_cache_hits_total"), Some(2.0));
    assert_eq!(series(&text, "dateline_page_cache_misses_total"), Some(2.0), "the article once, and the missing page");
    assert!(series(&text, "dateline_db_pool_connections").is_some_and(|n| n >= 1.0));
    assert_eq!(series(&text, "dateline_scheduler_runs_total"), Some(0.0));
}

on_both_databases!(prometheus_reads_requests_latency_cache_pool_and_jobs);

#[tokio::test]
async fn metrics_are_refused_to_addresses_the_operator_did_not_allow() {
    let database = dateline_testkit::TestDatabase::sqlite().await;
    let store = database.store().await;
    let app = TestApp::start_with(store, now(), |settings| {
        settings.metrics_allow = vec![("10.0.0.0".parse().expect("network"), 8)]
    })
    .await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 403);
    assert!(!response.text().await.expect("body").contains("dateline_http_requests_total"));
    // A forged forwarding header from an untrusted peer changes nothing.
    let forged = app
        .client
        .get(format!("{}/metrics", app.base_url))
        .header("x-forwarded-for", "10.1.2.3")
        .send()
        .await
        .expect("request");
    assert_eq!(forged.status(), 403);
}
