//! The photo desk through HTTP: uploads of every allowed kind, refusals that store nothing,
//! and a lead photo served at sizes suited to the screen.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{Role, Window};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{attributes, on_both_databases, texts, TestApp};
use jiff::Timestamp;
use reqwest::multipart::{Form, Part};
use std::io::Cursor;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn picture(format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(1100, 700, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels).write_to(&mut Cursor::new(&mut bytes), format).expect("encode");
    bytes
}

fn upload(bytes: Vec<u8>, file_name: &str, mime: &str, alt: &str) -> Form {
    Form::new()
        .part("file", Part::bytes(bytes).file_name(file_name.to_owned()).mime_str(mime).expect("mime"))
        .text("caption", "Ferries wait out the storm in Mokpo.")
        .text("credit", "AFP-Yonhap")
        .text("alt_text", alt.to_owned())
        .text("photographer", "Lee Su-bin")
}

async fn a_photo_editor_uploads_a_photo_and_makes_it_a_storys_lead_photo(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Cha Eun-seo").await;
    let id = StoryBuilder::new("Storm closes ports", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&photo_editor.email, &password).await;

    for (format, name, mime) in [
        (image::ImageFormat::Png, "a.png", "image/png"),
        (image::ImageFormat::WebP, "b.webp", "image/webp"),
        (image::ImageFormat::Gif, "c.gif", "image/gif"),
    ] {
        let response =
            desk.post_multipart("/desk/photos", upload(picture(format), name, mime, "Ferries at a quay")).await;
        assert_eq!(response.status(), 303, "{mime}");
    }
    let uploaded = desk
        .post_multipart(
            "/desk/photos",
            upload(
                picture(image::ImageFormat::Jpeg),
                "ferries.jpg",
                "image/jpeg",
                "Ferries moored at a quay under dark clouds",
            ),
        )
        .await;
    assert_eq!(uploaded.status(), 303);
    let media = store.media_list(Window { limit: 10, offset: 0 }).await.expect("media");
    assert_eq!(media.len(), 4);
    let photo = media.iter().find(|m| m.mime_type == "image/jpeg").expect("the JPEG");
    assert_eq!((photo.width, photo.height, photo.credit.as_str()), (1100, 700, "AFP-Yonhap"));

    let found = desk.page("/desk/photos?q=mokpo").await;
    assert_eq!(attributes(&found, ".photo-grid a", "href").len(), 4, "the picker finds earlier uploads");

    let set = desk.post(&format!("/desk/photos/{}/lead", photo.id), &[("story", &id.to_string())]).await;
    assert_eq!(set.status(), 303);
    // Usable at once: before its copies are made the page shows the original alone, at its
    // size (no layout shift either way).
    let article = format!("/article/{id}/storm-closes-ports");
    let page = app.page(&article).await;
    assert_eq!(texts(&page, "figcaption"), ["Ferries wait out the storm in Mokpo. (AFP-Yonhap)"]);
    assert_eq!(attributes(&page, "figure picture img", "srcset"), [format!("/media/{} 1100w", photo.storage_key)]);
    assert!(attributes(&page, "figure picture source", "type").is_empty());
    assert_eq!(attributes(&page, "figure img", "width"), ["1100"]);
    assert_eq!(attributes(&page, "figure img", "height"), ["700"]);

    // The background work makes the copies; the kept page is dropped and offers them.
    assert_eq!(app.make_photo_copies().await, 4, "every photo uploaded gets its copies");
    assert_eq!(app.make_photo_copies().await, 0, "and only once");
    let page = app.page(&article).await;
    assert_eq!(
        attributes(&page, "figure picture source", "type"),
        ["image/webp"],
        "the test paper makes WebP and JPEG"
    );
    let webp = attributes(&page, "figure picture source", "srcset").pop().expect("srcset");
    let srcset = attributes(&page, "figure picture img", "srcset").pop().expect("srcset");
    for width in ["320w", "640w", "960w"] {
        assert!(srcset.contains(width) && webp.contains(width), "{srcset} / {webp}");
    }
    assert!(srcset.contains("1100w"), "the original is the largest candidate: {srcset}");
    assert_eq!(attributes(&page, "figure picture source", "sizes"), attributes(&page, "figure picture img", "sizes"));
    for (candidates, format) in [(srcset, image::ImageFormat::Jpeg), (webp, image::ImageFormat::WebP)] {
        let smallest = candidates.split(", ").next().and_then(|s| s.split(' ').next()).expect("a url").to_owned();
        let served = app.get(&smallest).await;
        assert_eq!(served.status(), 200, "{smallest}");
        let bytes = served.bytes().await.expect("bytes");
        assert_eq!(image::guess_format(&bytes).expect("known"), format, "{smallest}");
        assert_eq!(image::load_from_memory(&bytes).expect("a picture").width(), 320);
    }
}

async fn anything_but_a_whole_allowed_image_is_refused_and_nothing_is_stored(db: TestDatabase) {
    let store = db.store().await;
    let (editor, password) = desk_user(&store, Role::Editor, "Refusing Editor").await;
    let (contributor, contributor_password) = desk_user(&store, Role::Contributor, "Some Contributor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let jpeg = picture(image::ImageFormat::Jpeg);
    let png = picture(image::ImageFormat::Png);
    let cases: Vec<(&str, Form, &str)> = vec![
        ("a text file", upload(b"just some words".to_vec(), "notes.jpg", "image/jpeg", "x"), "none of them"),
        (
            "a cut-short JPEG",
            upload(jpeg[..jpeg.len() / 3].to_vec(), "cut.jpg", "image/jpeg", "x"),
            "damaged or cut short",
        ),
        ("a PNG calling itself a JPEG", upload(png.clone(), "lie.jpg", "image/jpeg", "x"), "its content is image/png"),
        (
            "an SVG",
            upload(
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
                "x.svg",
                "image/svg+xml",
                "x",
            ),
            "none of them",
        ),
        ("a photo without alt text", upload(png.clone(), "ok.png", "image/png", " "), "cannot see it"),
        (
            "a 35-byte GIF declaring an 11,000 × 11,000 picture",
            upload(dateline_testkit::paper::gif_declaring_a_screen_of(11_000), "bomb.gif", "image/gif", "x"),
            "more than the 50 megapixels",
        ),
    ];
    for (what, form, reason) in cases {
        let response = desk.post_multipart("/desk/photos", form).await;
        assert_eq!(response.status(), 422, "{what}");
        let page = scraper::Html::parse_document(&response.text().await.expect("body"));
        assert!(
            texts(&page, ".form-error li").iter().any(|e| e.contains(reason)),
            "{what}: {:?}",
            texts(&page, ".form-error li")
        );
    }
    let huge = vec![0xFFu8; 6 * 1024 * 1024];
    let too_large = desk.post_multipart("/desk/photos", upload(huge, "huge.jpg", "image/jpeg", "x")).await;
    assert!(too_large.status().is_client_error(), "a file past the limit: {}", too_large.status());

    let outsider = app.sign_in(&contributor.email, &contributor_password).await;
    assert_eq!(
        outsider.post_multipart("/desk/photos", upload(png, "p.png", "image/png", "A chart")).await.status(),
        403
    );

    assert!(store.media_list(Window { limit: 10, offset: 0 }).await.expect("media").is_empty());
    assert_eq!(dateline_testkit::files_under(app.media_dir.path()).len(), 0, "no file was left behind");
}

async fn the_photo_desk_finds_photos_by_keyword_and_place_by_day_and_those_nothing_uses(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::PhotoEditor, "Library Desk").await;
    let now: Timestamp = "2026-11-28T03:00:00Z".parse().expect("now");
    let fact = |field: &str, value: &str| dateline_newsroom::media::FileFact {
        field: field.into(),
        value: value.into(),
        source: "IPTC IIM".into(),
    };
    let add =
        |key: &'static str, caption: &'static str, facts: Vec<dateline_newsroom::media::FileFact>, at: Timestamp| {
            let store = store.clone();
            async move {
                let new = dateline_newsroom::NewMedia {
                    storage_key: format!("test/{key}.jpg"),
                    mime_type: "image/jpeg".into(),
                    width: 1200,
                    height: 800,
                    byte_size: 1000,
                    caption: caption.into(),
                    credit: "Dateline".into(),
                    alt_text: "A picture".into(),
                    photographer: String::new(),
                    file_facts: facts,
                    content_credentials: None,
                };
                store.insert_media(&new, at).await.expect("photo").id
            }
        };
    let storm = add("storm", "Waves over the sea wall", vec![fact("Keywords", "typhoon, coast")], now).await;
    let lead = add("lead", "Ferries tied up in port", vec![fact("City", "Haeseong")], now).await;
    let old = add("old", "서울 시청 앞 광장 100% 가득", vec![], now - jiff::SignedDuration::from_hours(24 * 10)).await;
    StoryBuilder::new("Storm day", paper.national.id, now).lead_photo(lead).store(&store).await;
    let app = TestApp::start(store.clone(), now).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let found = |query: &'static str| {
        let desk = desk.clone();
        async move {
            let page = desk.page(&format!("/desk/photos?{query}")).await;
            let mut ids: Vec<String> = attributes(&page, ".photo-grid a", "href");
            ids.sort();
            ids
        }
    };
    let link = |id: dateline_newsroom::MediaId| format!("/desk/photos/{id}");
    assert_eq!(found("q=TYPHOON").await, [link(storm)], "a keyword the file carried, whatever the case");
    assert_eq!(found("q=haeseong+ferries").await, [link(lead)], "every word must be found");
    assert_eq!(found("q=%EC%8B%9C%EC%B2%AD").await, [link(old)], "Korean words too");
    assert_eq!(found("q=100%25").await, [link(old)], "a percent sign is a character, not a wildcard");
    assert_eq!(found("q=%25").await, [link(old)]);
    let mut unused = vec![link(storm), link(old)];
    unused.sort();
    assert_eq!(found("unused=1").await, unused, "the lead photo is in use");
    assert_eq!(found("from=2026-11-20").await.len(), 2, "added from a day on");
    assert_eq!(found("until=2026-11-20").await, [link(old)], "added until a day");
    assert_eq!(desk.get("/desk/photos?from=yesterday").await.status(), 400);
}

async fn a_nul_in_a_photos_caption_or_in_a_library_search_is_dropped_and_the_upload_keeps(db: TestDatabase) {
    let store = db.store().await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Cha Eun-seo").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&photo_editor.email, &password).await;
    let form = Form::new()
        .part(
            "file",
            Part::bytes(picture(image::ImageFormat::Png)).file_name("a.png").mime_str("image/png").expect("mime"),
        )
        .text("caption", "Ferries\u{0} wait\u{1b} in Mokpo.")
        .text("credit", "AFP\u{0}-Yonhap")
        .text("alt_text", "Ferries at a quay")
        .text("photographer", "Lee Su-bin");
    let uploaded = desk.post_multipart("/desk/photos", form).await;
    assert_eq!(uploaded.status(), 303, "{}", uploaded.text().await.unwrap_or_default());
    let photos = store.media_list(Window { limit: 5, offset: 0 }).await.expect("library");
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].caption, "Ferries wait in Mokpo.");
    assert_eq!(photos[0].credit, "AFP-Yonhap");
    let found = desk.get("/desk/photos?q=Mokpo%00").await;
    assert_eq!(found.status(), 200, "a NUL in the search is dropped, not sent to the database");
    let page = scraper::Html::parse_document(&found.text().await.expect("page"));
    assert!(texts(&page, "main").concat().contains("Ferries wait in Mokpo."));
}

async fn a_photo_editor_uploads_several_photos_at_once_and_is_told_what_became_of_each(db: TestDatabase) {
    let store = db.store().await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Cha Eun-seo").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&photo_editor.email, &password).await;
    let small = |shade: u8, format: image::ImageFormat| {
        let pixels = image::RgbImage::from_pixel(60, 40, image::Rgb([shade, 90, 120]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(pixels).write_to(&mut Cursor::new(&mut bytes), format).expect("encode");
        bytes
    };
    let part = |bytes: Vec<u8>, name: &str, mime: &str| {
        Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).expect("mime")
    };
    // The details go with every file.
    let form = Form::new()
        .text("caption", "Harbour market, Saturday")
        .text("credit", "Dateline")
        .text("alt_text", "Stalls along the harbour")
        .part("file", part(small(10, image::ImageFormat::Jpeg), "stalls.jpg", "image/jpeg"))
        .part("file", part(b"<html>not a photo</html>".to_vec(), "notes.png", "image/png"))
        .part("file", part(small(200, image::ImageFormat::Png), "crowd.png", "image/png"));
    let answer = desk.post_multipart("/desk/photos", form).await;
    assert_eq!(answer.status(), 200, "some were stored");
    let page = scraper::Html::parse_document(&answer.text().await.expect("page"));
    assert_eq!(texts(&page, ".upload-results h2"), ["Uploaded: 2 of 3"]);
    let lines = texts(&page, ".upload-results li");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("stalls.jpg") && lines[0].ends_with("stored"), "{lines:?}");
    assert!(lines[1].starts_with("notes.png: not stored.") && lines[1].contains("cannot be used"), "{lines:?}");
    assert!(lines[2].starts_with("crowd.png") && lines[2].ends_with("stored"), "{lines:?}");
    let library = store.media_list(Window { limit: 10, offset: 0 }).await.expect("library");
    assert_eq!(library.len(), 2, "the refused file left nothing behind");
    assert!(library.iter().all(|m| m.caption == "Harbour market, Saturday" && m.credit == "Dateline"));
    for link in attributes(&page, ".upload-results a", "href") {
        assert_eq!(desk.get(&link).await.status(), 200, "{link}");
    }

    // One upload takes at most 20: the rest are named, not lost in silence.
    let mut form = Form::new().text("credit", "Dateline").text("alt_text", "A harbour stall");
    for n in 0..21u8 {
        form = form.part("file", part(small(n, image::ImageFormat::Png), &format!("stall-{n}.png"), "image/png"));
    }
    let answer = desk.post_multipart("/desk/photos", form).await;
    assert_eq!(answer.status(), 200);
    let page = scraper::Html::parse_document(&answer.text().await.expect("page"));
    assert_eq!(texts(&page, ".upload-results h2"), ["Uploaded: 20 of 21"]);
    let last = texts(&page, ".upload-results li").pop().expect("the last file");
    assert!(last.starts_with("stall-20.png: not stored.") && last.contains("at most 20"), "{last}");
    assert_eq!(store.media_list(Window { limit: 100, offset: 0 }).await.expect("library").len(), 22);
}

/// A JPEG with these segments (marker, payload) put in after its start.
fn jpeg_with_segments(segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let plain = picture(image::ImageFormat::Jpeg);
    let mut out = plain[..2].to_vec();
    for (marker, payload) in segments {
        out.extend([0xFF, *marker]);
        out.extend(u16::try_from(payload.len() + 2).expect("a segment's size").to_be_bytes());
        out.extend(payload);
    }
    out.extend(&plain[2..]);
    out
}

async fn hostile_photo_files_get_a_clear_answer_quickly_and_leave_nothing_half_stored(db: TestDatabase) {
    let store = db.store().await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Cha Eun-seo").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&photo_editor.email, &password).await;
    // An IPTC record (Photoshop resource 0x0404) whose dataset claims more bytes than it has.
    let mut lying_iptc = b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x10".to_vec();
    lying_iptc.extend(b"\x1c\x02\x78\x7f\xffCaption that ends early");
    // XMP that declares entities to expand (billion laughs), and XMP that is not XML at all.
    let mut laughs = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    laughs.extend(
        br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>&c;&c;&c;</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"#,
    );
    let mut not_xml = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    not_xml.extend(b"<x:xmpmeta <<< \xff\xfe not xml");
    // A Content Credentials (C2PA) box in APP11 whose JUMBF lengths are nonsense.
    let mut crafted_c2pa = b"JP\0\0\0\0\0\x01".to_vec();
    crafted_c2pa.extend(b"\xff\xff\xff\xffjumbjumdc2pa");
    crafted_c2pa.extend(vec![0xAB; 500]);
    // Many segments as large as a segment can be.
    let oversized: Vec<(u8, Vec<u8>)> = (0..40).map(|_| (0xE5, vec![0x42; 65_533])).collect();
    let webp = picture(image::ImageFormat::WebP);
    let png = picture(image::ImageFormat::Png);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("an IPTC record that claims too much", jpeg_with_segments(&[(0xED, lying_iptc)]), "image/jpeg"),
        ("XMP declaring entities", jpeg_with_segments(&[(0xE1, laughs)]), "image/jpeg"),
        ("XMP that is not XML", jpeg_with_segments(&[(0xE1, not_xml)]), "image/jpeg"),
        ("a crafted C2PA box", jpeg_with_segments(&[(0xEB, crafted_c2pa)]), "image/jpeg"),
        ("forty oversized segments", jpeg_with_segments(&oversized), "image/jpeg"),
        ("a WebP cut in half", webp[..webp.len() / 2].to_vec(), "image/webp"),
        (
            "a WebP whose header claims a gigabyte",
            {
                let mut lying = webp.clone();
                lying[4..8].copy_from_slice(&0x4000_0000u32.to_le_bytes());
                lying
            },
            "image/webp",
        ),
        ("a PNG cut in half", png[..png.len() / 2].to_vec(), "image/png"),
        ("an AVIF cut short", b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf\0\0\0\x08meta".to_vec(), "image/avif"),
    ];
    let mut stored = 0;
    for (what, bytes, mime) in cases {
        let started = std::time::Instant::now();
        let answer = desk.post_multipart("/desk/photos", upload(bytes, "hostile.bin", mime, "A hostile file")).await;
        let status = answer.status().as_u16();
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(10), "{what}: answered after {took:?}");
        match status {
            303 => {
                stored += 1;
                let location = answer.headers()["location"].to_str().expect("location").to_owned();
                let page = desk.page(&location).await;
                let src = attributes(&page, "img[src^='/media/']", "src").into_iter().next().expect("shown");
                let file = app.get(&src).await.bytes().await.expect("the file");
                assert!(image::load_from_memory(&file).is_ok(), "{what}: what was stored is a whole picture");
                if what.contains("C2PA") {
                    let verdict = texts(&page, ".credentials-verdict").concat();
                    assert!(
                        verdict.starts_with("Unreadable.") && verdict.contains("could not be read"),
                        "{what}: the desk is told the credentials could not be read: {verdict}"
                    );
                }
                if what.contains("XMP") || what.contains("IPTC") {
                    let said = texts(&page, "main").concat();
                    assert!(
                        said.contains("skipped") || said.contains("breaks off"),
                        "{what}: the desk is told: {said}"
                    );
                }
            }
            422 => {
                let page = scraper::Html::parse_document(&answer.text().await.expect("page"));
                let reasons = texts(&page, ".form-error li").concat();
                assert!(reasons.contains("cannot be used"), "{what}: a refusal in a sentence: {reasons}");
            }
            other => panic!("{what}: answered {other}"),
        }
        let library = store.media_list(Window { limit: 100, offset: 0 }).await.expect("library");
        assert_eq!(library.len(), stored, "{what}: a refusal stores nothing");
    }
    assert!(stored >= 4, "files whose metadata is broken are taken with the metadata skipped: {stored}");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

async fn the_photo_library_pages_through_every_photo_however_many_there_are(db: TestDatabase) {
    let store = db.store().await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Cha Eun-seo").await;
    for n in 0..130 {
        let at = now() - jiff::SignedDuration::from_mins(n);
        let caption = if n % 2 == 0 { format!("Harbour {n}") } else { format!("Market {n}") };
        dateline_testkit::paper::photo(&store, &format!("2026/p{n}.jpg"), &caption, "Desk", at).await;
    }
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&photo_editor.email, &password).await;
    let mut seen = Vec::new();
    let mut next = Some("/desk/photos".to_owned());
    while let Some(address) = next {
        let page = desk.page(&address).await;
        seen.extend(attributes(&page, ".photo-grid a", "href"));
        next = attributes(&page, ".pager a[rel=next]", "href").pop();
        assert!(seen.len() <= 130, "the pages end");
    }
    assert_eq!(seen.len(), 130, "every photo is on one page or another");
    let distinct: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), 130, "and none twice");
    // A search pages too, keeping its words.
    let first = desk.page("/desk/photos?q=harbour").await;
    assert_eq!(attributes(&first, ".photo-grid a", "href").len(), 60);
    let older = attributes(&first, ".pager a[rel=next]", "href").pop().expect("a next page");
    assert!(older.contains("q=harbour") && older.contains("page=2"), "{older}");
    let second = desk.page(&older).await;
    assert_eq!(attributes(&second, ".photo-grid a", "href").len(), 5);
    assert!(texts(&second, ".photo-grid p").iter().all(|caption| caption.starts_with("Harbour")));
    assert_eq!(attributes(&second, ".pager a[rel=prev]", "href"), ["/desk/photos?q=harbour"]);
    assert_eq!(desk.get("/desk/photos?page=0").await.status(), 400);
}

on_both_databases!(
    the_photo_library_pages_through_every_photo_however_many_there_are,
    hostile_photo_files_get_a_clear_answer_quickly_and_leave_nothing_half_stored,
    a_photo_editor_uploads_several_photos_at_once_and_is_told_what_became_of_each,
    a_nul_in_a_photos_caption_or_in_a_library_search_is_dropped_and_the_upload_keeps,
    the_photo_desk_finds_photos_by_keyword_and_place_by_day_and_those_nothing_uses,
    a_photo_editor_uploads_a_photo_and_makes_it_a_storys_lead_photo,
    anything_but_a_whole_allowed_image_is_refused_and_nothing_is_stored
);
