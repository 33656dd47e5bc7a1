//! Crops around a photo's focal point, through HTTP: a front's lead shows the 16:9 crop, a
//! shared link the 1200 × 630 one, search engines the 16:9, 4:3 and 1:1 ones; an editor moves
//! the point and every crop follows it, under new file names.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{FocalPoint, Role, Window};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{attributes, on_both_databases, texts, TestApp};
use jiff::Timestamp;
use reqwest::multipart::{Form, Part};
use std::io::Cursor;

fn now() -> Timestamp {
    "2026-12-07T03:00:00Z".parse().expect("instant")
}

/// A 1500 × 1000 photo: a red field on its left two thirds, a blue one on its right third.
fn red_and_blue_photo() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(1500, 1000, |x, _| {
        if x < 1000 {
            image::Rgb([200, 20, 20])
        } else {
            image::Rgb([20, 20, 200])
        }
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .expect("encode");
    bytes
}

async fn fetched_picture(app: &TestApp, url: &str) -> image::RgbImage {
    let path = url.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..])).unwrap_or(url);
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let bytes = response.bytes().await.expect("bytes");
    image::load_from_memory(&bytes).expect("a picture").to_rgb8()
}

fn is_blue(pixel: &image::Rgb<u8>) -> bool {
    pixel[2] > 150 && pixel[0] < 80
}

/// The `image` list of the page's NewsArticle: `(url, width, height)`.
fn structured_images(page: &scraper::Html) -> Vec<(String, u64, u64)> {
    let blocks = texts(page, "script[type='application/ld+json']");
    let article = blocks
        .iter()
        .filter_map(|block| serde_json::from_str::<serde_json::Value>(block).ok())
        .flat_map(|value| value["@graph"].as_array().cloned().unwrap_or_default())
        .find(|item| item["@type"] == "NewsArticle")
        .expect("a NewsArticle");
    article["image"]
        .as_array()
        .expect("an image list")
        .iter()
        .map(|image| {
            (
                image["url"].as_str().unwrap_or_default().to_owned(),
                image["width"].as_u64().unwrap_or_default(),
                image["height"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn meta(page: &scraper::Html, property: &str) -> String {
    attributes(page, &format!("meta[property='{property}']"), "content").pop().unwrap_or_default()
}

async fn an_editor_sets_a_photos_focal_point_and_fronts_shares_and_search_engines_get_crops_around_it(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Cha Eun-seo").await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Park Ji-hoon").await;
    let id = StoryBuilder::new("Storm closes ports", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&photo_editor.email, &password).await;
    let form = Form::new()
        .part("file", Part::bytes(red_and_blue_photo()).file_name("quay.png").mime_str("image/png").expect("mime"))
        .text("caption", "A blue ferry at a red quay.")
        .text("credit", "Yonhap")
        .text("alt_text", "A blue ferry moored at the end of a red quay");
    assert_eq!(desk.post_multipart("/desk/photos", form).await.status(), 303);
    let photo = store.media_list(Window { limit: 1, offset: 0 }).await.expect("media").remove(0);
    assert_eq!(photo.focal_point, FocalPoint { x: 50, y: 50 }, "crops centre until an editor chooses");
    let set = desk.post(&format!("/desk/photos/{}/lead", photo.id), &[("story", &id.to_string())]).await;
    assert_eq!(set.status(), 303);
    let article = format!("/article/{id}/storm-closes-ports");

    // Usable at once: until the crops exist, the front's 16:9 slot holds the whole photo
    // (the theme's CSS covers the slot) and a shared link shows the original.
    let home = app.page("/").await;
    assert_eq!(attributes(&home, ".home-lead img.crop--wide", "src"), [format!("/media/{}", photo.storage_key)]);
    let page = app.page(&article).await;
    assert!(meta(&page, "og:image").ends_with(&photo.storage_key));
    assert_eq!((meta(&page, "og:image:width"), meta(&page, "og:image:height")), ("1500".into(), "1000".into()));
    assert_eq!(structured_images(&page).len(), 1, "the original alone");

    assert_eq!(app.make_photo_copies().await, 1);
    let home = app.page("/").await;
    let wide = attributes(&home, ".home-lead img.crop--wide", "srcset").pop().expect("a srcset");
    assert!(wide.contains("-c16x9-f50x50-w320.jpg 320w") && wide.contains("-c16x9-f50x50-w1280.jpg 1280w"), "{wide}");
    assert_eq!(attributes(&home, ".home-lead img.crop--wide", "width"), ["1280"]);
    assert_eq!(attributes(&home, ".home-lead img.crop--wide", "height"), ["720"]);
    assert!(attributes(&home, ".home-lead picture source", "srcset").iter().all(|s| s.contains("-c16x9-f50x50-")));
    let narrowest = wide.split(' ').next().expect("a url");
    assert_eq!(fetched_picture(&app, narrowest).await.dimensions(), (320, 180));

    let page = app.page(&article).await;
    let shared = meta(&page, "og:image");
    assert!(shared.starts_with("http") && shared.ends_with("-cshare-f50x50-w1200.jpg"), "{shared}");
    assert_eq!((meta(&page, "og:image:width"), meta(&page, "og:image:height")), ("1200".into(), "630".into()));
    assert_eq!(fetched_picture(&app, &shared).await.dimensions(), (1200, 630));
    let images = structured_images(&page);
    let shapes: Vec<(u64, u64)> = images.iter().map(|(_, w, h)| (*w, *h)).collect();
    assert_eq!(shapes, [(1280, 720), (640, 480), (320, 320)], "16:9, 4:3 and 1:1 for rich results");
    // The centred square is the middle of the picture: mostly red, blue only at its right.
    let square = fetched_picture(&app, &images[2].0).await;
    assert!(!is_blue(square.get_pixel(10, 160)) && !is_blue(square.get_pixel(200, 160)));

    // A reporter may not move it; a point outside the photo is refused and nothing changes.
    let reporter_desk = app.sign_in(&reporter.email, &reporter_password).await;
    let refused =
        reporter_desk.post(&format!("/desk/photos/{}/focus", photo.id), &[("focal_x", "90"), ("focal_y", "50")]).await;
    assert_eq!(refused.status(), 403);
    let wrong = desk.post(&format!("/desk/photos/{}/focus", photo.id), &[("focal_x", "150"), ("focal_y", "50")]).await;
    assert_eq!(wrong.status(), 422);
    let wrong = scraper::Html::parse_document(&wrong.text().await.expect("page"));
    assert_eq!(texts(&wrong, ".form-error li"), ["A focal point is given in percent, from 0 to 100."]);
    assert_eq!(store.media_by_id(photo.id).await.expect("photo").focal_point, FocalPoint { x: 50, y: 50 });

    // The photo editor puts the point on the ferry, at the far right.
    let moved = desk.post(&format!("/desk/photos/{}/focus", photo.id), &[("focal_x", "100"), ("focal_y", "50")]).await;
    assert_eq!(moved.status(), 303);
    let screen = desk.page(&format!("/desk/photos/{}", photo.id)).await;
    assert_eq!(attributes(&screen, "#focal_x", "value"), ["100"]);
    assert!(texts(&screen, "[role=status]").iter().any(|t| t.contains("being made")), "the desk says crops are coming");
    // Meanwhile the front shows the whole photo's copies, never a crop around the old point.
    let home = app.page("/").await;
    let meanwhile = attributes(&home, ".home-lead img.crop--wide", "srcset").pop().expect("a srcset");
    assert!(!meanwhile.contains("-c16x9-") && meanwhile.contains("-w320.jpg"), "{meanwhile}");

    assert_eq!(app.make_photo_copies().await, 1, "its crops are made again");
    let home = app.page("/").await;
    let wide = attributes(&home, ".home-lead img.crop--wide", "srcset").pop().expect("a srcset");
    assert!(wide.contains("-c16x9-f100x50-w640.jpg 640w"), "new files, so no cache keeps the old crop: {wide}");
    let page = app.page(&article).await;
    assert!(meta(&page, "og:image").ends_with("-cshare-f100x50-w1200.jpg"));
    let images = structured_images(&page);
    let square = fetched_picture(&app, &images[2].0).await;
    // The square is now the right 1000 pixels: its left half red, its right half blue.
    assert!(!is_blue(square.get_pixel(40, 160)) && is_blue(square.get_pixel(280, 160)));
    let blue = square.pixels().filter(|p| is_blue(p)).count();
    assert!((40_000..=62_000).contains(&blue), "about half the square is the ferry's blue, not {blue} pixels");

    let screen = desk.page(&format!("/desk/photos/{}", photo.id)).await;
    assert_eq!(
        texts(&screen, ".crop-previews span"),
        ["16:9, for a front's lead", "4:3, for a front's grid", "1:1, for thumbnails", "1200 × 630, for shared links"]
    );
}

on_both_databases!(an_editor_sets_a_photos_focal_point_and_fronts_shares_and_search_engines_get_crops_around_it);
