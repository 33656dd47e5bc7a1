//! A WordPress paper moves in: its export (an invented paper's, in
//! `crates/dateline-import/tests/fixtures/`) becomes stories, pages, sections, topics, authors
//! and photos; every old address answers a 301 to where its item lives now, and none shadows
//! Dateline's own; a second run changes nothing, a later export updates only what changed and
//! never over the desk's edits; a dry run writes nothing; a broken or hostile file is refused
//! whole. On both databases.

use dateline_import::{import_ghost, import_wordpress, GhostOptions, ImportError, Report, WordPressOptions};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{editing, ArticleId, ArticleStatus, Role, RESERVED_SECTION_SLUGS};
use dateline_testkit::paper::{desk_user, SmallPaper};
use dateline_testkit::{on_both_databases, texts, TestApp, TestDatabase};
use jiff::Timestamp;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dateline-import/tests/fixtures/harbour-gazette.xml")
}

fn jpeg(shade: u8) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(640, 400, |x, y| image::Rgb([shade, (x % 256) as u8, (y % 256) as u8]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("jpeg");
    bytes
}

/// A copy of the old site's `wp-content/uploads` with the two photos the export names.
fn uploads() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("uploads");
    for (path, shade) in [("2019/05/bridge.jpg", 40), ("2018/11/ferry.jpg", 200)] {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("folder");
        std::fs::write(file, jpeg(shade)).expect("photo");
    }
    dir
}

async fn import(app: &TestApp, file: &Path, uploads: &Path, dry_run: bool) -> Result<Report, ImportError> {
    let options = WordPressOptions { uploads: Some(uploads.to_owned()), dry_run, ..WordPressOptions::default() };
    import_wordpress(app.state.intake(), file, &options, now(), |_, _| {}).await
}

/// Where an old address leads, by its 301.
async fn moved_to(app: &TestApp, old: &str) -> String {
    let response = app.get(old).await;
    assert_eq!(response.status(), 301, "{old} is redirected");
    response.headers()["location"].to_str().expect("location").to_owned()
}

async fn json(app: &TestApp, path: &str) -> Value {
    serde_json::from_slice(&app.get(path).await.bytes().await.expect("body")).expect("JSON")
}

fn story_id(location: &str) -> i64 {
    location.split('/').nth(2).and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("a story address: {location}"))
}

fn imported(report: &Report, kind: &str) -> u64 {
    report.counts.get(kind).map_or(0, |c| c.imported)
}

async fn statuses_of_datelines_own_addresses(app: &TestApp) -> Vec<(String, u16)> {
    let mut seen = Vec::new();
    for slug in RESERVED_SECTION_SLUGS {
        for path in [format!("/{slug}"), format!("/{slug}/")] {
            seen.push((path.clone(), app.get(&path).await.status().as_u16()));
        }
    }
    seen
}

async fn a_wordpress_paper_moves_in_with_every_old_address_kept(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let uploads = uploads();
    let own_before = statuses_of_datelines_own_addresses(&app).await;

    let report = import(&app, &fixture(), uploads.path(), false).await.expect("imported");
    assert_eq!(imported(&report, "story"), 5, "{report}");
    assert_eq!(report.counts["story"].skipped.get("in the trash"), Some(&1), "{report}");
    assert_eq!((imported(&report, "page"), imported(&report, "photo")), (1, 2), "{report}");
    assert_eq!(imported(&report, "section"), 4, "local, local/council, sport and search (renamed): {report}");
    assert!(report.remarks.iter().any(|r| r.contains("local/council/budget")), "{report}");
    assert!(report.remarks.iter().any(|r| r.contains("nav_menu_item")), "{report}");

    // The block-editor story, by its old permalink.
    let location = moved_to(&app, "/2019/05/01/council-votes-to-rebuild-the-old-bridge/").await;
    let bridge = story_id(&location);
    assert_eq!(location, format!("/article/{bridge}/council-votes-to-rebuild-the-old-bridge"));
    assert_eq!(moved_to(&app, "/?p=101").await, location, "the old ?p= address");
    let page = app.page(&location).await;
    assert_eq!(texts(&page, "h1"), ["Council votes to rebuild the old bridge"]);
    let story = json(&app, &format!("/api/v1/stories/{bridge}")).await;
    let bylines: Vec<&str> =
        story["bylines"].as_array().expect("bylines").iter().filter_map(|b| b["name"].as_str()).collect();
    assert_eq!(bylines, ["Mara Lindqvist", "Ines Okafor"], "Co-Authors Plus's order");
    assert_eq!(story["section"]["path"], "local/council", "a category three deep files in its ancestor");
    let topics: Vec<&str> =
        story["topics"].as_array().expect("topics").iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(topics, ["Budget", "Ferries"]);
    assert_eq!(story["published"], "2019-05-01T18:30:00+09:00");
    assert!(story["updated"].is_null(), "WordPress's modified time alone is no public update");
    assert_eq!(story["deck"], "Work on the new crossing could begin next spring.");
    assert_eq!(story["lead_photo"]["alt"], "A stone bridge over a narrow harbour at dusk");
    assert_eq!(story["lead_photo"]["credit"], "Tomas Reyes/The Harbour Gazette");
    let body = story["body_html"].as_str().expect("body");
    let body = scraper::Html::parse_fragment(body);
    assert_eq!(texts(&body, "h2"), ["What happens next"]);
    assert_eq!(
        texts(&body, "blockquote p").first().map(String::as_str),
        Some("We owe the harbour a crossing that lasts another century.")
    );
    assert_eq!(texts(&body, "li"), ["Design chosen by September", "Work begins next spring"]);
    let images = dateline_testkit::attributes(&body, "img", "src");
    assert_eq!(images.len(), 1, "the body's photo is in the library and in place");
    assert!(images[0].starts_with("/media/"), "{images:?}");
    assert_eq!(app.get(&images[0]).await.status(), 200);
    assert!(dateline_testkit::attributes(&body, "a", "href")
        .iter()
        .any(|h| h == "https://www.youtube.com/watch?v=harbour1"));
    assert!(texts(&body, "script").is_empty());
    let notes = &report
        .items_with_notes
        .iter()
        .find(|n| n.title == "Council votes to rebuild the old bridge")
        .expect("notes")
        .notes;
    for lost in ["<script>", "polls.example", "1 comments"] {
        assert!(notes.iter().any(|n| n.contains(lost)), "{lost} reported: {notes:?}");
    }

    // The classic-editor story, addressed only by ?p=, with Newspack's "show updated" switch.
    let ferry = story_id(&moved_to(&app, "/?p=102").await);
    let story = json(&app, &format!("/api/v1/stories/{ferry}")).await;
    assert_eq!(story["updated"], "2018-11-20T18:00:00+09:00");
    assert_eq!(story["section"]["path"], "local");
    assert!(story["body_markdown"]
        .as_str()
        .expect("markdown")
        .starts_with("The morning ferry will leave at 7.15 from Monday.\\\nThe evening boat"));
    assert!(story["body_markdown"].as_str().expect("markdown").contains("*The morning ferry at the east pier.*"));
    let notes = &report.items_with_notes.iter().find(|n| n.title.starts_with("Ferry timetable")).expect("notes").notes;
    assert!(
        notes.iter().any(|n| n.contains("gallery")) && notes.iter().any(|n| n.contains("[contact-form-7]")),
        "{notes:?}"
    );

    // Scheduled, private and draft posts keep their places on the desk.
    let scheduled = store
        .article_by_id(ArticleId(story_id(&moved_to(&app, "/2026/12/01/lifeboat-crew-rescues-two-sailors").await)))
        .await
        .expect("story");
    assert_eq!(
        (scheduled.status, scheduled.publish_at.map(|t| t.to_string())),
        (ArticleStatus::Scheduled, Some("2026-12-01T06:00:00Z".into()))
    );
    let private = store.article_by_id(ArticleId(story_id(&moved_to(&app, "/?p=104").await))).await.expect("story");
    assert_eq!(private.status, ArticleStatus::Draft);

    // Sections, topics, authors, pages and feeds by their old addresses.
    for (old, new) in [
        ("/category/local/council/", "/local/council/"),
        ("/category/local/council/budget/", "/local/council/"),
        ("/category/search/", "/search-section/"),
        ("/category/sport/feed/", "/sport/rss.xml"),
        ("/tag/ferries/", "/topic/ferries"),
        ("/author/mara/", "/author/mara-lindqvist"),
        ("/author/ines-okafor/", "/author/ines-okafor"),
        ("/feed/", "/rss.xml"),
        ("/about/", "/page/about"),
        ("/?page_id=7", "/page/about"),
    ] {
        assert_eq!(moved_to(&app, old).await, new, "{old}");
        assert_eq!(app.get(new).await.status(), 200, "{new}");
    }
    assert_eq!(app.get("/2019/05/01/a-story-that-never-was/").await.status(), 404);
    // Every address of Dateline's own that answered before answers the same; where it had
    // nothing (a 404), an old address may lead on (`/feed/`).
    for ((path, before), (_, after)) in own_before.iter().zip(statuses_of_datelines_own_addresses(&app).await) {
        if *before == 404 {
            assert!(after == 404 || after == 301, "{path}: {after}");
        } else {
            assert_eq!(after, *before, "{path}: old addresses never shadow Dateline's own");
        }
    }

    // A second run of the same file changes nothing.
    let before = store.count_articles().await.expect("count");
    let again = import(&app, &fixture(), uploads.path(), false).await.expect("imported again");
    assert_eq!(
        (imported(&again, "story"), again.counts["story"].unchanged, again.redirects_made),
        (0, 5, 0),
        "{again}"
    );
    assert_eq!(imported(&again, "photo"), 0, "{again}");
    assert_eq!(store.count_articles().await.expect("count"), before);

    // A later export: one story changed there and edited on the desk since, another only changed there.
    let editor = desk_user(&store, Role::Editor, "Desk Editor").await.0;
    let article = store.article_by_id(ArticleId(bridge)).await.expect("story");
    let draft = editing::StoryDraft {
        headline: "Council backs a new bridge".into(),
        embargo_until: None,
        ..editing::StoryDraft::of(&article)
    };
    editing::save_story(&store, &editor, article.id, article.version, &draft, editing::SaveKind::Quiet, now())
        .await
        .expect("edited on the desk");
    let later_export = tempfile::NamedTempFile::new().expect("file");
    let text = std::fs::read_to_string(fixture())
        .expect("fixture")
        .replace("seven votes to two", "seven votes to two, after a long debate")
        .replace(
            "Tickets bought before the change stay valid.",
            "Tickets bought before the change stay valid until March.",
        );
    std::fs::write(later_export.path(), text).expect("written");
    let later = import(&app, later_export.path(), uploads.path(), false).await.expect("imported");
    assert_eq!((later.counts["story"].updated, later.counts["story"].kept_desk_edits), (1, 1), "{later}");
    assert_eq!(
        store.article_by_id(ArticleId(bridge)).await.expect("story").content.headline,
        "Council backs a new bridge"
    );
    assert!(store.article_by_id(ArticleId(ferry)).await.expect("story").content.body.contains("valid until March"));
}

async fn a_dry_run_reports_and_writes_nothing(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let uploads = uploads();
    let sections = store.sections().await.expect("sections").len();
    let report = import(&app, &fixture(), uploads.path(), true).await.expect("a dry run");
    assert!(report.dry_run);
    assert_eq!(imported(&report, "story"), 5, "{report}");
    assert_eq!(store.count_articles().await.expect("count"), 0);
    assert_eq!(store.sections().await.expect("sections").len(), sections);
    assert_eq!(app.get("/?p=101").await.status(), 200, "no old address recorded: the home page answers");
    assert!(walk(app.media_dir.path()).is_empty(), "no photo file written");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// A stand-in for the old site's server on 127.0.0.1: every photo under its uploads.
async fn old_site_serving_photos() -> String {
    let app = axum::Router::new().route(
        "/wp-content/uploads/{*path}",
        axum::routing::get(|| async { ([(axum::http::header::CONTENT_TYPE, "image/jpeg")], jpeg(120)) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the old site") });
    format!("http://{address}")
}

async fn without_an_uploads_folder_photos_are_fetched_only_from_the_hosts_named(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let site = old_site_serving_photos().await;
    let export = tempfile::NamedTempFile::new().expect("file");
    let text = std::fs::read_to_string(fixture())
        .expect("fixture")
        .replace("https://harbour-gazette.example/wp-content/uploads/", &format!("{site}/wp-content/uploads/"));
    std::fs::write(export.path(), text).expect("written");
    let run = |media_hosts: Vec<String>, dry_run| {
        let options = WordPressOptions { media_hosts, dry_run, ..WordPressOptions::default() };
        let intake = app.state.intake().clone();
        let path = export.path().to_owned();
        async move { import_wordpress(&intake, &path, &options, now(), |_, _| {}).await }
    };
    let unnamed = run(Vec::new(), true).await.expect("a dry run");
    assert_eq!(imported(&unnamed, "photo"), 0, "{unnamed}");
    assert!(
        unnamed.items_with_notes.iter().flat_map(|i| &i.notes).any(|n| n.contains("--media-host")),
        "each photo left out is reported with what to do: {unnamed}"
    );
    let named = run(vec!["127.0.0.1".into()], false).await.expect("imported");
    assert_eq!(imported(&named, "photo"), 2, "{named}");
    let bridge = story_id(&moved_to(&app, "/?p=101").await);
    let story = json(&app, &format!("/api/v1/stories/{bridge}")).await;
    assert_eq!(story["lead_photo"]["alt"], "A stone bridge over a narrow harbour at dusk");
}

async fn a_broken_or_hostile_export_is_refused_whole_with_one_sentence(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let uploads = uploads();
    let good = std::fs::read_to_string(fixture()).expect("fixture");
    let cut = &good[..good.len() * 2 / 3];
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "a DTD with an external entity",
            good.replacen("<rss", "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<rss", 1),
            "DTD",
        ),
        (
            "billion laughs",
            good.replacen("<rss", "<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<rss", 1),
            "DTD",
        ),
        ("a cut file", cut.to_owned(), "cut short"),
        ("an unknown version", good.replace("<wp:wxr_version>1.2</wp:wxr_version>", "<wp:wxr_version>9.0</wp:wxr_version>"), "version \"9.0\""),
        ("not an export", "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>".to_owned(), "not a WordPress export"),
        ("a missing author", good.replace("<dc:creator><![CDATA[tomas]]></dc:creator>\n\t\t<guid isPermaLink=\"false\">https://harbour-gazette.example/?p=102", "<dc:creator><![CDATA[nobody]]></dc:creator>\n\t\t<guid isPermaLink=\"false\">https://harbour-gazette.example/?p=102"), "\"nobody\""),
        ("a missing attachment", good.replace("<wp:meta_value><![CDATA[41]]></wp:meta_value>", "<wp:meta_value><![CDATA[4141]]></wp:meta_value>"), "attachment 4141"),
        ("malformed XML", good.replace("</wp:post_name>", "</wp:post_nam>"), "not well-formed"),
    ];
    for (what, text, expected) in cases {
        let file = tempfile::NamedTempFile::new().expect("file");
        std::fs::write(file.path(), text).expect("written");
        let error = import(&app, file.path(), uploads.path(), false).await.expect_err(what).to_string();
        assert!(error.contains(expected), "{what}: {error}");
        assert_eq!(store.count_articles().await.expect("count"), 0, "{what}: nothing written");
        assert!(walk(app.media_dir.path()).is_empty(), "{what}: no photo file left");
    }
    // Every version WordPress has written is read.
    for version in ["1.0", "1.1"] {
        let file = tempfile::NamedTempFile::new().expect("file");
        let older = good
            .replace("<wp:wxr_version>1.2</wp:wxr_version>", &format!("<wp:wxr_version>{version}</wp:wxr_version>"));
        std::fs::write(file.path(), older).expect("written");
        let report = import(&app, file.path(), uploads.path(), true).await.expect(version);
        assert_eq!(imported(&report, "story"), 5, "WXR {version}");
    }
    let big = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(big.path(), &good).expect("written");
    let options = WordPressOptions { max_file_bytes: 1_000, ..WordPressOptions::default() };
    let error =
        import_wordpress(app.state.intake(), big.path(), &options, now(), |_, _| {}).await.expect_err("too large");
    assert!(error.to_string().contains("at most 1000"), "{error}");
}

async fn a_ghost_paper_moves_in_with_its_tags_authors_photos_and_old_addresses(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let images = tempfile::tempdir().expect("images");
    for (path, shade) in [("2024/05/quay.jpg", 90), ("2024/05/market.jpg", 150)] {
        let file = images.path().join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("folder");
        std::fs::write(file, jpeg(shade)).expect("photo");
    }
    // Ghost keeps no credit: the photo file's own IPTC credit line is taken.
    let exiftool = dateline_testkit::checkers::exiftool();
    if let Some(exiftool) = &exiftool {
        let written = std::process::Command::new(exiftool)
            .args(["-overwrite_original", "-IPTC:Credit=Pieter de Vries/Quay Courier"])
            .arg(images.path().join("2024/05/quay.jpg"))
            .output()
            .expect("exiftool writes");
        assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    }
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../dateline-import/tests/fixtures/quay-courier.ghost.json");
    let options = GhostOptions { images: Some(images.path().to_owned()), ..GhostOptions::default() };
    let report = import_ghost(app.state.intake(), &fixture, &options, now(), |_, _| {}).await.expect("imported");
    assert_eq!(
        (imported(&report, "story"), imported(&report, "page"), imported(&report, "photo")),
        (3, 1, 2),
        "{report}"
    );
    assert!(report.remarks.iter().any(|r| r.contains("internal tags")), "{report}");

    let location = moved_to(&app, "/night-market-returns/").await;
    let story = json(&app, &format!("/api/v1/stories/{}", story_id(&location))).await;
    let bylines: Vec<&str> =
        story["bylines"].as_array().expect("bylines").iter().filter_map(|b| b["name"].as_str()).collect();
    assert_eq!(bylines, ["Pieter de Vries", "Noor Haddad"], "Ghost's order");
    assert_eq!(story["section"]["path"], "town-life", "the primary tag, past the internal one");
    let topics: Vec<&str> =
        story["topics"].as_array().expect("topics").iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(topics, ["Markets"]);
    assert_eq!(story["deck"], "Thirty stalls, every Friday until October.");
    assert_eq!(
        (story["lead_photo"]["alt"].as_str(), story["lead_photo"]["caption"].as_str()),
        (Some("The old quay at sunset"), Some("The quay on opening night."))
    );
    assert!(story["updated"].is_null());
    if exiftool.is_some() {
        assert_eq!(story["lead_photo"]["credit"], "Pieter de Vries/Quay Courier", "the file's own credit line");
    }
    let body = scraper::Html::parse_fragment(story["body_html"].as_str().expect("body"));
    assert_eq!(texts(&body, "h2"), ["Thirty stalls"]);
    assert!(dateline_testkit::attributes(&body, "img", "src")[0].starts_with("/media/"));
    assert!(dateline_testkit::attributes(&body, "a", "href")
        .iter()
        .any(|h| h == "https://www.youtube.com/embed/quay1"));
    for (old, new) in [
        ("/tag/town-life/", "/town-life/"),
        ("/tag/markets/", "/topic/markets"),
        ("/author/noor/", "/author/noor-haddad"),
        ("/rss/", "/rss.xml"),
        ("/contact/", "/page/contact"),
    ] {
        assert_eq!(moved_to(&app, old).await, new, "{old}");
    }
    let scheduled = store
        .article_by_id(ArticleId(story_id(&moved_to(&app, "/harbour-pool-opens-early/").await)))
        .await
        .expect("story");
    assert_eq!(scheduled.status, ArticleStatus::Scheduled);
    let draft = store.article_by_id(ArticleId(story_id(&moved_to(&app, "/ferry-fares/").await))).await.expect("story");
    assert_eq!((draft.status, draft.content.body.as_str()), (ArticleStatus::Draft, "Fares may rise in spring."));

    let again = import_ghost(app.state.intake(), &fixture, &options, now(), |_, _| {}).await.expect("again");
    assert_eq!((imported(&again, "story"), again.counts["story"].unchanged), (0, 3), "{again}");

    let other_shape = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(other_shape.path(), r#"{"posts": "not a list"}"#).expect("written");
    let error =
        import_ghost(app.state.intake(), other_shape.path(), &options, now(), |_, _| {}).await.expect_err("refused");
    assert!(error.to_string().contains("not a Ghost export"), "{error}");
}

async fn exports_carrying_nul_characters_or_nesting_thousands_deep_import_cleanly_or_are_refused_in_a_sentence(
    db: TestDatabase,
) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let uploads = uploads();
    // A stray NUL in a WordPress title, and a post body nested 10,000 elements deep.
    let good = std::fs::read_to_string(fixture()).expect("fixture");
    let deep = format!("{}<p>Deep down.</p>{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
    let hostile = good
        .replace(
            "<![CDATA[Council votes to rebuild the old bridge]]>",
            "<![CDATA[Council votes\u{0} to rebuild the old bridge]]>",
        )
        .replacen(
            "<content:encoded><![CDATA[<!-- wp:paragraph -->",
            &format!("<content:encoded><![CDATA[{deep}<!-- wp:paragraph -->"),
            1,
        );
    let file = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(file.path(), hostile).expect("written");
    let report = import(&app, file.path(), uploads.path(), false).await.expect("imported");
    assert_eq!(imported(&report, "story"), 5, "{report}");
    let location = moved_to(&app, "/2019/05/01/council-votes-to-rebuild-the-old-bridge/").await;
    let story = store.article_by_id(ArticleId(story_id(&location))).await.expect("story");
    assert_eq!(story.content.headline, "Council votes to rebuild the old bridge");
    assert!(story.content.body.contains("Deep down."), "the words of the deep body are kept");
    assert_eq!(app.get(&location).await.status(), 200);

    // A NUL in a Ghost title and a tag's name; an export nested past what JSON readers take.
    let ghost = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../dateline-import/tests/fixtures/quay-courier.ghost.json"),
    )
    .expect("fixture");
    let hostile = ghost
        .replace("\"Night market returns to the old quay\"", "\"Night market\\u0000 returns to the old quay\"")
        .replace("\"Markets\"", "\"Mar\\u0000kets\"");
    let file = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(file.path(), hostile).expect("written");
    let report = import_ghost(app.state.intake(), file.path(), &GhostOptions::default(), now(), |_, _| {})
        .await
        .expect("imported");
    assert_eq!(imported(&report, "story"), 3, "{report}");
    let location = moved_to(&app, "/night-market-returns/").await;
    let story = json(&app, &format!("/api/v1/stories/{}", story_id(&location))).await;
    assert_eq!(story["headline"], "Night market returns to the old quay");
    assert_eq!(story["topics"][0]["name"], "Markets");
    let nested = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(nested.path(), format!("{{\"db\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000)))
        .expect("written");
    let error = import_ghost(app.state.intake(), nested.path(), &GhostOptions::default(), now(), |_, _| {})
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("not JSON"), "{error}");
}

on_both_databases!(
    exports_carrying_nul_characters_or_nesting_thousands_deep_import_cleanly_or_are_refused_in_a_sentence,
    without_an_uploads_folder_photos_are_fetched_only_from_the_hosts_named,
    a_ghost_paper_moves_in_with_its_tags_authors_photos_and_old_addresses,
    a_wordpress_paper_moves_in_with_every_old_address_kept,
    a_dry_run_reports_and_writes_nothing,
    a_broken_or_hostile_export_is_refused_whole_with_one_sentence
);
