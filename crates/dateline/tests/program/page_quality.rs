//! The reader pages in a real browser, judged by tools nobody here wrote: axe finds no
//! accessibility violation on the home page, a section front, an article, a live story (its
//! update stream open) and an author page; Lighthouse gives the article, live story and home
//! pages 100 for accessibility, best practices and SEO,
//! no layout shift, and under 150 KB in all. The performance score is printed, not gated:
//! two shared cores make it noisy.

use crate::support::Running;
use dateline_testkit::checkers::browser_tools;

const CHROME_FLAGS: &str = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync";

#[tokio::test]
async fn axe_and_lighthouse_accept_the_reader_pages() {
    let Some(tools) = browser_tools() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let article = server.find_article(|p| !dateline_testkit::attributes(p, "figure img", "src").is_empty()).await;
    let live =
        server.find_article(|p| !dateline_testkit::attributes(p, ".live[data-live-events]", "class").is_empty()).await;
    let url = |path: &str| format!("{}{path}", server.base_url);
    // Every page is weighed as readers get it once the photos' copies exist (agency-sized
    // originals take a while in a debug build); a copy arriving mid-measure would change it.
    server.wait_for_photo_copies("/").await;
    for path in [&article, &live] {
        if !dateline_testkit::attributes(&server.page(path).await, "main img[srcset]", "srcset").is_empty() {
            server.wait_for_photo_copies(path).await;
        }
    }

    let show = server.page("/podcasts/english-eye/").await;
    let episode =
        dateline_testkit::attributes(&show, ".episode-card h3 a", "href").first().cloned().expect("an episode");
    let axe = tokio::process::Command::new(&tools.axe)
        .args([
            url("/"),
            url("/national/"),
            url(&article),
            url(&live),
            url("/author/yonhap"),
            url("/podcasts/english-eye/"),
            url(&episode),
        ])
        .args(["--chrome-path", &tools.chrome, "--chromedriver-path", &tools.chromedriver])
        .arg("--chrome-options=headless=new,no-sandbox,disable-gpu")
        .arg("--exit")
        .output()
        .await
        .expect("run axe");
    let said = format!("{}{}", String::from_utf8_lossy(&axe.stdout), String::from_utf8_lossy(&axe.stderr));
    assert!(axe.status.success(), "axe found violations:\n{said}");
    assert_eq!(said.matches("0 violations found").count(), 7, "{said}");

    for path in [article.as_str(), live.as_str(), "/"] {
        let report_file = data.path().join("lighthouse.json");
        let mut report = lighthouse(&tools, &url(path), &report_file).await;
        // A live page listens to its stream and catches up once it opens; on two busy cores
        // that once shifted the live page by 0.0014 and never again in five runs. A live page
        // that shifts is measured once more, and must not shift then; the first report's
        // shifting elements are printed, to find the cause.
        if path == live && layout_shift(&report) > 0.0 {
            let shifted = &report["audits"]["layout-shifts"]["details"]["items"];
            println!("lighthouse {path}: shifted by {} ({shifted}); measuring it once more", layout_shift(&report));
            report = lighthouse(&tools, &url(path), &report_file).await;
        }
        let score = |category: &str| report["categories"][category]["score"].as_f64().unwrap_or(0.0);
        let failing: Vec<String> = report["audits"]
            .as_object()
            .map(|audits| {
                audits
                    .iter()
                    .filter(|(_, a)| a["score"].as_f64().is_some_and(|s| s < 1.0) && a["scoreDisplayMode"] == "binary")
                    .map(|(id, a)| format!("{id}: {}", a["title"]))
                    .collect()
            })
            .unwrap_or_default();
        let weight = report["audits"]["total-byte-weight"]["numericValue"].as_f64().unwrap_or(f64::MAX);
        println!("lighthouse {path}: performance {:.2}, {:.1} KB in all", score("performance"), weight / 1024.0);
        for category in ["accessibility", "best-practices", "seo"] {
            assert_eq!(score(category), 1.0, "{path}: {category} is {}; failing audits: {failing:?}", score(category));
        }
        let shift = layout_shift(&report);
        let shifted = &report["audits"]["layout-shifts"]["details"]["items"];
        assert_eq!(shift, 0.0, "{path}: layout shift, of {shifted}");
        let bytes = report["audits"]["total-byte-weight"]["numericValue"].as_f64().unwrap_or(f64::MAX);
        let heaviest = &report["audits"]["total-byte-weight"]["details"]["items"];
        assert!(bytes < 150.0 * 1024.0, "{path}: {bytes} bytes in all, the heaviest being {heaviest}");
    }
}

/// Lighthouse's report on `url`, written to `report_file`.
async fn lighthouse(
    tools: &dateline_testkit::checkers::BrowserTools,
    url: &str,
    report_file: &std::path::Path,
) -> serde_json::Value {
    // Lighthouse sometimes loses its own trace on two busy cores ("NO_NAVSTART" and other
    // runtime errors that say "run Lighthouse again"). That is the tool failing, not the
    // page, so such a run is retried; any other failure fails the test at once.
    let mut attempts = 0;
    loop {
        attempts += 1;
        let run = tokio::process::Command::new(&tools.lighthouse)
            .arg(url)
            .args([
                "--quiet",
                "--output=json",
                &format!("--output-path={}", report_file.display()),
                &format!("--chrome-flags={CHROME_FLAGS}"),
            ])
            .env("CHROME_PATH", &tools.chrome)
            .output()
            .await
            .expect("run lighthouse");
        let complaint = String::from_utf8_lossy(&run.stderr).into_owned();
        let report_says_runtime_error = std::fs::read(report_file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|report| !report["runtimeError"].is_null());
        let tool_fault = complaint.contains("Runtime error encountered") || report_says_runtime_error;
        if run.status.success() && !report_says_runtime_error {
            break;
        }
        assert!(tool_fault && attempts < 3, "lighthouse failed ({attempts} runs): {complaint}");
        println!("lighthouse {url}: the tool failed on its own ({complaint}); running it again");
        let _ = std::fs::remove_file(report_file);
    }
    serde_json::from_slice(&std::fs::read(report_file).expect("report")).expect("JSON report")
}

/// The layout shift a report measured.
fn layout_shift(report: &serde_json::Value) -> f64 {
    report["audits"]["cumulative-layout-shift"]["numericValue"].as_f64().unwrap_or(1.0)
}
