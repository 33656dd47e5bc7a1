//! The desk says what each action did, in the newsroom's words, with a link to the reader
//! page as it is now; taking a story down asks first and says what readers will see;
//! "Unschedule" is its own action; the preview says plainly that readers do not see it.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, ArticleStatus, Role};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, form_fields, on_both_databases, texts, DeskSession, TestApp, TestDatabase};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// Presses a button of the editor for story `id` at `version`, with the text the editor shows
/// and `more`, and follows the answer back to the editor: its notice and the link beside it.
async fn press(desk: &DeskSession, id: ArticleId, version: i64, action: &str, more: &[(&str, &str)]) -> scraper::Html {
    let editor = desk.page(&format!("/desk/stories/{id}")).await;
    let shown = form_fields(&editor, "form.editor");
    let version = version.to_string();
    let mut fields: Vec<(&str, &str)> = vec![("action", action), ("version", &version)];
    for (name, value) in &shown {
        let replaced = more.iter().any(|(n, _)| n == name);
        if !replaced && !matches!(name.as_str(), "csrf" | "version" | "action") {
            fields.push((name, value));
        }
    }
    fields.extend_from_slice(more);
    let answer = desk.post(&format!("/desk/stories/{id}"), &fields).await;
    assert_eq!(answer.status(), 303, "{action}");
    let location = answer.headers()["location"].to_str().expect("location").to_owned();
    desk.page(&location).await
}

async fn an_editor_is_told_what_each_action_did_and_where_readers_see_it(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let id = StoryBuilder::new("Port strike ends", paper.politics.id, now())
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    // Scheduled: the time in the paper's own zone, named as the newsroom says it.
    let page = press(&desk, id, 1, "schedule", &[("publish_at", "2026-11-29T14:00")]).await;
    assert_eq!(texts(&page, ".notice[role=status]"), ["Scheduled for Nov 29, 2026 - 14:00 Seoul time."]);
    assert!(attributes(&page, ".notice[role=status] a", "href").is_empty(), "readers cannot see it yet");
    assert_eq!(texts(&page, "button[value=unschedule]"), ["Unschedule"], "a scheduled story offers its own undo");
    assert!(texts(&page, "button[value=unpublish]").is_empty(), "and no unpublishing of what never went out");

    // Unscheduled: a draft again.
    let version = store.article_by_id(id).await.expect("story").version;
    let page = press(&desk, id, version, "unschedule", &[]).await;
    assert_eq!(
        texts(&page, ".notice[role=status]"),
        ["Unscheduled: it is a draft again and will not be published by itself."]
    );
    let story = store.article_by_id(id).await.expect("story");
    assert_eq!((story.status, story.publish_at), (ArticleStatus::Draft, None));
    assert!(dateline_newsroom::editing::publish_due(&store, now() + jiff::SignedDuration::from_hours(48))
        .await
        .expect("due")
        .is_empty());

    // Published: where readers see it, and a link that shows the page as it is now.
    let page = press(&desk, id, story.version, "publish", &[]).await;
    let notice = texts(&page, ".notice[role=status]").pop().expect("a notice");
    assert!(
        notice.starts_with(
            "Published. Readers see it now on the home page's latest news and the National › Politics front."
        ),
        "{notice}"
    );
    let story = store.article_by_id(id).await.expect("story");
    let live = attributes(&page, ".notice[role=status] a", "href").pop().expect("a link to the live page");
    assert_eq!(live, format!("/article/{id}/port-strike-ends?v={}", story.version));
    let reader = app.page(&live).await;
    assert_eq!(texts(&reader, "h1"), ["Port strike ends"]);
    assert!(texts(&reader, ".preview-banner").is_empty(), "readers' pages carry no preview banner");

    // A correction says where readers see it.
    let corrected = desk
        .post(
            &format!("/desk/stories/{id}/correct"),
            &[("version", &story.version.to_string()), ("correction", "An earlier version misnamed the port.")],
        )
        .await;
    assert_eq!(corrected.status(), 303);
    let location = corrected.headers()["location"].to_str().expect("location").to_owned();
    let page = desk.page(&location).await;
    assert!(texts(&page, ".notice[role=status]")[0].starts_with("Correction published."));

    // Unpublishing asks first and says what readers will get; only the confirmation does it.
    let story = store.article_by_id(id).await.expect("story");
    let version = story.version.to_string();
    let asked = desk.post(&format!("/desk/stories/{id}"), &[("action", "unpublish"), ("version", &version)]).await;
    assert_eq!(asked.status(), 200);
    let asked = scraper::Html::parse_document(&asked.text().await.expect("page"));
    assert_eq!(texts(&asked, "h1"), ["Unpublish \u{201c}Port strike ends\u{201d}?"]);
    assert!(texts(&asked, "[role=alert]")[0].contains("page not found"));
    assert_eq!(attributes(&asked, "a[href]", "href").last().map(String::as_str), Some(&*format!("/desk/stories/{id}")));
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Published, "nothing yet");
    let confirmed = desk
        .post(&format!("/desk/stories/{id}"), &[("action", "unpublish"), ("version", &version), ("confirmed", "yes")])
        .await;
    assert_eq!(confirmed.status(), 303);
    let location = confirmed.headers()["location"].to_str().expect("location").to_owned();
    let page = desk.page(&location).await;
    assert!(texts(&page, ".notice[role=status]")[0].starts_with("Unpublished. Readers who follow its address now get"));
    assert_eq!(app.get(&format!("/article/{id}/port-strike-ends")).await.status(), 404);

    // The preview says plainly what it is, and leads back to the desk.
    let preview = desk.page(&format!("/desk/stories/{id}/preview")).await;
    let banner = texts(&preview, ".preview-banner");
    assert!(banner[0].contains("Preview of a story that is unpublished") && banner[0].contains("readers do not see"));
    assert_eq!(attributes(&preview, ".preview-banner a", "href"), [format!("/desk/stories/{id}")]);
}

on_both_databases!(an_editor_is_told_what_each_action_did_and_where_readers_see_it);

async fn a_reporter_submits_with_a_note_withdraws_and_an_editor_sends_it_back_and_the_desk_counts(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Park Ji-hoon").await;
    let (editor, editor_password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let writer = app.sign_in(&reporter.email, &reporter_password).await;
    let editors = app.sign_in(&editor.email, &editor_password).await;
    let section = paper.politics.id.to_string();
    let created = writer
        .post(
            "/desk/stories",
            &[
                ("action", "save"),
                ("headline", "Budget talks stall"),
                ("section", &section),
                ("body", "Talks stalled."),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let id = store.desk_stories(None, dateline_newsroom::Window { limit: 1, offset: 0 }).await.expect("stories")[0].id;
    let counts = |page: &scraper::Html| texts(page, ".desk-counts a");
    // Another story, scheduled for this evening in Seoul ("now" is noon there), and one for
    // tomorrow: only the first is today's.
    for (headline, at) in [("Evening briefing", "2026-11-28T18:00"), ("Morning briefing", "2026-11-29T07:00")] {
        let draft =
            StoryBuilder::new(headline, paper.national.id, now()).status(ArticleStatus::Draft).store(&store).await;
        press(&editors, draft, 1, "schedule", &[("publish_at", at)]).await;
    }
    assert_eq!(counts(&writer.page("/desk/").await)[1], "Scheduled today: 1");

    let page = press(&writer, id, 1, "submit", &[("review_note", "Figures checked with the ministry.")]).await;
    assert!(texts(&page, ".notice[role=status]")[0].starts_with("Submitted for review"));
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::InReview);
    let home = editors.page("/desk/").await;
    assert_eq!(counts(&home)[0], "Waiting for review: 1", "every desk page counts what waits");
    let editor_screen = editors.page(&format!("/desk/stories/{id}")).await;
    assert_eq!(texts(&editor_screen, ".review-note strong"), ["Review note from Park Ji-hoon"]);
    assert!(texts(&editor_screen, ".review-note")[0].ends_with("Figures checked with the ministry."));

    // The writer takes it back, then submits again.
    let page = press(&writer, id, 2, "withdraw", &[]).await;
    assert!(texts(&page, ".notice[role=status]")[0].starts_with("Withdrawn from review"));
    assert!(texts(&page, ".review-note").is_empty(), "a withdrawal leaves no stale note on the story");
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Draft);
    assert_eq!(counts(&editors.page("/desk/").await)[0], "Waiting for review: 0");
    press(&writer, id, 3, "submit", &[]).await;

    // The editor sends it back: a note is required, and the writer sees it.
    let version = store.article_by_id(id).await.expect("story").version.to_string();
    let refused = editors.post(&format!("/desk/stories/{id}"), &[("action", "send_back"), ("version", &version)]).await;
    assert_eq!(refused.status(), 422);
    let refused = scraper::Html::parse_document(&refused.text().await.expect("page"));
    assert_eq!(texts(&refused, ".form-error li"), ["Say what the writer should change."]);
    let sent = editors
        .post(
            &format!("/desk/stories/{id}"),
            &[("action", "send_back"), ("version", &version), ("review_note", "Add the opposition's answer.")],
        )
        .await;
    assert_eq!(sent.status(), 303);
    assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Draft);
    let back = writer.page(&format!("/desk/stories/{id}")).await;
    assert_eq!(texts(&back, ".review-note strong"), ["Review note from Night Editor"]);
    assert!(texts(&back, ".review-note")[0].ends_with("Add the opposition's answer."));
    // A reporter may not send anything back, nor withdraw what is not in review.
    let version = store.article_by_id(id).await.expect("story").version.to_string();
    let not_theirs = writer
        .post(&format!("/desk/stories/{id}"), &[("action", "send_back"), ("version", &version), ("review_note", "x")])
        .await;
    assert_eq!(not_theirs.status(), 403);
    assert!(counts(&back).iter().all(|c| !c.starts_with("Agency")), "the wire count is for those who work the wire");
}

on_both_databases!(a_reporter_submits_with_a_note_withdraws_and_an_editor_sends_it_back_and_the_desk_counts);

async fn the_story_list_shows_bylines_and_who_changed_each_counts_each_status_and_pages_through_all(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    for n in 0..57 {
        StoryBuilder::new(&format!("Published story {n}"), paper.politics.id, now())
            .by(&[paper.reporter.id, paper.agency.id])
            .store(&store)
            .await;
    }
    for n in 0..3 {
        StoryBuilder::new(&format!("Draft story {n}"), paper.business.id, now())
            .status(ArticleStatus::Draft)
            .store(&store)
            .await;
    }
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let newest = store.desk_stories(None, dateline_newsroom::Window { limit: 1, offset: 0 }).await.expect("s")[0].id;
    press(&desk, newest, 1, "save", &[("deck", "A deck added on the desk")]).await;

    let list = desk.page("/desk/").await;
    let filters = texts(&list, ".filters a");
    assert_eq!(filters[0], "All (60)");
    assert!(filters.contains(&"Published (57)".to_owned()) && filters.contains(&"Draft (3)".to_owned()), "{filters:?}");
    assert!(filters.contains(&"In review (0)".to_owned()), "{filters:?}");
    assert_eq!(texts(&list, ".story-list tbody tr").len(), 50, "fifty a page");
    assert_eq!(
        texts(&list, ".story-list thead th"),
        ["Choose", "Headline", "Bylines", "Status", "Section", "Last change"]
    );
    let first_changed = texts(&list, ".story-list tbody tr:first-child .story-list__changed").pop().expect("a cell");
    assert!(first_changed.ends_with("by Night Editor"), "the last change names who made it: {first_changed}");
    let bylines = texts(&list, ".story-list__bylines");
    assert_eq!(bylines.iter().filter(|b| *b == "Kim Min-ji, Yonhap").count(), 47, "each published story's bylines");
    assert_eq!(attributes(&list, ".pager a[rel=next]", "href"), ["/desk/?page=2"]);

    let second = desk.page("/desk/?page=2").await;
    assert_eq!(texts(&second, ".story-list tbody tr").len(), 10, "every story is reachable");
    assert_eq!(attributes(&second, ".pager a[rel=prev]", "href"), ["/desk/"]);
    assert!(attributes(&second, ".pager a[rel=next]", "href").is_empty());
    let drafts = desk.page("/desk/?status=draft").await;
    assert_eq!(texts(&drafts, ".story-list tbody tr").len(), 3);
    assert!(attributes(&drafts, ".pager a", "href").is_empty());
    assert_eq!(desk.get("/desk/?page=0").await.status(), 400);
    assert_eq!(desk.get("/desk/?page=two").await.status(), 400);
}

on_both_databases!(the_story_list_shows_bylines_and_who_changed_each_counts_each_status_and_pages_through_all);
