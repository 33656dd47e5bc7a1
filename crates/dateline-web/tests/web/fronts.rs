//! The home page and section fronts as a newspaper lays them out, through HTTP: a lead with a
//! large photo, a grid of stories with theirs, section blocks with one photo each, and no story
//! shown twice on a page.

use dateline_newsroom::prelude::*;
use dateline_testkit::paper::{photo, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{attributes, on_both_databases, texts, TestApp};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashSet;

fn now() -> Timestamp {
    "2026-12-07T05:00:00Z".parse().expect("instant")
}

/// Twenty stories an hour apart, alternating between Politics and Business, every third one
/// with a photo; the newest is story 0.
async fn a_days_paper(store: &impl Store) {
    let paper = SmallPaper::create(store).await;
    for n in 0..20i64 {
        let section = if n % 2 == 0 { paper.politics.id } else { paper.business.id };
        let mut story = StoryBuilder::new(&format!("Story number {n}"), section, now())
            .published_at(now() - SignedDuration::from_hours(n + 1))
            .deck(&format!("What story {n} is about"));
        if n % 3 == 0 {
            let picture = photo(store, &format!("test/story-{n}.jpg"), "A scene.", "Yonhap", now()).await;
            story = story.lead_photo(picture.id);
        }
        story.store(store).await;
    }
}

async fn the_home_page_shows_a_lead_with_a_large_photo_a_grid_and_section_blocks_and_no_story_twice(db: TestDatabase) {
    let store = db.store().await;
    a_days_paper(&store).await;
    let app = TestApp::start(store, now()).await;
    let home = app.page("/").await;

    let shown = attributes(&home, "main .card__headline a", "href");
    let distinct: HashSet<&String> = shown.iter().collect();
    assert_eq!(distinct.len(), shown.len(), "a story shows once on the page: {shown:?}");
    assert!(shown.len() >= 10, "the lead, six top stories and the section blocks: {shown:?}");

    // The lead is the newest story, with its photo large and loaded at once.
    assert_eq!(texts(&home, ".home-lead .card__headline"), ["Story number 0"]);
    assert_eq!(attributes(&home, ".home-lead img", "class"), ["card__image crop--wide"]);
    assert!(attributes(&home, ".home-lead img", "loading").is_empty(), "the lead photo is not lazy");
    assert_eq!(texts(&home, ".home-lead .card__deck"), ["What story 0 is about"]);

    // Six top stories in a grid, each with its deck and, where it has one, its photo at 4:3.
    let top = texts(&home, ".home-top .card-grid .card__headline");
    assert_eq!(top, (1..=6).map(|n| format!("Story number {n}")).collect::<Vec<_>>());
    assert_eq!(texts(&home, ".home-top .card-grid .card__deck").len(), 6);
    assert_eq!(attributes(&home, ".home-top img.crop--standard", "alt").len(), 2, "stories 3 and 6 have photos");
    assert_eq!(attributes(&home, ".home-top img", "loading"), ["lazy", "lazy"]);

    // A block for each top-level section: none of the stories above, one photo each, the
    // pictured story first.
    let blocks = texts(&home, ".home-section > h2");
    assert_eq!(blocks, ["National", "Business"]);
    let selector = scraper::Selector::parse(".home-section").expect("selector");
    let card = scraper::Selector::parse(".card").expect("selector");
    let image = scraper::Selector::parse("img").expect("selector");
    for block in home.select(&selector) {
        assert!(block.select(&image).count() <= 1, "one photo a block");
        let first = block.select(&card).next().expect("a story");
        assert_eq!(first.select(&image).count(), 1, "the block leads with its pictured story");
    }
    let national = texts(&home, ".home-section:nth-of-type(1) .card__headline");
    assert_eq!(national, ["Story number 12", "Story number 8", "Story number 10", "Story number 14"]);
}

async fn a_section_front_leads_with_its_newest_story_large_then_a_grid_then_rows_with_thumbnails(db: TestDatabase) {
    let store = db.store().await;
    a_days_paper(&store).await;
    let app = TestApp::start(store, now()).await;
    let front = app.page("/business/").await;
    assert_eq!(texts(&front, "h1.front__title"), ["Business"]);
    assert_eq!(texts(&front, ".front__lead .card__headline"), ["Story number 1"]);
    assert!(attributes(&front, ".front__lead img", "class").is_empty(), "story 1 has no photo: none is made up");
    let grid = texts(&front, ".front .card-grid .card__headline");
    assert_eq!(grid, ["Story number 3", "Story number 5", "Story number 7", "Story number 9"]);
    assert_eq!(attributes(&front, ".front .card-grid img.crop--standard", "alt").len(), 2, "3 and 9 have photos");
    let rows = texts(&front, ".card--row .card__headline");
    assert_eq!(rows, ["Story number 11", "Story number 13", "Story number 15", "Story number 17", "Story number 19"]);
    assert_eq!(attributes(&front, ".card--row img.crop--square", "alt").len(), 1, "story 15 has one");
    let shown = attributes(&front, "main .card__headline a", "href");
    assert_eq!(shown.iter().collect::<HashSet<_>>().len(), shown.len());

    let politics = app.page("/national/").await;
    assert_eq!(texts(&politics, ".front__lead .card__headline"), ["Story number 0"]);
    assert_eq!(attributes(&politics, ".front__lead img", "class"), ["card__image crop--wide"]);
}

on_both_databases!(
    the_home_page_shows_a_lead_with_a_large_photo_a_grid_and_section_blocks_and_no_story_twice,
    a_section_front_leads_with_its_newest_story_large_then_a_grid_then_rows_with_thumbnails
);
