//! On a phone 375 px wide, the header takes at most 120 px before the first headline (the
//! full menu behind a button that needs no script), reader pages do not scroll sideways and
//! the menu's links are large enough to tap: checked in headless Chromium.

use crate::support::{run_browser_script, Running};
use dateline_testkit::checkers::playwright_node_path;

#[tokio::test]
async fn reader_pages_fit_a_phone_screen_with_tappable_menus() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let article = server.find_article(|p| !dateline_testkit::attributes(p, "figure img", "src").is_empty()).await;
    let urls: Vec<String> = ["/", "/national/", "/national/politics/", &article, "/author/yonhap", "/page/ombudsman"]
        .iter()
        .map(|path| format!("{}{path}", server.base_url))
        .collect();
    let run = run_browser_script(&node_path, "narrow_screen.cjs", &urls).await;
    let report = &run.stdout;
    assert!(run.succeeded, "{report}\n{}", run.stderr);
    assert_eq!(report.lines().filter(|l| l.contains("\"ok\":true")).count(), urls.len(), "{report}");
}
