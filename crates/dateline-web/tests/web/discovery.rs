//! How the paper is found: feeds, sitemaps, robots.txt and structured data, each read back by
//! a parser and, where installed, by checkers nobody on this project wrote. On both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Label, NewPage, NewTopic};
use dateline_testkit::checkers::{python_checker, sitemap_verify, xmllint_sitemap};
use dateline_testkit::paper::{photo, slug, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{attributes, on_both_databases, texts, TestApp, PUBLIC_URL};
use jiff::{SignedDuration, Timestamp};
use rss::validation::Validate;
use std::path::PathBuf;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

const HOSTILE: &str = "Q&A: <b>\"Chips\"</b> & 'K-pop' 🎉 서울\u{1}";

/// A paper with stories in two months, an agency story with a photo, an opinion piece, a
/// corrected story, a hidden draft and a removed story.
async fn paper(store: &impl Store) -> (SmallPaper, Vec<dateline_newsroom::ArticleId>) {
    let paper = SmallPaper::create(store).await;
    store
        .insert_page(
            &NewPage { slug: slug("ombudsman"), title: "Ombudsman".into(), body: "Write to us.".into() },
            now(),
        )
        .await
        .expect("page");
    let topic = store
        .insert_topic(&NewTopic { slug: slug("chips"), name: "Chips".into(), description: String::new() })
        .await
        .expect("topic");
    let picture = photo(store, "test/port.jpg", "Ships at anchor & waiting.", "AFP-Yonhap", now()).await;
    let mut agency = StoryBuilder::new("Agency story with photo", paper.politics.id, now())
        .by(&[paper.agency.id, paper.reporter.id])
        .lead_photo(picture.id)
        .deck("Ports reopen after the storm")
        .published_at(now() - SignedDuration::from_hours(2))
        .updated_at(now() - SignedDuration::from_hours(1))
        .build();
    agency.content.topics = vec![topic.id];
    let agency = store.insert_article(&agency).await.expect("agency story");
    let opinion = StoryBuilder::new("Opinion on the budget", paper.business.id, now())
        .label(Label::Opinion)
        .by(&[paper.colleague.id])
        .store(store)
        .await;
    let hostile = StoryBuilder::new("Hostile headline", paper.business.id, now())
        .published_at(now() - SignedDuration::from_hours(3))
        .store(store)
        .await;
    let mut article = store.article_by_id(hostile).await.expect("story");
    let mut update = dateline_newsroom::ArticleUpdate::of(
        &article,
        dateline_newsroom::RevisionKind::MinorFix,
        dateline_newsroom::RevisionAuthor::system("test"),
        now(),
    );
    update.content.headline = HOSTILE.into();
    update.content.deck = Some(HOSTILE.into());
    article = store.update_article(&update).await.expect("hostile headline");
    let mut correction = dateline_newsroom::ArticleUpdate::of(
        &article,
        dateline_newsroom::RevisionKind::Correction,
        dateline_newsroom::RevisionAuthor::system("test"),
        now(),
    );
    correction.correction = Some("An earlier version misspelled a name.".into());
    store.update_article(&correction).await.expect("correction");
    let old = StoryBuilder::new("Story from last month", paper.national.id, now())
        .published_at("2026-10-15T09:00:00Z".parse().expect("instant"))
        .store(store)
        .await;
    StoryBuilder::new("Hidden draft", paper.politics.id, now()).status(ArticleStatus::Draft).store(store).await;
    StoryBuilder::new("Removed story", paper.politics.id, now()).status(ArticleStatus::Removed).store(store).await;
    (paper, vec![agency, opinion, hostile, old])
}

fn write(dir: &std::path::Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write");
    path
}

async fn feeds_carry_every_public_story_with_bylines_sections_and_photos(db: TestDatabase) {
    let store = db.store().await;
    let (_, ids) = paper(&store).await;
    let app = TestApp::start(store, now()).await;
    let dir = tempfile::tempdir().expect("dir");

    let response = app.get("/rss.xml").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/rss+xml; charset=utf-8");
    let body = response.text().await.expect("rss");
    let channel = rss::Channel::read_from(body.as_bytes()).expect("RSS parses");
    channel.validate().expect("the rss crate's validation passes");
    let titles: Vec<_> = channel.items().iter().filter_map(|i| i.title()).collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(!titles.iter().any(|t| t.contains("Hidden") || t.contains("Removed")));
    assert!(
        titles.contains(&"Q&A: \"Chips\" & 'K-pop' 🎉 서울"),
        "markup dropped, the rest escaped, the control character dropped: {titles:?}"
    );
    let agency = channel.items().iter().find(|i| i.title() == Some("Agency story with photo")).expect("agency item");
    let creators: Vec<_> = agency.dublin_core_ext().map(|dc| dc.creators().to_vec()).unwrap_or_default();
    assert_eq!(creators, ["Yonhap", "Kim Min-ji"]);
    assert_eq!(agency.categories()[0].name(), "Politics");
    assert_eq!(agency.guid().map(|g| g.value()), Some(format!("{PUBLIC_URL}/article/{}", ids[0]).as_str()));
    assert_eq!(agency.description(), Some("Ports reopen after the storm"));
    let media = &agency.extensions()["media"]["content"][0];
    assert!(media.attrs()["url"].starts_with(PUBLIC_URL) && media.attrs()["width"] == "1200");
    assert_eq!(media.children()["credit"][0].value(), Some("AFP-Yonhap"));
    let rss_file = write(dir.path(), "rss.xml", &body);

    let atom_body = app.get("/atom.xml").await.text().await.expect("atom");
    let feed: atom_syndication::Feed = atom_body.parse().expect("Atom parses");
    assert!(!feed.id().is_empty() && !feed.title().is_empty());
    assert_eq!(feed.entries().len(), 4);
    for entry in feed.entries() {
        assert!(
            !entry.id().is_empty() && !entry.title().is_empty() && !entry.links().is_empty(),
            "required Atom elements"
        );
        assert!(!entry.authors().is_empty() || !feed.authors().is_empty(), "every entry has an author");
    }
    let updated = feed.entries().iter().find(|e| e.title().as_str() == "Agency story with photo").expect("entry");
    assert!(updated.updated() > &updated.published().copied().expect("published"), "Atom carries the update time");
    let atom_file = write(dir.path(), "atom.xml", &atom_body);

    for (path, expected) in [
        ("/national/rss.xml", vec!["Agency story with photo", "Story from last month"]),
        ("/national/politics/atom.xml", vec!["Agency story with photo"]),
        ("/author/yonhap/rss.xml", vec!["Agency story with photo"]),
        ("/topic/chips/atom.xml", vec!["Agency story with photo"]),
    ] {
        let text = app.get(path).await.text().await.expect(path);
        let count = expected.iter().filter(|t| text.contains(*t)).count();
        assert_eq!(count, expected.len(), "{path}");
        assert!(!text.contains("Opinion on the budget"), "{path} holds only its own stories");
    }
    for missing in ["/sports/rss.xml", "/author/nobody/rss.xml", "/national/feed.xml", "/national/politics/news.xml"] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
    let front = app.page("/national/politics/").await;
    assert_eq!(
        attributes(&front, "link[rel=alternate][type='application/rss+xml']", "href"),
        ["/national/politics/rss.xml"]
    );
    assert_eq!(
        attributes(&app.page("/author/yonhap").await, "link[rel=alternate][type='application/atom+xml']", "href"),
        ["/author/yonhap/atom.xml"]
    );

    if let Some(report) = python_checker("feedcheck.py", &[rss_file, atom_file]) {
        assert!(report.passed && !report.output.contains("bozo=1"), "feedparser: {}", report.output);
    }
}

async fn feeds_answer_304_when_the_reader_has_the_same_bytes(db: TestDatabase) {
    let store = db.store().await;
    paper(&store).await;
    let app = TestApp::start(store, now()).await;
    let first = app.get("/rss.xml").await;
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
    let last_modified = first.headers()["last-modified"].to_str().expect("last-modified").to_owned();
    let again =
        app.client.get(format!("{}/rss.xml", app.base_url)).header("if-none-match", &etag).send().await.expect("get");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());
    let since = app
        .client
        .get(format!("{}/rss.xml", app.base_url))
        .header("if-modified-since", &last_modified)
        .send()
        .await
        .expect("get");
    assert_eq!(since.status(), 304);
    let other = app
        .client
        .get(format!("{}/rss.xml", app.base_url))
        .header("if-none-match", "\"something-else\"")
        .send()
        .await
        .expect("get");
    assert_eq!(other.status(), 200);
}

async fn sitemaps_list_every_public_page_and_the_news_of_two_days(db: TestDatabase) {
    let store = db.store().await;
    let (_, ids) = paper(&store).await;
    let app = TestApp::start(store, now()).await;
    let dir = tempfile::tempdir().expect("dir");
    let index = app.get("/sitemap.xml").await.text().await.expect("index");
    for listed in [
        "/sitemaps/news.xml",
        "/sitemaps/pages.xml",
        "/sitemaps/articles-2026-11.xml",
        "/sitemaps/articles-2026-10.xml",
    ] {
        assert!(index.contains(&format!("<loc>{PUBLIC_URL}{listed}</loc>")), "the index lists {listed}");
    }
    let november = app.get("/sitemaps/articles-2026-11.xml").await.text().await.expect("november");
    assert_eq!(november.matches("<url>").count(), 3);
    assert!(november.contains(&format!(
        "{PUBLIC_URL}/article/{}/agency-story-with-photo</loc><lastmod>2026-11-28T02:00:00Z</lastmod>",
        ids[0]
    )));
    assert!(!november.contains("hidden-draft") && !november.contains("removed-story"));
    assert_eq!(app.get("/sitemaps/articles-2026-09.xml").await.status(), 404);
    assert_eq!(app.get("/sitemaps/articles-2026-99.xml").await.status(), 404);
    let pages = app.get("/sitemaps/pages.xml").await.text().await.expect("pages");
    for path in ["/national/politics/", "/author/yonhap", "/topic/chips", "/page/ombudsman"] {
        assert!(pages.contains(&format!("<loc>{PUBLIC_URL}{path}</loc>")), "{path}");
    }
    let news = app.get("/sitemaps/news.xml").await.text().await.expect("news");
    assert_eq!(news.matches("<news:news>").count(), 3, "only the last 48 hours: {news}");
    assert!(news.contains("<news:name>The Test Dateline</news:name><news:language>en</news:language>"));
    assert!(!news.contains("last-month"));
    let robots = app.get("/robots.txt").await.text().await.expect("robots");
    assert!(robots.contains("Disallow: /desk/") && robots.contains(&format!("Sitemap: {PUBLIC_URL}/sitemap.xml")));

    let urlsets = [write(dir.path(), "november.xml", &november), write(dir.path(), "pages.xml", &pages)];
    if let Some(report) = xmllint_sitemap(&urlsets) {
        assert!(report.passed, "xmllint: {}", report.output);
    }
    for (name, body) in [("index.xml", &index), ("news.xml", &news)] {
        if let Some(report) = sitemap_verify(&write(dir.path(), name, body)) {
            assert!(report.passed, "sitemap-verify {name}: {}", report.output);
        }
    }
}

async fn the_news_sitemap_holds_at_most_a_thousand_stories_of_the_last_two_days(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    for n in 0..1_005 {
        StoryBuilder::new(&format!("Brief number {n}"), paper.business.id, now())
            .published_at(now() - SignedDuration::from_mins(n + 1))
            .store(&store)
            .await;
    }
    StoryBuilder::new("Three days old", paper.business.id, now())
        .published_at(now() - SignedDuration::from_hours(72))
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;
    let news = app.get("/sitemaps/news.xml").await.text().await.expect("news");
    assert_eq!(news.matches("<news:news>").count(), 1_000);
    assert!(
        news.contains("Brief number 0<") && !news.contains("Brief number 1004<") && !news.contains("Three days old"),
        "the newest thousand"
    );
    for required in ["<news:publication>", "<news:name>", "<news:language>", "<news:publication_date>", "<news:title>"]
    {
        assert_eq!(news.matches(required).count(), 1_000, "{required}");
    }
}

async fn article_pages_describe_themselves_to_search_engines_and_social_sites(db: TestDatabase) {
    let store = db.store().await;
    let (_, ids) = paper(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let dir = tempfile::tempdir().expect("dir");
    let mut files = Vec::new();
    for id in &ids {
        let slug = store.article_by_id(*id).await.expect("story").content.slug;
        let path = format!("/article/{id}/{slug}");
        let html = app.get(&path).await.text().await.expect("page");
        files.push(write(dir.path(), &format!("article-{id}.html"), &html));
        let page = scraper::Html::parse_document(&html);
        assert_eq!(attributes(&page, "link[rel=canonical]", "href"), [format!("{PUBLIC_URL}{path}")]);
        let blocks = texts(&page, "script[type='application/ld+json']");
        assert_eq!(blocks.len(), 1);
        let raw = scraper::Selector::parse("script[type='application/ld+json']").expect("selector");
        let json_text = page.select(&raw).next().expect("block").inner_html();
        let document: serde_json::Value = serde_json::from_str(&json_text).expect("strict JSON");
        let article = &document["@graph"][0];
        let breadcrumb = &document["@graph"][1];
        assert_eq!(breadcrumb["@type"], "BreadcrumbList");
        assert!(article["datePublished"].as_str().expect("date").ends_with("+09:00"));
        assert!(article["dateModified"].as_str().expect("date").ends_with("+09:00"));
        assert_eq!(article["publisher"]["@type"], "NewsMediaOrganization");
        assert_eq!(article["publisher"]["correctionsPolicy"], format!("{PUBLIC_URL}/corrections"));
        assert_eq!(article["mainEntityOfPage"]["@id"], format!("{PUBLIC_URL}{path}"));
        for property in ["headline", "description", "author", "articleSection"] {
            assert!(!article[property].is_null(), "{property} on {path}");
        }
        for meta in ["og:title", "og:url", "og:description", "og:type"] {
            assert_eq!(attributes(&page, &format!("meta[property='{meta}']"), "content").len(), 1, "{meta}");
        }
        assert_eq!(attributes(&page, "meta[name='twitter:card']", "content").len(), 1);
        if *id == ids[0] {
            assert_eq!(article["@type"], "NewsArticle");
            assert_eq!(article["image"][0]["width"], 1200);
            assert_eq!(article["author"][0]["@type"], "Organization");
            assert_eq!(article["author"][1]["@type"], "Person");
            assert_eq!(article["author"][1]["url"], format!("{PUBLIC_URL}/author/kim-min-ji"));
        }
        if *id == ids[1] {
            assert_eq!(article["@type"], "OpinionNewsArticle");
        }
        if *id == ids[2] {
            assert_eq!(article["headline"], "Q&A: <b>\"Chips\"</b> & 'K-pop' 🎉 서울\u{1}");
            assert_eq!(article["correction"][0]["@type"], "CorrectionComment");
            assert_eq!(
                texts(&page, "h1"),
                ["Q&A: <b>\"Chips\"</b> & 'K-pop' 🎉 서울"],
                "shown as text, never as markup, without the control character"
            );
        }
    }
    if let Some(report) = python_checker("jsonld_check.py", &files) {
        assert!(report.passed, "the schema.org check: {}", report.output);
    }
}

on_both_databases!(
    feeds_carry_every_public_story_with_bylines_sections_and_photos,
    feeds_answer_304_when_the_reader_has_the_same_bytes,
    sitemaps_list_every_public_page_and_the_news_of_two_days,
    the_news_sitemap_holds_at_most_a_thousand_stories_of_the_last_two_days,
    article_pages_describe_themselves_to_search_engines_and_social_sites
);

async fn a_headline_holding_markup_is_plain_text_in_every_feed_and_the_news_sitemap(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new(
        "Vote <script>alert(1)</script>counted <form action='javascript:x()'>tonight",
        paper.national.id,
        now(),
    )
    .deck("Turnout < 60% <img src=x onerror=alert(1)>in the capital")
    .store(&store)
    .await;
    let app = TestApp::start(store, now()).await;
    for path in ["/rss.xml", "/atom.xml", "/sitemaps/news.xml"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let body = response.text().await.expect("body");
        for field in ["<title>", "<description>", "<summary>", "<news:title>"] {
            for (at, _) in body.match_indices(field) {
                let end = body[at..].find("</").map_or(body.len(), |e| at + e);
                let decoded =
                    body[at + field.len()..end].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
                for markup in ["<script", "<form", "<img", "onerror", "javascript:"] {
                    assert!(!decoded.contains(markup), "{path} {field} holds {markup}: {decoded}");
                }
            }
        }
        assert!(body.contains("Vote alert(1)counted tonight"), "{path}: the words stay");
    }
    let rss = app.get("/rss.xml").await.text().await.expect("rss");
    let channel = rss::Channel::read_from(rss.as_bytes()).expect("RSS parses");
    let item = channel.items().first().expect("the story");
    assert_eq!(item.title(), Some("Vote alert(1)counted tonight"));
    assert_eq!(item.description(), Some("Turnout < 60% in the capital"));
}

on_both_databases!(a_headline_holding_markup_is_plain_text_in_every_feed_and_the_news_sitemap);

async fn a_story_without_a_photo_is_shared_with_the_papers_default_image(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let share = photo(&store, "test/share.jpg", "The Test Dateline", "The Test Dateline", now()).await;
    let own = photo(&store, "test/own.jpg", "Cranes at dusk.", "Dateline", now()).await;
    let plain = StoryBuilder::new("No photo here", paper.national.id, now()).store(&store).await;
    let pictured =
        StoryBuilder::new("With its own photo", paper.national.id, now()).lead_photo(own.id).store(&store).await;
    let (admin, password) =
        dateline_testkit::paper::desk_user(&store, dateline_newsroom::Role::Admin, "Site Admin").await;
    let app = TestApp::start(store.clone(), now()).await;
    // An admin chooses the share image on the settings screen; a photo not in the library is refused.
    let desk = app.sign_in(&admin.email, &password).await;
    let mut fields = dateline_testkit::form_fields(&desk.page("/desk/settings").await, "form[action='/desk/settings']");
    fields.retain(|(name, _)| name != "share_image" && name != "csrf");
    let with = |value: String| {
        let mut all = fields.clone();
        all.push(("share_image".into(), value));
        all
    };
    let post = |all: Vec<(String, String)>| {
        let desk = desk.clone();
        async move {
            let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            desk.post("/desk/settings", &pairs).await.status()
        }
    };
    assert_eq!(post(with("999999".into())).await, 422);
    assert_eq!(post(with(share.id.to_string())).await, 303);

    let image_of = |html: String| {
        let page = scraper::Html::parse_document(&html);
        let og = attributes(&page, "meta[property='og:image']", "content");
        let selector = scraper::Selector::parse("script[type='application/ld+json']").expect("selector");
        let document: serde_json::Value =
            serde_json::from_str(&page.select(&selector).next().expect("JSON-LD").inner_html()).expect("JSON");
        (og, document["@graph"][0]["image"][0]["url"].as_str().map(str::to_owned))
    };
    let share_url = format!("{PUBLIC_URL}/media/test/share.jpg");
    let (og, ld) = image_of(app.get(&format!("/article/{plain}/no-photo-here")).await.text().await.expect("page"));
    assert_eq!((og, ld), (vec![share_url.clone()], Some(share_url)));
    let own_url = format!("{PUBLIC_URL}/media/test/own.jpg");
    let (og, ld) =
        image_of(app.get(&format!("/article/{pictured}/with-its-own-photo")).await.text().await.expect("page"));
    assert_eq!((og, ld), (vec![own_url.clone()], Some(own_url)), "a story's own photo comes first");
}

on_both_databases!(a_story_without_a_photo_is_shared_with_the_papers_default_image);
