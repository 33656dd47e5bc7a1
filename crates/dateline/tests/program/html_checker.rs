//! The demo paper's reader pages pass the Nu HTML Checker with no errors.

use crate::support::Running;
use dateline_testkit::checkers::html_errors;

#[tokio::test]
async fn every_reader_page_type_passes_the_nu_html_checker() {
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let article_with_photo =
        server.find_article(|page| !dateline_testkit::attributes(page, "figure img", "src").is_empty()).await;
    let show = server.page("/podcasts/english-eye/").await;
    let episode =
        dateline_testkit::attributes(&show, ".episode-card h3 a", "href").first().cloned().expect("an episode");
    let mut pages = Vec::new();
    for path in [
        "/podcasts/",
        "/podcasts/english-eye/",
        &episode,
        "/",
        "/national/",
        "/national/politics/",
        &article_with_photo,
        "/author/yonhap",
        "/author/kim-min-ji",
        "/topic/housing",
        "/topics/",
        "/page/privacy",
        "/national/?page=1",
    ] {
        pages.push((path.to_owned(), server.text(path, 200).await));
    }
    pages.push(("not-found".to_owned(), server.text("/no-such-page", 404).await));
    let Some(errors) = html_errors(&pages) else { return };
    assert!(errors.is_empty(), "the Nu HTML Checker found errors:\n{}", errors.join("\n"));
}

#[test]
fn the_checker_does_report_a_broken_page() {
    let broken = "<!DOCTYPE html><html lang=en><head><title>x</title></head><body><div><span><div></div></span><img src=a.png></body></html>";
    let Some(errors) = html_errors(&[("broken".to_owned(), broken.to_owned())]) else { return };
    assert!(errors.iter().any(|e| e.contains("alt")), "{errors:?}");
}
