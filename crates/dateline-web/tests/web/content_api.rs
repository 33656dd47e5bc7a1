//! The content API as an app developer meets it: lists with filters and a cursor that holds
//! while the desk publishes, one story with everything its page shows, NinJS that IPTC's
//! schema accepts and Dateline's own wire ingest reads back, the page cache's validators, one
//! error shape, and an OpenAPI document that names every route. On both databases.

use dateline_ingest::ninjs::{check_schema, Version};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Label, NewTopic, Role};
use dateline_testkit::paper::{desk_user, photo, slug, SmallPaper, StoryBuilder};
use dateline_testkit::{on_both_databases, TestApp, TestDatabase};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert!(response.headers()["content-type"].to_str().expect("type").contains("json"), "{path} answers JSON");
    serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON")
}

fn headlines(list: &Value) -> Vec<String> {
    list["stories"]
        .as_array()
        .expect("stories")
        .iter()
        .map(|s| s["headline"].as_str().expect("headline").to_owned())
        .collect()
}

async fn an_app_lists_stories_by_section_author_topic_and_label_and_walks_every_page_while_the_desk_publishes(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let typhoons = store
        .insert_topic(&NewTopic { slug: slug("typhoons"), name: "Typhoons".into(), description: String::new() })
        .await
        .expect("topic");
    for n in 0..25 {
        let section = if n % 2 == 0 { paper.politics.id } else { paper.business.id };
        let mut story =
            StoryBuilder::new(&format!("Story number {n}"), section, now() - SignedDuration::from_hours(30 - n))
                .by(&[if n % 5 == 0 { paper.colleague.id } else { paper.reporter.id }])
                .build();
        story.first_published_at = Some(now() - SignedDuration::from_hours(30 - n));
        if n % 3 == 0 {
            story.content.topics = vec![typhoons.id];
        }
        if n == 7 {
            story.content.label = Some(Label::Analysis);
        }
        store.insert_article(&story).await.expect("story");
    }
    StoryBuilder::new("A draft nobody sees", paper.politics.id, now()).status(ArticleStatus::Draft).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;

    let first = json(&app, "/api/v1/stories?limit=10").await;
    assert_eq!(headlines(&first)[0], "Story number 24", "newest first");
    assert_eq!(headlines(&first).len(), 10);
    assert!(
        first["stories"][0]["published"].as_str().expect("time").ends_with("+09:00"),
        "times carry the paper's offset"
    );
    assert!(!headlines(&first).iter().any(|h| h.contains("draft")));

    // While the app walks the pages, the desk publishes a story: it goes to the top, and the
    // walk still meets every story exactly once.
    StoryBuilder::new("Breaking in the middle of the walk", paper.politics.id, now()).store(&store).await;
    let mut seen = headlines(&first);
    let mut next = first["next"].as_str().map(str::to_owned);
    while let Some(address) = next {
        let (_, rest) = address.split_once("/api/").expect("an API address");
        let page = json(&app, &format!("/api/{rest}")).await;
        seen.extend(headlines(&page));
        next = page["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 25, "{seen:?}");
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 25, "no story twice");
    assert!(!seen.iter().any(|h| h.contains("Breaking")), "the new story is on the first page, not inside the walk");

    let national = json(&app, "/api/v1/stories?section=national&limit=100").await;
    assert_eq!(
        headlines(&national).len(),
        14,
        "national includes politics, its subsection: {:?}",
        headlines(&national)
    );
    let business = json(&app, "/api/v1/stories?section=business&limit=100").await;
    assert_eq!(headlines(&business).len(), 12);
    let colleague = json(&app, &format!("/api/v1/stories?author={}&limit=100", paper.colleague.slug)).await;
    assert_eq!(headlines(&colleague).len(), 5);
    let tagged = json(&app, "/api/v1/stories?topic=typhoons&limit=100").await;
    assert_eq!(headlines(&tagged).len(), 9);
    assert_eq!(headlines(&json(&app, "/api/v1/stories?label=analysis").await), ["Story number 7"]);
    let since = json(&app, "/api/v1/stories?updated_since=2026-11-27T19:30:00Z&limit=100").await;
    assert_eq!(headlines(&since), ["Breaking in the middle of the walk", "Story number 24", "Story number 23"]);
    assert_eq!(app.get("/api/v1/stories?section=no-such-section").await.status(), 404);
}

async fn one_story_carries_everything_its_article_page_shows_and_hidden_stories_are_not_there(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, _) = desk_user(&store, Role::Editor, "Correcting Editor").await;
    let picture = photo(&store, "2026/11/port.jpg", "Cranes at the port of Busan", "Kim Min-ji", now()).await;
    let typhoons = store
        .insert_topic(&NewTopic { slug: slug("typhoons"), name: "Typhoons".into(), description: String::new() })
        .await
        .expect("topic");
    let mut story = StoryBuilder::new("Port reopens after the storm", paper.politics.id, now())
        .by(&[paper.reporter.id, paper.agency.id])
        .deck("Ferries run again from Monday")
        .lead_photo(picture.id)
        .body("The port **reopened** on Monday.\n\n<script>alert(1)</script>\n\nCranes moved again.")
        .build();
    story.content.topics = vec![typhoons.id];
    let id = store.insert_article(&story).await.expect("story");
    dateline_newsroom::editing::correct(&store, &editor, id, 1, "An earlier version gave the wrong day.", now())
        .await
        .expect("correction");
    let draft = StoryBuilder::new("Not yet", paper.politics.id, now()).status(ArticleStatus::Draft).store(&store).await;
    let embargoed = StoryBuilder::new("Under embargo", paper.politics.id, now())
        .embargoed_until(now() + SignedDuration::from_hours(3))
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;

    let one = json(&app, &format!("/api/v1/stories/{id}")).await;
    assert_eq!(one["headline"], "Port reopens after the storm");
    assert_eq!(one["deck"], "Ferries run again from Monday");
    assert_eq!(one["section"]["path"], "national/politics");
    let trail: Vec<&str> =
        one["section_trail"].as_array().expect("trail").iter().map(|s| s["name"].as_str().expect("name")).collect();
    assert_eq!(trail, ["National", "Politics"]);
    let kinds: Vec<&str> =
        one["bylines"].as_array().expect("bylines").iter().map(|b| b["kind"].as_str().expect("kind")).collect();
    assert_eq!(kinds, ["person", "agency"]);
    assert_eq!(one["topics"][0]["name"], "Typhoons");
    assert_eq!(one["lead_photo"]["caption"], "Cranes at the port of Busan");
    assert_eq!(one["lead_photo"]["credit"], "Kim Min-ji");
    assert!(one["lead_photo"]["url"].as_str().expect("url").ends_with("/media/2026/11/port.jpg"));
    let html = one["body_html"].as_str().expect("html");
    assert!(
        html.contains("<strong>reopened</strong>") && !html.contains("<script"),
        "sanitized as on the page: {html}"
    );
    assert!(one["body_markdown"].as_str().expect("markdown").contains("**reopened**"));
    assert_eq!(one["corrections"][0]["text"], "An earlier version gave the wrong day.");
    assert!(one["url"].as_str().expect("url").ends_with(&format!("/article/{id}/port-reopens-after-the-storm")));
    assert!(one["published"].as_str().expect("published").ends_with("+09:00"));

    for hidden in [draft, embargoed] {
        let response = app.get(&format!("/api/v1/stories/{hidden}")).await;
        assert_eq!(response.status(), 404);
        let body: Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
        assert_eq!(body["errors"][0]["code"], "not_found");
    }
    let version = store.article_by_id(id).await.expect("story").version;
    dateline_newsroom::editing::remove(&store, &editor, id, version, "A court order", now()).await.expect("removed");
    let gone = app.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(gone.status(), 410, "a story removed for legal reasons is gone, from the kept copy too");
}

async fn a_partner_gets_a_story_as_ninjs_that_iptcs_schema_accepts_and_dateline_reads_back(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let picture = photo(&store, "2026/11/harbour.jpg", "The harbour at dawn", "Kim Min-ji", now()).await;
    let id = StoryBuilder::new("Harbour cranes idle for a week", paper.business.id, now())
        .by(&[paper.reporter.id])
        .deck("Dockworkers wait for parts")
        .lead_photo(picture.id)
        .body("Cranes at the **harbour** stood still.\n\nParts arrive on Friday.")
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;

    let by_parameter = app.get(&format!("/api/v1/stories/{id}?format=ninjs")).await;
    assert_eq!(by_parameter.status(), 200);
    assert!(by_parameter.headers()["content-type"].to_str().expect("type").starts_with("application/ninjs+json"));
    let item: Value = serde_json::from_slice(&by_parameter.bytes().await.expect("body")).expect("JSON");
    check_schema(Version::V2_2, &item)
        .unwrap_or_else(|e| panic!("IPTC's NinJS 2.2 schema refuses the item: {e}\n{item:#}"));
    assert_eq!(item["headlines"][0]["value"], "Harbour cranes idle for a week");
    assert_eq!(item["associations"][0]["type"], "picture");

    let by_accept = app
        .client
        .get(format!("{}/api/v1/stories/{id}", app.base_url))
        .header("accept", "application/ninjs+json")
        .send()
        .await
        .expect("answer");
    assert!(by_accept.headers()["content-type"].to_str().expect("type").starts_with("application/ninjs+json"));
    assert!(by_accept.headers()["vary"].to_str().expect("vary").contains("accept"), "a cache keeps the two apart");
    let plain = json(&app, &format!("/api/v1/stories/{id}")).await;
    assert_eq!(plain["headline"], "Harbour cranes idle for a week", "the JSON and the NinJS are kept apart");

    // Round trip: what Dateline sends, Dateline's own wire ingest reads as the same story.
    let copy = dateline_ingest::ninjs::read(Version::V2_2, &item.to_string()).expect("read back");
    assert_eq!(copy.headline, "Harbour cranes idle for a week");
    assert_eq!(copy.deck.as_deref(), Some("Dockworkers wait for parts"));
    assert!(copy.body.contains("**harbour**"), "{}", copy.body);
    assert_eq!(copy.byline_names, std::slice::from_ref(&paper.reporter.name));
    assert_eq!(copy.photos.len(), 1);
    assert_eq!(
        (copy.photos[0].caption.as_str(), copy.photos[0].credit.as_str()),
        ("The harbour at dawn", "Kim Min-ji")
    );
}

async fn api_answers_are_kept_and_validated_like_pages_and_a_publish_changes_the_list_at_once(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new("Budget talks resume", paper.politics.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let first = app.get("/api/v1/stories").await;
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
    assert!(first.headers()["cache-control"].to_str().expect("cache-control").contains("s-maxage"));
    assert!(first.headers()["surrogate-key"].to_str().expect("keys").contains("latest"));
    let again = app
        .client
        .get(format!("{}/api/v1/stories", app.base_url))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("answer");
    assert_eq!(again.status(), 304);
    // Stored through the store, which announces the change as it commits.
    StoryBuilder::new("Assembly passes the budget", paper.politics.id, now()).store(&store).await;
    let changed = json(&app, "/api/v1/stories").await;
    assert_eq!(headlines(&changed)[0], "Assembly passes the budget");
}

async fn bad_parameters_are_refused_in_the_one_error_shape(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    for (path, status) in [
        ("/api/v1/stories?limit=0", 400),
        ("/api/v1/stories?limit=1000", 400),
        ("/api/v1/stories?limit=ten", 400),
        ("/api/v1/stories?label=gossip", 400),
        ("/api/v1/stories?updated_since=yesterday", 400),
        ("/api/v1/stories?cursor=%3Cscript%3E", 400),
        ("/api/v1/stories?utm_source=newsletter", 400),
        ("/api/v1/stories?author=nobody-here", 404),
        ("/api/v1/stories/99999999999999999999", 404),
        ("/api/v1/stories/-1", 404),
        ("/api/v1/stories/1?format=xml", 400),
        ("/api/v1/sections?x=1", 400),
        ("/api/v1/corrections?page=0", 400),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        let body: Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
        let code = body["errors"][0]["code"].as_str().unwrap_or_default().to_owned();
        assert!(!code.is_empty() && body["errors"][0]["detail"].is_string(), "{path}: {body}");
    }
}

on_both_databases!(
    an_app_lists_stories_by_section_author_topic_and_label_and_walks_every_page_while_the_desk_publishes,
    one_story_carries_everything_its_article_page_shows_and_hidden_stories_are_not_there,
    a_partner_gets_a_story_as_ninjs_that_iptcs_schema_accepts_and_dateline_reads_back,
    api_answers_are_kept_and_validated_like_pages_and_a_publish_changes_the_list_at_once,
    bad_parameters_are_refused_in_the_one_error_shape,
);

/// Every `/api/` route of the route table, read from the source as a newcomer would.
fn api_routes_in_the_source() -> std::collections::BTreeSet<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut routes = std::collections::BTreeSet::new();
    for file in ["lib.rs", "api/mod.rs"] {
        let text = std::fs::read_to_string(src.join(file)).expect("source");
        for (at, _) in text.match_indices(".route(\"/api/") {
            let rest = &text[at + ".route(\"".len()..];
            routes.insert(rest[..rest.find('"').expect("end of the path")].to_owned());
        }
    }
    routes
}

#[tokio::test]
async fn the_openapi_document_names_every_api_route_and_is_openapi_3_1() {
    let db = TestDatabase::sqlite().await;
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let document = json(&app, "/api/v1/openapi.json").await;
    assert!(document["openapi"].as_str().expect("version").starts_with("3.1"), "{}", document["openapi"]);
    let documented: std::collections::BTreeSet<String> =
        document["paths"].as_object().expect("paths").keys().cloned().collect();
    let routes = api_routes_in_the_source();
    assert!(routes.len() >= 12, "the route table was read: {routes:?}");
    let missing: Vec<_> = routes.difference(&documented).collect();
    assert!(missing.is_empty(), "routes of /api/ missing from the OpenAPI document: {missing:?}");
    let readable = app.page("/api/v1/docs").await;
    let headings = dateline_testkit::texts(&readable, "h2 code");
    assert!(headings.iter().any(|h| h == "GET /api/v1/stories/{id}"), "{headings:?}");
}
