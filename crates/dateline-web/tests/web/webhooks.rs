//! Webhooks as a partner's receiver meets them: a published story is told to the endpoint,
//! signed as Standard Webhooks says, the same message again after a failure until it lands;
//! and without the operator's leave no webhook reaches a private address. On both databases.

use axum::http::HeaderMap;
use dateline_newsroom::catalog::{add_api_key, ApiKeyFields};
use dateline_newsroom::webhooks::{add_webhook, sign, WebhookStore};
use dateline_testkit::paper::SmallPaper;
use dateline_testkit::{on_both_databases, TestApp, TestDatabase};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// What a receiver heard: the headers and the body of each request.
type Heard = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A receiver on 127.0.0.1 that answers with `statuses` in turn (200 once they run out).
async fn receiver(statuses: Vec<u16>) -> (String, Heard) {
    let heard: Heard = Arc::default();
    let answers = Arc::new(Mutex::new(statuses.into_iter()));
    let keep = heard.clone();
    let app = axum::Router::new().route(
        "/hooks",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let keep = keep.clone();
            let answers = answers.clone();
            async move {
                keep.lock().expect("lock").push((headers, body));
                let status = answers.lock().expect("lock").next().unwrap_or(200);
                axum::http::StatusCode::from_u16(status).expect("status")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("receiver") });
    (format!("http://{address}/hooks"), heard)
}

async fn wait_for(heard: &Heard, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while heard.lock().expect("lock").len() < count {
        assert!(Instant::now() < deadline, "the receiver heard {} of {count}", heard.lock().expect("lock").len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn publish_through_the_api(app: &TestApp, store: &dateline_storage::SqlStore, headline: &str) -> i64 {
    let fields = ApiKeyFields { name: format!("Publisher {headline}"), role: "editor".into(), expires: String::new() };
    let token = add_api_key(store, None, &fields, now()).await.expect("key").1;
    let post = |path: String, body: Value| {
        app.client
            .post(format!("{}{path}", app.base_url))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let created = post("/api/v1/stories".into(), json!({"headline": headline, "section": "national", "body": "Text."}))
        .await
        .expect("answer");
    let created: Value = serde_json::from_slice(&created.bytes().await.expect("body")).expect("JSON");
    let id = created["id"].as_i64().expect("id");
    let published = post(format!("/api/v1/stories/{id}/publish"), json!({"version": 1})).await.expect("answer");
    assert_eq!(published.status(), 200);
    id
}

async fn an_endpoint_hears_a_published_story_signed_and_again_after_a_failure_until_it_lands(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (url, heard) = receiver(vec![500]).await;
    let endpoint = add_webhook(&store, None, &url, &["story.published".into(), "story.corrected".into()], now())
        .await
        .expect("registered");
    let app = TestApp::start_with(store.clone(), now(), |settings| settings.webhooks_allow_private = true).await;
    let id = publish_through_the_api(&app, &store, "Ferry service resumes").await;

    wait_for(&heard, 1).await;
    let first_id = heard.lock().expect("lock")[0].0["webhook-id"].to_str().expect("id").to_owned();
    // The receiver failed; the next attempt comes 5 seconds later on the paper's clock.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(heard.lock().expect("lock").len(), 1, "not again before its time");
    app.set_now(now() + SignedDuration::from_secs(6));
    wait_for(&heard, 2).await;

    let (headers, body) = heard.lock().expect("lock")[1].clone();
    let message_id = headers["webhook-id"].to_str().expect("id");
    assert_eq!(message_id, first_id, "the same message, so a receiver can drop a duplicate");
    let timestamp: i64 = headers["webhook-timestamp"].to_str().expect("timestamp").parse().expect("seconds");
    let expected = sign(&endpoint.secret, message_id, timestamp, &body).expect("signature");
    assert_eq!(headers["webhook-signature"].to_str().expect("signature"), expected);
    let event: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(event["type"], "story.published");
    assert_eq!(event["data"]["id"], id);
    assert!(event["data"]["url"].as_str().expect("url").contains(&format!("/article/{id}/ferry-service-resumes")));
    assert!(event["data"]["api_url"].as_str().expect("url").ends_with(&format!("/api/v1/stories/{id}")));
    assert!(event["data"]["version"].as_i64().expect("version") >= 2);

    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let deliveries = store.recent_webhook_deliveries(10).await.expect("deliveries");
        if deliveries[0].delivered_at.is_some() {
            assert_eq!((deliveries[0].attempts, deliveries[0].last_status), (2, Some(200)));
            break;
        }
        assert!(Instant::now() < deadline, "marked delivered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn without_the_operators_leave_no_webhook_reaches_a_private_address(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (url, heard) = receiver(vec![]).await;
    add_webhook(&store, None, &url, &["story.published".into()], now()).await.expect("registered");
    let app = TestApp::start(store.clone(), now()).await;
    publish_through_the_api(&app, &store, "Night market reopens").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let failed = loop {
        let deliveries = store.recent_webhook_deliveries(10).await.expect("deliveries");
        if let Some(error) = deliveries.first().and_then(|d| d.last_error.clone()) {
            break error;
        }
        assert!(Instant::now() < deadline, "the delivery was tried");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(failed.contains("private"), "{failed}");
    assert!(heard.lock().expect("lock").is_empty(), "nothing reached the private address");
}

async fn an_admin_cannot_register_an_address_that_is_not_http(db: TestDatabase) {
    let store = db.store().await;
    for (url, events) in [
        ("file:///etc/passwd", vec!["story.published".to_owned()]),
        ("http://user:secret@example.com/hook", vec!["story.published".to_owned()]),
        ("https://example.com/hook", vec!["story.exploded".to_owned()]),
        ("https://example.com/hook", vec![]),
    ] {
        assert!(add_webhook(&store, None, url, &events, now()).await.is_err(), "{url} {events:?}");
    }
    assert!(store.webhooks().await.expect("endpoints").is_empty());
}

async fn an_admin_registers_an_endpoint_on_the_desk_sees_each_delivery_and_sends_one_again(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (admin, password) =
        dateline_testkit::paper::desk_user(&store, dateline_newsroom::Role::Admin, "Hook Admin").await;
    let (url, heard) = receiver(vec![]).await;
    let app = TestApp::start_with(store.clone(), now(), |settings| settings.webhooks_allow_private = true).await;
    let desk = app.sign_in(&admin.email, &password).await;
    let registered = desk.post("/desk/webhooks", &[("url", url.as_str()), ("events", "story.published")]).await;
    assert_eq!(registered.status(), 200);
    let page = scraper::Html::parse_document(&registered.text().await.expect("page"));
    let secret = dateline_testkit::attributes(&page, "#new-secret", "value").pop().expect("the secret, shown once");
    assert!(secret.starts_with("whsec_"));

    publish_through_the_api(&app, &store, "Harbour cranes move again").await;
    wait_for(&heard, 1).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let listed = desk.page("/desk/webhooks").await;
        let states = dateline_testkit::texts(&listed, ".deliveries tbody td:nth-child(5)");
        if states.first().is_some_and(|s| s.starts_with("delivered")) {
            break;
        }
        assert!(Instant::now() < deadline, "{states:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let listed = desk.page("/desk/webhooks").await;
    let delivery =
        dateline_testkit::attributes(&listed, ".deliveries input[name=delivery]", "value").pop().expect("a delivery");
    assert_eq!(desk.post("/desk/webhooks/resend", &[("delivery", delivery.as_str())]).await.status(), 303);
    wait_for(&heard, 2).await;
    {
        let heard = heard.lock().expect("lock");
        assert_eq!(heard[0].0["webhook-id"], heard[1].0["webhook-id"], "sent again as the same message");
    }

    // Disabled, the endpoint hears nothing more.
    let listed = desk.page("/desk/webhooks").await;
    let endpoint = dateline_testkit::attributes(&listed, "input[name=endpoint]", "value").pop().expect("an endpoint");
    assert_eq!(desk.post("/desk/webhooks/disable", &[("endpoint", endpoint.as_str())]).await.status(), 303);
    let listed = desk.page("/desk/webhooks").await;
    assert!(dateline_testkit::texts(&listed, "tbody td").iter().any(|t| t.starts_with("Disabled")), "the list says so");
    publish_through_the_api(&app, &store, "Second story after the endpoint stopped").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(heard.lock().expect("lock").len(), 2, "nothing sent to a disabled endpoint");
}

async fn an_endpoint_that_redirects_is_not_followed_to_where_it_points(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (target, heard_by_target) = receiver(vec![]).await;
    // An endpoint that answers every event with a redirect to another address.
    let redirecting = axum::Router::new().route(
        "/hooks",
        axum::routing::post(move || {
            let target = target.clone();
            async move { (axum::http::StatusCode::TEMPORARY_REDIRECT, [(axum::http::header::LOCATION, target)]) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, redirecting).await.expect("redirecting endpoint") });
    add_webhook(&store, None, &format!("http://{address}/hooks"), &["story.published".into()], now())
        .await
        .expect("registered");
    let app = TestApp::start_with(store.clone(), now(), |settings| settings.webhooks_allow_private = true).await;
    publish_through_the_api(&app, &store, "Tram line extended").await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        let deliveries = store.recent_webhook_deliveries(10).await.expect("deliveries");
        if let Some(status) = deliveries.first().and_then(|d| d.last_status) {
            assert!(deliveries[0].delivered_at.is_none(), "a redirect is not a delivery");
            break status;
        }
        assert!(Instant::now() < deadline, "the delivery was tried");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(status, 307);
    assert!(heard_by_target.lock().expect("lock").is_empty(), "the redirect was not followed");
}

async fn on_several_instances_each_event_is_delivered_once_and_a_stopped_paper_loses_none(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    // Six answers of 200, then one 500: the seventh event fails once.
    let (url, heard) = receiver([vec![200; 6], vec![500]].concat()).await;
    add_webhook(&store, None, &url, &["story.published".into()], now()).await.expect("registered");
    let allow = |settings: &mut dateline_web::WebSettings| settings.webhooks_allow_private = true;
    let first = TestApp::start_with(store.clone(), now(), allow).await;
    let second = TestApp::start_with(store.clone(), now(), allow).await;
    for n in 0..3 {
        publish_through_the_api(&first, &store, &format!("First instance story {n}")).await;
        publish_through_the_api(&second, &store, &format!("Second instance story {n}")).await;
    }
    wait_for(&heard, 6).await;
    // Both workers had time to send anything twice.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let ids = |heard: &Heard| -> Vec<String> {
        heard
            .lock()
            .expect("lock")
            .iter()
            .map(|(headers, _)| headers["webhook-id"].to_str().expect("id").to_owned())
            .collect()
    };
    let mut once = ids(&heard);
    once.sort();
    once.dedup();
    assert_eq!((heard.lock().expect("lock").len(), once.len()), (6, 6), "each event once, by one instance");

    // The seventh event fails; both instances stop before it is tried again, and one more story
    // is published while none runs (by a command, say).
    publish_through_the_api(&first, &store, "Story whose delivery fails once").await;
    wait_for(&heard, 7).await;
    drop(first);
    drop(second);
    dateline_testkit::paper::StoryBuilder::new("Story published while no server ran", paper.national.id, now())
        .store(&store)
        .await;
    // A new instance, once the stopped one's lease has run out, sends both.
    let restarted = TestApp::start_with(store.clone(), now() + SignedDuration::from_mins(10), allow).await;
    wait_for(&heard, 9).await;
    let all = ids(&heard);
    assert!(all[7..].contains(&all[6]), "the failed event is sent again as the same message: {all:?}");
    let bodies: Vec<String> = heard.lock().expect("lock").iter().map(|(_, body)| body.clone()).collect();
    let stories: std::collections::BTreeSet<i64> = bodies
        .iter()
        .map(|body| serde_json::from_str::<Value>(body).expect("JSON")["data"]["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(stories.len(), 8, "every story told, none lost: {bodies:?}");
    drop(restarted);
}

on_both_databases!(
    on_several_instances_each_event_is_delivered_once_and_a_stopped_paper_loses_none,
    an_endpoint_that_redirects_is_not_followed_to_where_it_points,
    an_admin_registers_an_endpoint_on_the_desk_sees_each_delivery_and_sends_one_again,
    an_endpoint_hears_a_published_story_signed_and_again_after_a_failure_until_it_lands,
    without_the_operators_leave_no_webhook_reaches_a_private_address,
    an_admin_cannot_register_an_address_that_is_not_http,
);
