//! The newsroom desk through HTTP, as editors and reporters use it, on both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, ArticleStatus, Role, Window};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{attributes, on_both_databases, texts, TestApp};
use jiff::{SignedDuration, Timestamp};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

fn story_id(location: &str) -> ArticleId {
    let id = location.trim_start_matches("/desk/stories/").split('?').next().expect("id");
    ArticleId(id.parse().expect("a story id in the address"))
}

async fn an_editor_writes_a_story_publishes_it_and_readers_find_it_on_the_section_front(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Baek Min-ho").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    let section = paper.politics.id.to_string();
    let reporter = paper.reporter.id.to_string();
    let created = desk
        .post(
            "/desk/stories",
            &[
                ("headline", "Assembly passes the budget"),
                ("section", &section),
                ("byline", &reporter),
                ("body", "Lawmakers voted late on Friday.\n\nThe vote was 180 to 95."),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    assert_eq!(store.article_by_id(id).await.expect("stored").status, ArticleStatus::Draft);
    assert_eq!(
        app.get(&format!("/article/{id}/assembly-passes-the-budget")).await.status(),
        404,
        "a draft stays hidden"
    );

    let preview = desk.page(&format!("/desk/stories/{id}/preview")).await;
    assert_eq!(texts(&preview, "h1"), ["Assembly passes the budget"], "the preview is the reader page");
    assert!(attributes(&preview, "img.beacon", "src").is_empty(), "previews are not counted as reads");

    let published = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "publish"),
                ("version", "1"),
                ("headline", "Assembly passes the budget"),
                ("section", &section),
                ("byline", &reporter),
                ("body", "Lawmakers voted late on Friday.\n\nThe vote was 180 to 95."),
            ],
        )
        .await;
    assert_eq!(published.status(), 303);
    let article = store.article_by_id(id).await.expect("stored");
    assert_eq!((article.status, article.first_published_at), (ArticleStatus::Published, Some(now())));

    let front = app.page("/national/politics/").await;
    assert_eq!(texts(&front, ".card__headline"), ["Assembly passes the budget"]);
    let page = app.page(&format!("/article/{id}/assembly-passes-the-budget")).await;
    assert_eq!(texts(&page, ".byline"), ["By Kim Min-ji"]);
    let history: Vec<_> = store
        .revisions(id)
        .await
        .expect("revisions")
        .iter()
        .map(|r| (r.kind.as_str(), r.made_by.name.clone()))
        .collect();
    assert_eq!(history.last(), Some(&("published", "Baek Min-ho".to_owned())));
    assert_eq!(history.len(), 2, "\"Publish now\" saves the text and publishes in one change: {history:?}");
}

async fn a_reporter_writes_and_submits_but_finds_no_way_to_publish(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (reporter, password) = desk_user(&store, Role::Reporter, "Do Hyun-jun").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&reporter.email, &password).await;
    let section = paper.politics.id.to_string();
    let fields = |action: &'static str, version: &'static str| {
        vec![
            ("action", action),
            ("version", version),
            ("headline", "Local election count"),
            ("section", section.as_str()),
            ("body", "Counting continues."),
        ]
    };

    // A new story offers "Submit for review" but not "Publish now", and a forged publish is
    // refused before anything is stored.
    let new_story = desk.page("/desk/stories/new").await;
    let buttons = attributes(&new_story, "button[name=action]", "value");
    assert!(buttons.contains(&"submit".to_owned()) && !buttons.contains(&"publish".to_owned()), "{buttons:?}");
    let before = store.count_articles().await.expect("count");
    assert_eq!(desk.post("/desk/stories", &fields("publish", "0")).await.status(), 403);
    assert_eq!(store.count_articles().await.expect("count"), before, "nothing stored");

    let created = desk.post("/desk/stories", &fields("save", "0")[2..]).await;
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    let editor = desk.page(&format!("/desk/stories/{id}")).await;
    let buttons = attributes(&editor, "button[name=action]", "value");
    assert!(buttons.contains(&"submit".to_owned()) && !buttons.contains(&"publish".to_owned()), "{buttons:?}");

    let refused = desk.post(&format!("/desk/stories/{id}"), &fields("publish", "1")).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Draft, "nothing was published");

    let submitted = desk.post(&format!("/desk/stories/{id}"), &fields("submit", "1")).await;
    assert_eq!(submitted.status(), 303);
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::InReview);
    let in_review = desk.page("/desk/?status=in_review").await;
    assert_eq!(texts(&in_review, ".story-list tbody td a"), ["Local election count"]);
}

async fn two_people_saving_one_story_see_a_conflict_and_lose_no_text(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (first, first_password) = desk_user(&store, Role::Editor, "First Editor").await;
    let (second, second_password) = desk_user(&store, Role::Editor, "Second Editor").await;
    let id = StoryBuilder::new("Original headline", paper.business.id, now())
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let (one, two) =
        (app.sign_in(&first.email, &first_password).await, app.sign_in(&second.email, &second_password).await);
    let section = paper.business.id.to_string();

    let saved = one
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "save"),
                ("version", "1"),
                ("headline", "First editor's headline"),
                ("section", &section),
                ("body", "First editor's text."),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let clash = two
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "save"),
                ("version", "1"),
                ("headline", "Second editor's headline"),
                ("section", &section),
                ("body", "Second editor's text."),
            ],
        )
        .await;
    assert_eq!(clash.status(), 409);
    let page = scraper::Html::parse_document(&clash.text().await.expect("body"));
    assert_eq!(texts(&page, "#body"), ["Second editor's text."], "the second editor's text stays in the form");
    assert_eq!(texts(&page, "#saved-body"), ["First editor's text."], "the saved text is shown beside it");
    assert_eq!(attributes(&page, "input[name=version]", "value")[0], "2");
    assert_eq!(store.article_by_id(id).await.expect("story").content.headline, "First editor's headline");
}

async fn a_scheduled_story_goes_live_at_its_time_without_a_visit(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Sched Editor").await;
    let id = StoryBuilder::new("Morning briefing", paper.national.id, now())
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    // 13:30 in Seoul is 04:30 UTC, ninety minutes after "now".
    let scheduled = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "schedule"),
                ("version", "1"),
                ("headline", "Morning briefing"),
                ("section", &section),
                ("body", "Text."),
                ("publish_at", "2026-11-28T13:30"),
            ],
        )
        .await;
    assert_eq!(scheduled.status(), 303);
    let article = store.article_by_id(id).await.expect("story");
    assert_eq!(
        (article.status, article.publish_at.map(|t| t.to_string())),
        (ArticleStatus::Scheduled, Some("2026-11-28T04:30:00Z".into()))
    );

    assert!(dateline_newsroom::editing::publish_due(&store, now()).await.expect("early run").is_empty());
    let at_time = now() + SignedDuration::from_mins(91);
    assert_eq!(dateline_newsroom::editing::publish_due(&store, at_time).await.expect("due run"), [id]);
    assert!(
        dateline_newsroom::editing::publish_due(&store, at_time).await.expect("again").is_empty(),
        "published exactly once"
    );
    let article = store.article_by_id(id).await.expect("story");
    assert_eq!(article.first_published_at.map(|t| t.to_string()), Some("2026-11-28T04:30:00Z".into()));
    let later = TestApp::start(store.clone(), at_time).await;
    assert_eq!(texts(&later.page("/national/").await, ".card__headline"), ["Morning briefing"]);
}

async fn an_embargo_holds_even_against_an_editor(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Embargo Editor").await;
    let id = StoryBuilder::new("Embargoed report", paper.national.id, now())
        .status(ArticleStatus::Draft)
        .embargoed_until(now() + SignedDuration::from_hours(5))
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    let refused = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "publish"),
                ("version", "1"),
                ("headline", "Embargoed report"),
                ("section", &section),
                ("body", "x"),
                ("embargo_until", "2026-11-28T17:00"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = scraper::Html::parse_document(&refused.text().await.expect("body"));
    assert!(texts(&page, ".form-error li").iter().any(|e| e.contains("embargo")), "{:?}", texts(&page, ".form-error"));
    assert_ne!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Published);
}

async fn a_removed_story_answers_410_and_leaves_every_list_but_the_desk_keeps_why(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Legal Editor").await;
    let id = StoryBuilder::new("Disputed story", paper.politics.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let no_reason = desk.post(&format!("/desk/stories/{id}/remove"), &[("version", "1"), ("reason", "  ")]).await;
    assert_eq!(no_reason.status(), 422);
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Published);
    // The desk asks first, saying what readers will get; nothing changes until it is confirmed.
    let asked = desk
        .post(&format!("/desk/stories/{id}/remove"), &[("version", "1"), ("reason", "Court order of 27 November")])
        .await;
    assert_eq!(asked.status(), 200);
    let asked = scraper::Html::parse_document(&asked.text().await.expect("page"));
    assert_eq!(texts(&asked, "h1"), ["Remove \u{201c}Disputed story\u{201d} for legal reasons?"]);
    assert!(texts(&asked, "[role=alert]")[0].contains("410 Gone"));
    assert_eq!(attributes(&asked, "input[name=reason]", "value"), ["Court order of 27 November"]);
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Published);
    let removed = desk
        .post(
            &format!("/desk/stories/{id}/remove"),
            &[("version", "1"), ("reason", "Court order of 27 November"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(removed.status(), 303);
    assert_eq!(app.get(&format!("/article/{id}/disputed-story")).await.status(), 410);
    assert!(texts(&app.page("/").await, "main a").iter().all(|t| t != "Disputed story"));
    let history = desk.page(&format!("/desk/stories/{id}/history")).await;
    let top = texts(&history, "tbody tr td");
    assert!(
        top[1].contains("removed") && top[1].contains("Court order of 27 November") && top[2] == "Legal Editor",
        "{top:?}"
    );
}

async fn a_published_story_gets_a_quiet_fix_or_a_public_update(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Update Editor").await;
    let id = StoryBuilder::new("Fire in Busan port", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    let fix = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "save"),
                ("version", "1"),
                ("headline", "Fire in Busan port"),
                ("section", &section),
                ("body", "A typo fixed."),
            ],
        )
        .await;
    assert_eq!(fix.status(), 303);
    assert_eq!(
        texts(&app.page(&format!("/article/{id}/fire-in-busan-port")).await, ".story__time").len(),
        1,
        "a minor fix leaves no public trace"
    );
    let update = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "update_public"),
                ("version", "2"),
                ("headline", "Fire in Busan port"),
                ("section", &section),
                ("body", "Firefighters put out the blaze."),
            ],
        )
        .await;
    assert_eq!(update.status(), 303);
    let page = app.page(&format!("/article/{id}/fire-in-busan-port")).await;
    assert_eq!(texts(&page, ".story__time")[1], "Updated Nov 28, 2026 - 12:00");
    let kinds: Vec<_> = store.revisions(id).await.expect("revisions").iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["created", "minor_fix", "public_update"]);
}

async fn an_editor_corrects_a_story_and_readers_find_the_correction_on_record(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    store
        .insert_page(
            &dateline_newsroom::NewPage {
                slug: dateline_testkit::paper::slug("ombudsman"),
                title: "Ombudsman".into(),
                body: "Write to us.".into(),
            },
            now(),
        )
        .await
        .expect("page");
    let (editor, password) = desk_user(&store, Role::Editor, "Correcting Editor").await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Plain Reporter").await;
    let id = StoryBuilder::new("Port fire damage estimated", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;

    let reporter_desk = app.sign_in(&reporter.email, &reporter_password).await;
    let refused =
        reporter_desk.post(&format!("/desk/stories/{id}/correct"), &[("version", "1"), ("correction", "x")]).await;
    assert_eq!(refused.status(), 403);

    let desk = app.sign_in(&editor.email, &password).await;
    let empty = desk.post(&format!("/desk/stories/{id}/correct"), &[("version", "1"), ("correction", " ")]).await;
    assert_eq!(empty.status(), 422);
    let corrected = desk
        .post(
            &format!("/desk/stories/{id}/correct"),
            &[("version", "1"), ("correction", "An earlier version gave the wrong berth number.")],
        )
        .await;
    assert_eq!(corrected.status(), 303);

    let page = app.page(&format!("/article/{id}/port-fire-damage-estimated")).await;
    assert_eq!(texts(&page, ".story__corrections h2"), ["Correction"]);
    assert!(texts(&page, ".story__corrections p")[0].ends_with("An earlier version gave the wrong berth number."));
    assert_eq!(texts(&page, ".story__time").len(), 2, "a correction is a public update");
    let list = app.page("/corrections").await;
    assert_eq!(texts(&list, ".corrections-list__story a"), ["Port fire damage estimated"]);
    let ombudsman = app.page("/page/ombudsman").await;
    assert_eq!(attributes(&ombudsman, ".static-page a[href='/corrections']", "href").len(), 1);
    let kinds: Vec<_> = store.revisions(id).await.expect("revisions").iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds.last(), Some(&"correction"));
}

async fn the_desk_compares_any_two_revisions_and_restores_an_earlier_text(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "History Editor").await;
    let id = StoryBuilder::new("Bridge opens", paper.national.id, now())
        .status(ArticleStatus::Draft)
        .body("The bridge opens on Monday.")
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    desk.post(
        &format!("/desk/stories/{id}"),
        &[
            ("action", "save"),
            ("version", "1"),
            ("headline", "Bridge opens early"),
            ("slug", "bridge-opens"),
            ("section", &section),
            ("body", "The bridge opens on Sunday."),
        ],
    )
    .await;

    let diff = desk.page(&format!("/desk/stories/{id}/diff?from=1&to=2")).await;
    let words = |selector: &str| texts(&diff, selector).into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>();
    assert_eq!(words("del"), ["Monday."]);
    assert_eq!(words("ins"), ["early", "Sunday."]);
    let default = desk.page(&format!("/desk/stories/{id}/diff")).await;
    assert_eq!(texts(&default, "h1"), ["Changes from revision 1 to 2"]);
    assert_eq!(desk.get(&format!("/desk/stories/{id}/diff?from=1&to=9")).await.status(), 404);
    assert_eq!(desk.get(&format!("/desk/stories/{id}/diff?from=x")).await.status(), 400);

    let restored = desk.post(&format!("/desk/stories/{id}/restore"), &[("revision", "1"), ("version", "2")]).await;
    assert_eq!(restored.status(), 303);
    let article = store.article_by_id(id).await.expect("story");
    assert_eq!(
        (article.content.headline.as_str(), article.content.body.as_str()),
        ("Bridge opens", "The bridge opens on Monday.")
    );
    let revisions = store.revisions(id).await.expect("revisions");
    assert_eq!(revisions.len(), 3, "restoring adds a revision and keeps the one it replaced");
    assert_eq!(revisions[1].content.headline, "Bridge opens early");
    let stale = desk.post(&format!("/desk/stories/{id}/restore"), &[("revision", "2"), ("version", "2")]).await;
    assert_eq!(stale.status(), 409);
}

async fn an_editor_chooses_the_lead_and_top_stories_of_the_home_page(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Front Editor").await;
    let older = StoryBuilder::new("Older but important", paper.national.id, now())
        .published_at(now() - SignedDuration::from_hours(20))
        .store(&store)
        .await;
    let middle = StoryBuilder::new("Middle story", paper.business.id, now())
        .published_at(now() - SignedDuration::from_hours(5))
        .store(&store)
        .await;
    StoryBuilder::new("Newest story", paper.business.id, now()).store(&store).await;
    let draft = StoryBuilder::new("Unfinished draft", paper.business.id, now())
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    assert_eq!(
        texts(&app.page("/").await, ".home-lead .card__headline"),
        ["Newest story"],
        "without a choice, the newest leads"
    );

    let refused = desk.post("/desk/home-page", &[("lead", &draft.to_string())]).await;
    assert_eq!(refused.status(), 400, "a draft cannot lead the home page");
    let saved = desk.post("/desk/home-page", &[("lead", &older.to_string()), ("top", &middle.to_string())]).await;
    assert_eq!(saved.status(), 303);
    let home = app.page("/").await;
    assert_eq!(texts(&home, ".home-lead .card__headline"), ["Older but important"]);
    assert_eq!(texts(&home, ".home-top .card__headline"), ["Middle story", "Newest story"]);
}

async fn a_renamed_section_keeps_its_old_address_as_a_redirect(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Section Editor").await;
    StoryBuilder::new("Politics story", paper.politics.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let id = paper.national.id;
    let renamed = desk
        .post(
            &format!("/desk/sections/{id}"),
            &[("name", "Nation"), ("slug", "nation"), ("parent", ""), ("position", "0")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    for (old, new) in
        [("/national/", "/nation/"), ("/national/politics/", "/nation/politics/"), ("/national", "/nation/")]
    {
        let response = app.get(old).await;
        assert_eq!(response.status(), 301, "{old}");
        assert_eq!(response.headers()["location"], new);
    }
    assert_eq!(texts(&app.page("/nation/politics/").await, ".card__headline"), ["Politics story"]);
    let reserved = desk
        .post(
            &format!("/desk/sections/{id}"),
            &[("name", "Search"), ("slug", "search"), ("parent", ""), ("position", "0")],
        )
        .await;
    assert_eq!(reserved.status(), 422);
    let page = scraper::Html::parse_document(&reserved.text().await.expect("body"));
    assert!(texts(&page, ".form-error")[0].contains("reserved"), "{:?}", texts(&page, ".form-error"));
    let created = desk
        .post("/desk/sections", &[("name", "Weekender"), ("slug", "weekender"), ("parent", ""), ("position", "5")])
        .await;
    assert_eq!(created.status(), 303);
    assert_eq!(app.get("/weekender/").await.status(), 200);
    let clash = desk
        .post("/desk/sections", &[("name", "Again"), ("slug", "weekender"), ("parent", ""), ("position", "6")])
        .await;
    assert_eq!(clash.status(), 422);
}

async fn an_admin_edits_the_masthead_and_bad_settings_are_refused(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (admin, password) = desk_user(&store, Role::Admin, "Site Admin").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&admin.email, &password).await;
    let fields = |zone: &'static str| {
        vec![
            ("site_name", "The Test Dateline"),
            ("owner", "Test Media"),
            ("language", "en"),
            ("time_zone", zone),
            ("date_line_format", "%Y-%m-%d"),
            ("timestamp_format", "%b %d, %Y - %H:%M"),
            ("registration_number", "서울 아00001"),
        ]
    };
    let bad = desk.post("/desk/settings", &fields("Mars/Olympus")).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(store.settings().await.expect("settings").time_zone, "Asia/Seoul", "nothing saved");
    let good = desk.post("/desk/settings", &fields("Europe/Paris")).await;
    assert_eq!(good.status(), 303);
    let home = app.page("/").await;
    assert!(texts(&home, ".legal__masthead dd").contains(&"서울 아00001".to_owned()));
    assert_eq!(store.settings().await.expect("settings").time_zone, "Europe/Paris");

    let created = desk
        .post(
            "/desk/users",
            &[
                ("name", "New Reporter"),
                ("email", "new@dateline.test"),
                ("role", "reporter"),
                ("password", "a-long-enough-password"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    assert!(app.try_sign_in("new@dateline.test", "a-long-enough-password").await.is_ok());
    let short = desk
        .post(
            "/desk/users",
            &[("name", "Short"), ("email", "short@dateline.test"), ("role", "reporter"), ("password", "short")],
        )
        .await;
    assert_eq!(short.status(), 422);
}

async fn editors_keep_authors_topics_and_pages(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Catalog Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    assert_eq!(
        desk.post(
            "/desk/authors",
            &[("name", "Kyodo"), ("slug", "kyodo"), ("kind", "agency"), ("bio", "A news agency.")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(texts(&app.page("/author/kyodo").await, ".front .label"), ["News agency"]);
    let duplicate = desk.post("/desk/authors", &[("name", "Other"), ("slug", "kyodo"), ("kind", "person")]).await;
    assert_eq!(duplicate.status(), 422);
    let kyodo = store.author_by_slug(&dateline_testkit::paper::slug("kyodo")).await.expect("author");
    assert_eq!(
        desk.post(
            &format!("/desk/authors/{}", kyodo.id),
            &[("name", "Kyodo News"), ("slug", "kyodo"), ("kind", "agency"), ("bio", "")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(texts(&app.page("/author/kyodo").await, "h1"), ["Kyodo News"]);

    assert_eq!(
        desk.post("/desk/topics", &[("name", "Typhoons"), ("slug", "typhoons"), ("description", "Storm season.")])
            .await
            .status(),
        303
    );
    assert_eq!(texts(&app.page("/topics/").await, ".topic-list a"), ["Typhoons"]);
    assert_eq!(desk.post("/desk/topics", &[("name", "Bad"), ("slug", "Bad Slug")]).await.status(), 422);

    assert_eq!(
        desk.post(
            "/desk/pages",
            &[("title", "Privacy Statement"), ("slug", "privacy"), ("body", "We keep **no** cookies.")]
        )
        .await
        .status(),
        303
    );
    let page = app.page("/page/privacy").await;
    assert_eq!(texts(&page, ".static-page strong"), ["no"]);
    assert_eq!(attributes(&app.page("/").await, "footer nav a", "href"), ["/page/privacy"]);
}

async fn script_in_a_story_never_reaches_a_reader(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Safety Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "[click](javascript:alert(3))",
        "<a href=\"JaVaScRiPt:alert(4)\">x</a>",
        "<svg onload=alert(5)><circle r=1></svg>",
        "<iframe src=\"data:text/html,<script>alert(6)</script>\"></iframe>",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNyk+\">",
        "<div style=\"background:url(javascript:alert(8))\">x</div>",
        "<p onclick=alert(9)>unclosed <b><i>markup",
        "<object data=\"x.swf\"></object><embed src=x>",
        "<form action=\"https://evil.example/\"><input name=q></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(10)>",
    ];
    let body = payloads.join("\n\n");
    let section = paper.politics.id.to_string();
    let created = desk
        .post(
            "/desk/stories",
            &[("headline", "Hostile body <script>alert(11)</script>"), ("section", &section), ("body", &body)],
        )
        .await;
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    desk.post(
        &format!("/desk/stories/{id}"),
        &[
            ("action", "publish"),
            ("version", "1"),
            ("headline", "Hostile body <script>alert(11)</script>"),
            ("section", &section),
            ("body", &body),
        ],
    )
    .await;
    let slug = store.article_by_id(id).await.expect("story").content.slug;
    let response = app.get(&format!("/article/{id}/{slug}")).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("page");
    let page = scraper::Html::parse_document(&html);
    let in_body = scraper::Selector::parse(".story__body *").expect("selector");
    for element in page.select(&in_body) {
        let name = element.value().name();
        assert!(
            !["script", "iframe", "object", "embed", "svg", "math", "style", "form", "input"].contains(&name),
            "a <{name}> reached the story body"
        );
    }
    let everything = scraper::Selector::parse("*").expect("selector");
    assert_eq!(
        page.select(&scraper::Selector::parse("script:not([type='application/ld+json'])").expect("selector")).count(),
        0,
        "reader pages carry no script but their structured data"
    );
    for element in page.select(&everything) {
        for (attribute, value) in element.value().attrs() {
            assert!(!attribute.starts_with("on"), "an {attribute} handler reached the reader page");
            let value = value.trim().to_ascii_lowercase();
            if matches!(attribute, "href" | "src" | "action" | "data" | "style") {
                assert!(
                    !value.contains("javascript:") && !value.starts_with("data:"),
                    "{attribute}={value} reached the reader page"
                );
            }
        }
    }
    assert_eq!(texts(&page, "h1")[0], "Hostile body <script>alert(11)</script>", "the headline is shown as text");
}

async fn an_editor_publishes_a_new_story_in_one_step_with_her_own_byline_first(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "One Step Editor").await;
    store.set_user_author(editor.id, Some(paper.colleague.id)).await.expect("her byline");
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let new_story = desk.page("/desk/stories/new").await;
    let colleague = paper.colleague.id.to_string();
    assert_eq!(
        attributes(&new_story, "select[name=byline] option[selected]", "value").first(),
        Some(&colleague),
        "her own byline comes first"
    );
    let section = paper.national.id.to_string();
    let published = desk
        .post(
            "/desk/stories",
            &[
                ("action", "publish"),
                ("headline", "Bridge opens a day early"),
                ("section", &section),
                ("byline", &colleague),
                ("body", "The bridge opened at dawn."),
            ],
        )
        .await;
    assert_eq!(published.status(), 303, "{}", published.text().await.unwrap_or_default());
    let id = story_id(published.headers()["location"].to_str().expect("location"));
    let story = store.article_by_id(id).await.expect("story");
    assert_eq!(story.status, ArticleStatus::Published);
    assert_eq!(texts(&app.page("/national/").await, ".card__headline"), ["Bridge opens a day early"]);

    // Any number of bylines: a story with four gets a fifth, empty slot to add one more.
    let fourth = store
        .insert_author(&dateline_newsroom::NewAuthor {
            slug: dateline_testkit::paper::slug("park-so-yeon"),
            name: "Park So-yeon".into(),
            kind: dateline_newsroom::AuthorKind::Person,
            bio: String::new(),
            photo_id: None,
        })
        .await
        .expect("a fourth author");
    let four: Vec<String> =
        [paper.colleague.id, paper.reporter.id, paper.agency.id, fourth.id].iter().map(|a| a.to_string()).collect();
    let version = story.version.to_string();
    let mut fields = vec![
        ("action", "save"),
        ("version", version.as_str()),
        ("headline", "Bridge opens a day early"),
        ("section", section.as_str()),
        ("body", "The bridge opened at dawn."),
    ];
    fields.extend(four.iter().map(|a| ("byline", a.as_str())));
    let saved = desk.post(&format!("/desk/stories/{id}"), &fields).await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap_or_default());
    assert_eq!(store.article_by_id(id).await.expect("story").content.bylines.len(), 4);
    let editor_page = desk.page(&format!("/desk/stories/{id}")).await;
    assert_eq!(attributes(&editor_page, "select[name=byline]", "id").len(), 5, "four chosen and one empty");

    // Scheduling a new story for a time already past keeps the draft and says why.
    let refused = desk
        .post(
            "/desk/stories",
            &[
                ("action", "schedule"),
                ("headline", "Yesterday's news"),
                ("section", &section),
                ("body", "Too late."),
                ("publish_at", "2026-11-27T09:00"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = scraper::Html::parse_document(&refused.text().await.expect("page"));
    assert!(!texts(&page, ".form-error").is_empty());
    let drafts =
        store.desk_stories(Some(ArticleStatus::Draft), Window { limit: 50, offset: 0 }).await.expect("stories");
    assert!(
        drafts.iter().any(|s| s.headline == "Yesterday's news" && s.status == ArticleStatus::Draft),
        "the draft is kept"
    );
}

async fn the_editor_says_how_many_words_the_body_has_and_how_long_it_takes_to_read(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (reporter, password) = desk_user(&store, Role::Reporter, "Counting Reporter").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&reporter.email, &password).await;
    assert_eq!(texts(&desk.page("/desk/stories/new").await, "#body-length"), ["No words yet."]);

    // Eight words a paragraph pair ("The", "ferry", "**resumes**", "service.", "12",
    // "sailings", "a", "day"; a ">" alone is no word), 46 times.
    let body = "The ferry **resumes** service.\n\n> 12 sailings a day\n\n".repeat(46);
    let section = paper.national.id.to_string();
    let created =
        desk.post("/desk/stories", &[("headline", "Ferries resume"), ("section", &section), ("body", &body)]).await;
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    let page = desk.page(&format!("/desk/stories/{id}")).await;
    assert_eq!(texts(&page, "#body-length"), ["368 words, about 2 min to read."]);
    assert_eq!(attributes(&page, "#body", "aria-describedby"), ["body-length"]);

    // The preview beside the body is the reader page's rendering, sanitized the same way.
    let preview = desk
        .post("/desk/preview-body", &[("body", "The **ferry** runs.\n\n<script>alert(1)</script>\n\n> Calm seas")])
        .await;
    assert_eq!(preview.status(), 200);
    assert_eq!(preview.headers()["cache-control"], "private, no-store");
    let fragment = scraper::Html::parse_fragment(&preview.text().await.expect("html"));
    assert_eq!(texts(&fragment, "strong"), ["ferry"]);
    assert_eq!(texts(&fragment, "blockquote p"), ["Calm seas"]);
    assert!(texts(&fragment, "script").is_empty(), "no script survives");
    let too_deep = desk.post("/desk/preview-body", &[("body", &">".repeat(40))]).await;
    assert_eq!(too_deep.status(), 400);
}

on_both_databases!(
    an_editor_publishes_a_new_story_in_one_step_with_her_own_byline_first,
    the_editor_says_how_many_words_the_body_has_and_how_long_it_takes_to_read,
    an_editor_writes_a_story_publishes_it_and_readers_find_it_on_the_section_front,
    a_reporter_writes_and_submits_but_finds_no_way_to_publish,
    two_people_saving_one_story_see_a_conflict_and_lose_no_text,
    a_scheduled_story_goes_live_at_its_time_without_a_visit,
    an_embargo_holds_even_against_an_editor,
    a_removed_story_answers_410_and_leaves_every_list_but_the_desk_keeps_why,
    a_published_story_gets_a_quiet_fix_or_a_public_update,
    an_editor_corrects_a_story_and_readers_find_the_correction_on_record,
    the_desk_compares_any_two_revisions_and_restores_an_earlier_text,
    an_editor_chooses_the_lead_and_top_stories_of_the_home_page,
    a_renamed_section_keeps_its_old_address_as_a_redirect,
    an_admin_edits_the_masthead_and_bad_settings_are_refused,
    editors_keep_authors_topics_and_pages,
    script_in_a_story_never_reaches_a_reader
);

async fn every_desk_route_answers_each_role_as_its_powers_allow_and_changes_nothing_otherwise(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let mut sessions = Vec::new();
    for role in [Role::Admin, Role::Editor, Role::PhotoEditor, Role::Reporter, Role::Contributor] {
        let (user, password) = desk_user(&store, role, &format!("{} Person", role.as_str().replace('_', " "))).await;
        sessions.push((role, user, password));
    }
    // A story nobody on the desk created: only admins and editors may touch it.
    let draft = StoryBuilder::new("Someone else's draft", paper.politics.id, now())
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let picture = dateline_testkit::paper::photo(&store, "test/matrix.jpg", "A caption.", "Dateline", now()).await;
    let published = StoryBuilder::new("Published story", paper.politics.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let section = paper.politics.id.to_string();

    for (role, user, password) in &sessions {
        let desk = app.sign_in(&user.email, password).await;
        let editor_role = matches!(role, Role::Admin | Role::Editor);
        let expect = |allowed: bool| if allowed { 200 } else { 403 };
        for path in ["/desk/", "/desk/stories/new", "/desk/photos"] {
            assert_eq!(desk.get(path).await.status(), 200, "{role:?} GET {path}");
        }
        for path in ["/desk/home-page", "/desk/sections"] {
            assert_eq!(desk.get(path).await.status(), expect(editor_role), "{role:?} GET {path}");
        }
        for path in ["/desk/settings", "/desk/users"] {
            assert_eq!(desk.get(path).await.status(), expect(*role == Role::Admin), "{role:?} GET {path}");
        }
        let sections_before = store.sections().await.expect("sections");
        let new_section = desk
            .post(
                "/desk/sections",
                &[
                    ("name", "Extra"),
                    ("slug", &format!("extra-{}", role.as_str().replace('_', "-"))),
                    ("parent", ""),
                    ("position", "9"),
                ],
            )
            .await;
        assert_eq!(new_section.status(), if editor_role { 303 } else { 403 }, "{role:?} POST /desk/sections");
        if !editor_role {
            assert_eq!(store.sections().await.expect("sections"), sections_before, "{role:?}: no section created");
        }
        let settings_before = store.settings().await.expect("settings");
        let settings = desk
            .post(
                "/desk/settings",
                &[
                    ("site_name", "Taken over"),
                    ("language", "en"),
                    ("time_zone", "UTC"),
                    ("date_line_format", "%Y"),
                    ("timestamp_format", "%Y"),
                ],
            )
            .await;
        if *role == Role::Admin {
            assert_eq!(settings.status(), 303);
            store.save_settings(&settings_before).await.expect("restore settings");
        } else {
            assert_eq!(settings.status(), 403, "{role:?} POST /desk/settings");
            assert_eq!(store.settings().await.expect("settings"), settings_before);
        }
        for path in [
            format!("/desk/stories/{draft}"),
            format!("/desk/stories/{draft}/preview"),
            format!("/desk/stories/{draft}/history"),
        ] {
            assert_eq!(desk.get(&path).await.status(), expect(editor_role), "{role:?} GET {path}");
        }
        let before = (
            store.article_by_id(draft).await.expect("draft").version,
            store.article_by_id(published).await.expect("published").version,
        );
        let edit = desk
            .post(
                &format!("/desk/stories/{draft}"),
                &[
                    ("action", "save"),
                    ("version", &before.0.to_string()),
                    ("headline", "Changed"),
                    ("section", &section),
                    ("body", "x"),
                ],
            )
            .await;
        let publish = desk
            .post(
                &format!("/desk/stories/{published}"),
                &[
                    ("action", "unpublish"),
                    ("confirmed", "yes"),
                    ("version", &before.1.to_string()),
                    ("headline", "Published story"),
                    ("section", &section),
                    ("body", "x"),
                ],
            )
            .await;
        let remove = desk
            .post(
                &format!("/desk/stories/{published}/remove"),
                &[("version", &before.1.to_string()), ("reason", "test"), ("confirmed", "yes")],
            )
            .await;
        if editor_role {
            assert_eq!(edit.status(), 303, "{role:?} saves any story");
            // Put things back for the next role.
            let saved = store.article_by_id(draft).await.expect("draft");
            assert_eq!(saved.content.headline, "Changed");
            assert_eq!(publish.status(), 303, "{role:?} unpublishes");
            assert_eq!(remove.status(), 409, "the story moved on after unpublishing: the version is stale");
        } else {
            for (what, response) in [("save", edit), ("unpublish", publish), ("remove", remove)] {
                assert_eq!(response.status(), 403, "{role:?} may not {what}");
            }
            let after = (
                store.article_by_id(draft).await.expect("draft").version,
                store.article_by_id(published).await.expect("published").version,
            );
            assert_eq!(after, before, "{role:?}: nothing changed");
        }
        // Every other state-changing screen: editors' and admins' only, or admins' only.
        let national = paper.national.id.to_string();
        let reporter_author = paper.reporter.id.to_string();
        let draft_path = format!("/desk/stories/{draft}/restore");
        let section_path = format!("/desk/sections/{national}");
        let author_path = format!("/desk/authors/{reporter_author}");
        let photo = picture.id.to_string();
        let photo_path = format!("/desk/photos/{photo}");
        let lead_path = format!("/desk/photos/{photo}/lead");
        let draft_id = draft.to_string();
        // What each role may do on the remaining routes, by role.
        let photo_desk = matches!(role, Role::Admin | Role::Editor | Role::PhotoEditor);
        type Attempt<'a> = (&'a str, Vec<(&'a str, &'a str)>, bool);
        let more: Vec<Attempt> = vec![
            (draft_path.as_str(), vec![("revision", "1"), ("version", "999")], editor_role),
            (
                section_path.as_str(),
                vec![("name", "National"), ("slug", "national"), ("parent", ""), ("position", "0")],
                editor_role,
            ),
            (
                author_path.as_str(),
                vec![("name", "Kim Min-ji"), ("slug", "kim-min-ji"), ("kind", "person"), ("bio", "Politics.")],
                editor_role,
            ),
            (
                photo_path.as_str(),
                vec![
                    ("caption", "A caption."),
                    ("credit", "Dateline"),
                    ("alt_text", "A test picture"),
                    ("photographer", "Test"),
                ],
                photo_desk,
            ),
            (lead_path.as_str(), vec![("story", draft_id.as_str())], photo_desk),
        ];
        for (path, fields, allowed) in more {
            let status = desk.post(path, &fields).await.status().as_u16();
            if allowed {
                assert_ne!(status, 403, "{role:?} POST {path}");
            } else {
                assert_eq!(status, 403, "{role:?} POST {path}");
            }
        }
        for path in ["/desk/search?q=draft".to_owned(), format!("/desk/photos/{photo}")] {
            assert_eq!(desk.get(&path).await.status(), 200, "{role:?} GET {path}");
        }
        assert_eq!(
            desk.get(&format!("/desk/stories/{draft}/diff")).await.status(),
            expect(editor_role),
            "{role:?} diff"
        );
        let editors_only: [(&str, Vec<(&str, &str)>); 6] = [
            ("/desk/authors", vec![("name", "Matrix Agency"), ("slug", "matrix-agency"), ("kind", "agency")]),
            ("/desk/topics", vec![("name", "Matrix"), ("slug", "matrix")]),
            ("/desk/pages", vec![("title", "Matrix"), ("slug", "matrix")]),
            ("/desk/home-page", vec![("lead", "")]),
            (
                "/desk/users",
                vec![
                    ("name", "Matrix User"),
                    ("email", "matrix@dateline.test"),
                    ("role", "admin"),
                    ("password", "matrix-password-1"),
                ],
            ),
            ("/desk/stories/999999/correct", vec![("version", "1"), ("correction", "x")]),
        ];
        for (path, fields) in editors_only {
            let allowed = match path {
                "/desk/users" => *role == Role::Admin,
                _ => editor_role,
            };
            let status = desk.post(path, &fields).await.status().as_u16();
            if allowed {
                assert_ne!(status, 403, "{role:?} POST {path}");
            } else {
                assert_eq!(status, 403, "{role:?} POST {path}");
            }
        }
        let forged = desk
            .post_without_csrf("/desk/stories", &[("headline", "Forged"), ("section", &section), ("body", "x")])
            .await;
        assert_eq!(forged.status(), 403, "{role:?}: a form without the CSRF token is refused");
        assert_eq!(desk.post("/desk/sign-out", &[]).await.status(), 303);
        assert_ne!(desk.get("/desk/").await.status(), 200, "signed out");
        // Restore the published story for the next role.
        if editor_role {
            let current = store.article_by_id(published).await.expect("published");
            let mut back = dateline_newsroom::ArticleUpdate::of(
                &current,
                dateline_newsroom::RevisionKind::Published,
                dateline_newsroom::RevisionAuthor::system("test"),
                now(),
            );
            back.status = ArticleStatus::Published;
            store.update_article(&back).await.expect("republish");
        }
    }

    // Without a session: pages send to the sign-in form, actions are refused.
    for path in
        ["/desk/", "/desk/stories/new", &format!("/desk/stories/{draft}"), &format!("/desk/stories/{draft}/preview")]
    {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "anonymous GET {path}");
        assert!(response.headers()["location"].to_str().expect("location").starts_with("/desk/sign-in?next="));
    }
    let anonymous = app
        .client
        .post(format!("{}/desk/stories", app.base_url))
        .form(&[("headline", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), 403);
    assert_eq!(store.count_articles().await.expect("count"), 2, "no story was created by anyone refused");
    for path in ["/desk/photos", "/desk/search?q=x", "/desk/sections", "/desk/settings"] {
        assert_eq!(app.get(path).await.status(), 303, "anonymous GET {path}");
    }
    for path in ["/desk/sections", "/desk/settings", "/desk/users", &format!("/desk/stories/{draft}/restore")] {
        let refused =
            app.client.post(format!("{}{path}", app.base_url)).form(&[("x", "y")]).send().await.expect("post");
        assert_eq!(refused.status(), 403, "anonymous POST {path}");
    }
}

async fn signing_in_sets_a_safe_cookie_and_guessing_passwords_is_slowed_down(db: TestDatabase) {
    let store = db.store().await;
    let (editor, password) = desk_user(&store, Role::Editor, "Cookie Editor").await;
    let app = TestApp::start(store, now()).await;
    let session = app.sign_in(&editor.email, &password).await;
    let flags = session.set_cookie.to_ascii_lowercase();
    assert!(flags.contains("httponly") && flags.contains("samesite=lax") && !flags.contains("secure"), "{flags}");

    let wrong = app.try_sign_in(&editor.email, "not the password").await.err().expect("refused");
    assert_eq!(wrong.status(), 401);
    let unknown = app.try_sign_in("nobody@dateline.test", "whatever-password").await.err().expect("refused");
    assert_eq!(unknown.status(), 401, "an unknown address is refused the same way");
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.try_sign_in(&editor.email, "still wrong").await.err().expect("refused").status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    let blocked = app.try_sign_in(&editor.email, &password).await.err().expect("even the right password waits");
    assert_eq!(blocked.status(), 429);
}

async fn reader_and_desk_pages_carry_protective_headers_and_the_desk_is_never_cached(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Header Editor").await;
    let app = TestApp::start(store, now()).await;
    let home = app.get("/").await;
    let csp = home.headers()["content-security-policy"].to_str().expect("csp").to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(home.headers()["x-content-type-options"], "nosniff");
    assert_eq!(home.headers()["x-frame-options"], "DENY");
    let desk = app.sign_in(&editor.email, &password).await;
    let page = desk.get("/desk/").await;
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    assert!(page.headers().contains_key("content-security-policy"));
}

on_both_databases!(
    every_desk_route_answers_each_role_as_its_powers_allow_and_changes_nothing_otherwise,
    signing_in_sets_a_safe_cookie_and_guessing_passwords_is_slowed_down,
    reader_and_desk_pages_carry_protective_headers_and_the_desk_is_never_cached
);

async fn an_editor_saves_an_old_story_untouched_and_it_keeps_its_lead_photo_the_oldest_of_two_hundred(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Baek Min-ho").await;
    let oldest = dateline_testkit::paper::library_with_an_old_photo(&store, 200, now()).await;
    let id = StoryBuilder::new("Harbour reopens after ten years", paper.national.id, now())
        .lead_photo(oldest.id)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    let editor_page = desk.page(&format!("/desk/stories/{id}")).await;
    let mut fields = dateline_testkit::form_fields(&editor_page, "form.editor");
    fields.retain(|(name, _)| name != "csrf");
    fields.push(("action".into(), "save".into()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let saved = desk.post(&format!("/desk/stories/{id}"), &fields).await;
    assert_eq!(saved.status(), 303, "the untouched form saves");
    let article = store.article_by_id(id).await.expect("story");
    assert_eq!(article.content.lead_media_id, Some(oldest.id), "the lead photo survives a save of the untouched form");
    assert_eq!(article.content.headline, "Harbour reopens after ten years");
}

async fn a_contributor_saves_a_draft_of_quotations_nested_thousands_deep_and_is_told_why_with_the_text_kept(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (contributor, password) = desk_user(&store, Role::Contributor, "Han Seo-yeon").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&contributor.email, &password).await;
    let section = paper.national.id.to_string();
    let body = format!("{} the words", ">".repeat(30_000));
    let refused = desk.post("/desk/stories", &[("headline", "Quotes"), ("section", &section), ("body", &body)]).await;
    assert_eq!(refused.status(), 422);
    let page = scraper::Html::parse_document(&refused.text().await.expect("page"));
    let errors = texts(&page, ".form-error li");
    assert!(errors.iter().any(|e| e.contains("30000 levels deep")), "{errors:?}");
    assert_eq!(texts(&page, "textarea#body").concat().len(), body.len(), "the text is kept in the form");
    assert!(
        store.desk_stories(None, Window { limit: 10, offset: 0 }).await.expect("stories").is_empty(),
        "nothing was saved"
    );
}

on_both_databases!(
    an_editor_saves_an_old_story_untouched_and_it_keeps_its_lead_photo_the_oldest_of_two_hundred,
    a_contributor_saves_a_draft_of_quotations_nested_thousands_deep_and_is_told_why_with_the_text_kept
);

/// The desk's POST routes, read from the route table itself, so a route added later is
/// covered by the CSRF test below without anyone remembering to list it.
fn desk_post_routes() -> Vec<String> {
    let table = include_str!("../../src/desk/mod.rs");
    table
        .lines()
        .filter(|line| line.contains(".route(\"/desk/") && line.contains("post("))
        .filter_map(|line| line.split('"').nth(1).map(str::to_owned))
        .filter(|path| path != "/desk/sign-in")
        .collect()
}

async fn a_form_posted_without_its_csrf_token_changes_nothing_on_any_desk_route(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (admin, password) = desk_user(&store, Role::Admin, "Careful Admin").await;
    let story = StoryBuilder::new("Harbour reopens", paper.national.id, now()).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&admin.email, &password).await;
    let routes = desk_post_routes();
    assert!(routes.len() >= 20, "the route table was read: {routes:?}");
    let before =
        (store.article_by_id(story).await.expect("story").version, store.sections().await.expect("sections").len());
    for route in routes {
        let path = route.replace("{id}", &story.to_string());
        let response = desk
            .post_without_csrf(
                &path,
                &[
                    ("headline", "Forged"),
                    ("name", "Forged"),
                    ("slug", "forged"),
                    ("action", "save"),
                    ("version", "1"),
                    ("reason", "forged"),
                ],
            )
            .await;
        let status = response.status().as_u16();
        // Uploads (a photo, an episode's sound) read their own token from the multipart
        // form, so a plain form is refused before it; the resume page writes nothing and has
        // nothing to resume here.
        let uploads = [
            "/desk/photos",
            "/desk/podcasts/{id}/episodes",
            "/desk/stories/{id}/episode",
            "/desk/stories/{id}/video",
            "/desk/resume",
        ];
        if uploads.contains(&route.as_str()) {
            assert!((400..500).contains(&status), "POST {path} without a token: {status}");
        } else {
            assert_eq!(status, 403, "POST {path} without a token");
        }
    }
    let after =
        (store.article_by_id(story).await.expect("story").version, store.sections().await.expect("sections").len());
    assert_eq!(after, before, "nothing changed");
    assert_eq!(desk.get("/desk/").await.status(), 200, "still signed in: sign-out needs the token too");
}

async fn a_nul_pasted_into_a_desk_form_is_dropped_and_the_story_saves_the_same_on_both_databases(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Baek Min-ho").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    let created = desk
        .post(
            "/desk/stories",
            &[
                ("headline", "Ferries\u{0}sail\u{7} again"),
                ("section", &section),
                ("body", "First line.\n\nSecond\u{0} line.\tTabbed."),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let id = story_id(created.headers()["location"].to_str().expect("location"));
    let story = store.article_by_id(id).await.expect("stored");
    assert_eq!(story.content.headline, "Ferriessail again");
    assert_eq!(story.content.body, "First line.\n\nSecond line.\tTabbed.");

    // Addresses and the sign-in form lose them too: nothing reaches the database with a NUL.
    assert_eq!(app.get("/search?q=Ferries%00").await.status(), 200);
    let bad_address = format!("{}\u{0}", editor.email);
    assert_eq!(
        sign_in_from(&app, "203.0.113.30", &bad_address, &password).await,
        303,
        "the stray byte is dropped, as from any form"
    );
}

on_both_databases!(
    a_sign_in_whose_next_page_holds_a_line_break_or_a_nul_lands_on_the_desk_and_sets_nothing_else,
    a_form_posted_without_its_csrf_token_changes_nothing_on_any_desk_route,
    a_nul_pasted_into_a_desk_form_is_dropped_and_the_story_saves_the_same_on_both_databases
);

/// Posts the sign-in form as a browser behind the trusted proxy at `from` would.
async fn sign_in_from(app: &TestApp, from: &str, email: &str, password: &str) -> u16 {
    sign_in_going_to(app, from, email, password, "/desk/\r\nSet-Cookie: x=1").await.status().as_u16()
}

/// Posts the sign-in form with `next`, the page to land on.
async fn sign_in_going_to(app: &TestApp, from: &str, email: &str, password: &str, next: &str) -> reqwest::Response {
    let form = app.client.get(format!("{}/desk/sign-in", app.base_url)).send().await.expect("form");
    let cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("dateline_sign_in="))
        .and_then(|v| v.split(';').next())
        .expect("the form's cookie")
        .to_owned();
    let page = scraper::Html::parse_document(&form.text().await.expect("form"));
    let csrf = attributes(&page, "input[name=csrf]", "value").pop().expect("token");
    app.client
        .post(format!("{}/desk/sign-in", app.base_url))
        .header("cookie", cookie)
        .header("x-forwarded-for", from)
        .form(&[("email", email), ("password", password), ("csrf", csrf.as_str()), ("next", next)])
        .send()
        .await
        .expect("sign in")
}

async fn a_sign_in_whose_next_page_holds_a_line_break_or_a_nul_lands_on_the_desk_and_sets_nothing_else(
    db: TestDatabase,
) {
    let store = db.store().await;
    let (editor, password) = desk_user(&store, Role::Editor, "Baek Min-ho").await;
    let app = TestApp::start(store, now()).await;
    for next in ["/desk/\r\nSet-Cookie: x=1", "/desk/stories\u{0}", "/desk/%0d%0aLocation:%20https://evil.example/"] {
        let answer = sign_in_going_to(&app, "203.0.113.40", &editor.email, &password, next).await;
        assert_eq!(answer.status(), 303, "{next:?}");
        let location = answer.headers()["location"].to_str().expect("location");
        assert!(location == "/desk/" || location.starts_with("/desk/%"), "{next:?} led to {location:?}");
        assert!(!location.contains(['\r', '\n', '\0']));
        let cookies: Vec<&str> =
            answer.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
        assert!(cookies.iter().all(|c| !c.starts_with("x=")), "{cookies:?}");
    }
}

async fn a_burst_of_guesses_gets_no_free_tries_and_a_flood_from_elsewhere_never_locks_the_editor_out(db: TestDatabase) {
    let store = db.store().await;
    let (editor, password) = desk_user(&store, Role::Editor, "Guarded Editor").await;
    let app = TestApp::start_with(store, now(), |settings| {
        settings.trusted_proxies = vec![("127.0.0.1".parse().expect("ip"), 32)]
    })
    .await;
    let attempts = (0..40).map(|_| sign_in_from(&app, "203.0.113.9", &editor.email, "a wrong guess"));
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        3,
        "three tries, however many arrive at once: {statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 37, "{statuses:?}");
    for n in 0..30 {
        sign_in_from(&app, &format!("192.0.2.{n}"), &editor.email, "another wrong guess").await;
    }
    assert_eq!(
        sign_in_from(&app, "198.51.100.20", &editor.email, &password).await,
        303,
        "the editor signs in from a clean address"
    );
    assert_eq!(
        sign_in_from(&app, "203.0.113.9", &editor.email, &password).await,
        429,
        "the guesser's address still waits"
    );
}

on_both_databases!(a_burst_of_guesses_gets_no_free_tries_and_a_flood_from_elsewhere_never_locks_the_editor_out);

async fn a_save_while_another_process_holds_the_database_answers_503_with_retry_after_and_the_next_one_passes(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Patient Editor").await;
    let id =
        StoryBuilder::new("Harbour reopens", paper.national.id, now()).status(ArticleStatus::Draft).store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.national.id.to_string();
    let fields = |headline: &'static str| {
        vec![
            ("action", "save"),
            ("version", "1"),
            ("headline", headline),
            ("section", section.as_str()),
            ("body", "Boats again."),
        ]
    };

    let mut holder = db.hold_write_lock(3);
    let started = std::time::Instant::now();
    let busy = desk.post(&format!("/desk/stories/{id}"), &fields("Harbour reopens at dawn")).await;
    let waited = started.elapsed();
    assert_eq!(busy.status(), 503, "a busy database is a 503, not a 500 or a hang");
    assert_eq!(busy.headers()["retry-after"], "5");
    assert!(waited < std::time::Duration::from_secs(5), "gave up after the lock timeout: {waited:?}");
    // The other process ends its transaction by itself (a killed client's session could
    // hold its lock on the server until it notices).
    let _ = holder.wait();

    let saved = desk.post(&format!("/desk/stories/{id}"), &fields("Harbour reopens at dawn")).await;
    assert_eq!(saved.status(), 303, "once the lock is gone the same save passes");
    assert_eq!(store.article_by_id(id).await.expect("story").content.headline, "Harbour reopens at dawn");
}

on_both_databases!(
    a_save_while_another_process_holds_the_database_answers_503_with_retry_after_and_the_next_one_passes
);

async fn a_sign_in_form_token_the_attacker_made_up_is_refused_even_with_the_right_password(db: TestDatabase) {
    let store = db.store().await;
    let (editor, password) = desk_user(&store, Role::Editor, "Careful Editor").await;
    let app = TestApp::start(store, now()).await;
    for made_up in ["attacker-chosen-token", "1764298800.abc.0000"] {
        let response = app
            .client
            .post(format!("{}/desk/sign-in", app.base_url))
            .header("cookie", format!("dateline_sign_in={made_up}"))
            .form(&[
                ("email", editor.email.as_str()),
                ("password", password.as_str()),
                ("csrf", made_up),
                ("next", "/desk/"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 403, "{made_up}");
        assert!(
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .all(|c| !c.to_str().unwrap_or("").starts_with("dateline_session=")),
            "no session for {made_up}"
        );
    }
    // The form the paper issued works, on this instance or another of the same paper.
    assert!(app.try_sign_in(&editor.email, &password).await.is_ok());
}

on_both_databases!(a_sign_in_form_token_the_attacker_made_up_is_refused_even_with_the_right_password);
