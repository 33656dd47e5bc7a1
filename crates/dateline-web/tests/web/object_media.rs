//! Photos kept in S3-compatible object storage, so that every instance reads the same files:
//! tested against moto's S3 server, started on 127.0.0.1 for the test.

use dateline_media::{Blobs, ObjectBlobs, S3Settings};
use dateline_newsroom::Role;
use dateline_testkit::paper::{desk_user, SmallPaper};
use dateline_testkit::{attributes, checkers, TestApp, TestDatabase};
use reqwest::multipart::{Form, Part};
use std::io::Cursor;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto's S3 server, stopped when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
}

impl S3Server {
    async fn start() -> Option<S3Server> {
        let program = checkers::moto_server()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let child = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let server = S3Server { child, endpoint: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        while reqwest::get(&server.endpoint).await.is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(server)
    }

    /// moto accepts any credentials; a bucket is made with a plain PUT.
    async fn bucket(&self, name: &str) -> ObjectBlobs {
        let made = reqwest::Client::new().put(format!("{}/{name}", self.endpoint)).send().await.expect("create bucket");
        assert!(made.status().is_success(), "{}", made.status());
        ObjectBlobs::s3(&S3Settings {
            bucket: name.into(),
            region: "us-east-1".into(),
            endpoint: Some(self.endpoint.clone()),
            access_key_id: "test-key".into(),
            secret_access_key: "test-secret".into(),
            prefix: "paper".into(),
            allow_http: true,
        })
        .expect("bucket settings")
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn jpeg() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(1100, 700, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .expect("encode");
    bytes
}

#[tokio::test]
async fn a_photo_uploaded_on_one_instance_is_kept_in_the_bucket_and_served_by_another() {
    let Some(s3) = S3Server::start().await else { return };
    let bucket = s3.bucket("dateline-media").await;
    let database = TestDatabase::sqlite().await;
    let store = database.store().await;
    SmallPaper::create(&store).await;
    let (photo_editor, password) = desk_user(&store, Role::PhotoEditor, "Bucket Editor").await;
    let now: jiff::Timestamp = "2026-11-28T03:00:00Z".parse().expect("instant");
    let uploading = TestApp::start_with(store.clone(), now, |s| s.object_media = Some(bucket.clone())).await;
    // The second instance has an empty media folder of its own: it can only read the bucket.
    let serving = TestApp::start_with(store.clone(), now, |s| s.object_media = Some(bucket.clone())).await;

    let desk = uploading.sign_in(&photo_editor.email, &password).await;
    let original = jpeg();
    let form = Form::new()
        .part("file", Part::bytes(original.clone()).file_name("harbour.jpg").mime_str("image/jpeg").expect("mime"))
        .text("caption", "The harbour at dawn.")
        .text("credit", "Dateline")
        .text("alt_text", "Fishing boats in a harbour at dawn")
        .text("photographer", "Oh Ji-ho");
    let uploaded = desk.post_multipart("/desk/photos", form).await;
    assert_eq!(uploaded.status(), 303);
    let photo_page = desk.page(uploaded.headers()["location"].to_str().expect("location")).await;
    let src = attributes(&photo_page, "img[src^='/media/']", "src").into_iter().next().expect("the photo is shown");
    let key = src.trim_start_matches("/media/").to_owned();
    assert!(key.starts_with("uploads/2026/11/"), "{key}");

    let from_other = serving.get(&src).await;
    assert_eq!(from_other.status(), 200);
    assert_eq!(
        from_other.bytes().await.expect("bytes").as_ref(),
        original.as_slice(),
        "the same bytes, from the bucket"
    );
    assert_eq!(std::fs::read_dir(serving.media_dir.path()).expect("folder").count(), 0, "nothing was written locally");
    let blobs = Blobs::Object(bucket.clone());
    assert_eq!(uploading.make_photo_copies().await, 1, "the background work makes the smaller sizes");
    for format in [dateline_media::VariantFormat::Webp, dateline_media::VariantFormat::Jpeg] {
        let variant = dateline_media::variant_key(&key, 640, format);
        assert!(blobs.get(&variant).await.expect("read the bucket").is_some(), "{variant} is in the bucket too");
    }
    assert_eq!(serving.get("/media/uploads/2026/11/not-there.jpg").await.status(), 404);
}

#[tokio::test]
async fn a_bucket_that_cannot_be_reached_is_a_clear_error_and_the_paper_keeps_serving() {
    let database = TestDatabase::sqlite().await;
    let store = database.store().await;
    let unreachable = ObjectBlobs::s3(&S3Settings {
        bucket: "nowhere".into(),
        region: "us-east-1".into(),
        endpoint: Some("http://127.0.0.1:9".into()),
        allow_http: true,
        ..S3Settings::default()
    })
    .expect("settings");
    let now: jiff::Timestamp = "2026-11-28T03:00:00Z".parse().expect("instant");
    let app = TestApp::start_with(store, now, |s| s.object_media = Some(unreachable)).await;
    assert_eq!(app.get("/media/uploads/2026/11/a.jpg").await.status(), 503);
    assert_eq!(app.get("/").await.status(), 200);
    assert!(
        ObjectBlobs::s3(&S3Settings { bucket: " ".into(), ..S3Settings::default() }).is_err(),
        "an empty bucket name is refused"
    );
}
