//! The reader site through HTTP, as a reader meets it, on both databases.

use dateline_newsroom::{ArticleStatus, Label};
use dateline_testkit::paper::{photo, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, on_both_databases, texts, TestApp};
use jiff::{SignedDuration, Timestamp};

/// 2021-01-24 02:27 UTC is 11:27 in Seoul.
fn now() -> Timestamp {
    "2021-01-24T05:00:00Z".parse().expect("instant")
}

on_both_databases! {
    async fn the_home_page_lists_published_stories_newest_first_and_nothing_else(db) {
        let store = db.store().await;
        let paper = SmallPaper::create(&store).await;
        let older = StoryBuilder::new("Older politics story", paper.politics.id, now()).published_at(now() - SignedDuration::from_hours(5)).store(&store).await;
        let newer = StoryBuilder::new("Newer business story", paper.business.id, now()).store(&store).await;
        for status in [ArticleStatus::Draft, ArticleStatus::InReview, ArticleStatus::Scheduled, ArticleStatus::Unpublished, ArticleStatus::Removed] {
            StoryBuilder::new(&format!("Hidden {} story", status.as_str()), paper.politics.id, now()).status(status).store(&store).await;
        }
        let app = TestApp::start(store, now()).await;
        let home = app.page("/").await;
        let lead = attributes(&home, ".home-lead .card__headline a", "href");
        assert_eq!(lead, [format!("/article/{newer}/newer-business-story")]);
        let top = attributes(&home, ".home-top .card__headline a", "href");
        assert_eq!(top, [format!("/article/{older}/older-politics-story")]);
        let headlines = texts(&home, "main a").join(" | ");
        assert!(!headlines.contains("Hidden"), "hidden stories leaked: {headlines}");
        assert_eq!(texts(&home, "#latest-news"), ["Latest News"]);
        assert_eq!(texts(&home, "h1").len(), 1, "one h1 per page");
    }

    async fn an_article_page_shows_byline_times_and_photo_as_the_reference_page_does(db) {
        let store = db.store().await;
        let paper = SmallPaper::create(&store).await;
        let published: Timestamp = "2021-01-24T02:27:00Z".parse().expect("instant");
        let picture = photo(&store, "test/leaders.jpg", "The two leaders speak by phone.", "AFP-Yonhap", now()).await;
        let id = StoryBuilder::new("S. Korean, US leaders hold phone talks", paper.politics.id, now())
            .by(&[paper.agency.id, paper.reporter.id])
            .published_at(published)
            .updated_at("2021-01-24T04:51:00Z".parse().expect("instant"))
            .deck("The call lasted forty minutes")
            .label(Label::Analysis)
            .lead_photo(picture.id)
            .body("The leaders spoke on Sunday.\n\n> We agreed to meet soon, a spokesperson said.\n\nTalks will continue. (Yonhap)")
            .store(&store)
            .await;
        let app = TestApp::start(store, now()).await;
        let page = app.page(&format!("/article/{id}/s-korean-us-leaders-hold-phone-talks")).await;

        assert_eq!(texts(&page, "h1"), ["S. Korean, US leaders hold phone talks"]);
        assert_eq!(texts(&page, ".story__deck"), ["The call lasted forty minutes"]);
        assert_eq!(texts(&page, ".story .label"), ["Analysis"]);
        assert_eq!(texts(&page, "nav[aria-label=Breadcrumb] a"), ["National", "Politics"]);
        assert_eq!(texts(&page, ".byline"), ["By Yonhap and Kim Min-ji"]);
        assert_eq!(attributes(&page, ".byline a", "href"), ["/author/yonhap", "/author/kim-min-ji"]);
        assert_eq!(attributes(&page, ".story__times time", "datetime"), ["2021-01-24T11:27:00+09:00", "2021-01-24T13:51:00+09:00"]);
        assert_eq!(texts(&page, ".story__time"), ["Published Jan 24, 2021 - 11:27", "Updated Jan 24, 2021 - 13:51"]);
        let caption = texts(&page, "figure figcaption");
        assert_eq!(caption, ["The two leaders speak by phone. (AFP-Yonhap)"]);
        for attribute in ["alt", "width", "height", "srcset"] {
            assert_eq!(attributes(&page, "figure img", attribute).len(), 1, "the lead photo needs {attribute}");
        }
        let paragraphs = texts(&page, ".story__body p");
        assert_eq!(paragraphs.last().map(String::as_str), Some("Talks will continue. (Yonhap)"));
        assert_eq!(texts(&page, ".story__body blockquote").len(), 1);
        assert_eq!(attributes(&page, "html", "lang"), ["en"]);
        assert_eq!(texts(&page, ".date-line time"), ["2021-01-24"]);
    }

    async fn a_story_never_updated_shows_no_updated_time(db) {
        let store = db.store().await;
        let paper = SmallPaper::create(&store).await;
        let id = StoryBuilder::new("Quiet day at the Assembly", paper.politics.id, now()).by(&[paper.reporter.id]).store(&store).await;
        let app = TestApp::start(store, now()).await;
        let page = app.page(&format!("/article/{id}/quiet-day-at-the-assembly")).await;
        let times = texts(&page, ".story__time");
        assert_eq!(times.len(), 1, "{times:?}");
        assert!(times[0].starts_with("Published"));
    }

    async fn an_old_or_missing_slug_is_sent_on_to_the_current_address(db) {
        let store = db.store().await;
        let paper = SmallPaper::create(&store).await;
        let id = StoryBuilder::new("Budget passes", paper.business.id, now()).store(&store).await;
        let app = TestApp::start(store, now()).await;
        for old in [format!("/article/{id}/budget-fails"), format!("/article/{id}")] {
            let response = app.get(&old).await;
            assert_eq!(response.status(), 301, "{old}");
            assert_eq!(response.headers()["location"], format!("/article/{id}/budget-passes").as_str());
        }
    }

    async fn readers_cannot_reach_unpublished_stories_even_by_guessing_the_id(db) {
        let store = db.store().await;
        let paper = SmallPaper::create(&store).await;
        let mut hidden = Vec::new();
        for status in [ArticleStatus::Draft, ArticleStatus::InReview, ArticleStatus::Scheduled, ArticleStatus::Unpublished] {
            hidden.push(StoryBuilder::new("Not for readers", paper.politics.id, now()).status(status).store(&store).await);
        }
        hidden.push(StoryBuilder::new("Not for readers", paper.politics.id, now()).embargoed_until(now() + SignedDuration::from_hours(2)).store(&store).await);
        let removed = StoryBuilder::new("Not for readers", paper.politics.id, now()).status(ArticleStatus::Removed).store(&store).await;
        let app = TestApp::start(store, now()).await;
        for id in hidden {
            assert_eq!(app.get(&format!("/article/{id}/not-for-readers")).await.status(), 404, "story {id}");
            assert_eq!(app.get(&format!("/article/{id}")).await.status(), 404, "story {id}");
        }
        assert_eq!(app.get(&format!("/article/{removed}/not-for-readers")).await.status(), 410);
    }

    async fn an_unknown_address_answers_404_with_the_menu(db) {
        let store = db.store().await;
        SmallPaper::create(&store).await;
        let app = TestApp::start(store, now()).await;
        for path in ["/no-such-page", "/article/abc/x", "/article/-1/x", "/article/99999999999999999999999/x", "/article/424242/x", "/media/../secret"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 404, "{path}");
            let page = scraper::Html::parse_document(&response.text().await.expect("body"));
            assert_eq!(texts(&page, "h1"), ["Page not found"], "{path}");
            assert!(texts(&page, "nav[aria-label=Sections] a").contains(&"National".to_owned()), "{path} shows the menu");
        }
    }

    async fn the_health_check_answers_only_while_the_database_does(db) {
        let store = db.store().await;
        let app = TestApp::start(store.clone(), now()).await;
        let healthy = app.get("/healthz").await;
        assert_eq!(healthy.status(), 200);
        store.close().await;
        assert_eq!(app.get("/healthz").await.status(), 503);
        assert_eq!(app.get("/").await.status(), 503, "a page that needs the database says it is unavailable");
    }
}
