//! NewsML-G2 items of our own writing (tests/fixtures/newsml-g2) read into wire copy: a text
//! item, a picture item, a message carrying both, a new version, an embargo and a kill.

use dateline_ingest::{newsml, read_item, RejectionKind, WireFormat, WireKind, WireStatus};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/newsml-g2/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

fn paragraphs(markdown: &str) -> Vec<&str> {
    markdown.split("\n\n").collect()
}

#[test]
fn a_text_item_gives_headline_deck_byline_dateline_topics_and_body() {
    let copy = newsml::read(&fixture("text.xml")).expect("a text item");
    assert_eq!(copy.guid, "urn:newsml:hanbit.example:20261128:budget-vote");
    assert_eq!(copy.version, 1);
    assert_eq!(copy.kind, WireKind::Text);
    assert_eq!(copy.status, WireStatus::Usable);
    assert_eq!(copy.headline, "Assembly passes next year's budget after all-night session");
    assert_eq!(copy.deck.as_deref(), Some("Lawmakers trim spending on roads and add funds for child care"));
    assert_eq!(copy.byline_names, ["Kim Ji-won", "Lee Min-ho"]);
    assert_eq!(copy.dateline.as_deref(), Some("SEOUL"));
    assert_eq!(copy.subjects, ["politics", "national budget"]);
    assert_eq!(
        paragraphs(&copy.body),
        [
            "SEOUL, Nov. 28 (Hanbit News) -- The National Assembly passed next year's budget early Saturday after a session that ran through the night.",
            "The plan moves money from *road building* to child care, officials said.",
            "## What changes",
            "- Child care centres get more staff.",
            "- Two bridge projects wait a year.",
            "The vote was 171 to 98. (Hanbit News)",
        ]
    );
    assert_eq!(copy.version_created, Some("2026-11-28T02:10:00Z".parse().expect("instant")));
}

#[test]
fn a_picture_item_gives_a_photo_with_caption_credit_and_photographer() {
    let copy = newsml::read(&fixture("picture.xml")).expect("a picture item");
    assert_eq!(copy.kind, WireKind::Picture);
    let photo = &copy.photos[0];
    assert_eq!(photo.reference, "budget-vote.jpg", "the high-resolution rendition");
    assert_eq!(
        photo.caption,
        "Lawmakers cast their votes on next year's budget at the National Assembly in Seoul on Nov. 28."
    );
    assert_eq!(photo.credit, "Hanbit News");
    assert_eq!(photo.photographer, "Park Seo-yeon");
    assert_eq!(photo.mime_type.as_deref(), Some("image/jpeg"));
}

#[test]
fn a_message_with_a_story_and_its_picture_gives_the_story_with_its_photo() {
    let copy = newsml::read(&fixture("message.xml")).expect("a message");
    assert_eq!(copy.headline, "Assembly passes next year's budget after all-night session");
    assert_eq!(copy.photos.len(), 1);
    assert_eq!(copy.photos[0].reference, "budget-vote.jpg");
}

#[test]
fn versions_embargoes_and_kills_are_read_as_the_agency_sent_them() {
    let second = newsml::read(&fixture("text-v2.xml")).expect("version 2");
    assert_eq!((second.guid.as_str(), second.version), ("urn:newsml:hanbit.example:20261128:budget-vote", 2));
    let embargoed = newsml::read(&fixture("embargoed.xml")).expect("embargoed");
    assert_eq!(embargoed.embargo_until, Some("2026-11-28T09:00:00Z".parse().expect("instant")));
    let killed = newsml::read(&fixture("killed.xml")).expect("a kill");
    assert_eq!(killed.status, WireStatus::Canceled);
    assert!(killed.status.is_kill());
    let withheld = newsml::read(&fixture("text.xml").replace("stat:usable", "stat:withheld")).expect("withheld");
    assert_eq!(withheld.status, WireStatus::Withheld);
}

#[test]
fn items_dateline_does_not_publish_are_declined_by_name() {
    let video = fixture("text.xml").replace("ninat:text", "ninat:video");
    let declined = read_item(WireFormat::NewsMlG2, video.as_bytes(), 1 << 20).expect_err("video");
    assert_eq!(declined.kind, RejectionKind::Declined);
    assert!(declined.reason.contains("ninat:video"), "{declined}");
    let planning = "<planningItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"p\" version=\"1\"/>";
    assert_eq!(newsml::read(planning).expect_err("planning").kind, RejectionKind::Declined);
}
