//! Memory is bounded by configuration, not by the input: a real `dateline serve` set to work
//! on one image at a time, of at most 40 megapixels, takes four large photos and four
//! decompression bombs uploaded at once, and its peak memory stays near one image's worth.

use crate::support::Running;
use dateline_newsroom::Role;
use dateline_testkit::paper::desk_user;
use dateline_testkit::{DeskSession, TestDatabase};
use reqwest::multipart::{Form, Part};

/// A whole PNG of `side` × `side` pixels, one colour: small on disk, large when decoded.
fn large_png(side: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_pixel(side, side, image::Rgb([40, 90, 160]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .expect("encode");
    bytes
}

fn upload(bytes: Vec<u8>, name: &str, mime: &str) -> Form {
    Form::new()
        .part("file", Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).expect("mime"))
        .text("caption", "A large test picture.")
        .text("credit", "Dateline")
        .text("alt_text", "A flat blue test picture")
        .text("photographer", "Test")
}

fn megabytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb / 1024)
        .expect("a memory figure")
}

#[tokio::test]
async fn four_large_photos_and_four_bombs_at_once_cost_about_one_images_memory() {
    let database = TestDatabase::sqlite().await;
    let store = database.store().await;
    let (editor, password) = desk_user(&store, Role::PhotoEditor, "Photo Desk").await;
    let media = tempfile::tempdir().expect("media folder");
    let server = Running::serve(
        &database.url,
        media.path(),
        &[("DATELINE_UPLOADS__IMAGE_WORKERS", "1"), ("DATELINE_UPLOADS__MAX_IMAGE_PIXELS", "40000000")],
    );
    let desk = DeskSession::sign_in_at(&server.base_url, &editor.email, &password).await;
    let before = megabytes(server.pid(), "VmRSS:");
    // 6,000 × 6,000 = 36 megapixels: about 108 MB decoded, more while its sizes are made.
    let photo = large_png(6_000);
    let uploads = (0..4)
        .map(|n| desk.post_multipart("/desk/photos", upload(photo.clone(), &format!("large-{n}.png"), "image/png")))
        .chain((0..4).map(|n| {
            desk.post_multipart(
                "/desk/photos",
                upload(
                    dateline_testkit::paper::gif_declaring_a_screen_of(11_000),
                    &format!("bomb-{n}.gif"),
                    "image/gif",
                ),
            )
        }));
    let answers = futures_util::future::join_all(uploads).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 4, "the four photos are taken: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 4, "the four bombs are refused: {statuses:?}");
    let peak = megabytes(server.pid(), "VmHWM:");
    eprintln!("memory: {before} MB before, peak {peak} MB with four 36-megapixel photos and four bombs at once");
    // One image at a time: its decode (108 MB) and its sizes, over what the server held
    // before. Four at once would need four times that; the bombs, 484 MB each.
    assert!(peak < before + 450, "peak {peak} MB from {before} MB: image memory is not bounded by configuration");
}
