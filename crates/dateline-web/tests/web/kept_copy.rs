//! Copy is never lost to an ended session: a reporter whose session ended while writing
//! sends the story, nothing is written, the text comes back kept on the page; they sign in
//! again and send the same text with one press, and it reaches the database. On both
//! databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, form_fields, on_both_databases, texts, TestApp, TestDatabase};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

const NEW_BODY: &str = "The council voted 7 to 2 late on Tuesday.\n\nA second paragraph, typed over an hour.";

async fn a_story_sent_after_the_session_ended_is_kept_and_saved_once_signed_in_again(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (reporter, password) = desk_user(&store, Role::Reporter, "Late Reporter").await;
    let mut draft = StoryBuilder::new("Council vote", paper.politics.id, now()).status(ArticleStatus::Draft).build();
    draft.made_by = dateline_newsroom::RevisionAuthor { user_id: Some(reporter.id), name: reporter.name.clone() };
    let id = store.insert_article(&draft).await.expect("draft");
    let app = TestApp::start(store.clone(), now()).await;
    let writing = app.sign_in(&reporter.email, &password).await;
    let section = paper.politics.id.to_string();
    let fields = [
        ("action", "save"),
        ("version", "1"),
        ("headline", "Council vote passes"),
        ("section", section.as_str()),
        ("body", NEW_BODY),
    ];

    // Signed out elsewhere (another tab) while typing.
    let elsewhere = writing.clone();
    assert_eq!(elsewhere.post("/desk/sign-out", &[]).await.status(), 303);
    let refused = writing.post(&format!("/desk/stories/{id}"), &fields).await;
    assert_eq!(refused.status(), 403, "nothing is written without a session");
    let kept = scraper::Html::parse_document(&refused.text().await.expect("page"));
    assert_eq!(store.article_by_id(id).await.expect("story").content.headline, "Council vote");
    let carried = form_fields(&kept, "form.signed-in-elsewhere");
    assert!(carried.contains(&("body".to_owned(), NEW_BODY.to_owned())), "the text is kept: {carried:?}");
    assert!(carried.contains(&("resume_to".to_owned(), format!("/desk/stories/{id}"))));
    assert!(!carried.iter().any(|(name, _)| name == "csrf"), "the old token is not carried");
    assert_eq!(texts(&kept, "textarea[readonly]"), [NEW_BODY.split_whitespace().collect::<Vec<_>>().join(" ")]);

    // Pressing on before signing in keeps it again.
    let resume = |session: dateline_testkit::DeskSession, fields: Vec<(String, String)>| async move {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        session.post_without_csrf("/desk/resume", &pairs).await
    };
    let still_out = resume(writing.clone(), carried.clone()).await;
    assert_eq!(still_out.status(), 403);
    assert!(still_out.text().await.expect("page").contains("The council voted 7 to 2"));

    // Signed in again in a new tab: one press brings the form back with a fresh token.
    let again = app.sign_in(&reporter.email, &password).await;
    let resumed = resume(again.clone(), carried).await;
    assert_eq!(resumed.status(), 200);
    let page = scraper::Html::parse_document(&resumed.text().await.expect("page"));
    assert_eq!(attributes(&page, "main form", "action"), [format!("/desk/stories/{id}")]);
    let to_send = form_fields(&page, "main form");
    assert!(to_send.contains(&("csrf".to_owned(), again.csrf.clone())), "the new session's token");
    let pairs: Vec<(&str, &str)> = to_send.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let saved = again.post_without_csrf(&format!("/desk/stories/{id}"), &pairs).await;
    assert_eq!(saved.status(), 303);
    let story = store.article_by_id(id).await.expect("story");
    assert_eq!((story.content.headline.as_str(), story.content.body.as_str()), ("Council vote passes", NEW_BODY));
}

async fn a_form_from_an_older_session_is_kept_too_and_nothing_else_is_resumed(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Busy Editor").await;
    let app = TestApp::start(store.clone(), now()).await;
    let first = app.sign_in(&editor.email, &password).await;
    let second = app.sign_in(&editor.email, &password).await;
    // The first tab's token, sent with the second session's cookie.
    let mut mixed = second.clone();
    mixed.csrf = first.csrf.clone();
    let section = paper.national.id.to_string();
    let refused =
        mixed.post("/desk/stories", &[("headline", "Tram line opens"), ("section", &section), ("body", "Text.")]).await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.expect("page").contains("Tram line opens"), "kept");
    assert_eq!(store.count_articles().await.expect("count"), 0);
    // A form with nothing in it is simply refused; only desk forms are resumed.
    first.post("/desk/sign-out", &[]).await;
    let empty = first.post("/desk/sign-out", &[]).await;
    assert_eq!(empty.status(), 403);
    for elsewhere in ["https://elsewhere.example/", "/article/1/x", "/desk/sign-in", "//evil/desk/"] {
        let bounced = second.post_without_csrf("/desk/resume", &[("resume_to", elsewhere), ("body", "x")]).await;
        assert_eq!(bounced.status(), 400, "{elsewhere}");
    }
}

async fn what_is_typed_is_autosaved_beside_a_published_story_and_never_published_by_itself(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Night Editor").await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Other Reporter").await;
    let id =
        StoryBuilder::new("Bridge closed", paper.national.id, now()).body("The bridge is closed.").store(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let path = format!("/desk/stories/{id}/autosave");
    let typing = |body: &'static str| {
        let desk = desk.clone();
        let path = path.clone();
        async move { desk.post(&path, &[("headline", "Bridge closed"), ("body", body)]).await.status() }
    };
    assert_eq!(typing("The bridge is closed until Friday").await, 204);
    assert_eq!(typing("The bridge is closed until Friday noon.").await, 204);
    let story = store.article_by_id(id).await.expect("story");
    assert_eq!((story.content.body.as_str(), story.version), ("The bridge is closed.", 1), "the story is as saved");
    let reader = app.page(&format!("/article/{id}/bridge-closed")).await;
    assert!(texts(&reader, ".story__body p").iter().all(|p| !p.contains("Friday")), "readers see nothing of it");
    let revisions = store.revisions(id).await.expect("revisions");
    assert_eq!(revisions.len(), 2, "one autosave, kept up to date while one person types");
    assert_eq!(revisions[1].kind, dateline_newsroom::RevisionKind::Autosave);
    assert_eq!(revisions[1].content.body, "The bridge is closed until Friday noon.");
    assert_eq!(typing("The bridge is closed.").await, 204);
    assert_eq!(store.revisions(id).await.expect("revisions").len(), 2, "the same text as saved adds nothing");

    // The editor says a newer text exists and opens it on request; the history folds it away.
    let editor_page = desk.page(&format!("/desk/stories/{id}")).await;
    assert_eq!(
        attributes(&editor_page, "a[href$='?autosaved=1']", "href"),
        [format!("/desk/stories/{id}?autosaved=1")]
    );
    let with_autosave = desk.page(&format!("/desk/stories/{id}?autosaved=1")).await;
    assert_eq!(texts(&with_autosave, "textarea#body"), ["The bridge is closed until Friday noon."]);
    let history = desk.page(&format!("/desk/stories/{id}/history")).await;
    assert_eq!(texts(&history, "details.autosaves tbody tr").len(), 1);

    // Only who may edit the story may autosave it, within the limits.
    let other = app.sign_in(&reporter.email, &reporter_password).await;
    assert_eq!(other.post(&path, &[("headline", "Mine now"), ("body", "x")]).await.status(), 403);
    let huge = "x".repeat(200_001);
    assert_eq!(desk.post(&path, &[("headline", "Bridge closed"), ("body", &huge)]).await.status(), 400);
}

async fn a_new_story_is_autosaved_as_a_draft_before_its_first_save_and_the_save_goes_to_that_story(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (reporter, password) = desk_user(&store, Role::Reporter, "New Reporter").await;
    let app = TestApp::start(store.clone(), now()).await;
    let writing = app.sign_in(&reporter.email, &password).await;
    let screen = writing.page("/desk/stories/new").await;
    assert_eq!(attributes(&screen, "form.editor", "data-autosave-new"), ["/desk/stories/new/autosave"]);
    const AUTOSAVE_NEW: &str = "/desk/stories/new/autosave";

    // A screen with nothing typed yet stores nothing.
    let nothing = writing.post(AUTOSAVE_NEW, &[("headline", " "), ("body", ""), ("section", "")]).await;
    assert_eq!(nothing.status(), 204);
    assert_eq!(store.count_articles().await.expect("count"), 0);

    // The body typed before any headline or section, with a slug a save would refuse.
    let first_paragraph = "The ferry strike ended at dawn after talks through the night.";
    let created = writing
        .post(AUTOSAVE_NEW, &[("headline", ""), ("slug", "../x"), ("section", ""), ("body", first_paragraph)])
        .await;
    assert_eq!(created.status(), 201);
    let answer: serde_json::Value = serde_json::from_str(&created.text().await.expect("answer")).expect("JSON");
    let id = dateline_newsroom::ArticleId(answer["story"].as_i64().expect("the story's id"));
    assert_eq!(answer["edit"], format!("/desk/stories/{id}"));
    assert_eq!(answer["autosave"], format!("/desk/stories/{id}/autosave"));
    let stored = store.article_by_id(id).await.expect("the draft");
    assert_eq!(stored.status, ArticleStatus::Draft);
    assert_eq!(stored.content.headline, dateline_newsroom::editing::UNTITLED_HEADLINE);
    assert_eq!(stored.content.body, first_paragraph);
    assert_eq!(stored.content.slug.as_str(), "untitled-draft", "the refused slug is left out, not the text");
    let sections = store.sections().await.expect("sections");
    assert!(sections.iter().any(|s| s.id == stored.content.section_id), "a home section of the paper");
    assert_eq!(answer["version"], stored.version);
    let desk_list = writing.page("/desk/").await;
    assert!(
        texts(&desk_list, "main a").iter().any(|link| link.contains(dateline_newsroom::editing::UNTITLED_HEADLINE)),
        "the desk lists it, so it can be found again"
    );

    // Later autosaves go beside the stored draft; the writer's Save then edits it, once.
    let autosave = format!("/desk/stories/{id}/autosave");
    let more = format!("{first_paragraph}\n\nBuses run again from noon.");
    assert_eq!(writing.post(&autosave, &[("headline", ""), ("body", &more)]).await.status(), 204);
    let section = paper.national.id.to_string();
    let version = stored.version.to_string();
    let saved = writing
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "save"),
                ("version", &version),
                ("headline", "Ferry strike ends"),
                ("section", &section),
                ("body", &more),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let story = store.article_by_id(id).await.expect("story");
    assert_eq!((story.content.headline.as_str(), story.content.body.as_str()), ("Ferry strike ends", more.as_str()));
    assert_eq!(story.content.section_id, paper.national.id);
    assert_eq!(store.count_articles().await.expect("count"), 1, "one story, however many autosaves");

    // Nothing is stored without a session; a contributor's first autosave is a draft like anyone's.
    let ended = writing.clone();
    assert_eq!(ended.post("/desk/sign-out", &[]).await.status(), 303);
    assert_eq!(
        writing.post(AUTOSAVE_NEW, &[("headline", "Late"), ("body", "Typed after the end.")]).await.status(),
        403
    );
    assert_eq!(store.count_articles().await.expect("count"), 1);
    let (contributor, contributor_password) = desk_user(&store, Role::Contributor, "Guest Writer").await;
    let guest = app.sign_in(&contributor.email, &contributor_password).await;
    let theirs = guest.post(AUTOSAVE_NEW, &[("headline", "A view from the harbour"), ("body", "Gulls.")]).await;
    assert_eq!(theirs.status(), 201);
    assert_eq!(store.count_articles().await.expect("count"), 2);
}

/// The `name=value` pair of a cookie the answer sets, to send back as a `Cookie` header.
fn cookie_set(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

async fn a_reporter_whose_session_ended_signs_in_again_on_the_same_page_and_sends_the_kept_text(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (reporter, password) = desk_user(&store, Role::Reporter, "Kept Reporter").await;
    let mut draft = StoryBuilder::new("Tram fares", paper.national.id, now()).status(ArticleStatus::Draft).build();
    draft.made_by = dateline_newsroom::RevisionAuthor { user_id: Some(reporter.id), name: reporter.name.clone() };
    let id = store.insert_article(&draft).await.expect("draft");
    let app = TestApp::start(store.clone(), now()).await;
    let writing = app.sign_in(&reporter.email, &password).await;
    let section = paper.national.id.to_string();
    let story_path = format!("/desk/stories/{id}");
    let fields = [
        ("action", "save"),
        ("version", "1"),
        ("headline", "Tram fares rise"),
        ("section", &section),
        ("body", NEW_BODY),
    ];
    assert_eq!(writing.clone().post("/desk/sign-out", &[]).await.status(), 303);
    let refused = writing.post(&story_path, &fields).await;
    assert_eq!(refused.status(), 403);
    let form_cookie =
        cookie_set(&refused, "dateline_sign_in").expect("the kept page can sign in: it sets the sign-in form's cookie");
    let kept = scraper::Html::parse_document(&refused.text().await.expect("page"));
    let carried = form_fields(&kept, "form.sign-in-here");
    assert!(carried.contains(&("body".to_owned(), NEW_BODY.to_owned())), "the text rides along: {carried:?}");

    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let sign_in_here = |email: &str, password: &str| {
        let mut sent: Vec<(String, String)> = carried
            .iter()
            .filter(|(name, _)| !name.starts_with("sign_in_email") && name != "sign_in_password")
            .cloned()
            .collect();
        sent.push(("sign_in_email".into(), email.to_owned()));
        sent.push(("sign_in_password".into(), password.to_owned()));
        client
            .post(format!("{}/desk/resume", app.base_url))
            .header(reqwest::header::COOKIE, &form_cookie)
            .form(&sent)
            .send()
    };

    // A wrong password keeps the text again, says why, and never writes the password back.
    let wrong = sign_in_here(&reporter.email, "not-the-password").await.expect("answer");
    assert_eq!(wrong.status(), 401);
    let again = scraper::Html::parse_document(&wrong.text().await.expect("page"));
    assert_eq!(texts(&again, "[role=alert]"), ["The e-mail address or the password is wrong."]);
    let kept_again = form_fields(&again, "form.sign-in-here");
    assert!(kept_again.contains(&("body".to_owned(), NEW_BODY.to_owned())));
    assert!(!kept_again.iter().any(|(_, value)| value == "not-the-password"));
    assert_eq!(store.article_by_id(id).await.expect("story").content.headline, "Tram fares");

    // The right password signs in right there, and the form comes back with the new session's token.
    let signed_in = sign_in_here(&reporter.email, &password).await.expect("answer");
    assert_eq!(signed_in.status(), 200);
    let session_cookie = cookie_set(&signed_in, "dateline_session").expect("a new session");
    let page = scraper::Html::parse_document(&signed_in.text().await.expect("page"));
    assert_eq!(attributes(&page, "main form", "action"), [story_path.as_str()]);
    let to_send = form_fields(&page, "main form");
    assert!(!to_send.iter().any(|(name, _)| name.starts_with("sign_in_")), "nothing of the sign-in is carried on");
    assert_eq!(store.article_by_id(id).await.expect("story").content.headline, "Tram fares", "nothing written yet");
    let saved = client
        .post(format!("{}{story_path}", app.base_url))
        .header(reqwest::header::COOKIE, &session_cookie)
        .form(&to_send)
        .send()
        .await
        .expect("send");
    assert_eq!(saved.status(), 303);
    let story = store.article_by_id(id).await.expect("story");
    assert_eq!((story.content.headline.as_str(), story.content.body.as_str()), ("Tram fares rise", NEW_BODY));

    // A sign-in token the paper did not issue is refused, and the text is kept all the same.
    let mut forged = carried.clone();
    forged.retain(|(name, _)| name != "sign_in_csrf");
    forged.extend([
        ("sign_in_csrf".to_owned(), "made-up".to_owned()),
        ("sign_in_email".to_owned(), reporter.email.clone()),
        ("sign_in_password".to_owned(), password.clone()),
    ]);
    let refused = client
        .post(format!("{}/desk/resume", app.base_url))
        .header(reqwest::header::COOKIE, "dateline_sign_in=made-up")
        .form(&forged)
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 403);
    let refused_page = scraper::Html::parse_document(&refused.text().await.expect("page"));
    assert!(form_fields(&refused_page, "form.sign-in-here").contains(&("body".to_owned(), NEW_BODY.to_owned())));
}

on_both_databases!(
    a_reporter_whose_session_ended_signs_in_again_on_the_same_page_and_sends_the_kept_text,
    a_new_story_is_autosaved_as_a_draft_before_its_first_save_and_the_save_goes_to_that_story,
    what_is_typed_is_autosaved_beside_a_published_story_and_never_published_by_itself,
    a_story_sent_after_the_session_ended_is_kept_and_saved_once_signed_in_again,
    a_form_from_an_older_session_is_kept_too_and_nothing_else_is_resumed
);
