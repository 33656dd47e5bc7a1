//! Content Credentials (C2PA) through HTTP: the photo desk sees who signed a photo and whether
//! the file matched its signature; readers see a note only for a trusted signer's unchanged
//! photo, saying the picture shown is a resized copy; no served file carries the manifest.
//! The signers are made in the test (a throwaway root and a signer under it).

use dateline_media::credentials::TrustAnchors;
use dateline_newsroom::media::CredentialsVerdict;
use dateline_newsroom::{MediaStore, Role, Window};
use dateline_testkit::content_credentials::{tampered, TestSigner};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{on_both_databases, texts, DeskSession, TestApp, TestDatabase};
use jiff::Timestamp;
use reqwest::multipart::{Form, Part};
use std::io::Cursor;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn camera_jpeg() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(1100, 700, |x, y| image::Rgb([(x % 256) as u8, (y % 200) as u8, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("a JPEG");
    bytes
}

/// Uploads `bytes` with `caption` and returns the address of its photo screen.
async fn upload(desk: &DeskSession, bytes: Vec<u8>, caption: &str) -> String {
    let form = Form::new()
        .part("file", Part::bytes(bytes).file_name("frame.jpg").mime_str("image/jpeg").expect("mime"))
        .text("caption", caption.to_owned())
        .text("credit", "Test Agency")
        .text("alt_text", "Fishing boats tied up in a harbour")
        .text("photographer", "Han Ji-woo");
    let answer = desk.post_multipart("/desk/photos", form).await;
    assert_eq!(answer.status(), 303, "{caption}: taken into the library");
    answer.headers()["location"].to_str().expect("location").to_owned()
}

async fn the_photo_desk_sees_who_signed_a_photo_and_readers_see_credentials_only_from_a_trusted_signer(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Cha Eun-seo").await;
    let agency = TestSigner::new("Test Agency Root", "Test Agency Photo Desk");
    let stranger = TestSigner::new("Anyone Root", "Someone Calling Themselves An Agency");
    let trust = TrustAnchors::from_pem(&agency.root_pem).expect("the agency's root");
    let app = TestApp::start_with(store.clone(), now(), |settings| settings.content_credentials_trust = trust).await;
    let desk = app.sign_in(&photo_editor.email, &password).await;

    let frame = camera_jpeg();
    let signed = agency.sign_jpeg(&frame, "Test Agency Camera Firmware");
    let trusted_screen = upload(&desk, signed.clone(), "Boats wait out the typhoon in Busan.").await;
    let retouched_screen = upload(&desk, tampered(&signed), "Boats in Busan, retouched after signing.").await;
    let unknown_screen =
        upload(&desk, stranger.sign_jpeg(&frame, "Unknown Tool"), "Boats, signed by a stranger.").await;
    let plain_screen = upload(&desk, frame.clone(), "Boats, no credentials.").await;

    // What the library keeps of each.
    let library = store.media_list(Window { limit: 10, offset: 0 }).await.expect("library");
    let verdict_of = |caption: &str| {
        let photo = library.iter().find(|m| m.caption.starts_with(caption)).expect("uploaded");
        photo.content_credentials.as_ref().map(|c| (c.verdict, c.signer.clone()))
    };
    assert_eq!(verdict_of("Boats wait out"), Some((CredentialsVerdict::Trusted, "Test Agency Photo Desk".to_owned())));
    assert_eq!(verdict_of("Boats in Busan").map(|v| v.0), Some(CredentialsVerdict::DoesNotMatch));
    assert_eq!(
        verdict_of("Boats, signed by a stranger"),
        Some((CredentialsVerdict::UnknownSigner, "Someone Calling Themselves An Agency".to_owned()))
    );
    assert_eq!(verdict_of("Boats, no credentials"), None);

    // What the photo desk is told, on each photo's screen.
    let trusted = desk.page(&trusted_screen).await;
    let verdict = texts(&trusted, ".credentials-verdict").concat();
    assert!(verdict.starts_with("Verified.") && verdict.contains("Test Agency Photo Desk"), "{verdict}");
    let facts = texts(&trusted, ".content-credentials dd");
    assert!(facts.iter().any(|f| f == "Test Agency Photo Desk"), "the signer: {facts:?}");
    assert!(facts.iter().any(|f| f.contains("Test Agency Camera Firmware")), "what made it: {facts:?}");
    assert!(facts.iter().any(|f| f.contains("resized copy")), "what readers will see: {facts:?}");

    let retouched = desk.page(&retouched_screen).await;
    let verdict = texts(&retouched, ".credentials-verdict").concat();
    assert!(verdict.starts_with("Does not match.") && verdict.contains("changed after signing"), "{verdict}");
    let problems = texts(&retouched, ".content-credentials .problems li");
    assert!(problems.iter().any(|p| p.contains("mismatch")), "the failed check is named: {problems:?}");

    let unknown = desk.page(&unknown_screen).await;
    let verdict = texts(&unknown, ".credentials-verdict").concat();
    assert!(
        verdict.starts_with("Unknown signer.") && verdict.contains("not among this paper's trusted signers"),
        "{verdict}"
    );
    assert!(texts(&desk.page(&plain_screen).await, ".content-credentials").is_empty(), "nothing to report");

    // Readers: the note under the trusted photo only.
    let mut articles = Vec::new();
    for (screen, headline) in [
        (&trusted_screen, "Typhoon shuts Busan port"),
        (&retouched_screen, "Port reopens after typhoon"),
        (&unknown_screen, "Fishing fleet counts losses"),
    ] {
        let id = StoryBuilder::new(headline, paper.national.id, now()).store(&store).await;
        let photo = screen.trim_start_matches("/desk/photos/").split(['?', '/']).next().expect("the photo's id");
        let set = desk.post(&format!("/desk/photos/{photo}/lead"), &[("story", &id.to_string())]).await;
        assert_eq!(set.status(), 303, "{headline}: lead photo set");
        articles.push(format!("/article/{id}/{}", headline.to_lowercase().replace(' ', "-")));
    }
    let shown = |page: &scraper::Html| texts(page, "figure figcaption .content-credentials");
    let trusted_article = app.page(&articles[0]).await;
    let note = shown(&trusted_article);
    assert_eq!(note.len(), 1, "{note:?}");
    assert!(
        note[0].starts_with("Content Credentials: the original was signed by Test Agency Photo Desk")
            && note[0].ends_with("this is a resized copy of it."),
        "{}",
        note[0]
    );
    assert!(shown(&app.page(&articles[1]).await).is_empty(), "a file changed after signing shows readers nothing");
    assert!(shown(&app.page(&articles[2]).await).is_empty(), "an unknown signer is not vouched for");

    // No file served to readers carries the manifest, which would no longer match it.
    let original = trusted_article
        .select(&scraper::Selector::parse("figure img").expect("selector"))
        .filter_map(|img| img.value().attr("src"))
        .next()
        .expect("the photo")
        .to_owned();
    let served = app.get(&original).await.bytes().await.expect("the file");
    assert!(image::load_from_memory(&served).is_ok(), "a whole picture");
    assert!(!served.windows(4).any(|w| w == b"jumb"), "the served file carries no C2PA manifest");
}

on_both_databases!(the_photo_desk_sees_who_signed_a_photo_and_readers_see_credentials_only_from_a_trusted_signer);
