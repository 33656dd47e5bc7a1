//! Property tests over the wire parsers: thousands of generated documents (deeply nested,
//! very wide, with many or huge attributes, cut anywhere) each get an answer, taken or refused,
//! on a thread with the 2 MiB stack of a server worker, so no input can exhaust the stack.
//! They stand in for `cargo fuzz`, which needs a nightly toolchain this project does not use.

use dateline_ingest::ninjs::Version;
use dateline_ingest::{read_item, WireFormat};
use proptest::prelude::*;

const LIMIT: usize = 4 << 20;

/// Runs `work` on a thread with a server worker's stack; a stack overflow would abort the test.
fn on_a_worker_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(work).expect("thread").join().expect("no panic")
}

/// Markup of a generated shape: `depth` nested elements of `name`, `width` siblings inside,
/// each with `attributes` attributes of `attribute_len` characters.
fn markup(name: &str, depth: usize, width: usize, attributes: usize, attribute_len: usize, text: &str) -> String {
    let attrs: String = (0..attributes).map(|i| format!(" data-a{i}=\"{}\"", "v".repeat(attribute_len))).collect();
    let leaf = format!("<p{attrs}>{text}</p>").repeat(width.max(1));
    format!("{}{leaf}{}", format!("<{name}>").repeat(depth), format!("</{name}>").repeat(depth))
}

fn newsml(body: &str) -> String {
    format!(
        "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"urn:x:1\" version=\"1\"><itemMeta><itemClass qcode=\"ninat:text\"/></itemMeta>\
         <contentMeta><headline>Generated</headline></contentMeta><contentSet><inlineXML><html xmlns=\"http://www.w3.org/1999/xhtml\"><body>{body}</body></html></inlineXML></contentSet></newsItem>"
    )
}

fn ninjs(body: &str) -> String {
    serde_json::json!({"uri": "urn:x:1", "type": "text", "headline": "Generated", "body_html": body}).to_string()
}

fn element() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["div", "blockquote", "ul", "li", "p", "b", "span", "table", "section"])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn every_generated_shape_gets_an_answer_in_either_format(
        name in element(),
        // One dimension pushed to an extreme at a time (deep, wide, many attributes, a huge
        // attribute), the others ordinary, so every document stays a few megabytes at most.
        (depth, width, attributes, attribute_len) in prop_oneof![
            (0usize..40, 1usize..5, 0usize..4, 1usize..10),
            (90usize..6_000, 1usize..3, 0usize..2, 1usize..5),
            (0usize..5, 1_000usize..20_000, 0usize..2, 1usize..5),
            (0usize..5, 1usize..3, 90usize..2_000, 1usize..5),
            (0usize..5, 1usize..2, 1usize..2, 10_000usize..1_000_000),
        ],
        text in "[a-zA-Z0-9 <>&;\"']{0,40}",
    ) {
        let body = markup(name, depth, width, attributes, attribute_len, &text);
        let (xml, json) = (newsml(&body), ninjs(&body));
        let answers = on_a_worker_stack(move || {
            let g2 = read_item(WireFormat::NewsMlG2, xml.as_bytes(), LIMIT).map(|copy| copy.body.len());
            let nj = read_item(WireFormat::NinJs(Version::V2_1), json.as_bytes(), LIMIT).map(|copy| copy.body.len());
            (g2, nj)
        });
        for answer in [answers.0, answers.1] {
            if let Err(rejection) = answer {
                prop_assert!(!rejection.reason.is_empty());
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn a_document_cut_anywhere_is_refused_with_a_reason(cut in 0.0f64..1.0, nest in 0usize..50) {
        let document = newsml(&markup("div", nest, 3, 1, 5, "words"));
        let at = ((document.len() as f64) * cut) as usize;
        let cut_short = document.get(..at).unwrap_or(&document[..0]).to_owned();
        let answer = on_a_worker_stack(move || read_item(WireFormat::NewsMlG2, cut_short.as_bytes(), LIMIT).map(drop));
        if let Err(rejection) = answer {
            prop_assert!(!rejection.reason.is_empty());
        }
    }

    #[test]
    fn any_text_at_all_gets_an_answer(bytes in prop::collection::vec(any::<u8>(), 0..4_000)) {
        let answers = on_a_worker_stack(move || {
            (
                read_item(WireFormat::NewsMlG2, &bytes, LIMIT).map(drop),
                read_item(WireFormat::NinJs(Version::V1_4), &bytes, LIMIT).map(drop),
            )
        });
        // Random bytes never make a whole item of either standard: both are refused, with a
        // reason, and neither parser panics or runs out of stack on the way.
        prop_assert!(answers.0.is_err() && answers.1.is_err());
    }
}
