//! Two instances of the paper on one PostgreSQL database, each with its own connection pool,
//! page cache and change listener, as two `dateline serve` processes behind a proxy would
//! be: what one publishes shows on the other's kept pages through PostgreSQL's notices, a
//! scheduled story is published once, views add up, and a desk session works on both.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_storage::SqlStore;
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{texts, TestApp, TestDatabase};
use jiff::{SignedDuration, Timestamp};
use std::time::{Duration, Instant};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// A second instance: its own pool on the same database, listening to the other's notices.
async fn instance(database: &TestDatabase) -> (SqlStore, TestApp) {
    let store = database.store().await;
    store.listen_to_other_instances().await.expect("listen for the other instance");
    let app = TestApp::start(store.clone(), now()).await;
    (store, app)
}

fn headlines(page: &scraper::Html) -> Vec<String> {
    texts(page, ".card__headline")
}

#[tokio::test]
async fn a_story_published_on_one_instance_shows_on_the_others_kept_pages_within_a_second() {
    let Some(database) = TestDatabase::postgres().await else { return };
    let (store_a, app_a) = instance(&database).await;
    let (_store_b, app_b) = instance(&database).await;
    let paper = SmallPaper::create(&store_a).await;
    let (editor, password) = desk_user(&store_a, Role::Editor, "Instance Editor").await;
    StoryBuilder::new("Earlier story", paper.politics.id, now() - SignedDuration::from_hours(3)).store(&store_a).await;
    // The setup's own notices reach B too; let them land before B keeps its pages.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for path in ["/", "/national/politics/"] {
        app_b.page(path).await;
        let before = app_b.state.page_cache().expect("cache").counters.hits.load(std::sync::atomic::Ordering::Relaxed);
        app_b.page(path).await;
        let after = app_b.state.page_cache().expect("cache").counters.hits.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(after, before + 1, "instance B keeps {path}");
    }

    let desk = app_a.sign_in(&editor.email, &password).await;
    let section = paper.politics.id.to_string();
    let created = desk
        .post(
            "/desk/stories",
            &[("headline", "Cabinet reshuffle announced"), ("section", &section), ("body", "Five ministers change.")],
        )
        .await;
    let location = created.headers()["location"].to_str().expect("location").to_owned();
    let id = location.trim_start_matches("/desk/stories/").split('?').next().expect("id").to_owned();
    let published_at = Instant::now();
    let published = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "publish"),
                ("version", "1"),
                ("headline", "Cabinet reshuffle announced"),
                ("section", &section),
                ("body", "Five ministers change."),
            ],
        )
        .await;
    assert_eq!(published.status(), 303);

    // Generous deadline; the time it took is printed, and benches measure it.
    let deadline = published_at + Duration::from_secs(10);
    loop {
        let front = app_b.page("/national/politics/").await;
        if headlines(&front).iter().any(|h| h == "Cabinet reshuffle announced") {
            break;
        }
        assert!(Instant::now() < deadline, "instance B never showed the story: {:?}", headlines(&front));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let took = published_at.elapsed();
    println!("published on instance A, visible on instance B's kept section front after {took:?}");
    assert!(took < Duration::from_secs(1), "it took {took:?}, not within a second");
    let article = app_b.page(&format!("/article/{id}/cabinet-reshuffle-announced")).await;
    assert_eq!(texts(&article, "h1"), ["Cabinet reshuffle announced"]);
    assert!(headlines(&app_b.page("/").await).iter().any(|h| h == "Cabinet reshuffle announced"));
}

#[tokio::test]
async fn a_scheduled_story_is_published_once_with_two_instances_running() {
    let Some(database) = TestDatabase::postgres().await else { return };
    let (store_a, _app_a) = instance(&database).await;
    let (store_b, _app_b) = instance(&database).await;
    let paper = SmallPaper::create(&store_a).await;
    let due = now() + SignedDuration::from_mins(5);
    let mut scheduled =
        StoryBuilder::new("Morning markets", paper.business.id, now()).status(ArticleStatus::Scheduled).build();
    scheduled.first_published_at = None;
    scheduled.publish_at = Some(due);
    let id = store_a.insert_article(&scheduled).await.expect("stored");

    let (from_a, from_b) = tokio::join!(
        dateline_newsroom::editing::publish_due(&store_a, due),
        dateline_newsroom::editing::publish_due(&store_b, due)
    );
    let published: Vec<_> = from_a.expect("A's scheduler").into_iter().chain(from_b.expect("B's scheduler")).collect();
    assert_eq!(published, [id], "exactly one instance published it");
    let kinds: Vec<_> = store_a.revisions(id).await.expect("history").iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "published").count(), 1, "{kinds:?}");
}

#[tokio::test]
async fn views_counted_on_both_instances_add_up_in_most_popular_and_a_desk_session_works_on_both() {
    let Some(database) = TestDatabase::postgres().await else { return };
    let (store_a, app_a) = instance(&database).await;
    let (_store_b, app_b) = instance(&database).await;
    let paper = SmallPaper::create(&store_a).await;
    let (editor, password) = desk_user(&store_a, Role::Editor, "Roaming Editor").await;
    let split = StoryBuilder::new("Read on both servers", paper.national.id, now()).store(&store_a).await;
    let single = StoryBuilder::new("Read on one server", paper.national.id, now()).store(&store_a).await;
    // Three reads on each instance for one story, four on one instance for the other.
    for app in [&app_a, &app_b] {
        for _ in 0..3 {
            assert_eq!(app.read_beacon(&format!("/_v/{split}")).await.status(), 200);
        }
    }
    for _ in 0..4 {
        app_a.read_beacon(&format!("/_v/{single}")).await;
    }
    app_a.state.flush_views().await.expect("flush A");
    app_b.state.flush_views().await.expect("flush B");
    let page = app_b.page("/").await;
    let popular = texts(&page, ".list--popular li a");
    assert_eq!(popular.first().map(String::as_str), Some("Read on both servers"), "6 reads beat 4: {popular:?}");

    let desk = app_a.sign_in(&editor.email, &password).await;
    let on_b = app_b
        .client
        .get(format!("{}/desk/", app_b.base_url))
        .header("cookie", &desk.cookie)
        .send()
        .await
        .expect("desk on B");
    assert_eq!(on_b.status(), 200, "the session made on A opens the desk on B");
}

/// A TCP path to PostgreSQL that the test can cut and restore, as a network fault or a
/// database restart would: cutting closes the listening port and every open connection.
struct CuttablePath {
    port: u16,
    target: std::net::SocketAddr,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl CuttablePath {
    async fn open(target: std::net::SocketAddr) -> CuttablePath {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let path = CuttablePath { port, target, tasks: Default::default() };
        path.serve(listener);
        path
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let (tasks, target) = (self.tasks.clone(), self.target);
        let accepting = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let relay = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().expect("lock").push(relay);
            }
        });
        self.tasks.lock().expect("lock").push(accepting);
    }

    fn cut(&self) {
        for task in self.tasks.lock().expect("lock").drain(..) {
            task.abort();
        }
    }

    async fn restore(&self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await.expect("bind the same port again");
        self.serve(listener);
    }
}

#[tokio::test]
async fn when_the_database_goes_away_kept_pages_are_still_served_others_answer_503_and_all_recover() {
    let Some(database) = TestDatabase::postgres().await else { return };
    let seed = database.store().await;
    let paper = SmallPaper::create(&seed).await;
    let kept = StoryBuilder::new("Kept through the outage", paper.national.id, now()).store(&seed).await;
    let other = StoryBuilder::new("Not yet read", paper.business.id, now()).store(&seed).await;
    seed.close().await;

    // The instance reaches PostgreSQL only through the cuttable path.
    let url = reqwest::Url::parse(&database.url).expect("database URL");
    let target = format!("{}:{}", url.host_str().expect("host"), url.port().unwrap_or(5432));
    let target = tokio::net::lookup_host(target).await.expect("resolve").next().expect("an address");
    let path = CuttablePath::open(target).await;
    let mut through = url.clone();
    through.set_host(Some("127.0.0.1")).expect("host");
    through.set_port(Some(path.port)).expect("port");
    let options = dateline_storage::ConnectOptions {
        url: through.to_string(),
        max_connections: 4,
        acquire_timeout: Duration::from_millis(800),
        ..dateline_storage::ConnectOptions::new("")
    };
    let store = SqlStore::connect(&options).await.expect("connect through the path");
    let app = TestApp::start(store, now()).await;
    let kept_path = format!("/article/{kept}/kept-through-the-outage");
    assert_eq!(app.get(&kept_path).await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);

    path.cut();
    println!("cut the path to PostgreSQL");
    let during = app.get(&kept_path).await;
    assert_eq!(during.status(), 200, "a kept page is served from memory");
    assert!(texts(&scraper::Html::parse_document(&during.text().await.expect("body")), "h1")
        .contains(&"Kept through the outage".to_owned()));
    let unread = app.get(&format!("/article/{other}/not-yet-read")).await;
    assert_eq!(unread.status(), 503, "a page never kept cannot be drawn");
    assert_eq!(app.get("/healthz").await.status(), 503);

    path.restore().await;
    println!("restored the path to PostgreSQL");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let status = app.get(&format!("/article/{other}/not-yet-read")).await.status();
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the instance did not recover by itself (last answer {status})");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
    path.cut();
}

#[tokio::test]
async fn a_live_post_made_on_one_instance_reaches_readers_following_on_the_other_within_a_second() {
    let Some(database) = TestDatabase::postgres().await else { return };
    let (store_a, app_a) = instance(&database).await;
    let (_store_b, app_b) = instance(&database).await;
    let paper = SmallPaper::create(&store_a).await;
    let (editor, password) = desk_user(&store_a, Role::Editor, "Instance Editor").await;
    let story = StoryBuilder::new("Count night", paper.politics.id, now() - SignedDuration::from_hours(1))
        .store(&store_a)
        .await;
    store_a.start_coverage(story, now() - SignedDuration::from_hours(1)).await.expect("made live");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // B keeps the page, and a reader on B follows it.
    let path = format!("/article/{}/count-night", story.0);
    assert!(texts(&app_b.page(&path).await, ".live__empty").len() == 1);
    let mut reader = crate::live::Listener::open(&app_b.base_url, story.0).await;

    let desk = app_a.sign_in(&editor.email, &password).await;
    let sent = Instant::now();
    let posted = desk.post(&format!("/desk/stories/{}/live", story.0), &[("body", "First results are in.")]).await;
    assert_eq!(posted.status(), 303);
    let (event, data) = reader.next_event(Duration::from_secs(1)).await;
    assert_eq!(event, "post");
    assert!(data["html"].as_str().expect("markup").contains("First results are in."));
    assert!(sent.elapsed() < Duration::from_secs(1), "arrived after {:?}", sent.elapsed());
    // B's kept page was dropped too: a reader arriving there gets the post.
    assert_eq!(texts(&app_b.page(&path).await, "#live-stream .live-post__body p"), ["First results are in."]);
}
