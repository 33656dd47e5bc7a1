//! Video in stories as an editor and a reader meet it, through HTTP on both databases: a
//! YouTube link becomes a facade that loads nothing from YouTube until the reader plays it,
//! under a Content-Security-Policy that frames only the allowed players; an uploaded MP4
//! plays in the browser's own player with its poster and captions, in byte ranges; both are
//! described as `VideoObject`s. Links to other hosts and broken files are refused, and
//! nothing is left behind.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_testkit::checkers::python_checker;
use dateline_testkit::paper::{desk_user, photo, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, files_under, on_both_databases, texts, TestApp, TestDatabase};
use jiff::Timestamp;
use reqwest::multipart::{Form, Part};

const CLIP: &[u8] = include_bytes!("../../../dateline-media/testdata/clip.mp4");

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// The page's JSON-LD passes the schema.org check (every type and property in its vocabulary).
fn schema_org_accepts(page: &scraper::Html) {
    let folder = tempfile::tempdir().expect("folder");
    let file = folder.path().join("page.html");
    std::fs::write(&file, page.html()).expect("write");
    if let Some(report) = python_checker("jsonld_check.py", &[file]) {
        assert!(report.passed, "the schema.org check: {}", report.output);
    }
}

fn video_objects(page: &scraper::Html) -> Vec<serde_json::Value> {
    texts(page, "script[type='application/ld+json']")
        .iter()
        .map(|t| serde_json::from_str::<serde_json::Value>(t).expect("JSON-LD"))
        .flat_map(|doc| doc["@graph"].as_array().cloned().unwrap_or_default())
        .filter(|node| node["@type"] == "VideoObject")
        .collect()
}

async fn a_platform_video_loads_nothing_until_the_reader_plays_it(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Video Editor").await;
    let story = StoryBuilder::new("Typhoon footage from the coast", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    let saved = desk
        .post_multipart(
            &format!("/desk/stories/{story}/video"),
            Form::new()
                .text("title", "Waves over the sea wall")
                .text("description", "Filmed from the harbour office at dawn.")
                .text("link", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
                .text("action", "save"),
        )
        .await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap_or_default());

    let response = app.get(&format!("/article/{story}/typhoon-footage-from-the-coast")).await;
    let csp = response.headers()["content-security-policy"].to_str().expect("csp").to_owned();
    let frame_src = csp.split(';').map(str::trim).find(|d| d.starts_with("frame-src")).expect("a frame-src").to_owned();
    assert_eq!(
        frame_src, "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "exactly the allowed players"
    );
    let page = scraper::Html::parse_document(&response.text().await.expect("page"));
    assert!(texts(&page, "iframe").is_empty(), "no player is framed before the reader clicks");
    let everything_loaded: Vec<String> = ["img", "script", "iframe", "video", "source", "link"]
        .iter()
        .flat_map(|tag| {
            let mut found = attributes(&page, tag, "src");
            found.extend(attributes(&page, tag, "href").into_iter().filter(|h| *tag == "link" && !h.starts_with('/')));
            found
        })
        .collect();
    assert!(
        everything_loaded
            .iter()
            .all(|url| !url.contains("youtube") && !url.contains("ytimg") && !url.contains("google")),
        "nothing from the platform loads with the page: {everything_loaded:?}"
    );
    assert_eq!(
        attributes(&page, ".video__facade", "data-embed"),
        ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"]
    );
    assert_eq!(attributes(&page, ".video__play", "href"), ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]);
    let objects = video_objects(&page);
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0]["name"], "Waves over the sea wall");
    assert_eq!(objects[0]["embedUrl"], "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    assert!(objects[0]["uploadDate"].as_str().is_some_and(|d| d.starts_with("2026-11-28")));
    schema_org_accepts(&page);
    let api: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1/stories/{story}")).await.text().await.expect("body"))
            .expect("the story as JSON");
    assert_eq!(api["video"]["source"], "youtube");
    assert_eq!(api["video"]["embed_url"], "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");

    // Links to other hosts, or lookalikes, are refused; the video stays as it was.
    for link in [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
    ] {
        let refused = desk
            .post_multipart(
                &format!("/desk/stories/{story}/video"),
                Form::new().text("title", "Forged").text("link", link.to_owned()).text("action", "save"),
            )
            .await;
        assert_eq!(refused.status(), 422, "{link}");
    }
    assert_eq!(store.story_video(story).await.expect("video").title, "Waves over the sea wall");

    let removed =
        desk.post_multipart(&format!("/desk/stories/{story}/video"), Form::new().text("action", "remove")).await;
    assert_eq!(removed.status(), 303);
    let page = app.page(&format!("/article/{story}/typhoon-footage-from-the-coast")).await;
    assert!(texts(&page, ".video").is_empty() && video_objects(&page).is_empty(), "taken off the page at once");
}

async fn an_uploaded_video_plays_with_its_poster_and_captions_in_ranges(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Video Editor").await;
    let poster = photo(&store, "posters/harbour.jpg", "The harbour at dawn.", "Dateline", now()).await;
    let story = StoryBuilder::new("The harbour reopens", paper.national.id, now()).store(&store).await;
    let draft =
        StoryBuilder::new("Not yet out", paper.national.id, now()).status(ArticleStatus::Draft).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let upload = |story: dateline_newsroom::ArticleId, bytes: Vec<u8>, name: &str, mime: &str| {
        let path = format!("/desk/stories/{story}/video");
        let form = Form::new()
            .text("title", "Ships return to the harbour")
            .text("poster_id", poster.id.to_string())
            .text("action", "save")
            .part("video", Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).expect("mime"))
            .part(
                "captions",
                Part::bytes(b"1\n00:00:00,000 --> 00:00:01,500\nThe first ferry docks.\n".to_vec()).file_name("c.srt"),
            );
        let desk = &desk;
        async move { desk.post_multipart(&path, form).await }
    };
    let saved = upload(story, CLIP.to_vec(), "harbour.mp4", "video/mp4").await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap_or_default());
    let page = app.page(&format!("/article/{story}/the-harbour-reopens")).await;
    let src = attributes(&page, ".video video source", "src");
    assert_eq!(src.len(), 1);
    assert_eq!(attributes(&page, ".video video source", "type"), ["video/mp4"]);
    assert_eq!(attributes(&page, ".video video", "poster"), ["/media/posters/harbour.jpg"]);
    assert_eq!(
        (attributes(&page, ".video video", "width"), attributes(&page, ".video video", "height")),
        (vec!["320".to_owned()], vec!["180".to_owned()])
    );
    let track = attributes(&page, ".video video track", "src");
    assert_eq!(track, [format!("/captions/{story}.vtt")]);
    let captions = app.get(&track[0]).await;
    assert_eq!(captions.headers()["content-type"], "text/vtt; charset=utf-8");
    let captions = captions.text().await.expect("captions");
    assert!(captions.starts_with("WEBVTT") && captions.contains("00:00:00.000 --> 00:00:01.500"), "{captions}");
    let objects = video_objects(&page);
    assert_eq!(objects[0]["duration"], "PT0H0M2S");
    assert!(objects[0]["contentUrl"].as_str().expect("content url").ends_with(&src[0]));
    assert!(objects[0]["thumbnailUrl"][0].as_str().expect("thumbnail").ends_with("/media/posters/harbour.jpg"));
    schema_org_accepts(&page);

    let range = app
        .client
        .get(format!("{}{}", app.base_url, src[0]))
        .header("range", "bytes=0-99")
        .send()
        .await
        .expect("range");
    assert_eq!(range.status(), 206);
    assert_eq!(range.headers()["content-range"], format!("bytes 0-99/{}", CLIP.len()).as_str());
    assert_eq!(range.bytes().await.expect("bytes").as_ref(), &CLIP[..100]);

    // A draft's video is not out before the story.
    let saved = upload(draft, CLIP.to_vec(), "draft.mp4", "video/mp4").await;
    assert_eq!(saved.status(), 303);
    let key = file_key(&store, draft).await;
    assert_eq!(app.get(&format!("/video/{key}")).await.status(), 404);

    // Broken and mislabelled files are refused and leave nothing behind.
    let files_before = files_under(app.media_dir.path()).len();
    let mut crafted = CLIP.to_vec();
    crafted[..4].copy_from_slice(&u32::MAX.to_be_bytes());
    for (what, bytes, name, mime, why) in [
        ("an MP4 cut short", CLIP[..CLIP.len() / 2].to_vec(), "cut.mp4", "video/mp4", "damaged"),
        ("a box larger than the file", crafted, "box.mp4", "video/mp4", "damaged"),
        ("a page called a video", b"<html></html>".to_vec(), "x.mp4", "video/mp4", "not an MP4"),
        ("an MP4 sent as WebM", CLIP.to_vec(), "x.webm", "video/webm", "sent as WebM"),
    ] {
        let refused = upload(story, bytes, name, mime).await;
        assert_eq!(refused.status(), 422, "{what}");
        let errors =
            texts(&scraper::Html::parse_document(&refused.text().await.expect("page")), ".form-error li").join(" ");
        assert!(errors.contains(why), "{what}: {errors}");
    }
    assert_eq!(files_under(app.media_dir.path()).len(), files_before, "no file left behind");
    assert_eq!(store.story_video(story).await.expect("video").title, "Ships return to the harbour");
}

/// The storage key of a story's uploaded video.
async fn file_key(store: &dateline_storage::SqlStore, story: dateline_newsroom::ArticleId) -> String {
    match store.story_video(story).await.expect("video").source {
        dateline_newsroom::video::VideoSource::File { file, .. } => file.storage_key,
        other => panic!("a file, not {other:?}"),
    }
}

on_both_databases!(
    a_platform_video_loads_nothing_until_the_reader_plays_it,
    an_uploaded_video_plays_with_its_poster_and_captions_in_ranges,
);
