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

async fn an_editor_chooses_the_photo_for_a_place_and_previews_the_home_page_before_saving(db: TestDatabase) {
    let store = db.store().await;
    a_days_paper(&store).await;
    let harbour = photo(&store, "test/harbour-at-dusk.jpg", "The harbour at dusk.", "Yonhap", now()).await;
    let (editor, password) =
        dateline_testkit::paper::desk_user(&store, dateline_newsroom::Role::Editor, "Front Editor").await;
    let stories = store.desk_stories(None, dateline_newsroom::Window { limit: 50, offset: 0 }).await.expect("stories");
    let story = |n: usize| {
        stories.iter().find(|s| s.headline == format!("Story number {n}")).expect("the story").id.to_string()
    };
    let (four, one) = (story(4), story(1));
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let harbour_id = harbour.id.to_string();
    let form = [
        ("lead", four.as_str()),
        ("lead_photo", harbour_id.as_str()),
        ("top", one.as_str()),
        ("top_photo", harbour_id.as_str()),
        ("top", ""),
        ("top_photo", ""),
    ];

    // The preview shows the front as the form would make it; readers' front is unchanged.
    let preview = desk.post("/desk/home-page/preview", &form).await;
    assert_eq!(preview.status(), 200);
    assert_eq!(preview.headers()["cache-control"], "private, no-store", "a preview is never kept");
    let preview = scraper::Html::parse_document(&preview.text().await.expect("page"));
    assert_eq!(texts(&preview, ".preview-banner a"), ["Back to the home page desk"]);
    assert_eq!(texts(&preview, ".home-lead .card__headline"), ["Story number 4"]);
    assert_eq!(attributes(&preview, ".home-lead img", "src"), ["/media/test/harbour-at-dusk.jpg"]);
    assert_eq!(texts(&app.page("/").await, ".home-lead .card__headline"), ["Story number 0"], "nothing saved yet");

    // Saved: readers see the lead with the chosen photo, and the first top story with it too.
    assert_eq!(desk.post("/desk/home-page", &form).await.status(), 303);
    let home = app.page("/").await;
    assert!(texts(&home, ".preview-banner").is_empty());
    assert_eq!(texts(&home, ".home-lead .card__headline"), ["Story number 4"]);
    assert_eq!(attributes(&home, ".home-lead img", "src"), ["/media/test/harbour-at-dusk.jpg"]);
    assert_eq!(texts(&home, ".home-top .card__headline").first().map(String::as_str), Some("Story number 1"));
    assert_eq!(attributes(&home, ".home-top .card:first-child img", "src"), ["/media/test/harbour-at-dusk.jpg"]);
    let screen = desk.page("/desk/home-page").await;
    assert_eq!(attributes(&screen, "#lead-photo option[selected]", "value"), std::slice::from_ref(&harbour_id));
    assert_eq!(attributes(&screen, "#top-photo-1 option[selected]", "value"), std::slice::from_ref(&harbour_id));

    // A photo that is not in the library is refused, and the saved front stays.
    let wrong = [("lead", four.as_str()), ("lead_photo", "999999")];
    assert_eq!(desk.post("/desk/home-page", &wrong).await.status(), 400);
    assert_eq!(desk.post("/desk/home-page/preview", &wrong).await.status(), 400);
    assert_eq!(attributes(&app.page("/").await, ".home-lead img", "src"), ["/media/test/harbour-at-dusk.jpg"]);
}

on_both_databases!(an_editor_chooses_the_photo_for_a_place_and_previews_the_home_page_before_saving);
