//! A real browser on the demo paper: an editor writes and publishes a story with a photo and
//! readers see it; a reporter finds no way to publish (`tests/browser/newsroom.cjs`); a reader
//! with a live story open gets an editor's post without reloading (`tests/browser/live.cjs`); a
//! reporter signed out in another tab keeps the text and saves it after signing in
//! (`tests/browser/kept_copy.cjs`); a listener plays an episode, and a platform's video loads
//! nothing from the platform until the reader presses play (`tests/browser/listen_and_watch.cjs`);
//! a reporter formats a body from the toolbar and the keyboard while its length follows
//! (`tests/browser/writing_tools.cjs`); an editor picks a lead photo and places another in the
//! body from the library opened over the editor (`tests/browser/photo_picker.cjs`).

use crate::support::{run_browser_script, Running};
use dateline_testkit::checkers::playwright_node_path;

#[tokio::test]
async fn an_editor_publishes_a_story_with_a_photo_in_a_real_browser_and_a_reporter_cannot() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let photo = data.path().join("pilots.jpg");
    let pixels = image::RgbImage::from_fn(900, 600, |x, y| image::Rgb([(x / 4) as u8, (y / 3) as u8, 140]));
    image::DynamicImage::ImageRgb8(pixels).save(&photo).expect("a photo to upload");
    let args = [
        server.base_url.clone(),
        photo.display().to_string(),
        "editor@dateline.example".into(),
        "demo-editor-2026".into(),
        "reporter@dateline.example".into(),
        "demo-reporter-2026".into(),
    ];
    let run = run_browser_script(&node_path, "newsroom.cjs", &args).await;
    assert!(run.succeeded && run.stdout.contains("e2e OK"), "{}\n{}", run.stdout, run.stderr);
}

#[tokio::test]
async fn a_readers_live_page_receives_an_editors_post_without_reloading_in_a_real_browser() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let args = [server.base_url.clone(), "editor@dateline.example".into(), "demo-editor-2026".into()];
    let run = run_browser_script(&node_path, "live.cjs", &args).await;
    assert!(run.succeeded && run.stdout.contains("live e2e OK"), "{}\n{}", run.stdout, run.stderr);
}

#[tokio::test]
async fn a_reporter_signed_out_in_another_tab_while_writing_keeps_the_text_and_saves_it_after_signing_in() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let args = [server.base_url.clone(), "reporter@dateline.example".into(), "demo-reporter-2026".into()];
    let run = run_browser_script(&node_path, "kept_copy.cjs", &args).await;
    assert!(run.succeeded && run.stdout.contains("kept copy e2e OK"), "{}\n{}", run.stdout, run.stderr);
}

#[tokio::test]
async fn an_episode_plays_and_a_platforms_video_loads_nothing_before_play_in_a_real_browser() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let args = [server.base_url.clone(), "editor@dateline.example".into(), "demo-editor-2026".into()];
    let run = run_browser_script(&node_path, "listen_and_watch.cjs", &args).await;
    assert!(run.succeeded && run.stdout.contains("listen and watch e2e OK"), "{}\n{}", run.stdout, run.stderr);
}

#[tokio::test]
async fn a_reporter_formats_the_body_from_the_toolbar_and_sees_its_length_in_a_real_browser() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let args = [server.base_url.clone(), "reporter@dateline.example".into(), "demo-reporter-2026".into()];
    let run = run_browser_script(&node_path, "writing_tools.cjs", &args).await;
    assert!(run.succeeded && run.stdout.contains("writing tools e2e OK"), "{}\n{}", run.stdout, run.stderr);
}

#[tokio::test]
async fn an_editor_picks_and_places_photos_from_the_library_over_the_editor_in_a_real_browser() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let args = [server.base_url.clone(), "editor@dateline.example".into(), "demo-editor-2026".into()];
    let run = run_browser_script(&node_path, "photo_picker.cjs", &args).await;
    assert!(run.succeeded && run.stdout.contains("photo picker e2e OK"), "{}\n{}", run.stdout, run.stderr);
}
