//! The masthead's Hangul (`서울 아09152` in the demo) is drawn with a Korean face, never as
//! boxes: Chromium itself says which fonts drew it (the theme names a system-font stack with a
//! Korean face for every system; CI installs Debian's Noto CJK).

use crate::support::{run_browser_script, Running};
use dateline_testkit::checkers::playwright_node_path;

#[tokio::test]
async fn the_mastheads_hangul_is_drawn_with_a_korean_font() {
    let Some(node_path) = playwright_node_path() else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let run = run_browser_script(&node_path, "hangul_font.cjs", &[format!("{}/", server.base_url)]).await;
    assert!(run.succeeded, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("\"ok\":true"), "{}", run.stdout);
}
