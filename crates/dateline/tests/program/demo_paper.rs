//! The demo paper shows every part of the reference page, on SQLite and on PostgreSQL.

use crate::support::Running;
use dateline_testkit::{attributes, texts, TestDatabase};

fn has(page: &scraper::Html, selector: &str) -> bool {
    !attributes(page, selector, "class").is_empty() || !texts(page, selector).is_empty()
}

async fn every_reference_part_is_there(server: &Running) {
    let home = server.page("/").await;
    // 1. date line, 2. back to top, 3. the two-level menu.
    let date_line = texts(&home, ".date-line time");
    assert!(
        date_line.len() == 1 && date_line[0].len() == 10 && date_line[0].chars().nth(4) == Some('-'),
        "{date_line:?}"
    );
    assert_eq!(attributes(&home, ".back-to-top a", "href"), ["#top"]);
    assert_eq!(attributes(&home, "#top", "class").len(), 1, "the top of the page has the id the link jumps to");
    let menu = texts(&home, "nav[aria-label=Sections] .menu__top a");
    assert_eq!(menu[..3], ["National", "Business", "Life&Style"]);
    assert!(menu.contains(&"Topics".to_owned()) && menu.contains(&"Weekender".to_owned()));
    let tree = texts(&home, ".menu__tree a");
    for name in ["Politics", "North Korea", "Food & Beverage", "K-pop", "Asia News Network", "English Cafe"] {
        assert!(tree.contains(&name.to_owned()), "the menu's second level has {name}");
    }
    // 4. footer links, 5. the legal masthead (with Korean script), 6. outbound channels.
    assert_eq!(texts(&home, "footer nav a"), ["Privacy Statement", "Copyright Policy", "Ombudsman"]);
    let masthead = texts(&home, ".legal__masthead dd").join(" | ");
    assert!(masthead.contains("서울 아"), "{masthead}");
    for field in [
        "Address",
        "Telephone",
        "Online newspaper registration",
        "Date of registration",
        "Publisher",
        "Editor",
        "Juvenile protection manager",
    ] {
        assert!(texts(&home, ".legal__masthead dt").contains(&field.to_owned()), "masthead shows {field}");
    }
    assert_eq!(texts(&home, ".legal__owner"), ["The Daily Dateline by Dateline Media Corporation"]);
    assert!(has(&home, ".legal__copyright"));
    assert_eq!(texts(&home, ".channels a").len(), 3);
    // 14, 15: the lists.
    assert_eq!(texts(&home, "#most-popular"), ["Most Popular"]);
    assert!(!texts(&home, ".list--popular li").is_empty(), "the demo ranks its stories");
    assert_eq!(texts(&home, "#latest-news"), ["Latest News"]);
    assert_eq!(texts(&home, ".list--latest li").len(), 10);

    // 7 to 13 on a story with a lead photo.
    let with_photo = server.find_article(|p| has(p, "figure img")).await;
    let article = server.page(&with_photo).await;
    assert!(!texts(&article, "nav[aria-label=Breadcrumb] a").is_empty());
    assert_eq!(texts(&article, "h1").len(), 1);
    let byline = texts(&article, ".byline");
    assert!(byline.len() == 1 && byline[0].starts_with("By "), "{byline:?}");
    assert!(attributes(&article, ".byline a", "href").iter().all(|h| h.starts_with("/author/")));
    for datetime in attributes(&article, ".story__times time", "datetime") {
        assert!(datetime.ends_with("+09:00"), "times are in Seoul's zone: {datetime}");
    }
    let caption = texts(&article, "figcaption").join("");
    assert!(caption.ends_with(')') && caption.contains(" ("), "the caption ends with the credit: {caption}");
    for attribute in ["alt", "width", "height", "srcset"] {
        assert_eq!(attributes(&article, "figure img", attribute).len(), 1, "{attribute}");
    }

    // 9 and 13: an agency story, bylined to the agency and ending with its sign-off.
    let agency_story = server.find_article(|p| texts(p, ".byline").first().is_some_and(|b| b == "By Yonhap")).await;
    let agency = server.page(&agency_story).await;
    let last = texts(&agency, ".story__body p").pop().unwrap_or_default();
    assert!(last.ends_with("(Yonhap)"), "{last}");
    // 10: "Updated" only after a public update.
    let updated = server.find_article(|p| texts(p, ".story__time").len() == 2).await;
    assert!(texts(&server.page(&updated).await, ".story__time")[1].starts_with("Updated"));
    let not_updated = server.find_article(|p| texts(p, ".story__time").len() == 1).await;
    assert!(texts(&server.page(&not_updated).await, ".story__time")[0].starts_with("Published"));
    // A multi-author byline.
    server.find_article(|p| attributes(p, ".byline a", "href").len() > 1).await;
}

#[tokio::test]
async fn the_demo_paper_shows_every_reference_part_on_sqlite() {
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    every_reference_part_is_there(&server).await;
}

#[tokio::test]
async fn the_demo_paper_shows_every_reference_part_on_postgresql() {
    let Some(database) = TestDatabase::postgres().await else { return };
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&[
        "demo",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        &data.path().display().to_string(),
        "--database-url",
        &database.url,
    ]);
    every_reference_part_is_there(&server).await;
}
