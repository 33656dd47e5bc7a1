//! The write API as a partner's script meets it: a key made by an admin writes, publishes and
//! corrects a story within its role, the history names the key, and everything a key may not
//! do, or a body that cannot be used, is refused in the one error shape with nothing stored.
//! On both databases.

use dateline_newsroom::catalog::{add_api_key, revoke_api_key, ApiKeyFields};
use dateline_newsroom::prelude::*;
use dateline_newsroom::ArticleId;
use dateline_testkit::paper::{SmallPaper, StoryBuilder};
use dateline_testkit::{on_both_databases, TestApp, TestDatabase};
use jiff::Timestamp;
use serde_json::{json, Value};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

async fn key(store: &impl ApiKeyStore, name: &str, role: &str) -> String {
    let fields = ApiKeyFields { name: name.into(), role: role.into(), expires: String::new() };
    add_api_key(store, None, &fields, now()).await.expect("a key").1
}

async fn send(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}{path}", app.base_url))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn story(headline: &str) -> Value {
    json!({"headline": headline, "section": "national/politics", "bylines": ["kim-min-ji"], "body": "The vote was **180 to 95**."})
}

async fn an_editors_key_writes_publishes_and_corrects_a_story_and_the_history_names_the_key(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let token = key(&store, "Mobile app", "editor").await;
    let app = TestApp::start(store.clone(), now()).await;

    let (status, created) = send(&app, &token, "/api/v1/stories", &story("Assembly passes the budget")).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!((created["status"].as_str(), created["version"].as_i64()), (Some("draft"), Some(1)));
    let id = created["id"].as_i64().expect("id");
    assert_eq!(app.get(&format!("/api/v1/stories/{id}")).await.status(), 404, "a draft is not public");

    let (status, published) =
        send(&app, &token, &format!("/api/v1/stories/{id}/publish"), &json!({"version": 1})).await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["status"], "published");
    let public: Value =
        serde_json::from_slice(&app.get(&format!("/api/v1/stories/{id}")).await.bytes().await.expect("body"))
            .expect("JSON");
    assert_eq!(public["headline"], "Assembly passes the budget");
    assert_eq!(public["bylines"][0]["name"], "Kim Min-ji");

    let version = published["version"].as_i64().expect("version");
    let correction = json!({"version": version, "text": "An earlier version gave the wrong count."});
    let (status, corrected) = send(&app, &token, &format!("/api/v1/stories/{id}/corrections"), &correction).await;
    assert_eq!(status, 200, "{corrected}");
    let history = store.revisions(ArticleId(id)).await.expect("history");
    assert!(history.len() >= 3, "{history:?}");
    assert!(
        history.iter().all(|r| r.made_by.name == "API key: Mobile app"),
        "{:?}",
        history.iter().map(|r| &r.made_by.name).collect::<Vec<_>>()
    );
    assert_eq!(store.corrections_of(ArticleId(id)).await.expect("corrections").len(), 1);

    let (status, topic) = send(&app, &token, "/api/v1/topics", &json!({"slug": "budget", "name": "Budget"})).await;
    assert_eq!(status, 201, "{topic}");
    let (status, _) = send(&app, &token, "/api/v1/topics", &json!({"slug": "budget", "name": "Budget again"})).await;
    assert_eq!(status, 409, "the slug is taken");
}

async fn what_a_key_may_not_do_is_refused_in_the_one_shape_and_nothing_is_stored(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let reporter = key(&store, "Stringer script", "reporter").await;
    let editor = key(&store, "Night desk bot", "editor").await;
    let revoked = key(&store, "Old partner", "editor").await;
    revoke_api_key(&store, None, "Old partner", now()).await.expect("revoked");
    let expired = {
        let fields = ApiKeyFields { name: "Short lived".into(), role: "editor".into(), expires: "2026-12-01".into() };
        add_api_key(&store, None, &fields, "2026-11-01T00:00:00Z".parse().expect("then")).await.expect("key").1
    };
    let app = TestApp::start(store.clone(), "2026-12-05T00:00:00Z".parse().expect("after the expiry")).await;
    let before = store.count_articles().await.expect("count");

    for (token, why) in [
        ("dtl_not-a-real-key", "unknown"),
        (revoked.as_str(), "revoked"),
        (expired.as_str(), "expired"),
        ("", "missing"),
    ] {
        let (status, body) = send(&app, token, "/api/v1/stories", &story("Should not exist")).await;
        assert_eq!(status, 401, "{why}: {body}");
        assert_eq!(body["errors"][0]["code"], "unauthorized", "{why}");
    }
    let mut unknown_field = story("Unknown field");
    unknown_field["sneaky"] = json!(true);
    let (status, body) = send(&app, &editor, "/api/v1/stories", &unknown_field).await;
    assert_eq!(status, 422, "unknown fields are refused, not ignored: {body}");
    let (status, body) = send(&app, &editor, "/api/v1/stories", &json!({"headline": "No section"})).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) =
        send(&app, &editor, "/api/v1/stories", &json!({"headline": "Bad section", "section": "nowhere"})).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("section")), "{body}");
    let not_json = app
        .client
        .post(format!("{}/api/v1/stories", app.base_url))
        .header("authorization", format!("Bearer {editor}"))
        .header("content-type", "text/plain")
        .body("headline=hello")
        .send()
        .await
        .expect("answer");
    assert_eq!(not_json.status(), 415);
    let mut huge = story("Too long");
    huge["body"] = json!("word ".repeat(700_000));
    let (status, body) = send(&app, &editor, "/api/v1/stories", &huge).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (413, Some("too_large")), "{body}");
    assert_eq!(store.count_articles().await.expect("count"), before, "nothing stored by any refusal");

    // A reporter's key writes a draft but may not publish it.
    let (status, created) = send(&app, &reporter, "/api/v1/stories", &story("Reporter's draft")).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().expect("id");
    let (status, body) = send(&app, &reporter, &format!("/api/v1/stories/{id}/publish"), &json!({"version": 1})).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (403, Some("forbidden")), "{body}");

    // A stale version: someone saved in between.
    let save = json!({"version": 1, "story": story("Reporter's draft, edited")});
    assert_eq!(send(&app, &editor, &format!("/api/v1/stories/{id}/save"), &save).await.0, 200);
    let (status, body) = send(&app, &editor, &format!("/api/v1/stories/{id}/save"), &save).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["errors"][0]["detail"].as_str().expect("detail").contains("current version is 2"), "{body}");

    // Script in every text field is kept as text and never reaches a reader as markup.
    let hostile = json!({"headline": "<script>alert(1)</script>", "deck": "<img src=x onerror=alert(2)>",
        "section": "national", "body": "<script>alert(3)</script>\n\n[x](javascript:alert(4))"});
    let (status, created) = send(&app, &editor, "/api/v1/stories", &hostile).await;
    assert_eq!(status, 201, "{created}");
    let hostile_id = created["id"].as_i64().expect("id");
    let (status, published) =
        send(&app, &editor, &format!("/api/v1/stories/{hostile_id}/publish"), &json!({"version": 1})).await;
    assert_eq!(status, 200);
    let address = published["url"].as_str().expect("url");
    let path = &address[address.find("/article/").expect("an article address")..];
    let page = app.get(path).await;
    assert_eq!(page.status(), 200, "{path}");
    let html = scraper::Html::parse_document(&page.text().await.expect("page"));
    let everything = scraper::Selector::parse("*").expect("selector");
    for element in html.select(&everything) {
        let tag = element.value().name();
        // The JSON-LD block holds the headline as JSON data, never as code.
        let code = tag == "script" && element.value().attr("type") != Some("application/ld+json");
        assert!(!(code && element.text().any(|t| t.contains("alert"))), "a script from the API ran");
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "an event handler reached the page: <{tag} {name}={value}>");
            assert!(!value.trim_start().to_ascii_lowercase().starts_with("javascript:"), "a javascript: link");
        }
    }
    assert_eq!(dateline_testkit::texts(&html, "h1"), ["<script>alert(1)</script>"], "the headline is shown as text");
    let _ = paper;
}

async fn malformed_json_and_numbers_out_of_range_are_refused_in_the_one_shape_and_nothing_is_stored(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let editor = key(&store, "Careless script", "editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let raw = |path: &str, body: &str| {
        app.client
            .post(format!("{}{path}", app.base_url))
            .header("authorization", format!("Bearer {editor}"))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
    };
    let before = (store.count_articles().await.expect("count"), store.topics().await.expect("topics").len());
    for (path, body, status) in [
        ("/api/v1/stories", "{\"headline\": \"Cut short\", \"section\": ", 400),
        ("/api/v1/stories", "[1, 2, 3]", 422),
        ("/api/v1/stories", "{\"headline\": 12, \"section\": \"national\"}", 422),
        ("/api/v1/stories", "{\"headline\": \"Twice\", \"headline\": \"Twice\", \"section\": \"national\"}", 422),
        ("/api/v1/stories/0/publish", "{\"version\": 1}", 404),
        ("/api/v1/stories/-4/publish", "{\"version\": 1}", 404),
        ("/api/v1/stories/99999999999999999999/publish", "{\"version\": 1}", 404),
        ("/api/v1/stories/12/launch", "{\"version\": 1}", 404),
        ("/api/v1/stories/1/publish", "{\"version\": 99999999999999999999}", 422),
        ("/api/v1/topics", "{\"slug\": \"tides\", \"name\": \"Tides\", \"colour\": \"blue\"}", 422),
        ("/api/v1/topics", "{\"slug\": \"not a slug!\", \"name\": \"Tides\"}", 422),
    ] {
        let response = raw(path, body).await.expect("answer");
        let answered = response.status().as_u16();
        let error: Value = serde_json::from_slice(&response.bytes().await.expect("body")).unwrap_or(Value::Null);
        assert_eq!(answered, status, "{path} {body}: {error}");
        assert!(
            error["errors"][0]["code"].is_string() && error["errors"][0]["detail"].is_string(),
            "{path} {body}: {error}"
        );
    }
    let after = (store.count_articles().await.expect("count"), store.topics().await.expect("topics").len());
    assert_eq!(after, before, "nothing stored by any refusal");
}

async fn a_key_over_its_rate_is_told_when_to_come_back(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let token = key(&store, "Busy script", "editor").await;
    StoryBuilder::new("Something to read", dateline_newsroom::SectionId(1), now()).store(&store).await;
    let app = TestApp::start_with(store.clone(), now(), |settings| settings.api_requests_per_minute = 3).await;
    let body = json!({"slug": "rates", "name": "Rates"});
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..5 {
        let response = app
            .client
            .post(format!("{}/api/v1/topics", app.base_url))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("answer");
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            retry_after = response.headers().get("retry-after").map(|v| v.to_str().expect("text").to_owned());
        }
    }
    assert_eq!(statuses, [201, 409, 409, 429, 429]);
    let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=60).contains(&seconds), "{seconds}");
    assert_eq!(app.get("/api/v1/topics").await.status(), 200, "reading needs no key and has no key's rate");
}

async fn an_admin_makes_a_key_on_the_desk_sees_its_token_once_and_revoking_it_stops_it_at_once(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (admin, password) =
        dateline_testkit::paper::desk_user(&store, dateline_newsroom::Role::Admin, "Key Admin").await;
    let (editor, editor_password) =
        dateline_testkit::paper::desk_user(&store, dateline_newsroom::Role::Editor, "Not An Admin").await;
    let app = TestApp::start(store.clone(), now()).await;
    let not_admin = app.sign_in(&editor.email, &editor_password).await;
    assert_eq!(not_admin.post("/desk/api-keys", &[("name", "Sneaky"), ("role", "admin")]).await.status(), 403);

    let desk = app.sign_in(&admin.email, &password).await;
    let made = desk.post("/desk/api-keys", &[("name", "Partner feed"), ("role", "reporter"), ("expires", "")]).await;
    assert_eq!(made.status(), 200);
    let page = scraper::Html::parse_document(&made.text().await.expect("page"));
    let token = dateline_testkit::attributes(&page, "#new-token", "value").pop().expect("the token, shown once");
    assert!(token.starts_with("dtl_"));
    let listed = desk.page("/desk/api-keys").await;
    assert!(dateline_testkit::attributes(&listed, "#new-token", "value").is_empty(), "never shown again");
    assert_eq!(dateline_testkit::texts(&listed, "tbody td:first-child"), ["Partner feed"]);
    assert!(
        !dateline_testkit::texts(&desk.page("/desk/users").await, "tbody td")
            .iter()
            .any(|t| t.contains("Partner feed")),
        "a key is not a desk user"
    );

    let (status, _) = send(&app, &token, "/api/v1/stories", &story("From the partner")).await;
    assert_eq!(status, 201);
    assert_eq!(desk.post("/desk/api-keys/revoke", &[("name", "Partner feed")]).await.status(), 303);
    let (status, _) = send(&app, &token, "/api/v1/stories", &story("After the revocation")).await;
    assert_eq!(status, 401, "a revoked key stops at once");
    let listed = desk.page("/desk/api-keys").await;
    assert!(dateline_testkit::texts(&listed, "tbody td").iter().any(|t| t.starts_with("Revoked")), "the list says so");
}

fn jpeg() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(900, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("jpeg");
    bytes
}

async fn upload(app: &TestApp, token: &str, parts: Vec<(&str, Vec<u8>, Option<&str>)>) -> (u16, Value) {
    let boundary = "dateline-test-boundary";
    let mut body = Vec::new();
    for (name, bytes, content_type) in parts {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(kind) = content_type {
            body.extend_from_slice(format!("; filename=\"{name}.jpg\"\r\nContent-Type: {kind}").as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(&bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let response = app
        .client
        .post(format!("{}/api/v1/photos", app.base_url))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    (status, serde_json::from_slice(&response.bytes().await.expect("body")).unwrap_or(Value::Null))
}

async fn a_key_uploads_a_photo_with_the_desks_checks_and_a_contributors_key_may_not(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let editor = key(&store, "Photo desk bot", "editor").await;
    let contributor = key(&store, "Guest writer", "contributor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let text = |t: &str| t.as_bytes().to_vec();
    let whole = || {
        vec![
            ("file", jpeg(), Some("image/jpeg")),
            ("caption", text("Cranes at dawn"), None),
            ("credit", text("Kim Min-ji"), None),
            ("alt_text", text("Three cranes over a quiet harbour"), None),
        ]
    };
    let (status, photo) = upload(&app, &editor, whole()).await;
    assert_eq!(status, 201, "{photo}");
    assert_eq!((photo["width"].as_u64(), photo["credit"].as_str()), (Some(900), Some("Kim Min-ji")));
    assert!(photo["sizes"].as_array().expect("sizes").is_empty(), "smaller sizes follow in the background");
    assert_eq!(app.make_photo_copies().await, 1);
    let stored =
        store.media_by_id(dateline_newsroom::MediaId(photo["id"].as_i64().expect("id"))).await.expect("stored");
    assert_eq!(stored.alt_text, "Three cranes over a quiet harbour");
    assert_eq!(stored.variant_formats, ["webp", "jpeg", "crops"], "the copies and crops are recorded once made");

    let (status, body) = upload(&app, &contributor, whole()).await;
    assert_eq!(status, 403, "{body}");
    let mut not_an_image = whole();
    not_an_image[0] = ("file", text("GIF89a, but not really"), Some("image/gif"));
    let (status, body) = upload(&app, &editor, not_an_image).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("file")), "{body}");
    let (status, body) =
        upload(&app, &editor, whole().into_iter().filter(|(n, _, _)| *n != "alt_text").collect()).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("alt_text")), "{body}");
    assert_eq!(
        store.media_list(dateline_newsroom::Window { limit: 10, offset: 0 }).await.expect("photos").len(),
        1,
        "only the good one"
    );
}

on_both_databases!(
    malformed_json_and_numbers_out_of_range_are_refused_in_the_one_shape_and_nothing_is_stored,
    a_key_uploads_a_photo_with_the_desks_checks_and_a_contributors_key_may_not,
    an_admin_makes_a_key_on_the_desk_sees_its_token_once_and_revoking_it_stops_it_at_once,
    an_editors_key_writes_publishes_and_corrects_a_story_and_the_history_names_the_key,
    what_a_key_may_not_do_is_refused_in_the_one_shape_and_nothing_is_stored,
    a_key_over_its_rate_is_told_when_to_come_back,
);
