//! An editor ticks stories in the story list and changes them at once: files them under a
//! topic, takes a topic off, moves them to another section, or unpublishes them after being
//! asked. Each story changes as if it had been saved on its own; a story that cannot change
//! is named with the reason; a reporter gets no ticks and no bulk changes.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, ArticleStatus, NewTopic, Role, Topic};
use dateline_testkit::paper::{desk_user, slug, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, on_both_databases, texts, DeskSession, TestApp, TestDatabase};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

async fn bulk(desk: &DeskSession, stories: &[ArticleId], fields: &[(&str, &str)]) -> (u16, scraper::Html) {
    let ids: Vec<String> = stories.iter().map(|id| id.to_string()).collect();
    let mut form: Vec<(&str, &str)> = ids.iter().map(|id| ("story", id.as_str())).collect();
    form.extend_from_slice(fields);
    form.push(("back", "/desk/?status=published"));
    let answer = desk.post("/desk/stories/bulk", &form).await;
    let status = answer.status().as_u16();
    (status, scraper::Html::parse_document(&answer.text().await.expect("page")))
}

async fn topic_named(store: &impl Store, name: &str) -> Topic {
    let new = NewTopic { slug: slug(&name.to_lowercase()), name: name.into(), description: String::new() };
    store.insert_topic(&new).await.expect("topic")
}

async fn an_editor_files_moves_and_unpublishes_ticked_stories_at_once(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let elections = topic_named(&store, "Elections").await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Cub Reporter").await;
    let polls = StoryBuilder::new("Polls open at dawn", paper.politics.id, now()).store(&store).await;
    let turnout = StoryBuilder::new("Turnout passes 60 percent", paper.politics.id, now()).store(&store).await;
    let filed = StoryBuilder::new("Count begins in the capital", paper.politics.id, now())
        .topics(&[elections.id])
        .store(&store)
        .await;
    let removed = StoryBuilder::new("A story taken down", paper.politics.id, now())
        .status(ArticleStatus::Removed)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    // The list offers a tick for every story and the changes, to editors.
    let list = desk.page("/desk/").await;
    assert_eq!(attributes(&list, ".story-list input[type=checkbox][name=story]", "value").len(), 4);
    let changes = attributes(&list, "form.bulk-form select[name=change] option", "value");
    assert_eq!(changes, ["add_topic", "remove_topic", "move_section", "unpublish"]);
    assert_eq!(texts(&list, "form.bulk-form select[name=topic] option")[1], "Elections");

    // Filed under a topic: each changed story once, the one already filed named as such.
    let topic = elections.id.0.to_string();
    let (status, page) = bulk(&desk, &[polls, turnout, filed], &[("change", "add_topic"), ("topic", &topic)]).await;
    assert_eq!(status, 200);
    assert_eq!(texts(&page, "h1"), ["Filed 2 stories under \u{201c}Elections\u{201d}"]);
    assert_eq!(texts(&page, ".bulk-stories--changed li"), ["Polls open at dawn", "Turnout passes 60 percent"]);
    assert_eq!(texts(&page, ".bulk-stories--already li"), ["Count begins in the capital"]);
    assert_eq!(attributes(&page, "main a[href^='/desk/?']", "href"), ["/desk/?status=published"], "back to the list");
    for id in [polls, turnout] {
        let story = store.article_by_id(id).await.expect("story");
        assert_eq!(story.content.topics, [elections.id]);
        assert_eq!(story.version, 2, "one save each");
        assert_eq!(story.last_public_update_at, None, "a filing change is not an update readers are told of");
    }
    let topic_page = app.page("/topic/elections").await;
    let headlines = texts(&topic_page, "main h2, main h3");
    for headline in ["Polls open at dawn", "Turnout passes 60 percent", "Count begins in the capital"] {
        assert!(headlines.iter().any(|h| h == headline), "{headline} on the topic page: {headlines:?}");
    }

    // Taken off again, and moved: a removed story is named with the reason and stays.
    let (_, page) = bulk(&desk, &[polls], &[("change", "remove_topic"), ("topic", &topic)]).await;
    assert_eq!(texts(&page, "h1"), ["Took \u{201c}Elections\u{201d} off 1 story"]);
    assert!(store.article_by_id(polls).await.expect("story").content.topics.is_empty());
    let business = paper.business.id.0.to_string();
    let (status, page) = bulk(&desk, &[polls, removed], &[("change", "move_section"), ("section", &business)]).await;
    assert_eq!(status, 200);
    assert_eq!(texts(&page, "h1"), ["Moved 1 story to Business"]);
    assert_eq!(texts(&page, ".bulk-stories--skipped li a"), ["A story taken down"]);
    assert_eq!(
        texts(&page, ".bulk-stories--skipped .bulk-stories__reason"),
        ["It was removed for legal reasons and stays as it is"]
    );
    assert_eq!(store.article_by_id(polls).await.expect("story").content.section_id, paper.business.id);
    assert_eq!(store.article_by_id(removed).await.expect("story").content.section_id, paper.politics.id);

    // Unpublishing asks first, naming the stories, and changes nothing until confirmed.
    let (status, page) = bulk(&desk, &[turnout, filed], &[("change", "unpublish")]).await;
    assert_eq!(status, 200);
    assert_eq!(texts(&page, "h1"), ["Unpublish 2 stories?"]);
    assert_eq!(texts(&page, ".bulk-stories li"), ["Turnout passes 60 percent", "Count begins in the capital"]);
    assert!(texts(&page, ".notice[role=alert]")[0].contains("page not found"));
    assert_eq!(store.article_by_id(turnout).await.expect("story").status, ArticleStatus::Published);
    let (_, page) = bulk(&desk, &[turnout, filed], &[("change", "unpublish"), ("confirmed", "yes")]).await;
    assert_eq!(texts(&page, "h1"), ["Unpublished 2 stories"]);
    for id in [turnout, filed] {
        assert_eq!(store.article_by_id(id).await.expect("story").status, ArticleStatus::Unpublished);
    }

    // Bad requests are refused in a sentence, and nothing changes.
    let (status, page) = bulk(&desk, &[], &[("change", "add_topic"), ("topic", &topic)]).await;
    assert_eq!((status, texts(&page, ".form-error")), (422, vec!["Choose at least one story.".to_owned()]));
    let (status, page) = bulk(&desk, &[polls], &[("change", "add_topic")]).await;
    assert_eq!(status, 422);
    assert_eq!(texts(&page, ".form-error"), ["Choose the topic to file the stories under."]);
    let (status, page) = bulk(&desk, &[polls], &[("change", "add_topic"), ("topic", "99999")]).await;
    assert_eq!((status, texts(&page, ".form-error")), (422, vec!["That topic does not exist.".to_owned()]));
    let (status, _) = bulk(&desk, &[polls], &[("change", "shred")]).await;
    assert_eq!(status, 422);
    assert!(store.article_by_id(polls).await.expect("story").content.topics.is_empty());

    // A reporter sees no ticks and may not change stories in bulk.
    let reporter_desk = app.sign_in(&reporter.email, &reporter_password).await;
    let list = reporter_desk.page("/desk/").await;
    assert!(attributes(&list, "input[type=checkbox][name=story]", "value").is_empty());
    let (status, _) = bulk(&reporter_desk, &[polls], &[("change", "add_topic"), ("topic", &topic)]).await;
    assert_eq!(status, 403);
    assert!(store.article_by_id(polls).await.expect("story").content.topics.is_empty());
}

on_both_databases!(an_editor_files_moves_and_unpublishes_ticked_stories_at_once);
