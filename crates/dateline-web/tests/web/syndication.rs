//! Syndication as partners meet it: an admin sets a partner up on the desk, the partner pulls
//! its feed with its token and gets only its sections, released copy (embargoed copy only if
//! it may), photos only when the desk cleared them, and a withhold or kill notice when a story
//! comes down; and one Dateline paper takes another's stories through its own wire ingest,
//! pushed in NinJS and in NewsML-G2. On both databases.

use dateline_ingest::ninjs::{check_schema, Version};
use dateline_ingest::{read_item, WireFormat, WireStatus};
use dateline_newsroom::catalog::{add_api_key, ApiKeyFields};
use dateline_newsroom::editing;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, Role, Window};
use dateline_testkit::paper::{desk_user, photo, wire_source, SmallPaper, StoryBuilder};
use dateline_testkit::DeskSession;
use dateline_testkit::{on_both_databases, TestApp, TestDatabase};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

/// Sets a partner up through the desk's form; returns the token the page shows once.
async fn set_up_partner(desk: &DeskSession, fields: &[(&str, &str)]) -> String {
    let response = desk.post("/desk/partners", fields).await;
    let status = response.status();
    let page = scraper::Html::parse_document(&response.text().await.expect("page"));
    assert_eq!(status, 200, "the partner is set up");
    let token = dateline_testkit::attributes(&page, "#new-token", "value");
    token.first().cloned().expect("the token is shown once")
}

async fn pull(app: &TestApp, partner: &str, token: Option<&str>, query: &str) -> (u16, Value) {
    let mut request = app.client.get(format!("{}/api/v1/syndication/{partner}{query}", app.base_url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answer");
    let status = response.status().as_u16();
    let cache_control = response.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(cache_control.contains("no-store"), "a partner's feed is its own, never kept: {cache_control}");
    (status, serde_json::from_slice(&response.bytes().await.expect("body")).unwrap_or(Value::Null))
}

fn headline_of(item: &Value) -> &str {
    item["headlines"][0]["value"].as_str().unwrap_or_default()
}

fn headlines(page: &Value) -> Vec<String> {
    let items = page["items"].as_array().expect("items");
    for item in items {
        check_schema(Version::V2_2, item).unwrap_or_else(|e| panic!("{e}: {item}"));
    }
    items.iter().filter(|i| i["pubstatus"] == "usable").map(|i| headline_of(i).to_owned()).collect()
}

async fn a_partner_pulls_only_its_sections_released_copy_and_notices_when_stories_come_down(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let lead = photo(&store, "harbour.jpg", "The harbour at dawn", "Kim Min-ji", now()).await;
    let votes = StoryBuilder::new("Assembly passes the budget", paper.politics.id, now())
        .lead_photo(lead.id)
        .store(&store)
        .await;
    let rates = StoryBuilder::new("Rates held steady", paper.business.id, now()).store(&store).await;
    let floods = StoryBuilder::new("Floods close the coast road", paper.national.id, now()).store(&store).await;
    let census = StoryBuilder::new("Census counts more villages", paper.national.id, now())
        .embargoed_until(now() + SignedDuration::from_hours(2))
        .store(&store)
        .await;
    let (admin, password) = desk_user(&store, Role::Admin, "Desk Admin").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&admin.email, &password).await;
    let network = set_up_partner(&desk, &[("name", "Asia News Network"), ("sections", "national")]).await;
    let sister = set_up_partner(&desk, &[("name", "Sister Paper"), ("embargoed_copy", "on")]).await;
    // A change enters the feed half a minute after it is saved.
    app.set_now(now() + minutes(1));

    let (status, page) = pull(&app, "asia-news-network", Some(&network), "").await;
    assert_eq!(status, 200, "{page}");
    let mut taken = headlines(&page);
    taken.sort();
    assert_eq!(
        taken,
        ["Assembly passes the budget", "Floods close the coast road"],
        "National with Politics, released"
    );
    let items = page["items"].as_array().expect("items");
    assert!(items.iter().all(|i| i.get("associations").is_none()), "the photo is not cleared for partners");
    assert!(items.iter().all(|i| i.get("embargoed").is_none() && i["usageterms"].is_string()));

    let (_, early) = pull(&app, "sister-paper", Some(&sister), "").await;
    assert_eq!(headlines(&early).len(), 4, "the whole paper, embargoed copy too: {early}");
    let embargoed =
        early["items"].as_array().expect("items").iter().find(|i| headline_of(i) == "Census counts more villages");
    assert_eq!(embargoed.and_then(|i| i["embargoed"].as_str()), Some("2026-11-28T05:00:00Z"));

    for (partner, token) in
        [("asia-news-network", None), ("asia-news-network", Some(sister.as_str())), ("nobody", Some(&*network))]
    {
        let (status, answer) = pull(&app, partner, token, "").await;
        assert_eq!((status, answer["errors"][0]["code"].as_str()), (401, Some("bad_token")), "{partner}: {answer}");
    }
    let (status, answer) = pull(&app, "asia-news-network", Some(&network), "?cursor=yesterday").await;
    assert_eq!((status, answer["errors"][0]["field"].as_str()), (400, Some("cursor")));

    // The photo desk clears the lead photo: from then on it travels with the story.
    let cleared = desk
        .post(
            &format!("/desk/photos/{}", lead.id),
            &[
                ("caption", "The harbour at dawn"),
                ("credit", "Kim Min-ji"),
                ("alt_text", "Fishing boats in a calm harbour"),
                ("photographer", "Kim Min-ji"),
                ("redistributable", "on"),
            ],
        )
        .await;
    assert_eq!(cleared.status(), 303);
    let (_, again) = pull(&app, "asia-news-network", Some(&network), "").await;
    let with_photo =
        again["items"].as_array().expect("items").iter().find(|i| headline_of(i) == "Assembly passes the budget");
    let picture = &with_photo.expect("the story")["associations"][0];
    assert_eq!(picture["type"], "picture");
    assert!(picture["descriptions"].as_array().expect("descriptions").iter().any(|d| d["value"] == "Kim Min-ji"));

    // Polling with the cursor gives only what is new: nothing, then the notices.
    let cursor = page["next_cursor"].as_str().expect("a cursor").to_owned();
    let (_, nothing_new) = pull(&app, "asia-news-network", Some(&network), &format!("?cursor={cursor}")).await;
    assert_eq!(nothing_new["items"], json!([]));
    assert_eq!(nothing_new["next_cursor"].as_str(), Some(cursor.as_str()), "the cursor stays put while nothing comes");
    let editor = desk_user(&store, Role::Editor, "Night Editor").await.0;
    let version = |id: ArticleId| {
        let store = store.clone();
        async move { store.article_by_id(id).await.expect("story").version }
    };
    editing::unpublish(&store, &editor, votes, version(votes).await, now() + minutes(2)).await.expect("unpublished");
    editing::remove(&store, &editor, floods, version(floods).await, "A court order", now() + minutes(2))
        .await
        .expect("removed");
    editing::unpublish(&store, &editor, rates, version(rates).await, now() + minutes(2)).await.expect("unpublished");
    app.set_now(now() + minutes(3));
    let (_, notices) = pull(&app, "asia-news-network", Some(&network), &format!("?cursor={cursor}")).await;
    headlines(&notices);
    let statuses: Vec<(&str, &str)> = notices["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| (i["uri"].as_str().unwrap_or_default(), i["pubstatus"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(statuses.len(), 2, "Business is not the partner's: {notices}");
    assert!(statuses
        .contains(&(&format!("https://www.dateline.test/article/{votes}/assembly-passes-the-budget"), "withheld")));
    assert!(statuses
        .contains(&(&format!("https://www.dateline.test/article/{floods}/floods-close-the-coast-road"), "canceled")));
    assert!(
        notices["items"].as_array().expect("items").iter().all(|i| i.get("bodies").is_none()),
        "a notice carries no copy"
    );

    // When the embargo lifts, the story reaches the partner that could not have it early.
    let cursor = notices["next_cursor"].as_str().expect("a cursor").to_owned();
    app.set_now(now() + SignedDuration::from_hours(2) + minutes(1));
    let (_, released) = pull(&app, "asia-news-network", Some(&network), &format!("?cursor={cursor}")).await;
    assert_eq!(headlines(&released), ["Census counts more villages"]);
    assert!(released["items"][0].get("embargoed").is_none());
    let _ = census;

    // The same feed as a NewsML-G2 newsMessage, which Dateline's own ingest reads.
    let response = app
        .client
        .get(format!("{}/api/v1/syndication/asia-news-network?format=newsml", app.base_url))
        .bearer_auth(&network)
        .send()
        .await
        .expect("answer");
    assert_eq!(
        response.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/vnd.iptc.g2.newsmessage+xml")
    );
    let xml = response.text().await.expect("XML");
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let items: Vec<_> = document.descendants().filter(|n| n.has_tag_name("newsItem")).collect();
    let statuses: Vec<&str> =
        document.descendants().filter(|n| n.has_tag_name("pubStatus")).filter_map(|n| n.attribute("qcode")).collect();
    assert!(statuses.contains(&"stat:withheld") && statuses.contains(&"stat:canceled"), "{statuses:?}");
    assert!(items.iter().any(|i| i
        .descendants()
        .any(|n| n.has_tag_name("headline") && n.text() == Some("Census counts more villages"))));
    assert!(read_item(WireFormat::NewsMlG2, xml.as_bytes(), 1 << 20).is_ok(), "Dateline's ingest reads it");
}

/// An API key of `role` on `store`.
async fn key(store: &impl ApiKeyStore, name: &str, role: &str) -> String {
    let fields = ApiKeyFields { name: name.into(), role: role.into(), expires: String::new() };
    add_api_key(store, None, &fields, now()).await.expect("a key").1
}

async fn call(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let response = app
        .client
        .post(format!("{}{path}", app.base_url))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("answer");
    let status = response.status();
    let answer: Value = serde_json::from_slice(&response.bytes().await.expect("body")).unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
}

fn jpeg() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(800, 500, |x, y| image::Rgb([(x % 200) as u8, (y % 256) as u8, 120]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("jpeg");
    bytes
}

/// The stories a paper's content API lists with `headline`.
async fn listed(app: &TestApp, headline: &str) -> Vec<Value> {
    let list: Value =
        serde_json::from_slice(&app.get("/api/v1/stories?limit=100").await.bytes().await.expect("body")).expect("JSON");
    list["stories"].as_array().expect("stories").iter().filter(|s| s["headline"] == headline).cloned().collect()
}

async fn wait_until<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done().await {
        assert!(Instant::now() < deadline, "waited in vain: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn one_paper_takes_another_papers_stories_through_its_own_wire_ingest(db: TestDatabase) {
    // The receiving paper: two wire sources, one for each format the sender pushes.
    let receiving_db = db.another().await;
    let receiving_store = receiving_db.store().await;
    let receiving_paper = SmallPaper::create(&receiving_store).await;
    let section = receiving_paper.national.id;
    let (_, ninjs_token) = wire_source(&receiving_store, "Seoul Daily", "ninjs-2.2", section, true).await;
    let (_, g2_token) = wire_source(&receiving_store, "Seoul Daily G2", "newsml-g2", section, true).await;
    let receiving = TestApp::start_with(receiving_store.clone(), now(), |settings| {
        settings.ingest = dateline_intake::IngestSettings {
            fetch_hosts: vec!["127.0.0.1".into()],
            ..dateline_intake::IngestSettings::default()
        };
    })
    .await;

    // The sending paper, whose addresses (its photos') the receiving paper can fetch.
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let sending = TestApp::start_at_its_own_address(store.clone(), now(), |settings| {
        settings.webhooks_allow_private = true;
    })
    .await;
    let (admin, password) = desk_user(&store, Role::Admin, "Desk Admin").await;
    let desk = sending.sign_in(&admin.email, &password).await;
    let ninjs_ingest = format!("{}/api/v1/ingest/seoul-daily", receiving.base_url);
    let g2_ingest = format!("{}/api/v1/ingest/seoul-daily-g2", receiving.base_url);
    set_up_partner(
        &desk,
        &[
            ("name", "Busan Herald"),
            ("push_url", &ninjs_ingest),
            ("push_token", &ninjs_token),
            ("embargoed_copy", "on"),
        ],
    )
    .await;
    set_up_partner(
        &desk,
        &[("name", "Busan Herald XML"), ("push_url", &g2_ingest), ("push_token", &g2_token), ("format", "newsml-g2")],
    )
    .await;

    // The sender's photo desk uploads a photo and clears it; an editor publishes a story with it.
    let editor = key(&store, "Newsroom bot", "editor").await;
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(jpeg()).file_name("port.jpg").mime_str("image/jpeg").expect("mime"),
        )
        .text("caption", "Container cranes at the new port")
        .text("credit", "Lee Seo-yeon/The Test Dateline")
        .text("alt_text", "Cranes lifting containers off a ship");
    let uploaded: Value = sending
        .client
        .post(format!("{}/api/v1/photos", sending.base_url))
        .bearer_auth(&editor)
        .multipart(form)
        .send()
        .await
        .expect("answer")
        .bytes()
        .await
        .map(|body| serde_json::from_slice(&body).expect("JSON"))
        .expect("body");
    let photo_id = uploaded["id"].as_i64().expect("a photo");
    let cleared = desk
        .post(
            &format!("/desk/photos/{photo_id}"),
            &[
                ("caption", "Container cranes at the new port"),
                ("credit", "Lee Seo-yeon/The Test Dateline"),
                ("alt_text", "Cranes lifting containers off a ship"),
                ("photographer", "Lee Seo-yeon"),
                ("redistributable", "on"),
            ],
        )
        .await;
    assert_eq!(cleared.status(), 303);
    let headline = "New port opens to container ships";
    let created = call(
        &sending,
        &editor,
        "/api/v1/stories",
        json!({"headline": headline, "section": "national", "deck": "The first ship docked at dawn.",
               "body": "The port opened on Saturday.\n\nIt can take the largest ships.", "lead_photo": photo_id}),
    )
    .await;
    let id = created["id"].as_i64().expect("id");
    call(&sending, &editor, &format!("/api/v1/stories/{id}/publish"), json!({"version": created["version"]})).await;

    wait_until("both copies arrive and are published", || async { listed(&receiving, headline).await.len() == 2 })
        .await;
    for copy in listed(&receiving, headline).await {
        assert_eq!(copy["deck"], "The first ship docked at dawn.");
        assert_eq!(
            copy["lead_photo"]["credit"], "Lee Seo-yeon/The Test Dateline",
            "the cleared photo travelled: {copy}"
        );
        let bylines: Vec<&str> =
            copy["bylines"].as_array().expect("bylines").iter().filter_map(|b| b["name"].as_str()).collect();
        assert!(bylines.iter().any(|b| b.starts_with("Seoul Daily")), "{bylines:?}");
    }

    // Embargoed copy goes only to the partner allowed it, and waits there for its time.
    let later = "Port authority names its chief";
    let scheduled =
        call(&sending, &editor, "/api/v1/stories", json!({"headline": later, "section": "national", "body": "Text."}))
            .await;
    let at = (now() + SignedDuration::from_hours(3)).to_string();
    let sid = scheduled["id"].as_i64().expect("id");
    call(
        &sending,
        &editor,
        &format!("/api/v1/stories/{sid}/schedule"),
        json!({"version": scheduled["version"], "at": at}),
    )
    .await;
    let find = |headline: &'static str| {
        let store = receiving_store.clone();
        async move {
            store
                .desk_stories(None, Window { limit: 100, offset: 0 })
                .await
                .expect("stories")
                .into_iter()
                .filter(|s| s.headline == headline)
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    wait_until("the embargoed copy arrives", || async { !find(later).await.is_empty() }).await;
    let held = find(later).await;
    assert_eq!(held.len(), 1, "only the partner allowed embargoed copy has it");
    let held = receiving_store.article_by_id(held[0]).await.expect("story");
    assert_eq!(held.embargo_until.map(|t| t.to_string()), Some(at.clone()));
    assert!(listed(&receiving, later).await.is_empty(), "readers do not see it before its time");

    // The sender unpublishes: both copies come down at the receiver.
    let current: Value =
        serde_json::from_slice(&sending.get(&format!("/api/v1/stories/{id}")).await.bytes().await.expect("body"))
            .expect("JSON");
    call(&sending, &editor, &format!("/api/v1/stories/{id}/unpublish"), json!({"version": current["version"]})).await;
    wait_until("both copies are taken down", || async { listed(&receiving, headline).await.is_empty() }).await;
    let taken_down = find(headline).await;
    assert_eq!(taken_down.len(), 2);
    for id in taken_down {
        let story = receiving_store.article_by_id(id).await.expect("story");
        assert_ne!(story.status, dateline_newsroom::ArticleStatus::Published, "{id} is down");
        let item = receiving_store.wire_item_of_article(id).await.expect("item").expect("a wire item");
        assert_eq!(item.status, WireStatus::Withheld);
    }
}

on_both_databases!(
    a_partner_pulls_only_its_sections_released_copy_and_notices_when_stories_come_down,
    one_paper_takes_another_papers_stories_through_its_own_wire_ingest
);
