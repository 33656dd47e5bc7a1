//! Photos inside the editor: from the story, a writer opens the whole library as a grid of
//! thumbnails (caption, credit, date, which stories lead with each), searches it and pages
//! through it to the oldest photo, makes one the lead photo, uploads a new one, and places
//! one in the body, where readers get it as a figure with its caption and credit.

use dateline_newsroom::prelude::*;
use dateline_newsroom::Role;
use dateline_testkit::paper::{desk_user, photo, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, form_fields, on_both_databases, texts, TestApp, TestDatabase};
use jiff::Timestamp;
use reqwest::multipart::{Form, Part};
use std::io::Cursor;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("jpeg");
    bytes
}

async fn a_writer_picks_places_and_uploads_photos_from_the_editor(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let (stranger, stranger_password) = desk_user(&store, Role::Reporter, "Other Reporter").await;
    let harbour = photo(&store, "2020/01/harbour.jpg", "The harbour at dawn", "Hanbit News", now()).await;
    let mut older = Vec::new();
    for n in 0..64 {
        let at = now() - jiff::SignedDuration::from_hours(n + 1);
        older.push(photo(&store, &format!("2021/02/crowd-{n}.jpg"), &format!("Crowd scene {n}"), "Staff", at).await);
    }
    let oldest = older.last().expect("photos").clone();
    let id = StoryBuilder::new("Harbour reopens", paper.national.id, now()).lead_photo(harbour.id).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    let editor_page = desk.page(&format!("/desk/stories/{id}")).await;
    assert_eq!(attributes(&editor_page, "a.photo-picker-link", "href"), [format!("/desk/photos/pick?story={id}")]);

    // The grid: thumbnails with their size, caption, credit, date and where each is the lead.
    let picker = desk.page(&format!("/desk/photos/pick?story={id}")).await;
    assert_eq!(texts(&picker, "h1"), ["Photos for \u{201c}Harbour reopens\u{201d}"]);
    assert_eq!(texts(&picker, ".photo-picker__photo").len(), 60, "a page of sixty");
    assert_eq!(attributes(&picker, ".photo-picker__photo img", "height")[0], "90", "160 wide, in proportion");
    let first = format!(".photo-picker__photo[data-photo='{}']", harbour.id);
    assert_eq!(texts(&picker, &format!("{first} .photo-picker__caption")), ["The harbour at dawn"]);
    assert!(texts(&picker, &format!("{first} .photo-picker__meta"))[0].starts_with("Hanbit News · added "));
    assert_eq!(texts(&picker, &format!("{first} .photo-picker__used")), ["Leads: Harbour reopens"]);
    assert_eq!(texts(&picker, &format!("{first} strong")), ["This story's lead photo"]);
    assert_eq!(texts(&picker, ".photo-picker__used").iter().filter(|t| *t == "Not used yet").count(), 59);
    // Paged through to the oldest photo.
    let older_page = attributes(&picker, ".pager a[rel=next]", "href").pop().expect("an older page");
    let second = desk.page(&older_page).await;
    let on_second = attributes(&second, ".photo-picker__photo", "data-photo");
    assert_eq!(on_second.len(), 5);
    assert!(on_second.contains(&oldest.id.to_string()), "the oldest photo is reachable");
    // Searched by caption.
    let found = desk.page(&format!("/desk/photos/pick?story={id}&q=harbour")).await;
    assert_eq!(attributes(&found, ".photo-picker__photo", "data-photo"), [harbour.id.to_string()]);

    // Made the lead photo from the grid, back in the editor.
    let crowd = &older[3];
    let story = id.to_string();
    let chosen = desk.post(&format!("/desk/photos/{}/lead", crowd.id), &[("story", &story), ("back", "editor")]).await;
    assert_eq!(chosen.status(), 303);
    assert_eq!(chosen.headers()["location"], format!("/desk/stories/{id}?saved=1").as_str());
    assert_eq!(store.article_by_id(id).await.expect("story").content.lead_media_id, Some(crowd.id));

    // Uploaded from the picker, and back in it with the new photo marked.
    let form = Form::new()
        .part("file", Part::bytes(jpeg(800, 600)).file_name("pier.jpg").mime_str("image/jpeg").expect("mime"))
        .text("caption", "The new pier, seen from the ferry")
        .text("credit", "Kim Min-ji / Hanbit News")
        .text("alt_text", "A long concrete pier under a grey sky")
        .text("pick_for", story.clone());
    let uploaded = desk.post_multipart("/desk/photos", form).await;
    assert_eq!(uploaded.status(), 303);
    let back = uploaded.headers()["location"].to_str().expect("location").to_owned();
    assert!(back.starts_with(&format!("/desk/photos/pick?story={id}&uploaded=")), "{back}");
    let picker = desk.page(&back).await;
    assert_eq!(
        texts(&picker, ".photo-picker__photo--new .photo-picker__caption"),
        ["The new pier, seen from the ferry"]
    );
    let markdown = attributes(&picker, ".photo-picker__photo--new .photo-picker__markdown", "value").pop().expect("md");
    let pier: i64 = back.rsplit('=').next().expect("id").parse().expect("a photo id");
    assert_eq!(markdown, format!("![A long concrete pier under a grey sky](photo:{pier})"));

    // Placed in the body: a figure for readers, with its size, description, caption and credit.
    let body = format!(
        "The pier opened on Friday.\n\n{markdown}\n\nInside a sentence ![a small mark](photo:{pier}) reads as words.\n\n![Gone](photo:999999)\n\nThe end."
    );
    let editor_page = desk.page(&format!("/desk/stories/{id}")).await;
    let mut fields: Vec<(String, String)> = form_fields(&editor_page, "form.editor")
        .into_iter()
        .filter(|(name, _)| !matches!(name.as_str(), "body" | "action"))
        .collect();
    fields.push(("body".into(), body));
    fields.push(("action".into(), "save".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(desk.post(&format!("/desk/stories/{id}"), &pairs).await.status(), 303);
    let article = store.article_by_id(id).await.expect("story");
    let reader = app.page(&format!("/article/{id}/{}", article.content.slug)).await;
    let figures = ".story__figure--body";
    assert_eq!(texts(&reader, &format!("{figures} figcaption")).len(), 1, "one placed photo, the unknown one dropped");
    assert_eq!(attributes(&reader, &format!("{figures} img"), "width"), ["800"]);
    assert_eq!(attributes(&reader, &format!("{figures} img"), "height"), ["600"]);
    assert_eq!(attributes(&reader, &format!("{figures} img"), "alt"), ["A long concrete pier under a grey sky"]);
    let caption = texts(&reader, &format!("{figures} figcaption")).pop().expect("caption");
    assert!(
        caption.contains("The new pier, seen from the ferry") && caption.contains("Kim Min-ji / Hanbit News"),
        "{caption}"
    );
    let paragraphs = texts(&reader, "main p");
    assert!(paragraphs.iter().any(|p| p == "Inside a sentence a small mark reads as words."), "{paragraphs:?}");
    assert!(!texts(&reader, "main").concat().contains("photo:"), "no reference reaches readers");

    // A reporter who neither wrote nor was given the story cannot open its picker; on their
    // own story the lead photo is chosen in the editor's field (the dialog fills it), as
    // their role may not set it from the library by itself.
    let other = app.sign_in(&stranger.email, &stranger_password).await;
    assert_eq!(other.get(&format!("/desk/photos/pick?story={id}")).await.status(), 403);
    let own = StoryBuilder::new("A reporter's own draft", paper.national.id, now())
        .status(dateline_newsroom::ArticleStatus::Draft)
        .started_by(&stranger)
        .store(&store)
        .await;
    let picker = other.page(&format!("/desk/photos/pick?story={own}")).await;
    assert!(attributes(&picker, "form.pick-lead", "action").is_empty());
    assert_eq!(attributes(&picker, "button.pick-lead-in-form[hidden]", "data-photo").len(), 60);
    assert_eq!(desk.get("/desk/photos/pick?story=999999").await.status(), 404);
}

on_both_databases!(a_writer_picks_places_and_uploads_photos_from_the_editor);
