//! The SMTP client against a real SMTP server on 127.0.0.1 (aiosmtpd, from the checkers'
//! Python, writing what it receives to a Maildir): a message arrives whole, a line starting
//! with a dot arrives as written, and a message abandoned before its final dot never arrives
//! (what makes the newsletter queue exactly-once).

use dateline_mail::smtp::{Credentials, Envelope, Relay, Security, SendError, Tls};
use dateline_testkit::mail::{parsed, DkimTestKey, SmtpServer};
use std::time::Duration;

fn relay(address: &str) -> Relay {
    Relay::plain(address, "dateline.test", Duration::from_secs(5))
}

fn envelope() -> Envelope {
    Envelope { from: "briefing@dateline.test".into(), to: "reader@example.com".into() }
}

const MESSAGE: &str = "From: The Morning Briefing <briefing@dateline.test>\nTo: reader@example.com\n\
Subject: Today's briefing\n\nGood morning.\n.A line that starts with a dot.\n";

#[tokio::test]
async fn a_message_reaches_the_relay_whole_with_its_dotted_line_as_written() {
    let Some(server) = SmtpServer::start() else { return };
    let mut committed = false;
    relay(&server.address)
        .send(&envelope(), MESSAGE.as_bytes(), || {
            committed = true;
            async { Ok(()) }
        })
        .await
        .expect("sent");
    assert!(committed, "the commit ran before the end");
    let messages = server.received();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(message.contains("Subject: Today's briefing"));
    assert!(message.contains("\n.A line that starts with a dot.\n"), "{message}");
    assert!(message.contains("X-RcptTo: reader@example.com"), "the envelope's recipient: {message}");
}

#[tokio::test]
async fn a_message_abandoned_before_its_final_dot_never_arrives() {
    let Some(server) = SmtpServer::start() else { return };
    let outcome = relay(&server.address).send(&envelope(), MESSAGE.as_bytes(), || async { Err("stop".into()) }).await;
    assert_eq!(outcome, Err(SendError::Abandoned("stop".into())));
    // And the relay still takes the next one.
    relay(&server.address).send(&envelope(), MESSAGE.as_bytes(), || async { Ok(()) }).await.expect("sent");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.received().len(), 1, "only the message that was finished");
}

#[tokio::test]
async fn a_relay_that_goes_quiet_is_a_temporary_failure_and_a_forged_address_is_refused_at_once() {
    // A relay that takes the connection and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let quiet =
        Relay { timeout: Duration::from_millis(500), ..relay(&silent.local_addr().expect("address").to_string()) };
    let outcome = quiet.send(&envelope(), MESSAGE.as_bytes(), || async { Ok(()) }).await;
    assert!(matches!(&outcome, Err(SendError::Temporary(why)) if why.contains("in time")), "{outcome:?}");
    let nowhere = relay("127.0.0.1:9");
    let forged = Envelope { from: "a@b.test".into(), to: "x@y.test>\r\nRCPT TO:<victim@z.test".into() };
    let outcome = nowhere.send(&forged, MESSAGE.as_bytes(), || async { Ok(()) }).await;
    assert!(matches!(outcome, Err(SendError::Invalid(_))), "{outcome:?}");
}

#[tokio::test]
async fn a_newsletter_arrives_with_the_headers_inboxes_require_and_both_parts() {
    let Some(server) = SmtpServer::start() else { return };
    let letter = dateline_mail::message::Newsletter {
        from_name: "아침 브리핑 · The Morning Briefing".into(),
        from_address: "briefing@dateline.test".into(),
        to: "reader@example.com".into(),
        subject: "태풍 소식: ferries halted, schools closed".into(),
        list_id: "morning-briefing.dateline.test".into(),
        date: "Sun, 29 Nov 2026 07:00:00 +0900".into(),
        message_id: "edition-12.reader-34@dateline.test".into(),
        unsubscribe_url: "https://dateline.test/newsletters/unsubscribe?t=abc".into(),
        unsubscribe_mailto: "mailto:unsubscribe@dateline.test?subject=abc".into(),
        text: "Good morning.\n.A dotted line.\n".into(),
        html: "<p>Good morning.</p><script>alert(1)</script>".into(),
    };
    let bytes = letter.to_bytes().expect("a message");
    relay(&server.address).send(&envelope(), &bytes, || async { Ok(()) }).await.expect("sent");
    let received = server.received();
    let read = parsed(&received[0]);
    assert_eq!(read["defects"], serde_json::json!([]), "{received:?}");
    assert_eq!(read["subject"], "태풍 소식: ferries halted, schools closed");
    assert_eq!(read["from"], "아침 브리핑 · The Morning Briefing <briefing@dateline.test>");
    assert_eq!(
        read["list_unsubscribe"],
        "<https://dateline.test/newsletters/unsubscribe?t=abc>, <mailto:unsubscribe@dateline.test?subject=abc>"
    );
    assert_eq!(read["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
    assert_eq!(read["list_id"].as_str().map(|s| s.ends_with("<morning-briefing.dateline.test>")), Some(true));
    assert_eq!((read["precedence"].as_str(), read["auto_submitted"].as_str()), (Some("bulk"), Some("auto-generated")));
    assert_eq!(read["message_id"], "<edition-12.reader-34@dateline.test>");
    assert_eq!(read["content_type"], "multipart/alternative");
    assert_eq!(
        read["parts"],
        serde_json::json!([
            ["text/plain", "Good morning.\n.A dotted line.\n"],
            ["text/html", "<p>Good morning.</p><script>alert(1)</script>"]
        ])
    );
}

#[tokio::test]
async fn a_signed_newsletter_passes_dkim_verification_after_the_relay_and_a_changed_one_fails() {
    let Some(server) = SmtpServer::start() else { return };
    let test_key = DkimTestKey::make();
    let key = dateline_mail::dkim::DkimKey::from_pem("dateline.test", "briefing2026", &test_key.private_pem)
        .expect("a DKIM key");
    let letter = dateline_mail::message::Newsletter {
        from_name: "The Morning Briefing".into(),
        from_address: "briefing@dateline.test".into(),
        to: "reader@example.com".into(),
        subject: "태풍 소식: ferries halted".into(),
        list_id: "morning-briefing.dateline.test".into(),
        date: "Sun, 29 Nov 2026 07:00:00 +0900".into(),
        message_id: "edition-12.reader-34@dateline.test".into(),
        unsubscribe_url: "https://dateline.test/newsletters/unsubscribe?t=abc".into(),
        unsubscribe_mailto: "mailto:unsubscribe@dateline.test?subject=abc".into(),
        text: "Good morning.   Trailing spaces   \n\n\n".into(),
        html: "<p>Good morning.</p>".into(),
    };
    let signed = key.sign(&letter.to_bytes().expect("message"), 1_795_000_000).expect("signed");
    relay(&server.address).send(&envelope(), &signed, || async { Ok(()) }).await.expect("sent");
    let arrived = server.received().pop().expect("arrived");
    let verify = |message: &str| test_key.verdict(message, "briefing2026", "dateline.test");
    assert_eq!(verify(&arrived), "pass", "dkimpy verifies the signature");
    let tampered =
        arrived.replace("List-Unsubscribe-Post: List-Unsubscribe=One-Click", "List-Unsubscribe-Post: nothing");
    assert_eq!(verify(&tampered), "fail", "the one-click header is covered by the signature");
}

#[tokio::test]
async fn one_connection_carries_many_messages_each_to_its_own_reader() {
    let Some(server) = SmtpServer::start() else { return };
    let relay = relay(&server.address);
    let mut session = relay.connect().await.expect("connected");
    for n in 0..5 {
        let to = Envelope { to: format!("reader{n}@example.com"), ..envelope() };
        session.send(&to, MESSAGE.as_bytes(), || async { Ok(()) }).await.expect("sent");
    }
    session.quit().await;
    let arrived = server.wait_for(5, Duration::from_secs(5)).await;
    assert_eq!(arrived.len(), 5);
    for n in 0..5 {
        assert!(arrived.iter().any(|m| m.contains(&format!("X-RcptTo: reader{n}@example.com"))), "reader {n}");
    }
}

fn account(password: &str) -> Option<Credentials> {
    Some(Credentials { username: "dateline".into(), password: password.into() })
}

#[tokio::test]
async fn a_relay_that_wants_starttls_and_a_password_gets_both_and_nothing_less() {
    let Some(server) = SmtpServer::start_secure(false, "dateline", "s3cret-pass") else { return };
    let tls = Tls::new("127.0.0.1", Some(&server.certificate_pem)).expect("TLS settings");
    let secure =
        Relay { security: Security::StartTls(tls), credentials: account("s3cret-pass"), ..relay(&server.address) };
    secure.send(&envelope(), MESSAGE.as_bytes(), || async { Ok(()) }).await.expect("sent inside TLS");
    // A wrong password is the operator's to fix: a temporary failure, never the reader's.
    let wrong = Relay { credentials: account("guess"), ..secure.clone() };
    let outcome = wrong.send(&envelope(), MESSAGE.as_bytes(), || async { Ok(()) }).await;
    assert!(matches!(&outcome, Err(SendError::Temporary(why)) if why.contains("sign-in")), "{outcome:?}");
    // A password is never sent in plain text.
    let plain = Relay { security: Security::None, ..secure.clone() };
    let outcome = plain.send(&envelope(), MESSAGE.as_bytes(), || async { Ok(()) }).await;
    assert!(matches!(&outcome, Err(SendError::Invalid(why)) if why.contains("inside TLS")), "{outcome:?}");
    // A certificate that chains to no trusted root is refused.
    let untrusted = Tls::new("127.0.0.1", None).expect("TLS settings");
    let stranger = Relay { security: Security::StartTls(untrusted), ..secure.clone() };
    let outcome = stranger.send(&envelope(), MESSAGE.as_bytes(), || async { Ok(()) }).await;
    assert!(matches!(&outcome, Err(SendError::Temporary(why)) if why.contains("TLS")), "{outcome:?}");
    let arrived = server.wait_for(1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.received().len(), 1, "only the message sent with the right password: {arrived:?}");
}

#[tokio::test]
async fn a_relay_on_port_465_is_reached_with_tls_from_the_first_byte() {
    let Some(server) = SmtpServer::start_secure(true, "dateline", "s3cret-pass") else { return };
    let tls = Tls::new("127.0.0.1", Some(&server.certificate_pem)).expect("TLS settings");
    let secure =
        Relay { security: Security::Implicit(tls), credentials: account("s3cret-pass"), ..relay(&server.address) };
    secure.send(&envelope(), MESSAGE.as_bytes(), || async { Ok(()) }).await.expect("sent");
    assert_eq!(server.wait_for(1, Duration::from_secs(5)).await.len(), 1);
}
