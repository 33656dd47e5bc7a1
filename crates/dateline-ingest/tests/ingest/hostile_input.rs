//! Broken and hostile documents, each refused with a reason and never half-read: malformed
//! and truncated JSON and XML, schema failures, unknown shapes, script in bodies, entity
//! expansion ("billion laughs"), external entities, and documents over the size limit.

use dateline_ingest::ninjs::Version;
use dateline_ingest::{read_item, RejectionKind, WireFormat};

const LIMIT: usize = 1 << 20;

fn newsml_text() -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/newsml-g2/text.xml", env!("CARGO_MANIFEST_DIR")))
        .expect("fixture")
}

const NINJS: &str =
    r#"{"uri":"urn:x:1","type":"text","headline":"Ferry resumes","body_html":"<p>It sails at dawn.</p>"}"#;

fn refused(format: WireFormat, document: &str) -> dateline_ingest::Rejection {
    read_item(format, document.as_bytes(), LIMIT).expect_err(&document.chars().take(80).collect::<String>())
}

#[test]
fn broken_documents_are_refused_with_what_is_wrong() {
    let ninjs = WireFormat::NinJs(Version::V1_4);
    assert!(read_item(ninjs, NINJS.as_bytes(), LIMIT).is_ok(), "the sound item is taken");
    for cut in [10, NINJS.len() / 2, NINJS.len() - 1] {
        let error = refused(ninjs, &NINJS[..cut]);
        assert_eq!(error.kind, RejectionKind::Malformed, "{error}");
        assert!(error.reason.contains("cut short"), "{error}");
    }
    assert_eq!(refused(ninjs, "{\"uri\": \"x\",, }").kind, RejectionKind::Malformed);
    assert_eq!(refused(ninjs, "<newsItem/>").kind, RejectionKind::Malformed, "XML sent to a NinJS source");
    let schema = refused(ninjs, r#"{"uri":"urn:x:1","headline":"A","body_html":"<p>b</p>","urgency":"very"}"#);
    assert_eq!(schema.kind, RejectionKind::Schema);
    assert!(schema.reason.contains("/urgency"), "{schema}");

    let g2 = WireFormat::NewsMlG2;
    let text = newsml_text();
    let cut = refused(g2, &text[..text.len() / 2]);
    assert_eq!(cut.kind, RejectionKind::Malformed);
    assert!(cut.reason.contains("cut short") || cut.reason.contains("XML"), "{cut}");
    assert_eq!(refused(g2, "{\"uri\":\"x\"}").kind, RejectionKind::Malformed, "JSON sent to a NewsML-G2 source");
    let other = refused(g2, "<rss version=\"2.0\"><channel/></rss>");
    assert!(other.reason.contains("<rss>"), "{other}");
    assert_eq!(refused(g2, &text.replace(" guid=", " gid=")).kind, RejectionKind::Malformed);
    let bytes = [0xff, 0xfe, 0x00];
    assert_eq!(read_item(g2, &bytes, LIMIT).expect_err("not UTF-8").kind, RejectionKind::Malformed);
}

#[test]
fn script_and_event_handlers_in_a_body_refuse_the_item_in_either_format() {
    let ninjs = WireFormat::NinJs(Version::V1_4);
    for body in
        ["<p>Hi</p><script>alert(1)</script>", "<p onmouseover=\"x()\">Hi</p>", "<a href=\"javascript:x()\">Hi</a>"]
    {
        let item = NINJS.replace("<p>It sails at dawn.</p>", &body.replace('"', "\\\""));
        let error = refused(ninjs, &item);
        assert_eq!(error.kind, RejectionKind::Unsafe, "{body}: {error}");
    }
    let g2 = newsml_text().replace("<p>The vote was", "<p onclick=\"steal()\">The vote was");
    assert_eq!(refused(WireFormat::NewsMlG2, &g2).kind, RejectionKind::Unsafe);
    let g2 = newsml_text().replace("</body>", "<script>alert(1)</script></body>");
    let error = refused(WireFormat::NewsMlG2, &g2);
    assert!(error.reason.contains("<script>"), "{error}");
}

#[test]
fn entity_expansion_and_external_entities_are_never_read() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<newsItem guid="x" version="1"><itemMeta/><contentMeta><headline>&lol4;</headline></contentMeta></newsItem>"#;
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE item [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<newsItem guid="x" version="1"><itemMeta/><contentMeta><headline>&secret;</headline></contentMeta></newsItem>"#;
    for document in [laughs, external] {
        let error = refused(WireFormat::NewsMlG2, document);
        assert_eq!(error.kind, RejectionKind::Malformed);
        assert!(error.reason.contains("DTD"), "{error}");
    }
}

#[test]
fn a_document_over_the_limit_is_refused_by_size() {
    let padded = NINJS.replace("It sails at dawn.", &"word ".repeat(1000));
    let error = read_item(WireFormat::NinJs(Version::V1_4), padded.as_bytes(), 1000).expect_err("too big");
    assert_eq!(error.kind, RejectionKind::TooLarge);
    assert!(error.reason.contains("1000"), "{error}");
}

/// A NewsML-G2 item whose XHTML body is `inner`.
fn newsml_with_body(inner: &str) -> String {
    let text = newsml_text();
    let start = text.find("<body>").expect("fixture body") + "<body>".len();
    let end = text.find("</body>").expect("fixture body end");
    format!("{}{inner}{}", &text[..start], &text[end..])
}

/// A NinJS item whose HTML body is `inner`.
fn ninjs_with_body(inner: &str) -> String {
    serde_json::json!({"uri": "urn:x:1", "type": "text", "headline": "Ferry resumes", "body_html": inner}).to_string()
}

#[test]
fn a_body_nested_ten_thousand_deep_is_refused_in_either_format_without_exhausting_the_stack() {
    for element in ["div", "blockquote", "ul"] {
        let nested =
            format!("{}<p>deep</p>{}", format!("<{element}>").repeat(10_000), format!("</{element}>").repeat(10_000));
        for (format, document) in [
            (WireFormat::NewsMlG2, newsml_with_body(&nested)),
            (WireFormat::NinJs(Version::V1_4), ninjs_with_body(&nested)),
        ] {
            let error = read_item(format, document.as_bytes(), 8 << 20).expect_err(element);
            assert_eq!(error.kind, RejectionKind::Malformed, "{element}: {error}");
            assert!(error.reason.contains("levels deep"), "{element}: {error}");
        }
    }
}

#[test]
fn wide_bodies_long_attributes_and_many_attributes_get_an_answer() {
    let siblings = "<p>x</p>".repeat(200_000);
    let long_attribute = format!("<p title=\"{}\">x</p>", "a".repeat(4 << 20));
    let many_attributes =
        format!("<p {}>x</p>", (0..50_000).map(|i| format!("data-a{i}=\"v\"")).collect::<Vec<_>>().join(" "));
    for (what, inner) in
        [("siblings", siblings), ("a long attribute", long_attribute), ("many attributes", many_attributes)]
    {
        for (format, document) in [
            (WireFormat::NewsMlG2, newsml_with_body(&inner)),
            (WireFormat::NinJs(Version::V1_4), ninjs_with_body(&inner)),
        ] {
            // Read with a limit well above the default: taken, or refused with a reason.
            match read_item(format, document.as_bytes(), 16 << 20) {
                Ok(copy) => assert!(!copy.body.is_empty(), "{what}: a taken item has its body"),
                Err(error) => assert!(!error.reason.is_empty(), "{what}: a refusal says why"),
            }
        }
    }
}

#[test]
fn a_byline_of_ten_thousand_names_is_refused_and_control_characters_are_dropped() {
    let names = (0..10_000).map(|n| format!("Reporter {n}")).collect::<Vec<_>>().join(", ");
    let item = serde_json::json!({"uri": "urn:x:1", "type": "text", "headline": "Ferry resumes", "byline": names, "body_html": "<p>It sails.</p>"}).to_string();
    let error = read_item(WireFormat::NinJs(Version::V1_4), item.as_bytes(), LIMIT).expect_err("too many authors");
    assert_eq!(error.kind, RejectionKind::Declined);
    assert!(error.reason.contains("10000 authors"), "{error}");

    let item = serde_json::json!({"uri": "urn:x:2", "type": "text", "headline": "Ferry\u{0} resumes", "body_html": "<p>It\u{0} sails\u{7}.</p>"}).to_string();
    let copy = read_item(WireFormat::NinJs(Version::V1_4), item.as_bytes(), LIMIT).expect("taken");
    assert_eq!(copy.headline, "Ferry resumes");
    assert!(!copy.body.chars().any(|c| c == '\u{0}' || c == '\u{7}'), "{:?}", copy.body);
}

#[test]
fn an_item_carrying_more_photos_than_a_story_can_use_is_declined() {
    let pictures: serde_json::Map<String, serde_json::Value> = (0..51)
        .map(|n| {
            let picture = serde_json::json!({"uri": format!("urn:x:p{n}"), "type": "picture", "headline": "Quay",
                "renditions": {"original": {"href": format!("p{n}.jpg"), "mimetype": "image/jpeg"}}});
            (format!("photo{n}"), picture)
        })
        .collect();
    let item = serde_json::json!({"uri": "urn:x:3", "type": "text", "headline": "Ferry resumes",
        "body_html": "<p>It sails.</p>", "associations": pictures})
    .to_string();
    let error = read_item(WireFormat::NinJs(Version::V1_4), item.as_bytes(), LIMIT).expect_err("too many photos");
    assert_eq!(error.kind, RejectionKind::Declined);
    assert!(error.reason.contains("51 photos"), "{error}");
}

#[test]
fn a_sports_table_whose_fields_begin_with_on_is_taken_and_its_text_kept_with_a_note() {
    let sports = r#"<p>Seoul beat Incheon 5-3.</p><sports-content xmlns="http://iptc.org/std/SportsML/2008-04-01/"><team-stats onbase-percentage=".412" on-target="7"><player-name>Kang Min-jae</player-name></team-stats></sports-content>"#;
    for (format, document) in
        [(WireFormat::NewsMlG2, newsml_with_body(sports)), (WireFormat::NinJs(Version::V1_4), ninjs_with_body(sports))]
    {
        let copy = read_item(format, document.as_bytes(), LIMIT).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert!(copy.body.contains("Seoul beat Incheon") && copy.body.contains("Kang Min-jae"), "{}", copy.body);
        let notes = copy.notes.join(" ");
        assert!(notes.contains("<team-stats>") && notes.contains("not HTML"), "the desk is told: {notes}");
    }
}

#[test]
fn real_event_handlers_refuse_the_item_on_any_element_and_any_on_attribute_on_an_element_that_renders() {
    for body in [
        r#"<p>Hi <team-stats onclick="steal()">x</team-stats></p>"#,
        r#"<p>Hi <custom-widget onpointerdown="steal()">x</custom-widget></p>"#,
        r#"<p onfutureevent="steal()">Hi</p>"#,
        r#"<p>Hi <img src="a.jpg" onError="steal()"/></p>"#,
    ] {
        for (format, document) in
            [(WireFormat::NewsMlG2, newsml_with_body(body)), (WireFormat::NinJs(Version::V1_4), ninjs_with_body(body))]
        {
            let error = refused(format, &document);
            assert_eq!(error.kind, RejectionKind::Unsafe, "{format:?} {body}: {error}");
            assert!(error.reason.contains("event handler"), "{error}");
        }
    }
    assert!(dateline_ingest::body::is_event_handler("stat", "onclick"));
    assert!(!dateline_ingest::body::is_event_handler("stat", "onbase"));
    assert!(dateline_ingest::body::is_event_handler("div", "onbase"));
}

#[test]
fn a_refusal_quotes_a_short_excerpt_never_the_document() {
    let long = "x".repeat(20_000);
    let cases = [
        serde_json::json!({"uri": "urn:x:1", "headline": {"nested": long}}).to_string(),
        serde_json::json!({"uri": "urn:x:1", "headline": "A", "body_text": "b", "pubstatus": long}).to_string(),
        serde_json::json!({"uri": "urn:x:1", "headline": "A", "body_text": "b", "versioncreated": long}).to_string(),
        serde_json::json!({"uri": "urn:x:1", "type": long, "headline": "A"}).to_string(),
    ];
    for document in cases {
        let error = refused(WireFormat::NinJs(Version::V1_4), &document);
        assert!(error.reason.chars().count() <= dateline_ingest::MAX_REASON_CHARS, "{} chars", error.reason.len());
        assert!(error.reason.len() < 1_000 && error.reason.contains("xxxx"), "an excerpt, not the whole: {error}");
    }
    let g2 = newsml_text().replace("stat:usable", &format!("stat:{long}"));
    let error = refused(WireFormat::NewsMlG2, &g2);
    assert!(error.reason.len() < 1_000, "{} bytes", error.reason.len());
}
