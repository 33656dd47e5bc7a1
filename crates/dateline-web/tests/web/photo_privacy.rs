//! What a photo says about itself, as readers could read it: a phone photo uploaded with its
//! GPS position, camera and lens serial numbers, an XMP block and a thumbnail keeps none of
//! them in any file the paper serves, keeps its rights (creator and copyright) in the
//! original, and stands upright in every size. Read back with exiftool, an independent
//! reader. On both databases.

use dateline_newsroom::catalog::{add_api_key, ApiKeyFields};
use dateline_testkit::paper::SmallPaper;
use dateline_testkit::{on_both_databases, TestApp, TestDatabase};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn now() -> jiff::Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// exiftool's reading of a file: every tag, by group.
fn read_back(exiftool: &Path, file: &Path) -> serde_json::Map<String, Value> {
    let output = Command::new(exiftool).args(["-j", "-G1", "-a", "-n"]).arg(file).output().expect("exiftool runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut all: Vec<serde_json::Map<String, Value>> = serde_json::from_slice(&output.stdout).expect("exiftool's JSON");
    all.pop().expect("one file")
}

async fn a_phone_photo_keeps_its_rights_and_loses_its_private_facts_in_every_served_file(db: TestDatabase) {
    let Some(exiftool) = dateline_testkit::checkers::exiftool() else { return };
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let fields = ApiKeyFields { name: "Photo desk".into(), role: "editor".into(), expires: String::new() };
    let token = add_api_key(&store, None, &fields, now()).await.expect("a key").1;
    let app = TestApp::start(store.clone(), now()).await;

    // A landscape frame from a phone held upright (orientation 6), with what phones write.
    let dir = tempfile::tempdir().expect("folder");
    let photo = dir.path().join("phone.jpg");
    let pixels = image::RgbImage::from_fn(1600, 900, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 60]));
    image::DynamicImage::ImageRgb8(pixels).save(&photo).expect("a JPEG");
    let thumbnail = dir.path().join("thumb.jpg");
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(160, 90, image::Rgb([1, 2, 3])))
        .save(&thumbnail)
        .expect("a thumbnail");
    let written = Command::new(&exiftool)
        .args([
            "-overwrite_original",
            "-n",
            "-Orientation=6",
            "-GPSLatitude=37.5665",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=126.978",
            "-GPSLongitudeRef=E",
            "-SerialNumber=CAM-0042",
            "-LensSerialNumber=LENS-7",
            "-Make=Example Phone",
            "-Artist=Kim Min-ji",
            "-Copyright=(c) The Test Dateline",
            "-IPTC:By-line=Kim Min-ji",
            "-IPTC:CopyrightNotice=(c) The Test Dateline",
            "-XMP-dc:Creator=Kim Min-ji",
            "-XMP-exif:GPSLatitude=37.5665",
        ])
        .arg(format!("-ThumbnailImage<={}", thumbnail.display()))
        .arg(&photo)
        .output()
        .expect("exiftool writes");
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let before = read_back(&exiftool, &photo);
    assert!(
        before.keys().any(|k| k.contains("GPSLatitude")) && before.contains_key("IFD1:ThumbnailImage"),
        "the test file has them: {before:?}"
    );

    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(std::fs::read(&photo).expect("read"))
                .file_name("phone.jpg")
                .mime_str("image/jpeg")
                .expect("mime"),
        )
        .text("caption", "The harbour from the hill")
        .text("credit", "Kim Min-ji/The Test Dateline")
        .text("alt_text", "A harbour seen from a hill");
    let answer = app
        .client
        .post(format!("{}/api/v1/photos", app.base_url))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status(), 201);
    let uploaded: Value = serde_json::from_slice(&answer.bytes().await.expect("body")).expect("JSON");
    assert_eq!(
        (uploaded["width"].as_u64(), uploaded["height"].as_u64()),
        (Some(900), Some(1600)),
        "upright: {uploaded}"
    );

    let mut served = vec![uploaded["url"].as_str().expect("url").to_owned()];
    served.extend(
        uploaded["sizes"].as_array().expect("sizes").iter().filter_map(|s| s["url"].as_str().map(str::to_owned)),
    );
    assert!(served.len() > 1, "smaller sizes were made");
    for (n, address) in served.iter().enumerate() {
        let path = &address[address.find("/media/").expect("a media address")..];
        let bytes = app.get(path).await.bytes().await.expect("the file");
        let file = dir.path().join(format!("served-{n}.jpg"));
        std::fs::write(&file, &bytes).expect("written");
        let tags = read_back(&exiftool, &file);
        for private in ["GPS", "SerialNumber", "ThumbnailImage", "MakerNote", "XMP", "Make"] {
            assert!(!tags.keys().any(|k| k.contains(private)), "{path} still says {private}: {tags:?}");
        }
        let decoded = image::load_from_memory(&bytes).expect("an image");
        if n == 0 {
            assert_eq!(tags.get("IFD0:Artist").and_then(Value::as_str), Some("Kim Min-ji"), "{tags:?}");
            assert_eq!(tags.get("IFD0:Copyright").and_then(Value::as_str), Some("(c) The Test Dateline"));
            assert_eq!(tags.get("IPTC:CopyrightNotice").and_then(Value::as_str), Some("(c) The Test Dateline"));
            assert_eq!(
                tags.get("IFD0:Orientation").and_then(Value::as_u64),
                Some(6),
                "the original turns by its orientation"
            );
        } else {
            assert!(decoded.height() > decoded.width(), "{path} is upright: {}×{}", decoded.width(), decoded.height());
        }
    }
}

on_both_databases!(a_phone_photo_keeps_its_rights_and_loses_its_private_facts_in_every_served_file);
