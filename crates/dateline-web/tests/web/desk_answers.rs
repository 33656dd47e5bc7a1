//! The desk says what each action did, in the newsroom's words, with a link to the reader
//! page as it is now; taking a story down asks first and says what readers will see;
//! "Unschedule" is its own action; the preview says plainly that readers do not see it.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, ArticleStatus, Role};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, on_both_databases, texts, DeskSession, TestApp, TestDatabase};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

/// Presses a button of the editor for story `id` at `version`, with its text, and follows the
/// answer back to the editor: its notice and the link beside it.
async fn press(desk: &DeskSession, id: ArticleId, version: i64, action: &str, more: &[(&str, &str)]) -> scraper::Html {
    let editor = desk.page(&format!("/desk/stories/{id}")).await;
    let section = attributes(&editor, "select[name=section] option[selected]", "value").pop().expect("its section");
    let version = version.to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("action", action),
        ("version", &version),
        ("headline", "Port strike ends"),
        ("body", "Cranes move again."),
        ("section", &section),
    ];
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
