//! Reader pages kept in memory stay correct: a change shows on the very next request, pages
//! it does not touch stay kept, 304s come only for identical bytes, and nothing from the desk
//! is ever kept or served to someone else. On both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, MediaDetails, NewAuthor, Role};
use dateline_testkit::paper::{desk_user, photo, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{on_both_databases, texts, TestApp};
use jiff::{SignedDuration, Timestamp};
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn story_id(location: &str) -> ArticleId {
    let id = location.trim_start_matches("/desk/stories/").split('?').next().expect("id");
    ArticleId(id.parse().expect("a story id in the address"))
}

/// How many requests the page cache has answered from memory so far.
fn hits(app: &TestApp) -> u64 {
    app.state.page_cache().expect("the cache is on in tests").counters.hits.load(Ordering::Relaxed)
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.base_url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn paragraphs(html: &str) -> Vec<String> {
    texts(&scraper::Html::parse_document(html), ".story__body p")
}

async fn a_desk_fix_changes_the_kept_article_page_at_once_and_leaves_unrelated_pages_kept(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Cache Editor").await;
    // Two days old, so that "Latest News" on other pages no longer lists it.
    let fixed =
        StoryBuilder::new("Port reopens after storm", paper.national.id, now() - SignedDuration::from_hours(48))
            .body("The port reopend on Monday.")
            .store(&store)
            .await;
    let mut newer = Vec::new();
    for n in 1..=10 {
        newer.push(
            StoryBuilder::new(
                &format!("Market report number {n}"),
                paper.business.id,
                now() - SignedDuration::from_mins(n),
            )
            .store(&store)
            .await,
        );
    }
    let other = newer[0];
    let app = TestApp::start(store.clone(), now()).await;
    let (fixed_path, other_path) =
        (format!("/article/{fixed}/port-reopens-after-storm"), format!("/article/{other}/market-report-number-1"));

    let first = app.get(&fixed_path).await;
    assert_eq!(paragraphs(&first.text().await.expect("body")), ["The port reopend on Monday."]);
    let other_before = app.get(&other_path).await;
    let other_etag = header(&other_before, "etag");
    let before = hits(&app);
    assert_eq!(app.get(&fixed_path).await.status(), 200);
    assert_eq!(hits(&app), before + 1, "the second request for a page is answered from memory");

    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    let saved = desk
        .post(
            &format!("/desk/stories/{fixed}"),
            &[
                ("action", "save"),
                ("version", "1"),
                ("headline", "Port reopens after storm"),
                ("section", &section),
                ("body", "The port reopened on Monday."),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);

    let after = app.get(&fixed_path).await;
    assert_eq!(
        paragraphs(&after.text().await.expect("body")),
        ["The port reopened on Monday."],
        "the fix shows on the next request"
    );
    let before = hits(&app);
    let other_after = app.get(&other_path).await;
    assert_eq!(hits(&app), before + 1, "a page that does not show the fixed text stays kept");
    assert_eq!(header(&other_after, "etag"), other_etag);
}

async fn a_published_story_appears_on_every_kept_list_that_shows_it(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "List Editor").await;
    StoryBuilder::new("Budget talks resume", paper.politics.id, now() - SignedDuration::from_hours(2))
        .by(&[paper.reporter.id])
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let lists = ["/", "/national/", "/national/politics/", "/author/kim-min-ji", "/business/"];
    for path in lists {
        app.page(path).await;
    }
    let feed_before = app.get("/rss.xml").await.text().await.expect("feed");
    assert!(!feed_before.contains("Assembly passes the budget"));

    let desk = app.sign_in(&editor.email, &password).await;
    let (section, reporter) = (paper.politics.id.to_string(), paper.reporter.id.to_string());
    let created = desk
        .post(
            "/desk/stories",
            &[
                ("headline", "Assembly passes the budget"),
                ("section", &section),
                ("byline", &reporter),
                ("body", "The vote was 180 to 95."),
            ],
        )
        .await;
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    let published = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "publish"),
                ("version", "1"),
                ("headline", "Assembly passes the budget"),
                ("section", &section),
                ("byline", &reporter),
                ("body", "The vote was 180 to 95."),
            ],
        )
        .await;
    assert_eq!(published.status(), 303);

    for path in ["/", "/national/", "/national/politics/", "/author/kim-min-ji"] {
        let headlines = texts(&app.page(path).await, ".card__headline, .list__headline, a");
        assert!(
            headlines.iter().any(|h| h.contains("Assembly passes the budget")),
            "{path} shows the new story: {headlines:?}"
        );
    }
    let business = app.page("/business/").await;
    assert!(
        texts(&business, "main .card__headline").iter().all(|h| !h.contains("Assembly")),
        "another section's front does not list it"
    );
    let feed = rss::Channel::read_from(app.get("/rss.xml").await.bytes().await.expect("feed").as_ref()).expect("RSS");
    assert_eq!(feed.items().first().and_then(|i| i.title()), Some("Assembly passes the budget"));
}

async fn a_publish_drops_the_lists_it_enters_at_once_and_other_pages_latest_news_within_the_lag(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Lag Editor").await;
    let old = StoryBuilder::new("Ferry timetable changes", paper.business.id, now() - SignedDuration::from_hours(5))
        .store(&store)
        .await;
    let app = TestApp::start_with(store.clone(), now(), |settings| {
        settings.side_lists_lag = std::time::Duration::from_secs(2)
    })
    .await;
    let old_page = format!("/article/{old}/ferry-timetable-changes");
    let latest_news = |page: &scraper::Html| texts(page, ".list--latest li a");
    app.page(&old_page).await;
    app.page("/").await;

    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.politics.id.to_string();
    let fields = [
        ("headline", "Assembly passes the budget"),
        ("section", section.as_str()),
        ("body", "The vote was 180 to 95."),
    ];
    let created = desk.post("/desk/stories", &fields).await;
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    let publish: Vec<(&str, &str)> = [("action", "publish"), ("version", "1")].into_iter().chain(fields).collect();
    assert_eq!(desk.post(&format!("/desk/stories/{id}"), &publish).await.status(), 303);

    let home = app.page("/").await;
    assert!(
        texts(&home, ".card__headline").iter().any(|h| h.contains("Assembly passes the budget")),
        "the home page shows it at once"
    );
    let hits_before = hits(&app);
    let kept = app.page(&old_page).await;
    assert_eq!(hits(&app), hits_before + 1, "an unrelated article page is still served from memory");
    assert!(!latest_news(&kept).iter().any(|h| h.contains("Assembly")), "with Latest News as it was");
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;
    let fresh = app.page(&old_page).await;
    assert!(
        latest_news(&fresh).iter().any(|h| h.contains("Assembly passes the budget")),
        "after the lag it is rendered with the new story: {:?}",
        latest_news(&fresh)
    );
}

async fn a_scheduled_story_appears_on_the_kept_front_at_its_time(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.politics.id.to_string();
    let created =
        desk.post("/desk/stories", &[("headline", "Morning briefing"), ("section", &section), ("body", "Text.")]).await;
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    // 12:30 in Seoul is 03:30 UTC, half an hour from now.
    let scheduled = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "schedule"),
                ("version", "1"),
                ("headline", "Morning briefing"),
                ("section", &section),
                ("body", "Text."),
                ("publish_at", "2026-11-28T12:30"),
            ],
        )
        .await;
    assert_eq!(scheduled.status(), 303);
    assert!(texts(&app.page("/national/politics/").await, ".card__headline").is_empty());
    let before = hits(&app);
    app.page("/national/politics/").await;
    assert_eq!(hits(&app), before + 1, "the empty front is kept");

    let due = now() + SignedDuration::from_mins(30);
    app.set_now(due);
    let published = dateline_newsroom::editing::publish_due(&store, due).await.expect("scheduler");
    assert_eq!(published, [id]);
    assert_eq!(texts(&app.page("/national/politics/").await, ".card__headline"), ["Morning briefing"]);
}

async fn a_304_comes_only_for_the_same_bytes_in_the_same_coding(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Validator Editor").await;
    let body = "Rain fell all day. ".repeat(40);
    let id = StoryBuilder::new("Rain all day", paper.national.id, now()).body(&body).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let path = format!("/article/{id}/rain-all-day");

    let plain = app.get(&path).await;
    let etag = header(&plain, "etag");
    assert!(etag.starts_with('"') && etag.ends_with('"'), "a strong validator: {etag}");
    let plain_bytes = plain.bytes().await.expect("body");
    let again = get_with(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());

    // Each coding is its own representation with its own validator, and decodes to the same page.
    let brotli = get_with(&app, &path, &[("accept-encoding", "gzip, deflate, br"), ("if-none-match", &etag)]).await;
    assert_eq!((brotli.status().as_u16(), header(&brotli, "content-encoding")), (200, "br".to_owned()));
    let brotli_etag = header(&brotli, "etag");
    assert_ne!(brotli_etag, etag);
    let mut decoded = Vec::new();
    brotli::Decompressor::new(brotli.bytes().await.expect("body").as_ref(), 4096)
        .read_to_end(&mut decoded)
        .expect("brotli");
    assert_eq!(decoded, plain_bytes);
    let gzip = get_with(&app, &path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(header(&gzip, "content-encoding"), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(gzip.bytes().await.expect("body").as_ref()).read_to_end(&mut decoded).expect("gzip");
    assert_eq!(decoded, plain_bytes);
    assert_eq!(
        get_with(&app, &path, &[("accept-encoding", "br"), ("if-none-match", &brotli_etag)]).await.status(),
        304
    );

    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    desk.post(
        &format!("/desk/stories/{id}"),
        &[
            ("action", "save"),
            ("version", "1"),
            ("headline", "Rain all day"),
            ("section", &section),
            ("body", "Rain fell until dusk."),
        ],
    )
    .await;
    let changed = get_with(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status(), 200, "new bytes, no 304");
    assert_ne!(header(&changed, "etag"), etag);
}

async fn reader_pages_name_their_keys_for_a_cdn_and_desk_pages_are_never_kept(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Private Editor").await;
    let id = StoryBuilder::new("Harbour plan approved", paper.national.id, now())
        .by(&[paper.reporter.id])
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;

    let page = app.get(&format!("/article/{id}/harbour-plan-approved")).await;
    let control = header(&page, "cache-control");
    assert!(
        control.contains("public") && control.contains("s-maxage=") && control.contains("stale-while-revalidate="),
        "{control}"
    );
    let keys: Vec<String> = header(&page, "surrogate-key").split(' ').map(str::to_owned).collect();
    for key in [format!("story-{id}"), format!("author-{}", paper.reporter.id), "side-lists".into()] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(header(&page, "cache-tag").split(',').count(), keys.len());
    assert!(header(&page, "vary").contains("accept-encoding"));

    let desk = app.sign_in(&editor.email, &password).await;
    let kept = app.state.page_cache().expect("cache").usage().0;
    for path in ["/desk/".to_owned(), format!("/desk/stories/{id}/preview"), format!("/desk/stories/{id}/preview")] {
        let response = desk.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "cache-control"), "private, no-store", "{path}");
        assert!(header(&response, "surrogate-key").is_empty(), "{path}");
    }
    assert_eq!(app.state.page_cache().expect("cache").usage().0, kept, "nothing from the desk is kept");
    let stranger = app.get("/desk/").await;
    assert_ne!(stranger.status(), 200, "a reader gets the sign-in, never the editor's desk");
    assert!(!stranger.text().await.expect("body").contains("Private Editor"));
}

async fn the_purge_hook_hears_each_change_once_and_a_failed_purge_is_tried_again_until_it_lands(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Purging Editor").await;
    let id = StoryBuilder::new("Ferry service resumes", paper.national.id, now()).store(&store).await;
    let heard: Arc<Mutex<Vec<String>>> = Arc::default();
    let refusing = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let hook_url = format!("http://{}/purge", listener.local_addr().expect("address"));
    let (recorder, refuse) = (heard.clone(), refusing.clone());
    let hook = axum::Router::new().route(
        "/purge",
        axum::routing::post(move |body: String| async move {
            if refuse.load(Ordering::SeqCst) {
                return axum::http::StatusCode::SERVICE_UNAVAILABLE;
            }
            recorder.lock().expect("lock").push(body);
            axum::http::StatusCode::OK
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, hook).await.expect("hook server") });
    // Two instances of the paper on one database, both with the hook: only the outbox
    // calls it, once for each change.
    let app = TestApp::start_with(store.clone(), now(), |settings| settings.purge_url = Some(hook_url.clone())).await;
    let other = TestApp::start_with(store.clone(), now(), |settings| settings.purge_url = Some(hook_url.clone())).await;
    let desk = app.sign_in(&editor.email, &password).await;
    // What setting up the paper changed goes out first.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store.outbox_waiting().await.expect("waiting") > 0 {
        assert!(std::time::Instant::now() < deadline, "the outbox was never drained");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    heard.lock().expect("lock").clear();
    refusing.store(true, Ordering::SeqCst);
    let section = paper.national.id.to_string();
    let saved = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "save"),
                ("version", "1"),
                ("headline", "Ferry service resumes"),
                ("section", &section),
                ("body", "Boats run again."),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);

    // The CDN is down: the change waits in the outbox, tried again later.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store
        .outbox_due(now() + SignedDuration::from_hours(1), 10)
        .await
        .expect("outbox")
        .first()
        .is_none_or(|e| e.attempts == 0)
    {
        assert!(std::time::Instant::now() < deadline, "the failed purge was never recorded");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(store.outbox_waiting().await.expect("waiting") >= 1, "the change is kept until its purge lands");
    assert!(heard.lock().expect("lock").is_empty());
    refusing.store(false, Ordering::SeqCst);
    app.set_now(now() + SignedDuration::from_secs(5));
    other.set_now(now() + SignedDuration::from_secs(5));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store.outbox_waiting().await.expect("waiting") > 0 {
        assert!(std::time::Instant::now() < deadline, "the purge never landed: {:?}", heard.lock().expect("lock"));
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let purges = heard.lock().expect("lock").clone();
    let about_story: Vec<&String> = purges.iter().filter(|b| b.contains(&format!("\"story-{id}\""))).collect();
    assert_eq!(about_story.len(), 1, "one purge for one change, whatever the number of instances: {purges:?}");
    let purge: serde_json::Value = serde_json::from_str(about_story[0]).expect("JSON");
    assert!(purge["surrogate_keys"].as_array().is_some_and(|keys| keys.iter().any(|k| k == "archive")), "{purge}");
    server.abort();
}

async fn a_change_made_outside_any_request_drops_the_kept_pages_at_once(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let id = StoryBuilder::new("Harbour reopens", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let path = format!("/article/{id}/harbour-reopens");
    app.get(&path).await;
    app.get(&path).await;
    let cache = app.state.page_cache().expect("cache");
    assert_eq!(hits(&app), 1, "kept");
    let purged_before = cache.counters.purged.load(Ordering::Relaxed);
    // The scheduler, the wire or a CLI write without any reader request after it.
    let story = store.article_by_id(id).await.expect("story");
    let mut update = dateline_newsroom::ArticleUpdate::of(
        &story,
        dateline_newsroom::RevisionKind::MinorFix,
        dateline_newsroom::RevisionAuthor::system("test"),
        now(),
    );
    update.content.headline = "Harbour reopens to ferries".into();
    store.update_article(&update).await.expect("update");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while cache.counters.purged.load(Ordering::Relaxed) == purged_before {
        assert!(std::time::Instant::now() < deadline, "the kept page was not dropped without a request");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(cache.usage().0, 0, "the article's page is gone from memory before anyone asks");
}

async fn a_renamed_author_and_a_recaptioned_photo_show_on_the_kept_pages_that_print_them(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let picture = photo(&store, "2026/11/harbour.jpg", "Boats in the harbour", "Dateline", now()).await;
    let id = StoryBuilder::new("Harbour reopens", paper.national.id, now())
        .by(&[paper.reporter.id])
        .lead_photo(picture.id)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let path = format!("/article/{id}/harbour-reopens");
    let page = app.page(&path).await;
    assert_eq!(texts(&page, ".byline"), ["By Kim Min-ji"]);
    assert_eq!(texts(&page, "figcaption"), ["Boats in the harbour (Dateline)"]);

    let renamed = NewAuthor {
        name: "Kim Min-ji (Busan)".into(),
        ..NewAuthor {
            slug: paper.reporter.slug.clone(),
            name: String::new(),
            kind: paper.reporter.kind,
            bio: paper.reporter.bio.clone(),
            photo_id: None,
        }
    };
    store.update_author(paper.reporter.id, &renamed).await.expect("renamed");
    assert_eq!(texts(&app.page(&path).await, ".byline"), ["By Kim Min-ji (Busan)"]);
    let details = MediaDetails {
        caption: "Fishing boats back in the harbour".into(),
        credit: "Dateline".into(),
        alt_text: "Boats".into(),
        photographer: "Test Photographer".into(),
        redistributable: false,
    };
    store.update_media_details(picture.id, &details).await.expect("recaptioned");
    assert_eq!(texts(&app.page(&path).await, "figcaption"), ["Fishing boats back in the harbour (Dateline)"]);
}

on_both_databases!(
    a_desk_fix_changes_the_kept_article_page_at_once_and_leaves_unrelated_pages_kept,
    a_published_story_appears_on_every_kept_list_that_shows_it,
    a_publish_drops_the_lists_it_enters_at_once_and_other_pages_latest_news_within_the_lag,
    a_scheduled_story_appears_on_the_kept_front_at_its_time,
    a_304_comes_only_for_the_same_bytes_in_the_same_coding,
    reader_pages_name_their_keys_for_a_cdn_and_desk_pages_are_never_kept,
    the_purge_hook_hears_each_change_once_and_a_failed_purge_is_tried_again_until_it_lands,
    a_change_made_outside_any_request_drops_the_kept_pages_at_once,
    a_renamed_author_and_a_recaptioned_photo_show_on_the_kept_pages_that_print_them
);

#[tokio::test]
async fn a_head_request_first_does_not_leave_an_empty_page_kept() {
    let database = dateline_testkit::TestDatabase::sqlite().await;
    let store = database.store().await;
    let paper = SmallPaper::create(&store).await;
    let id = StoryBuilder::new("Checked by a crawler first", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let path = format!("/article/{id}/checked-by-a-crawler-first");
    let head = app.client.head(format!("{}{path}", app.base_url)).send().await.expect("HEAD");
    assert_eq!(head.status(), 200);
    let page = app.page(&path).await;
    assert_eq!(texts(&page, "h1"), ["Checked by a crawler first"], "the GET after a HEAD gets the whole page");
}

async fn a_flood_of_unique_junk_in_the_query_is_answered_from_the_one_kept_front_and_adds_nothing(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new("Harbour reopens", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(app.get("/national/").await.status(), 200);
    let cache = app.state.page_cache().expect("cache");
    let (entries, _) = cache.usage();
    let hits_before = hits(&app);
    for n in 0..300 {
        let response = app.get(&format!("/national/?utm_source=flood-{n}&fbclid={n}")).await;
        assert_eq!(response.status(), 200);
    }
    assert_eq!(hits(&app) - hits_before, 300, "every junk request is answered from memory");
    assert_eq!(cache.usage().0, entries, "and none of them made a new entry");
    assert_eq!(app.get("/national/?utm=x&page=1").await.status(), 200);
    let before = hits(&app);
    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(hits(&app), before + 1, "the home page is still kept");
}

on_both_databases!(a_flood_of_unique_junk_in_the_query_is_answered_from_the_one_kept_front_and_adds_nothing);

/// Every header of an answer but its date, sorted.
fn headers_but_date(response: &reqwest::Response) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    headers.sort();
    headers
}

async fn a_kept_page_answered_before_routing_is_the_same_answer_the_full_stack_gave(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let id = StoryBuilder::new("Tram fares frozen", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let path = format!("/article/{id}/tram-fares-frozen");
    for coding in ["identity", "gzip", "br"] {
        let asked = [("accept-encoding", coding)];
        let before = hits(&app);
        // The first answer for each coding is made by the layers (the page rendered, or its
        // compressed copy made); the second comes from the front, before any routing.
        let first = get_with(&app, &path, &asked).await;
        let second = get_with(&app, &path, &asked).await;
        assert_eq!((first.status().as_u16(), second.status().as_u16()), (200, 200), "{coding}");
        assert!(hits(&app) > before, "{coding}: the second was kept");
        assert_eq!(headers_but_date(&first), headers_but_date(&second), "{coding}: the same headers");
        assert!(!header(&second, "content-security-policy").is_empty(), "{coding}: the protective headers");
        let etag = header(&second, "etag");
        assert_eq!(first.bytes().await.expect("body"), second.bytes().await.expect("body"), "{coding}");
        let unchanged = get_with(&app, &path, &[("accept-encoding", coding), ("if-none-match", &etag)]).await;
        assert_eq!(unchanged.status(), 304, "{coding}: a validator answered in front");
        assert_eq!(header(&unchanged, "x-frame-options"), "DENY");
    }
    // What the layers answer first still comes from them: an escaped control character, and
    // a WordPress address on the home page.
    assert_eq!(app.get(&format!("{path}%00")).await.status(), 404);
    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(app.get("/?p=12345").await.status(), 200, "an old address nobody moved is the home page");
}

on_both_databases!(a_kept_page_answered_before_routing_is_the_same_answer_the_full_stack_gave);
