//! What a photo says about itself, as readers could read it: a phone photo uploaded with its
//! GPS position, camera and lens serial numbers, an XMP block and a thumbnail keeps none of
//! them in any file the paper serves, keeps its rights (creator and copyright) in the
//! original and in every smaller copy (JPEG, WebP and AVIF), and stands upright in every size. Read back with exiftool, an independent
//! reader. And what a file says of itself (its IPTC record and XMP) fills what the photo desk
//! left empty. On both databases.

use dateline_newsroom::catalog::{add_api_key, ApiKeyFields};
use dateline_newsroom::MediaStore;
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
    // Every format the paper can make, AVIF included.
    let app = TestApp::start_with(store.clone(), now(), |settings| {
        settings.ingest.photo_formats = dateline_media::VariantFormat::ALL.to_vec()
    })
    .await;

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

    let original = uploaded["url"].as_str().expect("url").to_owned();
    let original = original[original.find("/media/").expect("a media address")..].to_owned();
    assert!(uploaded["sizes"].as_array().expect("sizes").is_empty(), "the copies are made after the upload answers");
    assert_eq!(app.make_photo_copies().await, 1);
    let key = original.trim_start_matches("/media/");
    let mut served = vec![(original.clone(), None)];
    for format in dateline_media::VariantFormat::ALL {
        for width in dateline_media::variant_widths(900) {
            served.push((format!("/media/{}", dateline_media::variant_key(key, width, format)), Some(format)));
        }
    }
    assert_eq!(served.len(), 1 + 3 * 2, "the original, and two widths in three formats");
    for (n, (path, format)) in served.iter().enumerate() {
        let answer = app.get(path).await;
        assert_eq!(answer.status(), 200, "{path}");
        let bytes = answer.bytes().await.expect("the file");
        let file = dir.path().join(format!("served-{n}"));
        std::fs::write(&file, &bytes).expect("written");
        let tags = read_back(&exiftool, &file);
        for private in ["GPS", "SerialNumber", "ThumbnailImage", "MakerNote", "XMP", "Make"] {
            assert!(!tags.keys().any(|k| k.contains(private)), "{path} still says {private}: {tags:?}");
        }
        // The rights travel with every file.
        assert_eq!(tags.get("IFD0:Artist").and_then(Value::as_str), Some("Kim Min-ji"), "{path}: {tags:?}");
        assert_eq!(tags.get("IFD0:Copyright").and_then(Value::as_str), Some("(c) The Test Dateline"), "{path}");
        if matches!(format, None | Some(dateline_media::VariantFormat::Jpeg)) {
            assert_eq!(
                tags.get("IPTC:CopyrightNotice").and_then(Value::as_str),
                Some("(c) The Test Dateline"),
                "{path}: {tags:?}"
            );
        }
        match format {
            None => assert_eq!(
                tags.get("IFD0:Orientation").and_then(Value::as_u64),
                Some(6),
                "the original turns by its orientation"
            ),
            Some(dateline_media::VariantFormat::Avif) => {
                let (width, height) = (tags.get("File:ImageWidth"), tags.get("File:ImageHeight"));
                let sides = [width, height].map(|v| v.and_then(Value::as_u64).unwrap_or_default());
                assert!(sides[1] > sides[0], "{path} is upright: {tags:?}");
            }
            Some(_) => {
                let decoded = image::load_from_memory(&bytes).expect("an image");
                assert!(
                    decoded.height() > decoded.width(),
                    "{path} is upright: {}×{}",
                    decoded.width(),
                    decoded.height()
                );
                assert!(!tags.contains_key("IFD0:Orientation"), "{path} needs no turning");
            }
        }
    }
}

/// The photo a desk upload's redirect names.
fn stored_photo_id(answer: &reqwest::Response) -> i64 {
    let location = answer.headers()["location"].to_str().expect("location");
    location.trim_start_matches("/desk/photos/").split('?').next().and_then(|id| id.parse().ok()).expect("an id")
}

async fn a_photo_desk_uploads_an_agency_file_and_its_own_words_fill_what_was_left_empty(db: TestDatabase) {
    let Some(exiftool) = dateline_testkit::checkers::exiftool() else { return };
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (editor, password) =
        dateline_testkit::paper::desk_user(&store, dateline_newsroom::Role::PhotoEditor, "Photo Desk").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let dir = tempfile::tempdir().expect("folder");
    let photo = dir.path().join("agency.jpg");
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(800, 500, image::Rgb([30, 60, 90])))
        .save(&photo)
        .expect("a JPEG");
    let written = Command::new(&exiftool)
        .args([
            "-overwrite_original",
            "-IPTC:CodedCharacterSet=UTF8",
            "-IPTC:Caption-Abstract=서울 시청 앞 광장에 시민들이 모였다",
            "-IPTC:Credit=Yonhap",
            "-IPTC:By-line=Kim Min-ji",
            "-IPTC:City=Seoul",
            "-IPTC:Country-PrimaryLocationName=South Korea",
            "-IPTC:Keywords=rally",
            "-IPTC:Keywords=city hall",
            "-IPTC:DateCreated=2026:11:28",
            "-XMP-photoshop:Source=Yonhap Photo",
            "-XMP-iptcCore:AltTextAccessibility=Citizens gathered on the square in front of city hall",
        ])
        .arg(&photo)
        .output()
        .expect("exiftool writes");
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let upload = |credit: &'static str| {
        let form = reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(std::fs::read(&photo).expect("read"))
                    .file_name("agency.jpg")
                    .mime_str("image/jpeg")
                    .expect("mime"),
            )
            .text("caption", "")
            .text("credit", credit)
            .text("alt_text", "")
            .text("photographer", "");
        desk.post_multipart("/desk/photos", form)
    };
    let answer = upload("").await;
    assert_eq!(answer.status(), 303, "the file's own credit and alt text satisfy the desk's checks");
    let id = stored_photo_id(&answer);
    let stored = store.media_by_id(dateline_newsroom::MediaId(id)).await.expect("stored");
    assert_eq!(stored.caption, "서울 시청 앞 광장에 시민들이 모였다", "UTF-8 IPTC, as its 1:90 says");
    assert_eq!((stored.credit.as_str(), stored.photographer.as_str()), ("Yonhap", "Kim Min-ji"));
    assert_eq!(stored.alt_text, "Citizens gathered on the square in front of city hall");
    // The photo screen shows what the file said, where it was read, and what is in use.
    let screen = desk.page(&format!("/desk/photos/{id}")).await;
    let rows: Vec<Vec<String>> = {
        let row = scraper::Selector::parse("section[aria-labelledby=file-facts] tbody tr").expect("selector");
        let cell = scraper::Selector::parse("td").expect("selector");
        screen
            .select(&row)
            .map(|r| r.select(&cell).map(|c| c.text().collect::<String>().trim().to_owned()).collect())
            .collect()
    };
    let row_of = |field: &str| rows.iter().find(|r| r[0] == field).unwrap_or_else(|| panic!("{field} in {rows:?}"));
    assert_eq!(
        row_of("Caption"),
        &["Caption", "서울 시청 앞 광장에 시민들이 모였다", "IPTC IIM 2:120 Caption/Abstract", "caption"]
    );
    assert_eq!(row_of("Credit line")[3], "credit");
    assert_eq!(row_of("City")[1..3], ["Seoul", "IPTC IIM 2:90 City"]);
    assert_eq!(row_of("Country")[1], "South Korea");
    assert_eq!(row_of("Keywords")[1], "rally, city hall");
    assert_eq!(row_of("Date created")[1], "2026-11-28");
    assert_eq!(row_of("Source")[1..3], ["Yonhap Photo", "XMP photoshop:Source"]);
    assert_eq!(row_of("Alt text (accessibility)")[2], "XMP Iptc4xmpCore:AltTextAccessibility");

    let answer = upload("The Test Dateline").await;
    assert_eq!(answer.status(), 303);
    let id = stored_photo_id(&answer);
    assert_eq!(
        store.media_by_id(dateline_newsroom::MediaId(id)).await.expect("stored").credit,
        "The Test Dateline",
        "what the desk typed wins"
    );
}

on_both_databases!(
    a_phone_photo_keeps_its_rights_and_loses_its_private_facts_in_every_served_file,
    a_photo_desk_uploads_an_agency_file_and_its_own_words_fill_what_was_left_empty
);
