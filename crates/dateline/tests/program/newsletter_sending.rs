//! An edition reaches no reader twice even when the server is killed while sending it, and
//! every reader but the few whose message was at its last step: a real `dateline serve` sends
//! an edition to 2,000 readers through a real SMTP server (aiosmtpd, writing every message it
//! accepts to a Maildir), is killed with SIGKILL partway through, and is started again. When
//! the sending is over no address is on two messages, and at most one message per connection
//! to the relay is missing: one caught between being marked sent and its final `.`, the
//! window no SMTP sender can close (docs/NEWSLETTERS.md). On SQLite and on PostgreSQL.

use crate::support::Running;
use dateline_newsroom::newsletters::{check_newsletter, EditionContent, NewsletterDraft};
use dateline_newsroom::prelude::*;
use dateline_testkit::mail::SmtpServer;
use dateline_testkit::paper::{SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const READERS: usize = 2_000;
const CONNECTIONS: usize = 4;

async fn killed_while_sending_each_reader_still_gets_the_edition_once(database: TestDatabase) {
    let Some(relay) = SmtpServer::start() else { return };
    let store = database.store().await;
    let paper = SmallPaper::create(&store).await;
    // The real server runs on the real clock.
    let now = Timestamp::now();
    let story =
        StoryBuilder::new("Ferries stop as the typhoon nears", paper.national.id, now - SignedDuration::from_hours(1))
            .store(&store)
            .await;
    let fields = check_newsletter(&NewsletterDraft {
        name: "The Morning Briefing".into(),
        sender_name: "The Test Dateline".into(),
        sender_address: "briefing@dateline.test".into(),
        source: "by-hand".into(),
        ..NewsletterDraft::default()
    })
    .expect("a newsletter");
    let newsletter = store.insert_newsletter(&fields, now).await.expect("newsletter");
    for n in 0..READERS {
        store.confirm_subscriber(&format!("reader{n}@example.com"), &[newsletter.id], now).await.expect("reader");
    }
    let content = EditionContent { subject: "Typhoon".into(), note: "Stay indoors.".into(), story_ids: vec![story] };
    let edition = store.insert_edition(newsletter.id, &content, None, now).await.expect("edition");
    store.schedule_edition(edition.id, Some(now)).await.expect("due now");

    let data = tempfile::tempdir().expect("data folder");
    let connections = CONNECTIONS.to_string();
    let env = [("DATELINE_MAIL__RELAY", relay.address.as_str()), ("DATELINE_MAIL__CONNECTIONS", connections.as_str())];
    // The first server is killed once some messages are out and many are still waiting.
    let server = Running::serve(&database.url, data.path(), &env);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let progress = store.sending_progress(edition.id).await.expect("progress");
        if progress.sent >= 100 {
            assert!(progress.pending > 0, "the kill must come while messages are waiting: {progress:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the sending did not begin: {progress:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(server); // SIGKILL, mid-send
    let at_the_kill = store.sending_progress(edition.id).await.expect("progress");

    // A new server takes the sending over once the dead one's lease runs out, and finishes it.
    let server = Running::serve(&database.url, data.path(), &env);
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let progress = store.sending_progress(edition.id).await.expect("progress");
        if progress.pending == 0 {
            assert_eq!((progress.sent, progress.failed), (READERS as i64, 0), "{progress:?}");
            break;
        }
        assert!(Instant::now() < deadline, "the sending did not finish: {progress:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(server);

    // The relay writes a message before it answers for it, so what arrived is all there now.
    let arrived = relay.wait_for(READERS, Duration::from_secs(5)).await;
    let mut per_reader: HashMap<String, usize> = HashMap::new();
    for message in &arrived {
        let to = message
            .lines()
            .find_map(|line| line.strip_prefix("X-RcptTo: "))
            .expect("the relay notes the recipient")
            .trim()
            .to_owned();
        *per_reader.entry(to).or_default() += 1;
    }
    let twice: Vec<_> = per_reader.iter().filter(|(_, count)| **count > 1).collect();
    assert!(twice.is_empty(), "readers sent the edition twice: {twice:?}");
    let missing: Vec<String> =
        (0..READERS).map(|n| format!("reader{n}@example.com")).filter(|r| !per_reader.contains_key(r)).collect();
    assert!(
        missing.len() <= CONNECTIONS,
        "more readers missed it than messages can be at their last step at the kill (killed after {at_the_kill:?}): {missing:?}"
    );
    assert_eq!(arrived.len(), READERS - missing.len());
}

#[tokio::test]
async fn an_edition_killed_mid_send_reaches_every_reader_exactly_once_on_sqlite() {
    killed_while_sending_each_reader_still_gets_the_edition_once(TestDatabase::sqlite().await).await;
}

#[tokio::test]
async fn an_edition_killed_mid_send_reaches_every_reader_exactly_once_on_postgresql() {
    let Some(database) = TestDatabase::postgres().await else { return };
    killed_while_sending_each_reader_still_gets_the_edition_once(database).await;
}
