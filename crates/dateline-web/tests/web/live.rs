//! Live stories as the live desk and readers meet them: an editor posts, pins, edits and
//! deletes; readers see the stream newest first with key events on top, each post findable
//! by its permalink after it moves to an older page, `LiveBlogPosting` structured data, and
//! posts arriving through the update channel while the page is open. On both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_testkit::checkers::python_checker;
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::DeskSession;
use dateline_testkit::{attributes, on_both_databases, texts, TestApp, TestDatabase, PUBLIC_URL};
use jiff::{SignedDuration, Timestamp};
use std::time::{Duration, Instant};

fn now() -> Timestamp {
    // 12:00 in Seoul, the paper's zone.
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// Creates a live story through the desk and publishes it; returns its id and reader path.
async fn published_live_story(desk: &DeskSession, section: &str, headline: &str) -> (i64, String) {
    let created = desk
        .post(
            "/desk/stories",
            &[("kind", "live"), ("headline", headline), ("section", section), ("body", "What we know so far.")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.ends_with("/live?saved=1"), "a new live story opens on the live desk: {location}");
    let id: i64 = location.trim_start_matches("/desk/stories/").split('/').next().expect("id").parse().expect("id");
    let published = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "publish"),
                ("version", "1"),
                ("headline", headline),
                ("section", section),
                ("body", "What we know so far."),
            ],
        )
        .await;
    assert_eq!(published.status(), 303, "published");
    let slug = dateline_newsroom::Slug::suggest(headline).expect("slug");
    (id, format!("/article/{id}/{slug}"))
}

async fn post(desk: &DeskSession, story: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    desk.post(&format!("/desk/stories/{story}/live"), fields).await
}

/// The post ids on a reader page, top to bottom.
fn post_ids(page: &scraper::Html) -> Vec<String> {
    attributes(page, "#live-stream article.live-post", "id")
}

/// The newest post's id and version, as the live desk lists them.
async fn newest_post(store: &dateline_storage::SqlStore, story: i64) -> (i64, i64) {
    let posts = store.live_posts(dateline_newsroom::ArticleId(story), 1, 0).await.expect("posts");
    let post = posts.first().expect("a post");
    (post.id.0, post.version)
}

async fn an_editor_posts_pins_edits_and_deletes_and_readers_see_the_stream_newest_first(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Live Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let (story, path) = published_live_story(&desk, &paper.national.id.to_string(), "Typhoon nears the coast").await;
    // An empty page says the first update is coming; readers keep it from memory.
    let empty = app.page(&path).await;
    assert_eq!(texts(&empty, ".live__empty"), ["The first update is coming."]);
    assert_eq!(texts(&empty, ".live-label"), ["Live"]);

    app.set_now(now() + SignedDuration::from_mins(5));
    assert_eq!(post(&desk, story, &[("title", "Ferries halted"), ("body", "All routes stop.")]).await.status(), 303);
    let (first, _) = newest_post(&store, story).await;
    app.set_now(now() + SignedDuration::from_mins(9));
    assert_eq!(post(&desk, story, &[("body", "Shelters open in **three** provinces.")]).await.status(), 303);
    let (second, second_version) = newest_post(&store, story).await;
    app.set_now(now() + SignedDuration::from_mins(14));
    assert_eq!(post(&desk, story, &[("body", "Landfall expected tonight."), ("pinned", "yes")]).await.status(), 303);
    let (third, _) = newest_post(&store, story).await;

    let page = app.page(&path).await;
    let ids = post_ids(&page);
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[0], format!("post-{third}"), "newest first");
    assert_eq!(texts(&page, "#live-stream .live-post__time"), ["12:14", "12:09", "12:05"], "times of today in Seoul");
    assert_eq!(texts(&page, "#live-stream strong"), ["three"], "Markdown is rendered");
    assert_eq!(texts(&page, "#key-events li a"), ["12:14 Landfall expected tonight."]);
    assert_eq!(texts(&page, ".live-post__title"), ["Ferries halted"]);
    assert_eq!(texts(&page, "#live-stream .live-post__author"), ["Live Editor", "Live Editor", "Live Editor"]);

    // An edit shows at once; a second edit from the same opened screen is refused.
    let edit = |version: String, body: &'static str| {
        let desk = desk.clone();
        async move {
            desk.post(
                &format!("/desk/live-posts/{second}"),
                &[("action", "edit"), ("version", &version), ("body", body)],
            )
            .await
        }
    };
    assert_eq!(edit(second_version.to_string(), "Shelters open in four provinces.").await.status(), 303);
    assert_eq!(edit(second_version.to_string(), "A stale edit.").await.status(), 409);
    let page = app.page(&path).await;
    assert!(texts(&page, "#live-stream p").iter().any(|t| t == "Shelters open in four provinces."));
    assert!(!texts(&page, "#live-stream p").iter().any(|t| t.contains("stale")));

    // Pinning puts it among the key events; deleting leaves no trace on the reader page.
    let version = store.live_post(dateline_newsroom::live::LivePostId(second)).await.expect("post").version;
    let pinned =
        desk.post(&format!("/desk/live-posts/{second}"), &[("action", "pin"), ("version", &version.to_string())]).await;
    assert_eq!(pinned.status(), 303);
    assert_eq!(texts(&app.page(&path).await, "#key-events li").len(), 2);
    let deleted = desk
        .post(&format!("/desk/live-posts/{second}"), &[("action", "delete"), ("version", &(version + 1).to_string())])
        .await;
    assert_eq!(deleted.status(), 303);
    let page = app.page(&path).await;
    assert_eq!(post_ids(&page), [format!("post-{third}"), format!("post-{first}")]);
    let html = app.get(&path).await.text().await.expect("page");
    assert!(!html.contains("four provinces"), "a deleted post leaves no trace on the reader page");
    assert_eq!(texts(&page, "#key-events li").len(), 1);
    assert_eq!(app.get(&format!("/article/{story}/post/{second}")).await.status(), 404);

    // The desk keeps the post's whole history.
    let history = desk.page(&format!("/desk/live-posts/{second}/history")).await;
    let kinds: Vec<String> = texts(&history, "tbody tr td:first-child");
    assert_eq!(kinds, ["posted", "edited", "pinned", "deleted"]);

    // The story's "Updated" time, and its feed entry's, follow its newest post.
    let summary = store.article_by_id(dateline_newsroom::ArticleId(story)).await.expect("story");
    let newest = now() + SignedDuration::from_mins(14);
    assert_eq!(summary.last_public_update_at, Some(newest));
    let atom = app.get("/atom.xml").await.text().await.expect("feed");
    let feed: atom_syndication::Feed = atom.parse().expect("an Atom feed");
    let entry = feed.entries().iter().find(|e| e.links().iter().any(|l| l.href().ends_with(&path))).expect("entry");
    assert_eq!(entry.updated().timestamp(), newest.as_second());
}

async fn reporters_post_to_live_stories_they_are_bylined_on_and_contributors_not_at_all(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, editor_password) = desk_user(&store, Role::Editor, "Live Editor").await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Kim Reporter").await;
    let (contributor, contributor_password) = desk_user(&store, Role::Contributor, "Guest Writer").await;
    let (admin, admin_password) = desk_user(&store, Role::Admin, "Desk Admin").await;
    let app = TestApp::start(store.clone(), now()).await;
    // An admin says the reporter's account writes as Kim Min-ji; an author who does not exist
    // is refused.
    let admin_desk = app.sign_in(&admin.email, &admin_password).await;
    let byline_form = format!("/desk/users/{}/byline", reporter.id);
    assert_eq!(admin_desk.post(&byline_form, &[("author", "999999")]).await.status(), 422);
    let kim = paper.reporter.id.to_string();
    assert_eq!(admin_desk.post(&byline_form, &[("author", &kim)]).await.status(), 303);
    let users = admin_desk.page("/desk/users").await;
    let chosen = attributes(&users, &format!("#writes-as-{} option[selected]", reporter.id), "value");
    assert_eq!(chosen, std::slice::from_ref(&kim));
    let desk = app.sign_in(&editor.email, &editor_password).await;
    let section = paper.national.id.to_string();
    let (theirs, _) = published_live_story(&desk, &section, "Election count").await;
    let (other, _) = published_live_story(&desk, &section, "Summit talks").await;
    // Kim Min-ji is on the first story's byline only.
    let story = store.article_by_id(dateline_newsroom::ArticleId(theirs)).await.expect("story");
    let version = story.version.to_string();
    let byline = paper.reporter.id.to_string();
    let saved = desk
        .post(
            &format!("/desk/stories/{theirs}"),
            &[
                ("action", "update_public"),
                ("version", &version),
                ("headline", "Election count"),
                ("section", &section),
                ("byline", &byline),
                ("body", "What we know so far."),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);

    let reporter_desk = app.sign_in(&reporter.email, &reporter_password).await;
    let posted = post(&reporter_desk, theirs, &[("body", "Turnout is high."), ("author", &byline)]).await;
    assert_eq!(posted.status(), 303, "a reporter posts to a story they are bylined on");
    assert_eq!(post(&reporter_desk, other, &[("body", "Not mine.")]).await.status(), 403);
    let contributor_desk = app.sign_in(&contributor.email, &contributor_password).await;
    assert_eq!(post(&contributor_desk, theirs, &[("body", "Let me in.")]).await.status(), 403);

    // The reporter changes their own post, not the editor's.
    assert_eq!(post(&desk, theirs, &[("body", "The editor's post.")]).await.status(), 303);
    let (editors_post, version) = newest_post(&store, theirs).await;
    let refused = reporter_desk
        .post(&format!("/desk/live-posts/{editors_post}"), &[("action", "delete"), ("version", &version.to_string())])
        .await;
    assert_eq!(refused.status(), 403);
    let page = app.page(&format!("/article/{theirs}/election-count")).await;
    assert_eq!(texts(&page, "#live-stream .live-post__author"), ["Live Editor", "Kim Min-ji"]);
    assert_eq!(attributes(&page, "#live-stream .live-post__author a", "href"), ["/author/kim-min-ji"]);
}

async fn a_post_that_cannot_be_taken_is_refused_with_the_text_kept_and_nothing_stored(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Live Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let (story, path) = published_live_story(&desk, &paper.national.id.to_string(), "Storm watch").await;
    let long_title = "T".repeat(201);
    let refused = post(&desk, story, &[("title", &long_title), ("body", "Kept <script>alert(1)</script> text")]).await;
    assert_eq!(refused.status(), 422);
    let page = scraper::Html::parse_document(&refused.text().await.expect("page"));
    assert_eq!(texts(&page, "#post-body"), ["Kept <script>alert(1)</script> text"], "what was typed is kept");
    assert_eq!(texts(&page, ".form-error li").len(), 1);
    assert_eq!(post(&desk, story, &[("body", "   ")]).await.status(), 422);
    let too_long = "word ".repeat(5_000);
    assert_eq!(post(&desk, story, &[("body", &too_long)]).await.status(), 422);
    assert_eq!(post(&desk, story, &[("body", "A photo that is not there."), ("photo", "999999")]).await.status(), 422);
    assert_eq!(post(&desk, story, &[("body", "A stranger's byline."), ("author", "999999")]).await.status(), 422);
    assert_eq!(post(&desk, story, &[("body", "x"), ("photo", "not-a-number")]).await.status(), 400);
    assert_eq!(store.count_live_posts(dateline_newsroom::ArticleId(story)).await.expect("count"), 0);

    // A script in a post is shown as text, never run.
    assert_eq!(post(&desk, story, &[("body", "<script>alert(1)</script> Calm now.")]).await.status(), 303);
    let html = app.get(&path).await.text().await.expect("page");
    assert!(!html.contains("<script>alert(1)"));

    // An ordinary story takes no posts.
    let plain = StoryBuilder::new("Plain story", paper.national.id, now()).store(&store).await;
    assert_eq!(post(&desk, plain.0, &[("body", "Not live.")]).await.status(), 404);
    assert_eq!(app.get(&format!("/article/{}/plain-story?page=2", plain.0)).await.status(), 404);
    let bad_action = desk.post("/desk/live-posts/1", &[("action", "explode"), ("version", "1"), ("body", "x")]).await;
    assert_eq!(bad_action.status(), 400);
}

async fn two_people_posting_at_once_never_lose_a_post(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Live Editor").await;
    let (second, second_password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let first_desk = app.sign_in(&editor.email, &password).await;
    let second_desk = app.sign_in(&second.email, &second_password).await;
    let (story, _) = published_live_story(&first_desk, &paper.national.id.to_string(), "Count night").await;
    let mut sending = Vec::new();
    for n in 0..12 {
        let desk = if n % 2 == 0 { first_desk.clone() } else { second_desk.clone() };
        sending.push(tokio::spawn(async move {
            desk.post(&format!("/desk/stories/{story}/live"), &[("body", &format!("Result {n} is in."))]).await.status()
        }));
    }
    for sent in sending {
        assert_eq!(sent.await.expect("sent"), 303);
    }
    assert_eq!(store.count_live_posts(dateline_newsroom::ArticleId(story)).await.expect("count"), 12);
}

async fn a_posts_permalink_finds_it_after_it_moved_to_an_older_page(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Live Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let (story, path) = published_live_story(&desk, &paper.national.id.to_string(), "Long night").await;
    let mut first = 0;
    for n in 0..25 {
        app.set_now(now() + SignedDuration::from_mins(n));
        assert_eq!(post(&desk, story, &[("body", &format!("Update number {n}."))]).await.status(), 303);
        if n == 0 {
            first = newest_post(&store, story).await.0;
        }
    }
    let found = app.get(&format!("/article/{story}/post/{first}")).await;
    assert_eq!(found.status(), 302);
    assert_eq!(found.headers()["location"], format!("{path}?page=2#post-{first}").as_str());
    let older = app.page(&format!("{path}?page=2")).await;
    assert!(post_ids(&older).contains(&format!("post-{first}")));
    assert_eq!(post_ids(&older).len(), 5);
    assert_eq!(attributes(&older, "link[rel=canonical]", "href"), [format!("{PUBLIC_URL}{path}?page=2")]);
    assert_eq!(attributes(&older, ".live .pagination a[rel=prev]", "href"), std::slice::from_ref(&path));
    assert_eq!(post_ids(&app.page(&path).await).len(), 20);
    assert_eq!(app.get(&format!("{path}?page=3")).await.status(), 404);
    assert_eq!(app.get(&format!("/article/{story}/post/{}", first + 1000)).await.status(), 404);
}

async fn ending_the_coverage_closes_the_stream_and_search_engines_see_a_live_blog(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Live Editor").await;
    // A live story that began three days ago is still news while it runs.
    let began = now() - SignedDuration::from_hours(72);
    let story = StoryBuilder::new("Summit talks", paper.national.id, began).store(&store).await;
    store.start_coverage(story, began).await.expect("made live");
    let (story, path) = (story.0, format!("/article/{}/summit-talks", story.0));
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    assert_eq!(
        post(&desk, story, &[("title", "Deal reached"), ("body", "Leaders agree."), ("pinned", "yes")]).await.status(),
        303
    );
    let news = app.get("/sitemaps/news.xml").await.text().await.expect("news sitemap");
    assert!(news.contains(&path), "listed in the News sitemap while live");
    let front = app.page("/national/").await;
    assert_eq!(texts(&front, ".card .live-label"), ["Live"], "its card on the section front says it is live");

    let html = app.get(&path).await.text().await.expect("page");
    let document = json_ld(&html);
    let blog = &document["@graph"][0];
    assert_eq!(blog["@type"], "LiveBlogPosting");
    assert!(blog["coverageStartTime"].is_string());
    assert!(blog["coverageEndTime"].is_null());
    assert_eq!(blog["liveBlogUpdate"][0]["headline"], "Deal reached");
    assert_eq!(blog["liveBlogUpdate"][0]["@type"], "BlogPosting");

    let ended = desk.post(&format!("/desk/stories/{story}/live/coverage"), &[("action", "end")]).await;
    assert_eq!(ended.status(), 303);
    let ended_html = app.get(&path).await.text().await.expect("page");
    let page = scraper::Html::parse_document(&ended_html);
    assert_eq!(texts(&page, ".live-label"), ["Live coverage ended"]);
    assert!(texts(&app.page("/national/").await, ".card .live-label").is_empty(), "the front's card no longer does");
    assert!(attributes(&page, ".live", "data-live-events").is_empty(), "no update channel once ended");
    assert_eq!(app.get(&format!("/_live/{story}")).await.status(), 404);
    assert!(json_ld(&ended_html)["@graph"][0]["coverageEndTime"].is_string());
    assert_eq!(post(&desk, story, &[("body", "Too late.")]).await.status(), 400);
    let news = app.get("/sitemaps/news.xml").await.text().await.expect("news sitemap");
    assert!(!news.contains(&path), "an ended live story of three days ago has left the News sitemap");

    let dir = tempfile::tempdir().expect("dir");
    let (running, ended_file) = (dir.path().join("running.html"), dir.path().join("ended.html"));
    std::fs::write(&running, &html).expect("write");
    std::fs::write(&ended_file, &ended_html).expect("write");
    if let Some(report) = python_checker("jsonld_check.py", &[running, ended_file]) {
        assert!(report.passed, "the schema.org check: {}", report.output);
    }
    let resumed = desk.post(&format!("/desk/stories/{story}/live/coverage"), &[("action", "resume")]).await;
    assert_eq!(resumed.status(), 303);
    assert_eq!(post(&desk, story, &[("body", "Back again.")]).await.status(), 303);
}

fn json_ld(html: &str) -> serde_json::Value {
    let page = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("script[type='application/ld+json']").expect("selector");
    serde_json::from_str(&page.select(&selector).next().expect("JSON-LD").inner_html()).expect("strict JSON")
}

/// A reader's open update channel, read as a browser's EventSource would.
pub(crate) struct Listener {
    response: reqwest::Response,
    buffer: String,
}

impl Listener {
    pub(crate) async fn open(base_url: &str, story: i64) -> Listener {
        let response = reqwest::Client::new().get(format!("{base_url}/_live/{story}")).send().await.expect("listen");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Listener { response, buffer: String::new() }
    }

    /// The next event's name and data, waiting at most `within`.
    pub(crate) async fn next_event(&mut self, within: Duration) -> (String, serde_json::Value) {
        let deadline = Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    block.lines().find_map(|l| l.strip_prefix(&format!("{name}:")).map(|v| v.trim().to_owned()))
                };
                if let (Some(event), Some(data)) = (field("event"), field("data")) {
                    return (event, serde_json::from_str(&data).expect("JSON data"));
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.response.chunk())
                .await
                .expect("an event arrives in time")
                .expect("the stream stays open")
                .expect("the stream does not end");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn a_reader_with_the_page_open_gets_new_edited_and_deleted_posts_within_a_second(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Live Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let (story, path) = published_live_story(&desk, &paper.national.id.to_string(), "Quake felt in capital").await;
    let page = app.page(&path).await;
    assert_eq!(attributes(&page, ".live", "data-live-events"), [format!("/_live/{story}")]);
    let mut reader = Listener::open(&app.base_url, story).await;

    let sent = Instant::now();
    assert_eq!(
        post(&desk, story, &[("body", "Buildings swayed for ten seconds."), ("pinned", "yes")]).await.status(),
        303
    );
    let (event, data) = reader.next_event(Duration::from_secs(1)).await;
    assert!(sent.elapsed() < Duration::from_secs(1));
    assert_eq!(event, "post");
    let (id, version) = newest_post(&store, story).await;
    assert_eq!(data["id"], id);
    assert_eq!(data["pinned"], true);
    let fragment = scraper::Html::parse_fragment(data["html"].as_str().expect("markup"));
    assert_eq!(attributes(&fragment, "article.live-post", "id"), [format!("post-{id}")]);
    assert_eq!(texts(&fragment, ".live-post__body p"), ["Buildings swayed for ten seconds."]);

    let edited = desk
        .post(
            &format!("/desk/live-posts/{id}"),
            &[("action", "edit"), ("version", &version.to_string()), ("body", "Buildings swayed for twenty seconds.")],
        )
        .await;
    assert_eq!(edited.status(), 303);
    let (event, data) = reader.next_event(Duration::from_secs(1)).await;
    assert_eq!(event, "post");
    assert!(data["html"].as_str().expect("markup").contains("twenty seconds"));

    let deleted = desk
        .post(&format!("/desk/live-posts/{id}"), &[("action", "delete"), ("version", &(version + 1).to_string())])
        .await;
    assert_eq!(deleted.status(), 303);
    let (event, data) = reader.next_event(Duration::from_secs(1)).await;
    assert_eq!((event.as_str(), data["id"].as_i64()), ("removed", Some(id)));

    // Ending the coverage tells the reader to fetch the page once.
    desk.post(&format!("/desk/stories/{story}/live/coverage"), &[("action", "end")]).await;
    let (event, _) = reader.next_event(Duration::from_secs(1)).await;
    assert_eq!(event, "catch-up");

    // A story readers cannot see has no channel.
    let draft = StoryBuilder::new("Draft", paper.national.id, now()).status(ArticleStatus::Draft).store(&store).await;
    assert_eq!(app.get(&format!("/_live/{}", draft.0)).await.status(), 404);
    assert_eq!(app.get("/_live/nonsense").await.status(), 404);
}

async fn a_story_taken_down_while_readers_follow_it_reaches_them_no_more(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Live Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let (story, path) = published_live_story(&desk, &paper.national.id.to_string(), "Court hearing").await;
    let mut reader = Listener::open(&app.base_url, story).await;
    let version = store.article_by_id(dateline_newsroom::ArticleId(story)).await.expect("story").version;
    let removed = desk
        .post(
            &format!("/desk/stories/{story}/remove"),
            &[("version", &version.to_string()), ("reason", "A court order."), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(removed.status(), 303);
    let (event, _) = reader.next_event(Duration::from_secs(1)).await;
    assert_eq!(event, "catch-up", "the reader's page fetches itself, and learns it is gone");
    let ended = tokio::time::timeout(Duration::from_secs(2), reader.response.chunk()).await.expect("ends at once");
    assert!(matches!(ended, Ok(None)), "the stream ends");
    assert_eq!(app.get(&path).await.status(), 410);
    assert_eq!(app.get(&format!("/_live/{story}")).await.status(), 410);
}

async fn an_editor_edits_a_post_whose_photo_is_the_oldest_of_two_hundred_and_the_photo_stays(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Baek Min-ho").await;
    let oldest = dateline_testkit::paper::library_with_an_old_photo(&store, 200, now()).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let (story, _) = published_live_story(&desk, &paper.national.id.to_string(), "Harbour storm, live").await;
    let photo = oldest.id.0.to_string();
    assert_eq!(post(&desk, story, &[("body", "The pier is under water."), ("photo", &photo)]).await.status(), 303);
    let (post_id, _) = newest_post(&store, story).await;

    // The editor opens the live desk and saves the post's form with only its text changed.
    let screen = desk.page(&format!("/desk/stories/{story}/live")).await;
    let mut fields =
        dateline_testkit::form_fields(&screen, &format!("details form[action='/desk/live-posts/{post_id}']"));
    fields.retain(|(name, _)| name != "csrf");
    for (name, value) in &mut fields {
        if name == "body" {
            *value = "The pier is under water; the ferries are held.".to_owned();
        }
    }
    fields.push(("action".into(), "edit".into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(desk.post(&format!("/desk/live-posts/{post_id}"), &fields).await.status(), 303, "the edit saves");
    let posts = store.live_posts(dateline_newsroom::ArticleId(story), 1, 0).await.expect("posts");
    let edited = posts.first().expect("the post");
    assert_eq!(edited.body, "The pier is under water; the ferries are held.");
    assert_eq!(edited.media_id, Some(oldest.id), "the post keeps the photo nobody touched");
}

on_both_databases!(
    an_editor_edits_a_post_whose_photo_is_the_oldest_of_two_hundred_and_the_photo_stays,
    a_story_taken_down_while_readers_follow_it_reaches_them_no_more,
    an_editor_posts_pins_edits_and_deletes_and_readers_see_the_stream_newest_first,
    reporters_post_to_live_stories_they_are_bylined_on_and_contributors_not_at_all,
    a_post_that_cannot_be_taken_is_refused_with_the_text_kept_and_nothing_stored,
    two_people_posting_at_once_never_lose_a_post,
    a_posts_permalink_finds_it_after_it_moved_to_an_older_page,
    ending_the_coverage_closes_the_stream_and_search_engines_see_a_live_blog,
    a_reader_with_the_page_open_gets_new_edited_and_deleted_posts_within_a_second
);
