//! Wire copy arriving over HTTP, on both databases: an agency's story with its photo waits
//! in the queue or goes straight to the front; new versions update it (in public when it is
//! published) unless the desk changed it, when they wait for an editor; an embargo holds even
//! against an editor; a kill brings the story down for good; the same delivery twice changes
//! nothing; hostile and broken deliveries are refused with a JSON reason and store nothing.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role, Window};
use dateline_testkit::paper::{desk_user, wire_source, SmallPaper};
use dateline_testkit::TestDatabase;
use dateline_testkit::{on_both_databases, texts, TestApp};
use jiff::{SignedDuration, Timestamp};
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use std::io::Cursor;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn g2(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../dateline-ingest/tests/fixtures/newsml-g2/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn jpeg() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(1200, 800, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("jpeg");
    bytes
}

async fn deliver(app: &TestApp, source: &str, token: &str, body: String, content_type: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/ingest/{source}", app.base_url))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("deliver");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("every answer is JSON ({e}): {text}")))
}

async fn deliver_with_photo(app: &TestApp, source: &str, token: &str, item: String, photo: Vec<u8>) -> (u16, Value) {
    let form = Form::new()
        .part("item", Part::text(item).mime_str("application/xml").expect("mime"))
        .part("photo", Part::bytes(photo).file_name("budget-vote.jpg").mime_str("image/jpeg").expect("mime"));
    let response = app
        .client
        .post(format!("{}/api/v1/ingest/{source}", app.base_url))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("deliver");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON ({e}): {text}")))
}

fn story_id(answer: &Value) -> dateline_newsroom::ArticleId {
    dateline_newsroom::ArticleId(answer["story"].as_i64().unwrap_or_else(|| panic!("a story id in {answer}")))
}

async fn an_agency_story_with_its_photo_waits_in_the_wire_queue_as_a_draft(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (source, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    let app = TestApp::start(store.clone(), now()).await;

    let (status, answer) = deliver_with_photo(&app, "hanbit-news", &token, g2("message.xml"), jpeg()).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!((answer["outcome"].as_str(), answer["status"].as_str()), (Some("created"), Some("draft")));
    let story = store.article_by_id(story_id(&answer)).await.expect("story");
    assert_eq!(story.status, ArticleStatus::Draft);
    assert_eq!(story.content.headline, "Assembly passes next year's budget after all-night session");
    assert_eq!(story.content.section_id, paper.politics.id);
    let names: Vec<String> =
        store.authors_by_ids(&story.content.bylines).await.expect("authors").into_iter().map(|a| a.name).collect();
    assert_eq!(names, ["Kim Ji-won", "Lee Min-ho", "Hanbit News"], "reporters, then the agency");
    assert_eq!(story.content.bylines.last(), Some(&source.agency_id));
    let photo = store.media_by_id(story.content.lead_media_id.expect("a lead photo")).await.expect("photo");
    assert_eq!((photo.credit.as_str(), photo.photographer.as_str()), ("Hanbit News", "Park Seo-yeon"));
    assert!(photo.caption.starts_with("Lawmakers cast their votes"));
    assert_eq!(story.content.topics.len(), 2, "subjects and keywords became topics");
    assert!(story.content.body.ends_with("(Hanbit News)"), "the sign-off stays: {}", story.content.body);

    // Readers do not see a draft; the desk's wire queue lists it.
    assert_eq!(app.get(&format!("/article/{}/x", story.id)).await.status(), 404);
    let queue = store.wire_queue(None, Window { limit: 10, offset: 0 }).await.expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].headline, story.content.headline);
}

async fn a_source_that_publishes_at_once_updates_its_story_in_public_and_ignores_repeats(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, true).await;
    let app = TestApp::start(store.clone(), now()).await;

    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("text.xml"), "application/xml").await;
    assert_eq!((status, answer["status"].as_str()), (201, Some("published")), "{answer}");
    let id = story_id(&answer);
    let front = app.page("/national/politics/").await;
    assert!(texts(&front, ".card__headline")
        .contains(&"Assembly passes next year's budget after all-night session".to_owned()));

    app.set_now(now() + SignedDuration::from_mins(30));
    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("text-v2.xml"), "application/xml").await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("updated")), "{answer}");
    let story = store.article_by_id(id).await.expect("story");
    assert!(story.content.body.contains("with 12 abstentions"));
    assert_eq!(story.last_public_update_at, Some(now() + SignedDuration::from_mins(30)), "readers see it was updated");
    let kinds: Vec<&str> = store
        .revisions(id)
        .await
        .expect("history")
        .iter()
        .map(|r| r.kind.as_str())
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert!(kinds.contains(&"public_update"), "{kinds:?}");
    let page = app.page(&format!("/article/{id}/{}", story.content.slug)).await;
    assert!(
        texts(&page, ".article-body p, article p").iter().any(|p| p.contains("with 12 abstentions")),
        "the reader sees the new version"
    );

    // The same file again, and an older version, change nothing.
    let revisions = store.revisions(id).await.expect("history").len();
    for older in ["text-v2.xml", "text.xml"] {
        let (status, answer) = deliver(&app, "hanbit-news", &token, g2(older), "application/xml").await;
        assert_eq!((status, answer["outcome"].as_str()), (200, Some("ignored")), "{older}: {answer}");
    }
    assert_eq!(store.revisions(id).await.expect("history").len(), revisions);
    assert_eq!(store.count_articles().await.expect("count"), 1);
}

async fn an_embargo_holds_the_story_back_even_from_an_editor(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Wire Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("embargoed.xml"), "application/xml").await;
    assert_eq!(status, 201, "{answer}");
    let id = story_id(&answer);
    let story = store.article_by_id(id).await.expect("story");
    let until: Timestamp = "2026-11-28T09:00:00Z".parse().expect("instant");
    assert_eq!(story.embargo_until, Some(until));

    // The editor clears the embargo field and tries to publish: the agency's embargo stands.
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.politics.id.to_string();
    let version = story.version.to_string();
    let fields = [
        ("headline", story.content.headline.as_str()),
        ("section", section.as_str()),
        ("body", story.content.body.as_str()),
        ("embargo_until", ""),
        ("action", "publish"),
        ("version", version.as_str()),
    ];
    desk.post(&format!("/desk/stories/{id}"), &fields).await;
    let after = store.article_by_id(id).await.expect("story");
    assert_ne!(after.status, ArticleStatus::Published, "published before the embargo");
    assert!(!after.is_public(now()));
    let publish = dateline_newsroom::editing::publish(&store, &editor, id, after.version, now()).await;
    assert!(
        matches!(publish, Err(dateline_newsroom::editing::EditError::EmbargoNotLifted(t)) if t == until),
        "{publish:?}"
    );
    // After the embargo, the editor may.
    let later = until + SignedDuration::from_mins(1);
    let published = dateline_newsroom::editing::publish(&store, &editor, id, after.version, later)
        .await
        .expect("publish after the embargo");
    assert!(published.is_public(later));
}

async fn a_kill_takes_the_story_down_notes_it_and_keeps_it_down(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, true).await;
    let (editor, _) = desk_user(&store, Role::Editor, "Kill Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let (_, answer) = deliver(&app, "hanbit-news", &token, g2("text.xml"), "application/xml").await;
    let id = story_id(&answer);
    let slug = store.article_by_id(id).await.expect("story").content.slug;
    app.page(&format!("/article/{id}/{slug}")).await;

    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("killed.xml"), "application/xml").await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("killed")), "{answer}");
    let story = store.article_by_id(id).await.expect("story");
    assert_eq!(story.status, ArticleStatus::Unpublished);
    assert_eq!(
        app.get(&format!("/article/{id}/{}", story.content.slug)).await.status(),
        404,
        "readers no longer see it"
    );
    let history = store.revisions(id).await.expect("history");
    let note = history.last().and_then(|r| r.note.clone()).unwrap_or_default();
    assert!(note.contains("killed"), "the history says why: {note:?}");
    let again = dateline_newsroom::editing::publish(&store, &editor, id, story.version, now()).await;
    assert!(again.is_err(), "a killed story cannot be published again: {again:?}");
    let queue = store.wire_queue(None, Window { limit: 10, offset: 0 }).await.expect("queue");
    assert!(queue[0].item.note.as_deref().unwrap_or_default().contains("killed"), "the desk is told");
}

async fn a_new_version_waits_beside_a_story_the_desk_has_edited(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (source, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Copy Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let (_, answer) = deliver(&app, "hanbit-news", &token, g2("text.xml"), "application/xml").await;
    let id = story_id(&answer);
    let story = store.article_by_id(id).await.expect("story");

    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.politics.id.to_string();
    let version = story.version.to_string();
    let sharper = "Budget passes after all-night session";
    let saved = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("headline", sharper),
                ("section", &section),
                ("body", &story.content.body),
                ("action", "save"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);

    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("text-v2.xml"), "application/xml").await;
    assert_eq!((status, answer["outcome"].as_str()), (202, Some("held_for_desk")), "{answer}");
    let kept = store.article_by_id(id).await.expect("story");
    assert_eq!(kept.content.headline, sharper, "the desk's work is not overwritten");
    let item = store.wire_item_of_article(id).await.expect("item").expect("a wire item");
    assert_eq!(item.pending.as_ref().map(|p| p.version), Some(2));

    // The editor takes the agency's version.
    dateline_newsroom::wire::decide_pending(
        &store,
        &editor,
        &source,
        id,
        dateline_newsroom::wire::PendingDecision::TakeAgencyVersion,
        now(),
    )
    .await
    .expect("decide");
    let taken = store.article_by_id(id).await.expect("story");
    assert!(taken.content.body.contains("with 12 abstentions"));
    assert!(store.wire_item_of_article(id).await.expect("item").expect("item").pending.is_none());
}

async fn hostile_and_broken_deliveries_are_refused_with_a_reason_and_store_nothing(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, g2_token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, true).await;
    let (_, json_token) = wire_source(&store, "Eastern Wire", "ninjs-2.1", paper.business.id, true).await;
    let app = TestApp::start(store.clone(), now()).await;
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><newsItem guid=\"x\" version=\"1\"><itemMeta/><contentMeta><headline>&b;</headline></contentMeta></newsItem>";
    let external = "<?xml version=\"1.0\"?><!DOCTYPE i [<!ENTITY s SYSTEM \"file:///etc/passwd\">]><newsItem guid=\"x\" version=\"1\"><itemMeta/><contentMeta><headline>&s;</headline></contentMeta></newsItem>";
    let text = g2("text.xml");
    let scripted = text.replace("</body>", "<script>alert(1)</script></body>");
    let handler = text.replace("<p>The vote", "<p onclick=\"x()\">The vote");
    let huge = text.replace("The vote was", &"word ".repeat(1_200_000));
    let nested = |open: &str, close: &str| format!("{}<p>deep</p>{}", open.repeat(10_000), close.repeat(10_000));
    let deep_g2 = text.replace("<p>The vote", &format!("{}<p>The vote", nested("<div>", "</div>")));
    let deep_quotes_g2 =
        text.replace("<p>The vote", &format!("{}<p>The vote", nested("<blockquote>", "</blockquote>")));
    let attributes = (0..50_000).map(|i| format!("data-a{i}=\"v\"")).collect::<Vec<_>>().join(" ");
    let many_attributes_g2 = text.replace("<p>The vote", &format!("<p {attributes}>The vote"));
    let crowd = (0..10_000).map(|n| format!("Reporter {n}")).collect::<Vec<_>>().join(", ");
    let crowded_byline = serde_json::json!({"uri": "urn:x:crowd", "type": "text", "headlines": [{"value": "Crowd"}], "by": crowd, "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Many hands.</p>"}]}).to_string();
    let deep_ninjs = serde_json::json!({"uri": "urn:x:deep", "type": "text", "headlines": [{"value": "Deep"}], "bodies": [{"role": "main", "contenttype": "text/html", "value": nested("<div>", "</div>")}]}).to_string();
    let cases: Vec<(&str, &str, String, &str, u16, &str)> = vec![
        ("hanbit-news", "wrong-token", text.clone(), "application/xml", 401, "bad_token"),
        ("no-such-agency", &g2_token, text.clone(), "application/xml", 401, "bad_token"),
        ("hanbit-news", &g2_token, text[..text.len() / 2].to_owned(), "application/xml", 400, "malformed"),
        ("hanbit-news", &g2_token, "<newsItem guid=".to_owned(), "application/xml", 400, "malformed"),
        ("hanbit-news", &g2_token, laughs.to_owned(), "application/xml", 400, "malformed"),
        ("hanbit-news", &g2_token, external.to_owned(), "application/xml", 400, "malformed"),
        ("hanbit-news", &g2_token, scripted, "application/xml", 422, "unsafe"),
        ("hanbit-news", &g2_token, handler, "application/xml", 422, "unsafe"),
        ("hanbit-news", &g2_token, huge, "application/xml", 413, "too_large"),
        ("hanbit-news", &g2_token, deep_g2, "application/xml", 400, "malformed"),
        ("hanbit-news", &g2_token, deep_quotes_g2, "application/xml", 400, "malformed"),
        ("hanbit-news", &g2_token, many_attributes_g2, "application/xml", 400, "malformed"),
        ("eastern-wire", &json_token, deep_ninjs, "application/json", 400, "malformed"),
        ("eastern-wire", &json_token, crowded_byline, "application/json", 422, "declined"),
        ("hanbit-news", &g2_token, "{\"uri\":\"x\"}".to_owned(), "text/plain", 415, "unknown_format"),
        (
            "eastern-wire",
            &json_token,
            "{\"uri\": \"urn:x\", \"headlines\": 7}".to_owned(),
            "application/json",
            422,
            "schema",
        ),
        ("eastern-wire", &json_token, "{\"uri\": \"urn:x\", \"headl".to_owned(), "application/json", 400, "malformed"),
        (
            "eastern-wire",
            &json_token,
            "{\"uri\":\"urn:x\",\"type\":\"video\",\"headlines\":[{\"value\":\"Clip\"}]}".to_owned(),
            "application/json",
            422,
            "declined",
        ),
    ];
    for (source, token, body, content_type, expected, kind) in cases {
        let (status, answer) = deliver(&app, source, token, body, content_type).await;
        assert_eq!(status, expected, "{kind}: {answer}");
        assert_eq!(answer["errors"][0]["code"].as_str(), Some(kind), "{answer}");
        assert!(answer["errors"][0]["detail"].as_str().is_some_and(|e| e.len() > 10), "a reason: {answer}");
    }
    assert_eq!(store.count_articles().await.expect("count"), 0, "nothing partial was stored");
    assert!(store.media_list(Window { limit: 10, offset: 0 }).await.expect("media").is_empty());
    assert!(store.wire_queue(None, Window { limit: 10, offset: 0 }).await.expect("queue").is_empty());
    assert_eq!(app.get("/healthz").await.status(), 200, "the paper stays healthy");
}

on_both_databases!(
    an_agency_story_with_its_photo_waits_in_the_wire_queue_as_a_draft,
    a_source_that_publishes_at_once_updates_its_story_in_public_and_ignores_repeats,
    an_embargo_holds_the_story_back_even_from_an_editor,
    a_kill_takes_the_story_down_notes_it_and_keeps_it_down,
    a_new_version_waits_beside_a_story_the_desk_has_edited,
    hostile_and_broken_deliveries_are_refused_with_a_reason_and_store_nothing
);

async fn an_admin_sets_up_a_source_on_the_desk_and_an_editor_works_the_wire_queue(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (admin, admin_password) = desk_user(&store, Role::Admin, "Wire Admin").await;
    let (editor, editor_password) = desk_user(&store, Role::Editor, "Queue Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let admin_desk = app.sign_in(&admin.email, &admin_password).await;
    let section = paper.politics.id.to_string();
    let source_form = |folder: &'static str| {
        vec![
            ("name", "Hanbit News"),
            ("slug", "hanbit-news"),
            ("format", "newsml-g2"),
            ("arrival", "queue"),
            ("http", "on"),
            ("folder", folder),
        ]
    };

    let mut escaping = source_form("../etc");
    escaping.push(("section", &section));
    let refused = admin_desk.post("/desk/wire/sources", &escaping).await;
    assert_eq!(refused.status(), 422, "a folder outside the ingest root is refused");
    let mut fields = source_form("hanbit");
    fields.push(("section", &section));
    let created = admin_desk.post("/desk/wire/sources", &fields).await;
    assert_eq!(created.status(), 200);
    assert!(
        created.headers()["cache-control"].to_str().expect("header").contains("no-store"),
        "the token is never cached"
    );
    let page = scraper::Html::parse_document(&created.text().await.expect("page"));
    let token = dateline_testkit::attributes(&page, "#new-token", "value").pop().expect("the token, shown once");
    let source = store.wire_source_by_slug("hanbit-news").await.expect("stored");
    assert_ne!(source.token_digest.as_deref(), Some(token.as_str()), "only a digest is kept");
    let again = scraper::Html::parse_document(&admin_desk.get("/desk/wire/sources").await.text().await.expect("page"));
    assert!(dateline_testkit::attributes(&again, "#new-token", "value").is_empty(), "the token is not shown again");

    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("text.xml"), "application/xml").await;
    assert_eq!(status, 201, "{answer}");
    let id = story_id(&answer);

    let desk = app.sign_in(&editor.email, &editor_password).await;
    assert_eq!(desk.get("/desk/wire/sources").await.status(), 403, "tokens are for admins");
    let queue = desk.page("/desk/wire?source=hanbit-news").await;
    assert_eq!(texts(&queue, ".desk-table tbody td a"), ["Assembly passes next year's budget after all-night session"]);
    assert_eq!(dateline_testkit::attributes(&queue, ".desk-table tbody td a", "href"), [format!("/desk/stories/{id}")]);

    // The editor sharpens the headline; the agency's next version waits beside it.
    let story = store.article_by_id(id).await.expect("story");
    let version = story.version.to_string();
    desk.post(
        &format!("/desk/stories/{id}"),
        &[
            ("headline", "Budget passes at dawn"),
            ("section", &section),
            ("body", &story.content.body),
            ("action", "save"),
            ("version", &version),
        ],
    )
    .await;
    let (status, _) = deliver(&app, "hanbit-news", &token, g2("text-v2.xml"), "application/xml").await;
    assert_eq!(status, 202);
    let editor_page = desk.page(&format!("/desk/stories/{id}")).await;
    let banner = texts(&editor_page, ".wire-origin p").join(" ");
    assert!(banner.contains("Agency update available: version 2"), "{banner}");
    assert!(
        texts(&editor_page, ".wire-origin ins").iter().any(|t| t.contains("abstentions")),
        "the diff shows what the agency added"
    );
    let queue = desk.page("/desk/wire").await;
    assert!(texts(&queue, ".desk-table tbody td").iter().any(|t| t.contains("Agency update available")));

    let taken = desk.post(&format!("/desk/stories/{id}/agency-update"), &[("decision", "take")]).await;
    assert_eq!(taken.status(), 303);
    let story = store.article_by_id(id).await.expect("story");
    assert!(story.content.body.contains("with 12 abstentions"));
    assert_eq!(story.content.headline, "Assembly passes next year's budget after all-night session");
    let history = store.revisions(id).await.expect("history");
    assert_eq!(history.last().map(|r| r.made_by.name.as_str()), Some("Queue Editor"), "the history says who decided");
}

on_both_databases!(an_admin_sets_up_a_source_on_the_desk_and_an_editor_works_the_wire_queue);

/// A file server on 127.0.0.1 standing in for an agency's photo host.
async fn photo_host() -> String {
    use axum::routing::get;
    let photo = jpeg();
    let big = vec![0u8; 4 * 1024 * 1024];
    let router = axum::Router::new()
        .route("/photos/lead.jpg", get(move || async move { ([("content-type", "image/jpeg")], photo) }))
        .route("/photos/big.jpg", get(move || async move { ([("content-type", "image/jpeg")], big) }))
        .route(
            "/photos/slow.jpg",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                "late"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    format!("http://127.0.0.1:{}", address.port())
}

fn ninjs_with_photo(guid: &str, href: &str) -> String {
    serde_json::json!({
        "uri": guid,
        "type": "text",
        "headlines": [{"role": "main", "value": format!("Ferry service resumes {guid}")}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>MOKPO -- Ferries sailed again on Saturday. (Eastern Wire)</p>"}],
        "by": "Jung Ha-eun",
        "associations": [{
            "name": "photo1",
            "uri": format!("{guid}:photo"),
            "type": "picture",
            "descriptions": [{"role": "caption", "value": "A ferry leaves Mokpo harbour."}],
            "renditions": [{"name": "original", "href": href, "contenttype": "image/jpeg"}]
        }]
    })
    .to_string()
}

async fn a_photo_at_a_remote_address_is_fetched_only_from_allowed_hosts_within_limits(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Eastern Wire", "ninjs-2.1", paper.national.id, false).await;
    let host = photo_host().await;
    let app = TestApp::start_with(store.clone(), now(), |settings| {
        settings.ingest = dateline_intake::IngestSettings {
            fetch_hosts: vec!["127.0.0.1".into()],
            fetch_timeout: std::time::Duration::from_secs(1),
            fetch_max_bytes: 2 * 1024 * 1024,
            ..dateline_intake::IngestSettings::default()
        };
    })
    .await;
    let other_host = host.replace("127.0.0.1", "localhost");
    let cases = [
        ("urn:ew:1", format!("{host}/photos/lead.jpg"), None),
        ("urn:ew:2", format!("{other_host}/photos/lead.jpg"), Some("is not among the hosts")),
        ("urn:ew:3", format!("{host}/photos/missing.jpg"), Some("answered 404")),
        ("urn:ew:4", format!("{host}/photos/big.jpg"), Some("larger than the limit")),
        ("urn:ew:5", format!("{host}/photos/slow.jpg"), Some("did not answer")),
    ];
    for (guid, href, problem) in cases {
        let (status, answer) =
            deliver(&app, "eastern-wire", &token, ninjs_with_photo(guid, &href), "application/json").await;
        assert_eq!(status, 201, "{guid}: {answer}");
        let story = store.article_by_id(story_id(&answer)).await.expect("story");
        let item = store.wire_item_of_article(story.id).await.expect("item").expect("item");
        match problem {
            None => {
                let photo = store.media_by_id(story.content.lead_media_id.expect("fetched")).await.expect("photo");
                assert_eq!(photo.caption, "A ferry leaves Mokpo harbour.");
                assert!(item.note.is_none(), "{:?}", item.note);
            }
            Some(why) => {
                assert_eq!(story.content.lead_media_id, None, "{guid} comes in without the photo");
                let note = item.note.unwrap_or_default();
                assert!(note.contains(why), "{guid}: the desk is told why: {note}");
            }
        }
    }
}

on_both_databases!(a_photo_at_a_remote_address_is_fetched_only_from_allowed_hosts_within_limits);

async fn a_picture_item_becomes_a_library_photo_with_the_agencys_caption_and_credit(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.national.id, false).await;
    let app = TestApp::start(store.clone(), now()).await;
    let (status, answer) = deliver_with_photo(&app, "hanbit-news", &token, g2("picture.xml"), jpeg()).await;
    assert_eq!((status, answer["outcome"].as_str()), (201, Some("photo")), "{answer}");
    let photo = store
        .media_by_id(dateline_newsroom::MediaId(answer["photo"].as_i64().expect("photo id")))
        .await
        .expect("photo");
    assert_eq!(
        photo.caption,
        "Lawmakers cast their votes on next year's budget at the National Assembly in Seoul on Nov. 28."
    );
    assert_eq!((photo.credit.as_str(), photo.photographer.as_str()), ("Hanbit News", "Park Seo-yeon"));
    assert_eq!((photo.width, photo.height), (1200, 800));
    assert_eq!(store.count_articles().await.expect("count"), 0, "a photo, not a story");
}

async fn a_picture_delivered_without_its_image_waits_and_the_same_version_with_it_completes_it(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.national.id, false).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Picture Editor").await;
    let app = TestApp::start(store.clone(), now()).await;

    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("picture.xml"), "application/xml").await;
    assert_eq!((status, answer["outcome"].as_str()), (202, Some("waiting_for_rendition")), "{answer}");
    let reason = answer["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("budget-vote.jpg") && reason.contains("deliver this version again"), "{reason}");
    assert!(answer.get("photo").is_none(), "no photo is promised: {answer}");
    assert!(store.media_list(Window { limit: 10, offset: 0 }).await.expect("library").is_empty());

    let desk = app.sign_in(&editor.email, &password).await;
    let queue = desk.page("/desk/wire").await;
    let rows = texts(&queue, ".desk-table tbody tr");
    assert!(rows.iter().any(|row| row.contains("Waiting for its image")), "the queue says it waits: {rows:?}");

    let (status, answer) = deliver_with_photo(&app, "hanbit-news", &token, g2("picture.xml"), jpeg()).await;
    assert_eq!((status, answer["outcome"].as_str()), (201, Some("photo")), "the same version completes it: {answer}");
    let photo = store
        .media_by_id(dateline_newsroom::MediaId(answer["photo"].as_i64().expect("photo id")))
        .await
        .expect("photo");
    assert_eq!(photo.photographer, "Park Seo-yeon");
    let queue = desk.page("/desk/wire").await;
    let rows = texts(&queue, ".desk-table tbody tr");
    assert!(rows.iter().all(|row| !row.contains("Waiting for its image")), "no longer waiting: {rows:?}");

    let (status, answer) = deliver_with_photo(&app, "hanbit-news", &token, g2("picture.xml"), jpeg()).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("ignored")), "once complete, once: {answer}");
    let newer = g2("picture.xml").replace("version=\"1\"", "version=\"2\"");
    let (status, answer) = deliver(&app, "hanbit-news", &token, newer, "application/xml").await;
    assert_eq!((status, answer["outcome"].as_str()), (201, Some("photo")), "a newer version keeps the photo: {answer}");
    assert_eq!(answer["photo"].as_i64(), Some(photo.id.0));
    let killed = g2("picture.xml").replace("version=\"1\"", "version=\"3\"").replace("stat:usable", "stat:canceled");
    let (status, answer) = deliver(&app, "hanbit-news", &token, killed, "application/xml").await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("killed")), "a kill says so: {answer}");
}

async fn an_agency_story_carries_a_dateline_its_source_shapes_and_readers_see_it_once_at_the_start(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.national.id, true).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let app = TestApp::start(store.clone(), now()).await;

    // A NITF story filed from Mokpo at 01:30 UTC on the 29th; the paper keeps Seoul time.
    let (status, answer) = deliver(&app, "hanbit-news", &token, g2("nitf-story.xml"), "application/xml").await;
    assert_eq!(status, 201, "{answer}");
    let ferry = store.article_by_id(story_id(&answer)).await.expect("story");
    assert_eq!(ferry.content.dateline.as_deref(), Some("MOKPO, Nov. 29 (Hanbit News) --"));
    assert_eq!(ferry.content.deck.as_deref(), Some("Three boats a day to Heuksan from Monday"));
    let page = app.page(&dateline_render::views::article_url(ferry.id, &ferry.content.slug)).await;
    assert_eq!(texts(&page, ".story__body p:first-child .story__dateline"), ["MOKPO, Nov. 29 (Hanbit News) --"]);
    let first = texts(&page, ".story__body > p").into_iter().next().unwrap_or_default();
    assert!(first.starts_with("MOKPO, Nov. 29 (Hanbit News) -- The ferry line"), "{first}");
    assert_eq!(texts(&page, ".story__body table th"), ["Boat", "Leaves"], "the timetable is a table");
    assert_eq!(texts(&page, ".story__body h2"), ["Who runs it"]);
    let bylines = texts(&page, ".story__byline a, .byline a");
    assert!(bylines.iter().any(|b| b == "Choi Yu-na") && bylines.iter().any(|b| b == "Hanbit News"), "{bylines:?}");

    // A body that opens with its own dateline gives it up: readers see it once.
    let (_, answer) = deliver(&app, "hanbit-news", &token, g2("text.xml"), "application/xml").await;
    let budget = store.article_by_id(story_id(&answer)).await.expect("story");
    assert_eq!(budget.content.dateline.as_deref(), Some("SEOUL, Nov. 28 (Hanbit News) --"));
    assert!(budget.content.body.starts_with("The National Assembly passed"), "{}", budget.content.body);
    let page = app.page(&dateline_render::views::article_url(budget.id, &budget.content.slug)).await;
    let body = texts(&page, ".story__body").join(" ");
    assert_eq!(body.matches("SEOUL, Nov. 28").count(), 1, "{body}");

    // The desk may change it, and a staff story may carry one.
    let desk = app.sign_in(&editor.email, &password).await;
    let mut fields =
        dateline_testkit::form_fields(&desk.page(&format!("/desk/stories/{}", ferry.id)).await, "form.editor");
    fields.retain(|(name, _)| name != "csrf");
    for (name, value) in &mut fields {
        if name == "dateline" {
            *value = "HEUKSAN ISLAND, Nov. 29 (Hanbit News) --".into();
        }
    }
    fields.push(("action".into(), "save".into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(desk.post(&format!("/desk/stories/{}", ferry.id), &fields).await.status(), 303);
    let saved = store.article_by_id(ferry.id).await.expect("story");
    assert_eq!(saved.content.dateline.as_deref(), Some("HEUKSAN ISLAND, Nov. 29 (Hanbit News) --"));
    let too_long = "X".repeat(101);
    let section = paper.national.id.to_string();
    let refused = desk
        .post(
            "/desk/stories",
            &[
                ("headline", "Night market opens"),
                ("section", &section),
                ("body", "Stalls open."),
                ("dateline", &too_long),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422, "a dateline over 100 characters is refused by name");
    let staff = desk
        .post(
            "/desk/stories",
            &[
                ("headline", "Night market opens"),
                ("section", &section),
                ("body", "Stalls open."),
                ("dateline", "BUSAN --"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(staff.status(), 303);
    let location = staff.headers()["location"].to_str().expect("location").to_owned();
    let staff_id: i64 = location
        .trim_start_matches("/desk/stories/")
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("the new story's address: {location}"));
    let staff_story = store.article_by_id(dateline_newsroom::ArticleId(staff_id)).await.expect("staff story");
    assert_eq!(staff_story.content.dateline.as_deref(), Some("BUSAN --"));
}

async fn an_editor_publishes_a_wire_story_and_readers_see_the_agency_byline_credit_and_sign_off(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let (_, answer) = deliver_with_photo(&app, "hanbit-news", &token, g2("message.xml"), jpeg()).await;
    let id = story_id(&answer);
    let desk = app.sign_in(&editor.email, &password).await;
    let queue = desk.page("/desk/wire").await;
    let link = dateline_testkit::attributes(&queue, ".desk-table tbody td a", "href").pop().expect("a queued story");
    let editor_page = desk.page(&link).await;
    let body = texts(&editor_page, "textarea[name=body]").pop().expect("the body in the editor");
    let version = dateline_testkit::attributes(&editor_page, "input[name=version]", "value").pop().expect("version");
    let section = paper.politics.id.to_string();
    let story = store.article_by_id(id).await.expect("story");
    let mut fields: Vec<(String, String)> = vec![
        ("headline".into(), story.content.headline.clone()),
        ("section".into(), section),
        ("body".into(), body),
        ("lead_media".into(), story.content.lead_media_id.map(|m| m.to_string()).unwrap_or_default()),
        ("action".into(), "publish".into()),
        ("version".into(), version),
    ];
    fields.extend(story.content.bylines.iter().map(|a| ("byline".to_owned(), a.to_string())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let published = desk.post(&link, &fields).await;
    assert_eq!(published.status(), 303);

    let story = store.article_by_id(id).await.expect("story");
    assert_eq!(story.status, ArticleStatus::Published);
    let page = app.page(&format!("/article/{id}/{}", story.content.slug)).await;
    let byline = texts(&page, ".byline").join(" ");
    assert!(byline.contains("Hanbit News") && byline.contains("Kim Ji-won"), "{byline}");
    assert_eq!(texts(&page, "figcaption").pop().map(|c| c.ends_with("(Hanbit News)")), Some(true), "the photo credit");
    let paragraphs = texts(&page, "article p");
    assert!(
        paragraphs.iter().any(|p| p.ends_with("The vote was 171 to 98. (Hanbit News)")),
        "the sign-off: {paragraphs:?}"
    );
}

on_both_databases!(
    a_picture_item_becomes_a_library_photo_with_the_agencys_caption_and_credit,
    a_picture_delivered_without_its_image_waits_and_the_same_version_with_it_completes_it,
    an_agency_story_carries_a_dateline_its_source_shapes_and_readers_see_it_once_at_the_start,
    an_editor_publishes_a_wire_story_and_readers_see_the_agency_byline_credit_and_sign_off
);

async fn one_item_delivered_several_times_at_once_makes_one_story(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    let app = TestApp::start(store.clone(), now()).await;
    let send = || deliver(&app, "hanbit-news", &token, g2("text.xml"), "application/xml");
    let (a, b, c, d) = tokio::join!(send(), send(), send(), send());
    let answers = [a, b, c, d];
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert!(statuses.contains(&201), "{answers:?}");
    assert!(statuses.iter().all(|s| matches!(s, 201 | 200 | 409)), "taken, ignored, or asked to resend: {answers:?}");
    assert_eq!(store.count_articles().await.expect("count"), 1, "one story: {answers:?}");

    // With a photo each: the deliveries not taken leave no photo behind.
    let send = || {
        deliver_with_photo(
            &app,
            "hanbit-news",
            &token,
            g2("message.xml").replace("budget-vote\"", "budget-photo-story\""),
            jpeg(),
        )
    };
    let (a, b, c) = tokio::join!(send(), send(), send());
    let answers = [a, b, c];
    assert_eq!(store.count_articles().await.expect("count"), 2, "one more story: {answers:?}");
    let photos = store.media_list(Window { limit: 10, offset: 0 }).await.expect("media");
    assert_eq!(photos.len(), 1, "only the taken delivery's photo stays: {answers:?}");
    let files = dateline_testkit::files_under(app.media_dir.path());
    let originals = files.iter().filter(|f| !f.display().to_string().contains("-w")).count();
    assert_eq!(originals, 1, "one original on disk: {files:?}");
}

on_both_databases!(one_item_delivered_several_times_at_once_makes_one_story);

async fn the_wire_queue_tells_kills_from_withholds_and_lists_refused_deliveries_so_a_failing_feed_shows(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (_, token) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    let (_, east_token) = wire_source(&store, "Eastern Wire", "ninjs-2.1", paper.business.id, false).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Wire Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let rows_of = |queue: &scraper::Html| {
        let row = scraper::Selector::parse(".desk-table tbody tr").expect("selector");
        queue
            .select(&row)
            .map(|tr| (tr.value().attr("class").unwrap_or_default().to_owned(), tr.text().collect::<String>()))
            .collect::<Vec<_>>()
    };

    // One item killed, another withheld (the same story's words under another id).
    let (status, _) = deliver(&app, "hanbit-news", &token, g2("text.xml"), "application/xml").await;
    assert_eq!(status, 201);
    let (status, _) = deliver(&app, "hanbit-news", &token, g2("killed.xml"), "application/xml").await;
    assert_eq!(status, 200);
    let withheld = g2("text.xml")
        .replace("20261128:budget-vote", "20261128:port-strike")
        .replace("<pubStatus qcode=\"stat:usable\"/>", "<pubStatus qcode=\"stat:withheld\"/>");
    assert!(withheld.contains("stat:withheld"), "the fixture states its status");
    let (status, answer) = deliver(&app, "hanbit-news", &token, withheld, "application/xml").await;
    assert_eq!(status, 200, "{answer}");
    let queue = desk.page("/desk/wire").await;
    let rows = rows_of(&queue);
    let classes: Vec<&str> = rows.iter().map(|(class, _)| class.as_str()).collect();
    assert!(classes.contains(&"wire-killed") && classes.contains(&"wire-withheld"), "{rows:?}");
    assert_eq!(texts(&queue, ".wire-killed .wire-standing"), ["Killed by the agency"]);
    assert_eq!(texts(&queue, ".wire-withheld .wire-standing"), ["Withheld by the agency"]);
    assert!(texts(&queue, "[role=alert]").is_empty(), "no feed is failing yet");
    assert_eq!(texts(&queue, "#refused + p"), ["No delivery has been refused in the last 30 days."]);

    // Then Hanbit's feed breaks: two deliveries refused in a row, one cut short, one of the
    // wrong type; Eastern's one broken delivery is followed by a good one.
    app.set_now(now() + SignedDuration::from_mins(1));
    let text = g2("text.xml");
    let (status, _) = deliver(&app, "hanbit-news", &token, text[..text.len() / 2].to_owned(), "application/xml").await;
    assert_eq!(status, 400);
    let (status, _) = deliver(&app, "hanbit-news", &token, "a,b,c".to_owned(), "text/csv").await;
    assert_eq!(status, 415);
    let (status, _) = deliver(&app, "eastern-wire", &east_token, "{\"uri\":".to_owned(), "application/json").await;
    assert_eq!(status, 400);
    app.set_now(now() + SignedDuration::from_mins(5));
    let good = serde_json::json!({"uri": "urn:x:ok", "type": "text", "headlines": [{"value": "Markets calm"}], "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Trading was quiet.</p>"}]}).to_string();
    let (status, answer) = deliver(&app, "eastern-wire", &east_token, good, "application/json").await;
    assert_eq!(status, 201, "{answer}");

    let queue = desk.page("/desk/wire").await;
    let alerts = texts(&queue, "[role=alert]");
    assert_eq!(alerts.len(), 1, "only Hanbit's feed is failing: {alerts:?}");
    assert!(
        alerts[0].starts_with("Hanbit News's feed may be failing: its latest 2 deliveries were refused"),
        "{alerts:?}"
    );
    let refused_rows = scraper::Selector::parse("#refused ~ table tbody tr").expect("selector");
    let refused: Vec<String> = queue.select(&refused_rows).map(|tr| tr.text().collect::<String>()).collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(refused[0].contains("Eastern Wire") && refused[0].contains("a delivery over HTTP"), "{refused:?}");
    assert!(refused.iter().any(|row| row.contains("Hanbit News") && row.contains("text/csv")), "{refused:?}");
    // A good delivery ends Hanbit's warning, however many items came from others meanwhile.
    app.set_now(now() + SignedDuration::from_mins(10));
    let next = g2("text.xml").replace("20261128:budget-vote", "20261128:ferry-timetable");
    let (status, answer) = deliver(&app, "hanbit-news", &token, next, "application/xml").await;
    assert_eq!(status, 201, "{answer}");
    assert!(texts(&desk.page("/desk/wire").await, "[role=alert]").is_empty(), "the feed works again");
    // One source's queue shows its own refusals only.
    let eastern = desk.page("/desk/wire?source=eastern-wire").await;
    assert_eq!(eastern.select(&refused_rows).count(), 1);
    assert!(texts(&eastern, "[role=alert]").is_empty());
}

on_both_databases!(the_wire_queue_tells_kills_from_withholds_and_lists_refused_deliveries_so_a_failing_feed_shows);
