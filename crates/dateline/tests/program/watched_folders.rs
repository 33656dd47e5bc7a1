//! Wire items dropped into a source's watched folder under `ingest.root`, taken by a running
//! `dateline serve`: a complete item (renamed into the folder) becomes a story with the photo
//! beside it and moves to `done/`; a hostile one moves to `rejected/` with its reason; files
//! still being written (`.part`, `.tmp`) are left alone.

use crate::support::Running;
use dateline_newsroom::prelude::*;
use dateline_testkit::paper::{wire_source, SmallPaper};
use dateline_testkit::TestDatabase;
use std::path::Path;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../dateline-ingest/tests/fixtures/newsml-g2/{name}", env!("CARGO_MANIFEST_DIR")))
        .expect("fixture")
}

fn jpeg() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(800, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 60]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("jpeg");
    bytes
}

/// Writes a file as a transfer program does: under a temporary name, then renamed.
fn deliver(folder: &Path, name: &str, bytes: &[u8]) {
    let partial = folder.join(format!("{name}.part"));
    std::fs::write(&partial, bytes).expect("write");
    std::fs::rename(&partial, folder.join(name)).expect("rename");
}

fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn items_dropped_in_a_watched_folder_become_stories_or_are_rejected_with_a_reason() {
    let database = TestDatabase::sqlite().await;
    let store = database.store().await;
    let paper = SmallPaper::create(&store).await;
    let (mut source, _) = wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    source.folder = Some("hanbit".into());
    store.update_wire_source(&source).await.expect("folder");
    let work = tempfile::tempdir().expect("work folder");
    let root = work.path().join("wire");
    let folder = root.join("hanbit");
    std::fs::create_dir_all(&folder).expect("folder");
    let data = work.path().join("data");
    let _server = Running::start_with_env(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &database.url,
            "--data-dir",
            data.to_str().expect("path"),
        ],
        &[("DATELINE_INGEST__ROOT", root.to_str().expect("path")), ("DATELINE_INGEST__SCAN_INTERVAL_SECS", "1")],
    );

    // Still being written: never touched.
    std::fs::write(folder.join("incoming.xml.part"), fixture("text.xml")).expect("write");
    std::fs::write(folder.join("other.xml.tmp"), fixture("text.xml")).expect("write");
    // The photo first, then the message that names it.
    deliver(&folder, "budget-vote.jpg", &jpeg());
    deliver(&folder, "message.xml", &fixture("message.xml"));
    wait_for(&folder.join("done/message.xml"));
    assert!(folder.join("done/budget-vote.jpg").exists(), "the photo went along with its item");
    let stories = store.desk_stories(None, dateline_newsroom::Window { limit: 10, offset: 0 }).await.expect("stories");
    assert_eq!(stories.len(), 1);
    let story = store.article_by_id(stories[0].id).await.expect("story");
    assert_eq!(story.content.headline, "Assembly passes next year's budget after all-night session");
    let photo = store.media_by_id(story.content.lead_media_id.expect("a lead photo")).await.expect("photo");
    assert_eq!(photo.credit, "Hanbit News");

    let laughs = b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><newsItem guid=\"x\" version=\"1\"><itemMeta/></newsItem>";
    deliver(&folder, "laughs.xml", laughs);
    wait_for(&folder.join("rejected/laughs.xml.reason"));
    let reason = std::fs::read_to_string(folder.join("rejected/laughs.xml.reason")).expect("reason");
    assert!(reason.contains("DTD"), "{reason}");
    // The same item again is taken (and changes nothing); its copy in done/ is not overwritten.
    deliver(&folder, "message.xml", &fixture("message.xml"));
    wait_for(&folder.join("done/1-message.xml"));
    assert_eq!(store.count_articles().await.expect("count"), 1);

    assert!(
        folder.join("incoming.xml.part").exists() && folder.join("other.xml.tmp").exists(),
        "unfinished files stay"
    );
    store.close().await;
}
