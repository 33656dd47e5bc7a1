//! Every desk screen is valid HTML (the Nu HTML Checker finds no error) and labels each of
//! its form fields, so it can be used with a keyboard and a screen reader.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_testkit::checkers::html_errors;
use dateline_testkit::paper::{desk_user, photo, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, TestApp, TestDatabase};
use jiff::Timestamp;

#[tokio::test]
async fn every_desk_screen_is_valid_html_with_labelled_fields() {
    let now: Timestamp = "2026-11-28T03:00:00Z".parse().expect("now");
    let database = TestDatabase::sqlite().await;
    let store = database.store().await;
    let paper = SmallPaper::create(&store).await;
    let (admin, password) = desk_user(&store, Role::Admin, "Valid Admin").await;
    let picture = photo(&store, "test/a.jpg", "A caption.", "Dateline", now).await;
    let id = StoryBuilder::new("A story to edit", paper.politics.id, now)
        .by(&[paper.reporter.id])
        .lead_photo(picture.id)
        .store(&store)
        .await;
    StoryBuilder::new("A draft", paper.business.id, now).status(ArticleStatus::Draft).store(&store).await;
    store
        .insert_page(
            &dateline_newsroom::NewPage {
                slug: dateline_testkit::paper::slug("privacy"),
                title: "Privacy".into(),
                body: "Text.".into(),
            },
            now,
        )
        .await
        .expect("page");
    // A wire story the desk edited, with the agency's next version waiting beside it.
    let (source, _) =
        dateline_testkit::paper::wire_source(&store, "Hanbit News", "newsml-g2", paper.politics.id, false).await;
    let fixture = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/../dateline-ingest/tests/fixtures/newsml-g2/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    };
    let first = dateline_ingest::newsml::read(&fixture("text.xml")).expect("version 1");
    let dateline_newsroom::wire::Receipt::Created { article: wire_id, .. } =
        dateline_newsroom::wire::receive(&store, &source, &first, &[], None, now).await.expect("taken")
    else {
        panic!("a new wire story");
    };
    let mut edited = store.article_by_id(wire_id).await.expect("wire story");
    let mut update = dateline_newsroom::ArticleUpdate::of(
        &edited,
        dateline_newsroom::RevisionKind::Saved,
        dateline_newsroom::RevisionAuthor::system("Valid Admin"),
        now,
    );
    update.content.headline = "Budget passes after a long night".into();
    edited = store.update_article(&update).await.expect("desk edit");
    let second = dateline_ingest::newsml::read(&fixture("text-v2.xml")).expect("version 2");
    dateline_newsroom::wire::receive(&store, &source, &second, &[], None, now).await.expect("held");
    assert_eq!(edited.content.headline, "Budget passes after a long night");
    let app = TestApp::start(store.clone(), now).await;
    let desk = app.sign_in(&admin.email, &password).await;
    desk.post(&format!("/desk/stories/{id}/correct"), &[("version", "1"), ("correction", "A fix.")]).await;

    // A live story with a pinned post, an edited one and one with a photo.
    let live = StoryBuilder::new("Storm night", paper.national.id, now).by(&[paper.reporter.id]).store(&store).await;
    dateline_newsroom::live::LiveStore::start_coverage(&store, live, now).await.expect("live");
    for (body, extra) in [("First post.", ("pinned", "yes")), ("Second post.", ("title", "A title"))] {
        let posted = desk.post(&format!("/desk/stories/{live}/live"), &[("body", body), extra]).await;
        assert_eq!(posted.status(), 303);
    }
    let photo_id = picture.id.to_string();
    desk.post(&format!("/desk/stories/{live}/live"), &[("body", "With a photo."), ("photo", &photo_id)]).await;
    let post = dateline_newsroom::live::LiveStore::live_posts(&store, live, 1, 0).await.expect("posts")[0].id;
    let reader_live_page = app.get(&format!("/article/{live}/storm-night")).await.text().await.expect("live page");

    // A newsletter with an edition.
    let newsletter = desk
        .post(
            "/desk/newsletters",
            &[
                ("name", "The Morning Briefing"),
                ("sender_name", "The Paper"),
                ("sender_address", "briefing@dateline.test"),
                ("schedule", "weekdays 07:00"),
                ("source", "home"),
            ],
        )
        .await;
    assert_eq!(newsletter.status(), 303);
    let newsletter_path = newsletter.headers()["location"].to_str().expect("location").to_owned();
    let edition = desk.post(&format!("{newsletter_path}/editions"), &[]).await;
    assert_eq!(edition.status(), 303);
    let edition_path = edition.headers()["location"].to_str().expect("location").to_owned();
    let reader_newsletters = app.get("/newsletters/").await.text().await.expect("newsletters page");
    let reader_archive = app.get("/newsletters/the-morning-briefing/").await.text().await.expect("archive page");

    // A podcast show with an episode made from a sound file.
    let artwork = store
        .insert_media(
            &dateline_newsroom::NewMedia {
                storage_key: "art/square.jpg".into(),
                mime_type: "image/jpeg".into(),
                width: 1400,
                height: 1400,
                byte_size: 1000,
                caption: "Show artwork".into(),
                credit: "Dateline".into(),
                alt_text: "Rings of sound".into(),
                photographer: String::new(),
                file_facts: Vec::new(),
                content_credentials: None,
            },
            now,
        )
        .await
        .expect("artwork");
    let artwork_id = artwork.id.to_string();
    // A photo whose Content Credentials did not match its file, as the desk is shown it.
    let retouched = store
        .insert_media(
            &dateline_newsroom::NewMedia {
                storage_key: "test/retouched.jpg".into(),
                mime_type: "image/jpeg".into(),
                width: 800,
                height: 600,
                byte_size: 1000,
                caption: "A harbour.".into(),
                credit: "Test Agency".into(),
                alt_text: "Boats in a harbour".into(),
                photographer: String::new(),
                file_facts: Vec::new(),
                content_credentials: Some(dateline_newsroom::media::ContentCredentials {
                    signer: "Test Agency Photo Desk".into(),
                    organisation: "Test Agency".into(),
                    signed_at: Some("2026-11-27T22:00:00Z".into()),
                    made_with: "Test Camera 1.0".into(),
                    verdict: dateline_newsroom::media::CredentialsVerdict::DoesNotMatch,
                    problems: vec!["assertion.dataHash.mismatch: the hash of the picture does not match".into()],
                }),
            },
            now,
        )
        .await
        .expect("a retouched photo");
    let section_id = paper.national.id.to_string();
    let show = desk
        .post(
            "/desk/podcasts",
            &[
                ("title", "Morning Call"),
                ("description", "The news, read slowly."),
                ("artwork_id", &artwork_id),
                ("category", "News"),
                ("language", "en"),
                ("owner_name", "Audio desk"),
                ("owner_email", "audio@dateline.test"),
                ("author", "The Paper"),
                ("section_id", &section_id),
            ],
        )
        .await;
    assert_eq!(show.status(), 303);
    let show_path = show.headers()["location"].to_str().expect("location").to_owned();
    let sound = dateline_media::audio::tone_mp3(1.0, &[440.0]);
    let episode = desk
        .post_multipart(
            &format!("{show_path}/episodes"),
            reqwest::multipart::Form::new().text("headline", "Episode one").text("episode_type", "full").part(
                "audio",
                reqwest::multipart::Part::bytes(sound).file_name("one.mp3").mime_str("audio/mpeg").expect("mime"),
            ),
        )
        .await;
    assert_eq!(episode.status(), 303);
    let episode_path = episode.headers()["location"].to_str().expect("location").to_owned();

    // A story with an uploaded video (poster, captions), and one with a platform's video.
    let clip: &[u8] = include_bytes!("../../../dateline-media/testdata/clip.mp4");
    let filmed = desk
        .post_multipart(
            &format!("/desk/stories/{id}/video"),
            reqwest::multipart::Form::new()
                .text("title", "Ships return")
                .text("poster_id", picture.id.to_string())
                .text("action", "save")
                .part(
                    "video",
                    reqwest::multipart::Part::bytes(clip.to_vec())
                        .file_name("c.mp4")
                        .mime_str("video/mp4")
                        .expect("mime"),
                )
                .part(
                    "captions",
                    reqwest::multipart::Part::bytes(b"WEBVTT\n\n00:00.000 --> 00:01.000\nShips.\n".to_vec())
                        .file_name("c.vtt"),
                ),
        )
        .await;
    assert_eq!(filmed.status(), 303);
    let reader_video_page = app.get(&format!("/article/{id}/a-story-to-edit")).await.text().await.expect("video page");
    let linked = desk
        .post_multipart(
            &format!("/desk/stories/{live}/video"),
            reqwest::multipart::Form::new()
                .text("title", "The storm from the air")
                .text("link", "https://vimeo.com/76979871")
                .text("action", "save"),
        )
        .await;
    assert_eq!(linked.status(), 303);
    let reader_linked_video_page =
        app.get(&format!("/article/{live}/storm-night")).await.text().await.expect("video page");

    let sign_in = app.get("/desk/sign-in").await.text().await.expect("sign-in");
    let mut pages = vec![
        ("desk-sign-in".to_owned(), sign_in),
        ("reader-live-page".to_owned(), reader_live_page),
        ("reader-video-page".to_owned(), reader_video_page),
        ("reader-linked-video-page".to_owned(), reader_linked_video_page),
        ("reader-newsletters".to_owned(), reader_newsletters),
        ("reader-newsletter-archive".to_owned(), reader_archive),
    ];
    for path in [
        "/desk/".to_owned(),
        "/desk/?status=draft".to_owned(),
        "/desk/stories/new".to_owned(),
        format!("/desk/stories/{id}"),
        format!("/desk/stories/{id}/history"),
        format!("/desk/stories/{id}/diff"),
        "/desk/photos".to_owned(),
        format!("/desk/photos/{}", picture.id),
        format!("/desk/photos/{}", retouched.id),
        "/desk/home-page".to_owned(),
        "/desk/sections".to_owned(),
        "/desk/authors".to_owned(),
        "/desk/topics".to_owned(),
        "/desk/pages".to_owned(),
        "/desk/settings".to_owned(),
        "/desk/users".to_owned(),
        "/desk/api-keys".to_owned(),
        "/desk/webhooks".to_owned(),
        "/desk/partners".to_owned(),
        "/desk/wire".to_owned(),
        "/desk/wire?source=hanbit-news".to_owned(),
        "/desk/wire/sources".to_owned(),
        format!("/desk/stories/{wire_id}"),
        "/desk/stories/new?kind=live".to_owned(),
        format!("/desk/stories/{live}"),
        format!("/desk/stories/{live}/live"),
        format!("/desk/live-posts/{post}/history"),
        "/desk/newsletters".to_owned(),
        newsletter_path.clone(),
        edition_path.clone(),
        "/desk/podcasts".to_owned(),
        show_path.clone(),
        episode_path.clone(),
        format!("{episode_path}/episode"),
        format!("/desk/stories/{id}/video"),
        format!("/desk/stories/{live}/video"),
        "/desk/budget".to_owned(),
        format!("/desk/photos/pick?story={id}"),
        format!("/desk/stories/{id}/plan"),
    ] {
        let response = desk.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.expect("page");
        let page = scraper::Html::parse_document(&html);
        let ids = attributes(&page, "label[for]", "for");
        for field in attributes(&page, "input:not([type=hidden]):not([type=checkbox]), select, textarea", "id") {
            assert!(ids.contains(&field), "{path}: the field #{field} has no label");
        }
        pages.push((path, html));
    }
    // The page that keeps a form sent after the session ended, and the one that resumes it.
    let ended = app.sign_in(&admin.email, &password).await;
    ended.post("/desk/sign-out", &[]).await;
    let kept =
        ended.post(&format!("/desk/stories/{id}"), &[("headline", "Kept"), ("body", "Line one.\nLine two.")]).await;
    assert_eq!(kept.status(), 403);
    let kept_html = kept.text().await.expect("kept page");
    let carried = dateline_testkit::form_fields(&scraper::Html::parse_document(&kept_html), "form.signed-in-elsewhere");
    let pairs: Vec<(&str, &str)> = carried.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resumed = desk.post_without_csrf("/desk/resume", &pairs).await.text().await.expect("resume page");
    pages.push(("desk-kept".to_owned(), kept_html));
    let story = id.to_string();
    let bulk_question = desk.post("/desk/stories/bulk", &[("story", &story), ("change", "unpublish")]).await;
    pages.push(("desk-bulk-question".to_owned(), bulk_question.text().await.expect("bulk page")));
    pages.push(("desk-resume".to_owned(), resumed));
    let Some(errors) = html_errors(&pages) else { return };
    assert!(errors.is_empty(), "the Nu HTML Checker found errors on the desk:\n{}", errors.join("\n"));
}
