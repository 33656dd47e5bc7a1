//! A running server for HTTP tests: the real router on an ephemeral port of 127.0.0.1, with a
//! fixed clock, and helpers that fetch pages and parse them as HTML.

use dateline_render::Theme;
use dateline_storage::SqlStore;
use dateline_web::{app, AppState, WebSettings};
use jiff::Timestamp;
use std::sync::Arc;

/// The public address test papers claim, as it appears in feeds, sitemaps and canonical links.
pub const PUBLIC_URL: &str = "https://www.dateline.test";

pub struct TestApp {
    pub base_url: String,
    clock: Arc<std::sync::Mutex<Timestamp>>,
    pub state: AppState,
    pub client: reqwest::Client,
    pub media_dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
    companions: Vec<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    /// Serves `store` as the paper, with the clock stopped at `now`.
    pub async fn start(store: SqlStore, now: Timestamp) -> TestApp {
        TestApp::start_with(store, now, |_| {}).await
    }

    /// As [`TestApp::start`], with settings changed by `configure` first.
    pub async fn start_with(store: SqlStore, now: Timestamp, configure: impl FnOnce(&mut WebSettings)) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind an ephemeral port");
        TestApp::start_on(listener, store, now, configure).await
    }

    /// As [`TestApp::start_with`], with the paper's public address its own (`http://127.0.0.1:…`),
    /// so that the absolute addresses it hands out (photos, stories) can be fetched: for tests
    /// where another server, such as a second paper, follows them.
    pub async fn start_at_its_own_address(
        store: SqlStore,
        now: Timestamp,
        configure: impl FnOnce(&mut WebSettings),
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind an ephemeral port");
        let own = format!("http://{}", listener.local_addr().expect("address"));
        TestApp::start_on(listener, store, now, |settings| {
            settings.public_url = own;
            configure(settings);
        })
        .await
    }

    async fn start_on(
        listener: tokio::net::TcpListener,
        store: SqlStore,
        now: Timestamp,
        configure: impl FnOnce(&mut WebSettings),
    ) -> TestApp {
        let media_dir = tempfile::tempdir().expect("media folder");
        let theme = Theme::load(None).expect("default theme");
        let settings = WebSettings {
            public_url: PUBLIC_URL.to_owned(),
            media_root: media_dir.path().to_owned(),
            max_image_bytes: 5 * 1024 * 1024,
            max_image_pixels: 50_000_000,
            image_workers: 2,
            // Every test runs with the page cache on, as production does: a page kept too
            // long shows up as a failing test anywhere.
            page_cache_bytes: 64 * 1024 * 1024,
            metrics_allow: vec![("127.0.0.1".parse().expect("loopback"), 32)],
            // AVIF takes seconds a photo in a debug build: tests make WebP and JPEG copies,
            // and the tests of AVIF ask for it.
            ingest: dateline_intake::IngestSettings {
                photo_formats: vec![dateline_media::VariantFormat::Webp, dateline_media::VariantFormat::Jpeg],
                ..dateline_intake::IngestSettings::default()
            },
            ..WebSettings::default()
        };
        let mut settings = settings;
        configure(&mut settings);
        let clock = Arc::new(std::sync::Mutex::new(now));
        let reading = clock.clone();
        let state = AppState::new(
            store,
            theme,
            settings,
            Arc::new(move || *reading.lock().unwrap_or_else(std::sync::PoisonError::into_inner)),
        );
        let serving = state.clone();
        let address = listener.local_addr().expect("address");
        // The server's companions, as `dateline serve` runs them: changes applied as they
        // commit, and the outbox worked (quickly, so tests need not wait).
        let companions = vec![
            tokio::spawn(state.clone().follow_changes()),
            tokio::spawn(dateline_web::live_updates::follow(state.clone())),
            tokio::spawn(dateline_web::outbox::run(
                state.clone(),
                format!("test-{address}"),
                std::time::Duration::from_millis(50),
            )),
        ];
        let server = tokio::spawn(async move {
            let limits = serving.settings().connections;
            // As `dateline serve` does: kept pages are answered before the router.
            let front = dateline_web::kept_pages_front(serving.clone());
            dateline_web::serve::serve_with_front(listener, Some(front), app(serving), limits, std::future::pending())
                .await
                .expect("serve");
        });
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestApp { base_url: format!("http://{address}"), clock, state, client, media_dir, server, companions }
    }

    /// Moves the paper's clock, as time passing would.
    pub fn set_now(&self, now: Timestamp) {
        *self.clock.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = now;
    }

    /// Makes the smaller copies of every photo waiting for them, as the server's background
    /// work does every few seconds; returns how many photos got theirs.
    pub async fn make_photo_copies(&self) -> usize {
        let clock = self.clock.clone();
        let now = move || *clock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        dateline_intake::photo_variants::make_waiting(self.state.intake(), "test", now)
            .await
            .expect("the photos' copies are made")
            .photos
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base_url)).send().await.expect("request")
    }

    /// Requests the view beacon as a reader's browser does.
    pub async fn read_beacon(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base_url))
            .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36")
            .send()
            .await
            .expect("beacon request")
    }

    /// Fetches a page that must answer 200 and parses it.
    pub async fn page(&self, path: &str) -> scraper::Html {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        scraper::Html::parse_document(&response.text().await.expect("body"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        for companion in &self.companions {
            companion.abort();
        }
    }
}

/// Texts of every element matching `selector`, whitespace collapsed.
pub fn texts(html: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    html.select(&selector)
        .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The `attribute` of every element matching `selector`.
pub fn attributes(html: &scraper::Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    html.select(&selector).filter_map(|e| e.value().attr(attribute).map(str::to_owned)).collect()
}

/// What a browser submits for the form matching `form_selector`, untouched: text fields and
/// hidden fields, checked boxes, each select's selected option (or its first, as browsers
/// do when none is selected) and text areas. Submit buttons are left out.
pub fn form_fields(html: &scraper::Html, form_selector: &str) -> Vec<(String, String)> {
    let form_selector = scraper::Selector::parse(form_selector).expect("a valid selector");
    let field_selector = scraper::Selector::parse("input, select, textarea").expect("selector");
    let option_selector = scraper::Selector::parse("option").expect("selector");
    let form = html.select(&form_selector).next().expect("the form is on the page");
    let mut fields = Vec::new();
    for field in form.select(&field_selector) {
        let element = field.value();
        let Some(name) = element.attr("name") else { continue };
        let value = match element.name() {
            "textarea" => Some(field.text().collect::<String>()),
            "select" => {
                let options: Vec<_> = field.select(&option_selector).collect();
                options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first())
                    .map(|o| o.value().attr("value").map_or_else(|| o.text().collect(), str::to_owned))
            }
            _ => match element.attr("type").unwrap_or("text") {
                "submit" | "button" | "image" | "reset" | "file" => None,
                "checkbox" | "radio" => {
                    element.attr("checked").map(|_| element.attr("value").unwrap_or("on").to_owned())
                }
                _ => Some(element.attr("value").unwrap_or_default().to_owned()),
            },
        };
        if let Some(value) = value {
            fields.push((name.to_owned(), value));
        }
    }
    fields
}
