//! The reader site through HTTP, as a reader meets it, on both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Label, NewPage, NewTopic};
use dateline_testkit::paper::{photo, slug, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{attributes, on_both_databases, texts, TestApp, PUBLIC_URL};
use jiff::{SignedDuration, Timestamp};

/// 2021-01-24 02:27 UTC is 11:27 in Seoul.
fn now() -> Timestamp {
    "2021-01-24T05:00:00Z".parse().expect("instant")
}

async fn the_home_page_lists_published_stories_newest_first_and_nothing_else(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let older = StoryBuilder::new("Older politics story", paper.politics.id, now())
        .published_at(now() - SignedDuration::from_hours(5))
        .store(&store)
        .await;
    let newer = StoryBuilder::new("Newer business story", paper.business.id, now()).store(&store).await;
    for status in [
        ArticleStatus::Draft,
        ArticleStatus::InReview,
        ArticleStatus::Scheduled,
        ArticleStatus::Unpublished,
        ArticleStatus::Removed,
    ] {
        StoryBuilder::new(&format!("Hidden {} story", status.as_str()), paper.politics.id, now())
            .status(status)
            .store(&store)
            .await;
    }
    let app = TestApp::start(store, now()).await;
    let home = app.page("/").await;
    let lead = attributes(&home, ".home-lead .card__headline a", "href");
    assert_eq!(lead, [format!("/article/{newer}/newer-business-story")]);
    let top = attributes(&home, ".home-top .card__headline a", "href");
    assert_eq!(top, [format!("/article/{older}/older-politics-story")]);
    let headlines = texts(&home, "main a").join(" | ");
    assert!(!headlines.contains("Hidden"), "hidden stories leaked: {headlines}");
    assert_eq!(texts(&home, "#latest-news"), ["Latest News"]);
    assert_eq!(texts(&home, "h1").len(), 1, "one h1 per page");
}

async fn an_article_page_shows_byline_times_and_photo_as_the_reference_page_does(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let published: Timestamp = "2021-01-24T02:27:00Z".parse().expect("instant");
    let picture = photo(&store, "test/leaders.jpg", "The two leaders speak by phone.", "AFP-Yonhap", now()).await;
    let id = StoryBuilder::new("S. Korean, US leaders hold phone talks", paper.politics.id, now())
        .by(&[paper.agency.id, paper.reporter.id])
        .published_at(published)
        .updated_at("2021-01-24T04:51:00Z".parse().expect("instant"))
        .deck("The call lasted forty minutes")
        .label(Label::Analysis)
        .lead_photo(picture.id)
        .body("The leaders spoke on Sunday.\n\n> We agreed to meet soon, a spokesperson said.\n\nTalks will continue. (Yonhap)")
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;
    let page = app.page(&format!("/article/{id}/s-korean-us-leaders-hold-phone-talks")).await;

    assert_eq!(texts(&page, "h1"), ["S. Korean, US leaders hold phone talks"]);
    assert_eq!(texts(&page, ".story__deck"), ["The call lasted forty minutes"]);
    assert_eq!(texts(&page, ".story .label"), ["Analysis"]);
    assert_eq!(texts(&page, "nav[aria-label=Breadcrumb] a"), ["National", "Politics"]);
    assert_eq!(texts(&page, ".byline"), ["By Yonhap and Kim Min-ji"]);
    assert_eq!(attributes(&page, ".byline a", "href"), ["/author/yonhap", "/author/kim-min-ji"]);
    assert_eq!(
        attributes(&page, ".story__times time", "datetime"),
        ["2021-01-24T11:27:00+09:00", "2021-01-24T13:51:00+09:00"]
    );
    assert_eq!(texts(&page, ".story__time"), ["Published Jan 24, 2021 - 11:27", "Updated Jan 24, 2021 - 13:51"]);
    let caption = texts(&page, "figure figcaption");
    assert_eq!(caption, ["The two leaders speak by phone. (AFP-Yonhap)"]);
    for attribute in ["alt", "width", "height", "srcset"] {
        assert_eq!(attributes(&page, "figure img", attribute).len(), 1, "the lead photo needs {attribute}");
    }
    let paragraphs = texts(&page, ".story__body p");
    assert_eq!(paragraphs.last().map(String::as_str), Some("Talks will continue. (Yonhap)"));
    assert_eq!(texts(&page, ".story__body blockquote").len(), 1);
    assert_eq!(attributes(&page, "html", "lang"), ["en"]);
    assert_eq!(texts(&page, ".date-line time"), ["2021-01-24"]);
}

async fn a_story_never_updated_shows_no_updated_time(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let id = StoryBuilder::new("Quiet day at the Assembly", paper.politics.id, now())
        .by(&[paper.reporter.id])
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;
    let page = app.page(&format!("/article/{id}/quiet-day-at-the-assembly")).await;
    let times = texts(&page, ".story__time");
    assert_eq!(times.len(), 1, "{times:?}");
    assert!(times[0].starts_with("Published"));
}

async fn an_old_or_missing_slug_is_sent_on_to_the_current_address(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let id = StoryBuilder::new("Budget passes", paper.business.id, now()).store(&store).await;
    let app = TestApp::start(store, now()).await;
    for old in [format!("/article/{id}/budget-fails"), format!("/article/{id}")] {
        let response = app.get(&old).await;
        assert_eq!(response.status(), 301, "{old}");
        assert_eq!(response.headers()["location"], format!("/article/{id}/budget-passes").as_str());
    }
}

async fn readers_cannot_reach_unpublished_stories_even_by_guessing_the_id(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let mut hidden = Vec::new();
    for status in [ArticleStatus::Draft, ArticleStatus::InReview, ArticleStatus::Scheduled, ArticleStatus::Unpublished]
    {
        hidden.push(StoryBuilder::new("Not for readers", paper.politics.id, now()).status(status).store(&store).await);
    }
    hidden.push(
        StoryBuilder::new("Not for readers", paper.politics.id, now())
            .embargoed_until(now() + SignedDuration::from_hours(2))
            .store(&store)
            .await,
    );
    let removed = StoryBuilder::new("Not for readers", paper.politics.id, now())
        .status(ArticleStatus::Removed)
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;
    for id in hidden {
        assert_eq!(app.get(&format!("/article/{id}/not-for-readers")).await.status(), 404, "story {id}");
        assert_eq!(app.get(&format!("/article/{id}")).await.status(), 404, "story {id}");
    }
    assert_eq!(app.get(&format!("/article/{removed}/not-for-readers")).await.status(), 410);
}

async fn an_unknown_address_answers_404_with_the_menu(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store, now()).await;
    let deep_media = format!("/media/{}x.jpg", "c/".repeat(2_000));
    let paths = [
        "/no-such-page",
        "/article/abc/x",
        "/article/-1/x",
        "/article/99999999999999999999999/x",
        "/article/424242/x",
        "/media/../secret",
        "/media/%00",
        "/media/demo/%00.jpg",
        deep_media.as_str(),
        "/national%00/",
    ];
    for path in paths {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let page = scraper::Html::parse_document(&response.text().await.expect("body"));
        assert_eq!(texts(&page, "h1"), ["Page not found"], "{path}");
        assert!(texts(&page, "nav[aria-label=Sections] a").contains(&"National".to_owned()), "{path} shows the menu");
    }
}

async fn the_health_check_answers_only_while_the_database_does(db: TestDatabase) {
    let store = db.store().await;
    let app = TestApp::start(store.clone(), now()).await;
    let healthy = app.get("/healthz").await;
    assert_eq!(healthy.status(), 200);
    store.close().await;
    assert_eq!(app.get("/healthz").await.status(), 503);
    assert_eq!(app.get("/").await.status(), 503, "a page that needs the database says it is unavailable");
}

async fn a_section_front_holds_its_subsections_stories_newest_first_in_pages(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let mut ids = Vec::new();
    for n in 0..25 {
        let section = if n % 2 == 0 { paper.national.id } else { paper.politics.id };
        let at = now() - SignedDuration::from_mins(10 * (25 - n));
        ids.push(
            StoryBuilder::new(&format!("National story number {n}"), section, now())
                .published_at(at)
                .store(&store)
                .await,
        );
    }
    StoryBuilder::new("Business story", paper.business.id, now()).store(&store).await;
    let app = TestApp::start(store, now()).await;

    let first = app.page("/national/").await;
    assert_eq!(texts(&first, "h1"), ["National"]);
    let headlines = texts(&first, ".card__headline");
    assert_eq!(headlines.len(), 20);
    assert_eq!(headlines[0], "National story number 24", "newest first");
    assert!(!headlines.iter().any(|h| h.contains("Business")));
    assert_eq!(attributes(&first, ".subsections a", "href"), ["/national/politics/"]);
    assert_eq!(attributes(&first, "link[rel=canonical]", "href"), [format!("{PUBLIC_URL}/national/")]);
    assert_eq!(attributes(&first, ".pagination a[rel=next]", "href"), ["/national/?page=2"]);

    let second = app.page("/national/?page=2").await;
    assert_eq!(texts(&second, ".card__headline").len(), 5);
    assert_eq!(attributes(&second, ".pagination a[rel=prev]", "href"), ["/national/"]);
    assert_eq!(app.get("/national/?page=3").await.status(), 404);
    for bad in ["abc", "-1", "0", "99999999999999", "1.5", ""] {
        let status = app.get(&format!("/national/?page={bad}")).await.status();
        assert_eq!(status, 400, "page={bad}");
    }

    let politics = app.page("/national/politics/").await;
    assert_eq!(texts(&politics, "nav[aria-label=Breadcrumb] a"), ["National", "Politics"]);
    let politics_headlines = texts(&politics, ".card__headline");
    assert_eq!(politics_headlines.len(), 12);
    assert!(politics_headlines.iter().all(|h| h.ends_with(|c: char| c.is_ascii_digit())));

    let moved = app.get("/national/politics").await;
    assert_eq!(moved.status(), 301);
    assert_eq!(moved.headers()["location"], "/national/politics/");
    assert_eq!(app.get("/sports/").await.status(), 404);
    assert_eq!(app.get("/national/golf/").await.status(), 404);
}

async fn author_pages_show_the_bio_and_only_that_authors_public_stories(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new("Agency dispatch", paper.business.id, now()).by(&[paper.agency.id]).store(&store).await;
    StoryBuilder::new("Joint report", paper.politics.id, now())
        .by(&[paper.reporter.id, paper.agency.id])
        .published_at(now() - SignedDuration::from_hours(3))
        .store(&store)
        .await;
    StoryBuilder::new("Reporter only", paper.politics.id, now()).by(&[paper.reporter.id]).store(&store).await;
    StoryBuilder::new("Agency draft", paper.politics.id, now())
        .by(&[paper.agency.id])
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;

    let agency = app.page("/author/yonhap").await;
    assert_eq!(texts(&agency, "h1"), ["Yonhap"]);
    assert_eq!(texts(&agency, ".front .label"), ["News agency"]);
    assert_eq!(texts(&agency, ".author__bio"), ["Yonhap writes for us."]);
    assert_eq!(texts(&agency, ".card__headline"), ["Agency dispatch", "Joint report"]);
    let reporter = app.page("/author/kim-min-ji").await;
    assert_eq!(texts(&reporter, ".card__headline"), ["Reporter only", "Joint report"]);
    assert!(texts(&reporter, ".front .label").is_empty(), "a person is not labelled an agency");
    assert_eq!(app.get("/author/nobody").await.status(), 404);
    assert_eq!(app.get("/author/Bad%20Slug").await.status(), 404);
}

async fn topic_pages_gather_stories_across_sections(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let housing = store
        .insert_topic(&NewTopic {
            slug: slug("housing"),
            name: "Housing".into(),
            description: "Homes and rents.".into(),
        })
        .await
        .expect("topic");
    store
        .insert_topic(&NewTopic { slug: slug("trade"), name: "Trade".into(), description: String::new() })
        .await
        .expect("topic");
    let mut in_business = StoryBuilder::new("Rents climb again", paper.business.id, now()).build();
    in_business.content.topics = vec![housing.id];
    store.insert_article(&in_business).await.expect("story");
    let mut in_politics = StoryBuilder::new("Housing bill passes", paper.politics.id, now())
        .published_at(now() - SignedDuration::from_hours(2))
        .build();
    in_politics.content.topics = vec![housing.id];
    store.insert_article(&in_politics).await.expect("story");
    StoryBuilder::new("Unrelated story", paper.politics.id, now()).store(&store).await;
    let app = TestApp::start(store, now()).await;

    let topic = app.page("/topic/housing").await;
    assert_eq!(texts(&topic, "h1"), ["Housing"]);
    assert_eq!(texts(&topic, ".card__headline"), ["Rents climb again", "Housing bill passes"]);
    let topics = app.page("/topics/").await;
    assert_eq!(texts(&topics, ".topic-list a"), ["Housing", "Trade"]);
    assert_eq!(app.get("/topic/nothing").await.status(), 404);
}

async fn static_pages_are_served_and_linked_from_every_footer(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    store
        .insert_page(
            &NewPage {
                slug: slug("ombudsman"),
                title: "Ombudsman".into(),
                body: "## Write to us\n\nWe answer every letter.".into(),
            },
            now(),
        )
        .await
        .expect("page");
    let app = TestApp::start(store, now()).await;
    let page = app.page("/page/ombudsman").await;
    assert_eq!(texts(&page, "h1"), ["Ombudsman"]);
    assert_eq!(texts(&page, ".static-page h2"), ["Write to us"]);
    let home = app.page("/").await;
    assert_eq!(attributes(&home, "footer nav a", "href"), ["/page/ombudsman"]);
    assert_eq!(app.get("/page/privacy").await.status(), 404);
}

async fn most_popular_follows_what_readers_read_and_ignores_bots(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let quiet = StoryBuilder::new("Quiet story", paper.politics.id, now()).store(&store).await;
    let popular = StoryBuilder::new("Popular story", paper.business.id, now())
        .published_at(now() - SignedDuration::from_hours(2))
        .store(&store)
        .await;
    let crawled = StoryBuilder::new("Crawled story", paper.business.id, now()).store(&store).await;
    let draft = StoryBuilder::new("A draft nobody may read", paper.business.id, now())
        .status(dateline_newsroom::ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;

    let article = app.page(&format!("/article/{popular}/popular-story")).await;
    let beacon = attributes(&article, "img.beacon", "src");
    assert_eq!(beacon, [format!("/_v/{popular}")], "the article page loads its view beacon without JavaScript");
    for _ in 0..3 {
        let answer = app.read_beacon(&format!("/_v/{popular}")).await;
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["cache-control"], "no-store, private");
    }
    app.read_beacon(&format!("/_v/{quiet}")).await;
    for _ in 0..10 {
        app.client
            .get(format!("{}/_v/{crawled}", app.base_url))
            .header("user-agent", "Googlebot/2.1")
            .send()
            .await
            .expect("bot");
    }
    assert_eq!(
        app.read_beacon("/_v/not-a-number").await.status(),
        200,
        "a bad beacon still answers, and counts nothing"
    );
    // A flood of beacons for stories that do not exist: answered, and counted nowhere.
    for made_up in 900_000..903_000 {
        app.state.views().record(dateline_newsroom::ArticleId(made_up), now());
    }
    assert_eq!(app.read_beacon("/_v/123456789").await.status(), 200);
    // A draft's id is not a public story's: its beacons count nowhere either.
    for _ in 0..5 {
        assert_eq!(app.read_beacon(&format!("/_v/{draft}")).await.status(), 200);
    }
    app.state.flush_views().await.expect("flush");
    let counted =
        store_of(&app).most_viewed(now(), now() - SignedDuration::from_hours(24), 100).await.expect("most viewed");
    assert_eq!(counted.len(), 2, "only the real stories' views were written");

    let home = app.page("/").await;
    assert_eq!(texts(&home, "#most-popular"), ["Most Popular"]);
    assert_eq!(texts(&home, ".list--popular li a"), ["Popular story", "Quiet story"]);
}

async fn a_story_keeps_its_address_whatever_section_it_sits_in(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let id = StoryBuilder::new("Moving story", paper.politics.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let card = attributes(&app.page("/national/politics/").await, ".card__headline a", "href");
    assert_eq!(card, [format!("/article/{id}/moving-story")], "the address names no section");
    assert!(store.article_by_id(id).await.is_ok());
}

async fn a_request_that_panics_gets_the_papers_500_page_and_the_server_goes_on_serving(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store, now()).await;
    async fn boom() -> &'static str {
        panic!("the printer ran out of ink")
    }
    // The program's own routes and layers, with one route that panics.
    let routes = dateline_web::routes(&app.state).route("/boom", axum::routing::get(boom));
    let router = dateline_web::layered(routes, app.state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let address = listener.local_addr().expect("address");
    let limits = app.state.settings().connections;
    let server = tokio::spawn(dateline_web::serve::serve(listener, router, limits, std::future::pending()));
    let broken = app.client.get(format!("http://{address}/boom")).send().await.expect("an answer");
    assert_eq!(broken.status(), 500);
    let page = scraper::Html::parse_document(&broken.text().await.expect("page"));
    assert_eq!(texts(&page, "section.error-page").len(), 1, "the paper's own error page");
    assert!(!texts(&page, "body").concat().contains("printer"), "the panic's words stay in the log");
    for _ in 0..3 {
        assert_eq!(app.client.get(format!("http://{address}/")).send().await.expect("home").status(), 200);
    }
    server.abort();
}

on_both_databases!(
    a_request_that_panics_gets_the_papers_500_page_and_the_server_goes_on_serving,
    the_home_page_lists_published_stories_newest_first_and_nothing_else,
    an_article_page_shows_byline_times_and_photo_as_the_reference_page_does,
    a_story_never_updated_shows_no_updated_time,
    an_old_or_missing_slug_is_sent_on_to_the_current_address,
    readers_cannot_reach_unpublished_stories_even_by_guessing_the_id,
    an_unknown_address_answers_404_with_the_menu,
    the_health_check_answers_only_while_the_database_does,
    a_section_front_holds_its_subsections_stories_newest_first_in_pages,
    author_pages_show_the_bio_and_only_that_authors_public_stories,
    topic_pages_gather_stories_across_sections,
    static_pages_are_served_and_linked_from_every_footer,
    most_popular_follows_what_readers_read_and_ignores_bots,
    a_story_keeps_its_address_whatever_section_it_sits_in
);

/// Reads from `stream` until the server closes it (or `limit` passes); what it said, and when.
async fn until_closed(stream: &mut tokio::net::TcpStream, limit: std::time::Duration) -> (String, std::time::Duration) {
    use tokio::io::AsyncReadExt;
    let started = std::time::Instant::now();
    let mut said = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit.saturating_sub(started.elapsed()), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => said.extend_from_slice(&buffer[..n]),
            Err(_) => panic!("the server still held the connection after {limit:?}"),
        }
    }
    (String::from_utf8_lossy(&said).into_owned(), started.elapsed())
}

#[tokio::test]
async fn a_client_that_sends_nothing_or_trickles_its_headers_is_cut_off_and_a_connection_over_the_cap_is_told_to_come_back(
) {
    use tokio::io::AsyncWriteExt;
    let db = dateline_testkit::TestDatabase::sqlite().await;
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let limits = dateline_web::serve::ConnectionLimits {
        header_read_timeout: std::time::Duration::from_secs(1),
        request_timeout: std::time::Duration::from_secs(5),
        max_connections: 4,
        shutdown_grace: std::time::Duration::from_secs(1),
    };
    let app = TestApp::start_with(store, now(), |settings| settings.connections = limits).await;
    let address = app.base_url.trim_start_matches("http://").to_owned();
    let limit = std::time::Duration::from_secs(5);

    let mut silent = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let (_, after) = until_closed(&mut silent, limit).await;
    assert!(after < std::time::Duration::from_secs(3), "a silent connection was held {after:?}");

    // A kept-alive connection that asks nothing more is closed as soon.
    let mut idle = tokio::net::TcpStream::connect(&address).await.expect("connect");
    idle.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("request");
    let (said, after) = until_closed(&mut idle, limit).await;
    assert!(said.starts_with("HTTP/1.1 200"), "{said}");
    assert!(after < std::time::Duration::from_secs(3), "an idle kept-alive connection was held {after:?}");

    let mut trickle = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let writer = tokio::spawn(async move {
        let _ = trickle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await;
        for _ in 0..20 {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            if trickle.write_all(b"X").await.is_err() {
                return true;
            }
        }
        false
    });
    let cut_off = writer.await.expect("writer");
    assert!(cut_off, "a client trickling its headers for 6 s was never cut off");

    // A body sent a byte at a time outlives the request's time and is answered 408.
    let slow_body = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let (mut reading, mut writing) = slow_body.into_split();
    let writer = tokio::spawn(async move {
        let head = "POST /newsletters/subscribe HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n";
        let _ = writing.write_all(head.as_bytes()).await;
        for _ in 0..40 {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            if writing.write_all(b"e").await.is_err() {
                break;
            }
        }
    });
    let started = std::time::Instant::now();
    let mut said = Vec::new();
    let mut buffer = [0u8; 1024];
    use tokio::io::AsyncReadExt;
    while let Ok(Ok(n)) = tokio::time::timeout(std::time::Duration::from_secs(10), reading.read(&mut buffer)).await {
        if n == 0 {
            break;
        }
        said.extend_from_slice(&buffer[..n]);
        if said.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let said = String::from_utf8_lossy(&said);
    assert!(said.starts_with("HTTP/1.1 408"), "a trickled body: {said}");
    assert!(started.elapsed() < std::time::Duration::from_secs(8), "answered after {:?}", started.elapsed());
    writer.abort();

    // Four connections held (the cap), then a fifth: told to come back, at once.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(tokio::net::TcpStream::connect(&address).await.expect("connect"));
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut fifth = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let (said, after) = until_closed(&mut fifth, limit).await;
    assert!(said.starts_with("HTTP/1.1 503"), "{said}");
    assert!(said.contains("Retry-After"), "{said}");
    assert!(after < std::time::Duration::from_millis(900), "answered at once, not after a timeout: {after:?}");
    drop(held);
    // Once they are gone, readers are served again.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.get("/").await.status(), 200);
}

fn store_of(app: &TestApp) -> &dateline_storage::SqlStore {
    app.state.store()
}

async fn a_story_whose_body_nests_quotations_thirty_thousand_deep_renders_and_keeps_nobody_waiting(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    // Stored as an old archive or another program could have stored it, past the desk's rules.
    let body = format!("{} the last words\n\n{}", ">".repeat(30_000), "A long paragraph of the report. ".repeat(2_000));
    let id = StoryBuilder::new("Deep quotes", paper.national.id, now()).body(&body).store(&store).await;
    let app = TestApp::start(store, now()).await;
    let path = format!("/article/{id}/deep-quotes");
    let pages = (0..4).map(|_| app.client.get(format!("{}{path}", app.base_url)).send());
    let health = async {
        let started = std::time::Instant::now();
        let status = app.get("/healthz").await.status();
        (status, started.elapsed())
    };
    let (pages, (status, waited)) = tokio::join!(futures_util::future::join_all(pages), health);
    assert_eq!(status, 200);
    assert!(waited < std::time::Duration::from_secs(2), "the health check waited {waited:?} behind renders");
    for page in pages {
        let page = page.expect("page");
        assert_eq!(page.status(), 200);
        let html = scraper::Html::parse_document(&page.text().await.expect("body"));
        assert!(
            texts(&html, ".story__body blockquote").iter().any(|t| t.contains("the last words")),
            "the words survive the flattening"
        );
    }
}

on_both_databases!(a_story_whose_body_nests_quotations_thirty_thousand_deep_renders_and_keeps_nobody_waiting);
