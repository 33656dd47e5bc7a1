//! Newsletters as an editor and a reader meet them, with a real SMTP server (aiosmtpd) on
//! 127.0.0.1 and Python's e-mail parser reading what arrived: a reader subscribes, confirms
//! from the e-mail, gets an edition with the headers inboxes require, and leaves with one
//! click; an edition reaches each reader once; bad input is refused and nothing half-stored.
//! On both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::Role;
use dateline_testkit::mail::{parsed, DkimTestKey, SmtpServer};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, on_both_databases, texts, TestApp, TestDatabase, PUBLIC_URL};
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

async fn app_sending_to(store: &dateline_storage::SqlStore, server: &SmtpServer) -> TestApp {
    app_signing_and_sending_to(store, server, None).await
}

async fn app_signing_and_sending_to(
    store: &dateline_storage::SqlStore,
    server: &SmtpServer,
    dkim: Option<dateline_mail::dkim::DkimKey>,
) -> TestApp {
    let address = server.address.clone();
    TestApp::start_with(store.clone(), now(), move |settings| {
        // Generous: the test server is Python, and while the whole suite runs (a browser
        // among it) it once took over 5 s to answer, which a reader saw as a 503.
        settings.mail.relay =
            Some(dateline_mail::smtp::Relay::plain(&address, "dateline.test", Duration::from_secs(30)));
        settings.mail.dkim = dkim.map(std::sync::Arc::new);
    })
    .await
}

/// The path of the first link in `text` that starts with the paper's address and `prefix`.
fn link_in(text: &str, prefix: &str) -> String {
    let start = format!("{PUBLIC_URL}{prefix}");
    let at = text.find(&start).unwrap_or_else(|| panic!("no {start} link in {text}"));
    let link: String = text[at..].chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '"').collect();
    link.trim_start_matches(PUBLIC_URL).to_owned()
}

fn part<'a>(message: &'a serde_json::Value, kind: &str) -> &'a str {
    message["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p[0] == kind)
        .and_then(|p| p[1].as_str())
        .unwrap_or_else(|| panic!("no {kind} part"))
}

async fn subscribers(store: &dateline_storage::SqlStore) -> Vec<(i64, i64)> {
    store.subscriber_counts().await.expect("counts")
}

async fn send_due(app: &TestApp) -> usize {
    dateline_web::newsletter_sending::work(&app.state, "test-instance").await.expect("the sender works")
}

async fn a_reader_subscribes_confirms_gets_an_edition_and_leaves_in_one_click(db: TestDatabase) {
    let Some(server) = SmtpServer::start() else { return };
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new("Ferries stop as the typhoon nears", paper.national.id, now() - SignedDuration::from_hours(2))
        .deck("All routes to the islands are halted until Monday.")
        .store(&store)
        .await;
    StoryBuilder::new("Schools close in three provinces", paper.national.id, now() - SignedDuration::from_hours(1))
        .store(&store)
        .await;
    let (editor, password) = desk_user(&store, Role::Editor, "Briefing Editor").await;
    let app = app_sending_to(&store, &server).await;
    let desk = app.sign_in(&editor.email, &password).await;

    // The editor makes a newsletter that takes the National section's newest stories.
    let created = desk
        .post(
            "/desk/newsletters",
            &[
                ("name", "The Morning Briefing"),
                ("description", "The news you need before nine."),
                ("sender_name", "The Test Dateline"),
                ("sender_address", "briefing@dateline.test"),
                ("schedule", ""),
                ("source", &format!("section:{}", paper.national.id)),
            ],
        )
        .await;
    assert_eq!(created.status(), 303, "created");
    let newsletter = store.newsletter_by_slug("the-morning-briefing").await.expect("stored");

    // A reader signs up; nothing is stored until the address is confirmed.
    let list = app.page("/newsletters/").await;
    assert_eq!(texts(&list, ".newsletter-choice label strong"), ["The Morning Briefing"]);
    let signed_up = app
        .client
        .post(format!("{}/newsletters/subscribe", app.base_url))
        .form(&[("email", "Reader@Example.com"), ("newsletter", &newsletter.id.to_string()), ("website", "")])
        .send()
        .await
        .expect("signed up");
    assert_eq!(signed_up.status(), 200);
    let answer = scraper::Html::parse_document(&signed_up.text().await.expect("page"));
    assert_eq!(texts(&answer, "h1"), ["Check your inbox"]);
    assert!(subscribers(&store).await.is_empty(), "an unconfirmed address is not stored");
    let arrived = server.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(arrived.len(), 1, "the confirmation is sent");
    let confirmation = parsed(&arrived[0]);
    assert_eq!(confirmation["defects"], serde_json::json!([]));
    assert_eq!(confirmation["rcpt_to"], "Reader@example.com");
    assert_eq!(confirmation["list_unsubscribe"], "None", "a confirmation belongs to no list");
    let confirm_path = link_in(part(&confirmation, "text/plain"), "/newsletters/confirm?t=");

    // Following the link changes nothing by itself (mail scanners follow links); the button does.
    let confirm_page = app.page(&confirm_path).await;
    assert!(subscribers(&store).await.is_empty());
    let token = attributes(&confirm_page, "form[action='/newsletters/confirm'] input[name='t']", "value");
    let confirmed = app
        .client
        .post(format!("{}/newsletters/confirm", app.base_url))
        .form(&[("t", token[0].as_str())])
        .send()
        .await
        .expect("confirmed");
    assert_eq!(confirmed.status(), 200);
    assert_eq!(subscribers(&store).await, [(newsletter.id, 1)]);

    // The editor puts an edition together, with a note, and sends it.
    let started = desk.post(&format!("/desk/newsletters/{}/editions", newsletter.id), &[]).await;
    assert_eq!(started.status(), 303);
    let edition_path = started.headers()["location"].to_str().expect("location").to_owned();
    let edition_id: i64 = edition_path.trim_start_matches("/desk/editions/").parse().expect("edition id");
    let edition = store.edition_by_id(edition_id).await.expect("edition");
    assert_eq!(edition.story_ids.len(), 2, "the section's newest stories");
    let stories = desk.page(&edition_path).await;
    let story_field = attributes(&stories, "#ed-stories", "value");
    let sent = desk
        .post(
            &edition_path,
            &[
                ("action", "send"),
                ("subject", "Typhoon: what changes today"),
                ("note", "Good morning. **Stay indoors** tonight.<script>alert('x')</script>"),
                ("stories", story_field[0].as_str()),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303, "sent");
    assert_eq!(send_due(&app).await, 1);
    let arrived = server.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(arrived.len(), 2);
    let letter =
        arrived.iter().map(|m| parsed(m)).find(|m| m["subject"] == "Typhoon: what changes today").expect("edition");
    assert_eq!(letter["defects"], serde_json::json!([]));
    assert_eq!(letter["from"], "The Test Dateline <briefing@dateline.test>");
    assert_eq!(letter["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
    assert_eq!(letter["precedence"], "bulk");
    assert!(
        letter["list_id"].as_str().expect("list id").ends_with("<the-morning-briefing.www.dateline.test>"),
        "{}",
        letter["list_id"]
    );
    let unsubscribe = letter["list_unsubscribe"].as_str().expect("list unsubscribe");
    assert!(unsubscribe.contains("<mailto:briefing@dateline.test?subject=unsubscribe%20"), "{unsubscribe}");
    let html = scraper::Html::parse_document(part(&letter, "text/html"));
    assert_eq!(
        texts(&html, "h2 a"),
        ["Schools close in three provinces", "Ferries stop as the typhoon nears"],
        "newest first"
    );
    assert_eq!(texts(&html, "strong"), ["Stay indoors"], "the note's Markdown");
    assert!(texts(&html, "script").is_empty(), "a script in the note is not carried");
    let text = part(&letter, "text/plain");
    assert!(text.contains("All routes to the islands are halted until Monday."));
    assert!(text.contains("/newsletters/unsubscribe?t="), "the text part has the reader's link too");

    // Sent once: another round sends nothing, and the desk says so.
    assert_eq!(send_due(&app).await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.received().len(), 2);
    let desk_page = desk.page(&edition_path).await;
    assert_eq!(texts(&desk_page, ".edition-state"), ["sent"]);
    assert_eq!(texts(&desk_page, ".edition-progress"), ["1 sent, 0 failed, 0 waiting"]);

    // The web copy and the archive.
    let archive = app.page("/newsletters/the-morning-briefing/").await;
    assert_eq!(texts(&archive, ".newsletter-editions a"), ["Typhoon: what changes today"]);
    let copy = app.page(&format!("/newsletters/the-morning-briefing/{edition_id}")).await;
    assert_eq!(texts(&copy, "h1"), ["Typhoon: what changes today"]);
    assert_eq!(texts(&copy, ".newsletter-edition__stories h2 a").len(), 2);

    // One click in the mail program: a POST to the https link, no page, no question.
    let https = unsubscribe.trim_start_matches('<').split('>').next().expect("https link");
    let one_click = app
        .client
        .post(format!("{}{}", app.base_url, https.trim_start_matches(PUBLIC_URL)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("unsubscribed");
    assert_eq!(one_click.status(), 200);
    assert!(subscribers(&store).await.is_empty(), "unsubscribed, and the address forgotten");

    // The next edition goes to nobody.
    let next = desk.post(&format!("/desk/newsletters/{}/editions", newsletter.id), &[]).await;
    let next_path = next.headers()["location"].to_str().expect("location").to_owned();
    let fields = [("action", "send"), ("subject", "Evening"), ("note", "Calm now."), ("stories", "")];
    assert_eq!(desk.post(&next_path, &fields).await.status(), 303);
    assert_eq!(send_due(&app).await, 0);
    assert_eq!(server.received().len(), 2);
}

async fn bad_input_is_refused_and_nothing_is_half_stored(db: TestDatabase) {
    let Some(server) = SmtpServer::start() else { return };
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Briefing Editor").await;
    let app = app_sending_to(&store, &server).await;
    let desk = app.sign_in(&editor.email, &password).await;

    // A name or subject that would add a header, or far too long, is refused.
    for (field, value) in [("sender_name", "Briefing\r\nBcc: everyone@example.com"), ("name", &"N".repeat(500))] {
        let mut fields = vec![
            ("name", "The Evening Letter"),
            ("sender_name", "The Test Dateline"),
            ("sender_address", "letter@dateline.test"),
            ("source", "by-hand"),
        ];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        assert_eq!(desk.post("/desk/newsletters", &fields).await.status(), 422, "{field}");
    }
    let by_hand = [("name", "The Evening Letter"), ("sender_name", "The Test Dateline"), ("source", "by-hand")];
    let bad_sender = [by_hand.as_slice(), &[("sender_address", "not an address")]].concat();
    assert_eq!(desk.post("/desk/newsletters", &bad_sender).await.status(), 422);
    assert!(store.newsletters().await.expect("newsletters").is_empty(), "nothing half-stored");
    let good = [by_hand.as_slice(), &[("sender_address", "letter@dateline.test")]].concat();
    assert_eq!(desk.post("/desk/newsletters", &good).await.status(), 303);
    let newsletter = store.newsletter_by_slug("the-evening-letter").await.expect("stored");

    let started = desk.post(&format!("/desk/newsletters/{}/editions", newsletter.id), &[]).await;
    let edition_path = started.headers()["location"].to_str().expect("location").to_owned();
    let injected = [("action", "save"), ("subject", "Hello\r\nBcc: x@example.com"), ("note", ""), ("stories", "")];
    assert_eq!(desk.post(&edition_path, &injected).await.status(), 422);
    let not_numbers = [("action", "save"), ("subject", "Hello"), ("note", ""), ("stories", "12, DROP TABLE")];
    assert_eq!(desk.post(&edition_path, &not_numbers).await.status(), 422);
    let empty = [("action", "send"), ("subject", "Hello"), ("note", ""), ("stories", "")];
    assert_eq!(desk.post(&edition_path, &empty).await.status(), 422, "an empty edition is not sent");
    let edition_id: i64 = edition_path.trim_start_matches("/desk/editions/").parse().expect("id");
    let edition = store.edition_by_id(edition_id).await.expect("edition");
    assert!(edition.subject.starts_with("The Evening Letter"), "the refused saves changed nothing");

    // Readers: a malformed address, a header injection, the honeypot, and too many sign-ups.
    let sign_up = |email: &'static str, website: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/newsletters/subscribe", app.base_url);
        let id = newsletter.id.to_string();
        async move {
            client
                .post(url)
                .form(&[("email", email), ("newsletter", id.as_str()), ("website", website)])
                .send()
                .await
                .expect("answered")
                .status()
        }
    };
    assert_eq!(sign_up("not an address", "").await, 422);
    assert_eq!(sign_up("reader@example.com\r\nBcc: victim@example.com", "").await, 422);
    assert_eq!(sign_up("robot@example.com", "https://spam.example").await, 200, "a robot is told what a person is");
    for _ in 0..3 {
        assert_eq!(sign_up("often@example.com", "").await, 200);
    }
    assert_eq!(sign_up("often@example.com", "").await, 429, "a fourth sign-up of one address in an hour");
    let arrived = server.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(arrived.len(), 3, "three confirmations, none for the robot or the refused");
    assert!(arrived.iter().all(|m| m.contains("X-RcptTo: often@example.com")));
    assert!(subscribers(&store).await.is_empty());

    // A confirmation link altered, or past its two days, does nothing.
    let confirm_path = link_in(part(&parsed(&arrived[0]), "text/plain"), "/newsletters/confirm?t=");
    let token = confirm_path.trim_start_matches("/newsletters/confirm?t=").to_owned();
    let confirm = |token: String| {
        let client = app.client.clone();
        let url = format!("{}/newsletters/confirm", app.base_url);
        async move { client.post(url).form(&[("t", token)]).send().await.expect("answered").status() }
    };
    let mut altered = token.clone();
    altered.insert(3, 'A');
    assert_eq!(confirm(altered).await, 400);
    app.set_now(now() + SignedDuration::from_hours(49));
    assert_eq!(confirm(token.clone()).await, 400, "expired");
    assert!(subscribers(&store).await.is_empty());
    app.set_now(now() + SignedDuration::from_hours(1));
    assert_eq!(confirm(token).await, 200);
    assert_eq!(subscribers(&store).await, [(newsletter.id, 1)]);
}

async fn an_edition_is_signed_with_the_papers_key_and_dkimpy_verifies_it(db: TestDatabase) {
    let Some(server) = SmtpServer::start() else { return };
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new("Ferries stop as the typhoon nears", paper.national.id, now() - SignedDuration::from_hours(2))
        .store(&store)
        .await;
    let test_key = DkimTestKey::make();
    let key = dateline_mail::dkim::DkimKey::from_pem("dateline.test", "news2026", &test_key.private_pem).expect("key");
    let app = app_signing_and_sending_to(&store, &server, Some(key)).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Briefing Editor").await;
    let desk = app.sign_in(&editor.email, &password).await;
    let created = desk
        .post(
            "/desk/newsletters",
            &[
                ("name", "The Morning Briefing"),
                ("sender_name", "The Test Dateline"),
                ("sender_address", "briefing@dateline.test"),
                ("source", &format!("section:{}", paper.national.id)),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let newsletter = store.newsletter_by_slug("the-morning-briefing").await.expect("stored");
    store.confirm_subscriber("reader@example.com", &[newsletter.id], now()).await.expect("a reader");
    let started = desk.post(&format!("/desk/newsletters/{}/editions", newsletter.id), &[]).await;
    let edition_path = started.headers()["location"].to_str().expect("location").to_owned();
    let stories = attributes(&desk.page(&edition_path).await, "#ed-stories", "value");
    let fields = [
        ("action", "send"),
        ("subject", "태풍 소식: the typhoon"),
        ("note", "Stay indoors."),
        ("stories", &stories[0]),
    ];
    assert_eq!(desk.post(&edition_path, &fields).await.status(), 303);
    assert_eq!(send_due(&app).await, 1);
    let arrived = server.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(arrived.len(), 1);
    assert!(parsed(&arrived[0])["dkim_signature"].as_str().is_some_and(|s| s.contains("s=news2026")));
    assert_eq!(
        test_key.verdict(&arrived[0], "news2026", "dateline.test"),
        "pass",
        "dkimpy, against the configured key"
    );
    let tampered = arrived[0].replace("List-Unsubscribe-Post: List-Unsubscribe=One-Click", "List-Unsubscribe-Post: no");
    assert_eq!(test_key.verdict(&tampered, "news2026", "dateline.test"), "fail");
}

on_both_databases!(
    an_edition_is_signed_with_the_papers_key_and_dkimpy_verifies_it,
    a_reader_subscribes_confirms_gets_an_edition_and_leaves_in_one_click,
    bad_input_is_refused_and_nothing_is_half_stored,
);
