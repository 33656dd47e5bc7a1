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
    assert_eq!(copy.located.as_deref(), Some("SEOUL"));
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

#[test]
fn a_nitf_body_keeps_its_shape_and_its_head_becomes_the_storys_fields() {
    let copy = newsml::read(&fixture("nitf-story.xml")).expect("a NITF story");
    assert_eq!(copy.headline, "Island ferry line returns after two winters");
    assert_eq!(copy.deck.as_deref(), Some("Three boats a day to Heuksan from Monday"));
    assert_eq!(copy.byline_names, ["Choi Yu-na", "Han Do-hyun"], "the creators who wrote it, not the editor");
    assert_eq!(copy.located.as_deref(), Some("MOKPO"));
    assert_eq!(copy.written_dateline.as_deref(), Some("MOKPO, Nov. 29"));
    assert_eq!(
        paragraphs(&copy.body),
        [
            "The ferry line to Heuksan island will run again from Monday, the port office said.",
            "Three boats a day will leave the *old harbour*, and a **fourth** in summer.",
            "## Who runs it",
            "A cooperative of island families bought two used boats in [the spring auction](https://port.example/notice).",
            "> We waited two winters for this.",
            "> Kim Bo-ra, a fisher on Heuksan",
            "The timetable:",
            "Departures from Mokpo",
            "| Boat | Leaves |\n| --- | --- |\n| Morning | 07:50 |\n| Noon | 12:10 |",
            "Fares stay at last year's level:",
            "- adults 34,000 won",
            "- children half",
            "1. Book online",
            "2. Show the ticket at the gate",
            "The port office expects 40,000 passengers a year.",
            "Winter storms may still cancel sailings.",
            "Choi Yu-na reported from Mokpo.",
        ]
    );
    for head_text in
        ["Island ferry line", "By Choi", "maritime reporter", "MOKPO, Nov", "last boat failed", "Ferry line"]
    {
        assert!(!copy.body.contains(head_text), "{head_text:?} stays out of the body");
    }
    assert!(copy.notes.iter().any(|n| n.contains("picture")), "the left-out picture is named: {:?}", copy.notes);
}

#[test]
fn an_xhtml_body_keeps_headings_quotes_lists_tables_and_emphasis() {
    let body = r#"<p>First <i>word</i> and <b>bold</b>.<br/>Same paragraph.</p><h3>Smaller head</h3>
        <blockquote><p>Quoted.</p></blockquote><ol><li>One</li><li>Two</li></ol>
        <table><thead><tr><th>Team</th><th>Won</th></tr></thead><tbody><tr><td>Seoul | FC</td><td>5</td></tr></tbody></table>"#;
    let text = fixture("text.xml");
    let start = text.find("<body>").expect("body") + "<body>".len();
    let end = text.find("</body>").expect("body end");
    let copy = newsml::read(&format!("{}{body}{}", &text[..start], &text[end..])).expect("XHTML");
    assert_eq!(
        paragraphs(&copy.body),
        [
            "First *word* and **bold**.\\\nSame paragraph.",
            "### Smaller head",
            "> Quoted.",
            "1. One",
            "2. Two",
            "| Team | Won |\n| --- | --- |\n| Seoul \\| FC | 5 |",
        ]
    );
}

#[test]
fn a_photographer_named_as_a_contributor_is_the_photos_photographer() {
    let picture = fixture("picture.xml").replace(
        "<by>Park Seo-yeon</by>",
        r#"<contributor role="ctrol:photographer"><name>Yoon Ha-eun</name></contributor>"#,
    );
    let copy = newsml::read(&picture).expect("a picture item");
    assert_eq!(copy.photos[0].photographer, "Yoon Ha-eun");
}
