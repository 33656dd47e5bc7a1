//! Property tests over what an old site's export holds: thousands of generated WordPress
//! exports (elements nested far past any real export, wide, cut anywhere, stray bytes and
//! entities) and post bodies (deep, wide, hostile markup) each get an answer, read or refused
//! in a sentence, on a thread with the 2 MiB stack of a server worker, and no converted body
//! keeps a script, an event handler or a control character.

use dateline_import::{wordpress_body, wxr};
use proptest::prelude::*;

fn on_a_worker_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(work).expect("thread").join().expect("no panic")
}

const FIXTURE: &str = include_str!("fixtures/harbour-gazette.xml");

/// A piece of a post body: nesting, width, hostile markup or words.
fn body_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        (1usize..5_000, prop::sample::select(vec!["div", "blockquote", "ul", "li", "b", "table", "figure"]))
            .prop_map(|(n, e)| format!("{}x{}", format!("<{e}>").repeat(n), format!("</{e}>").repeat(n))),
        (1usize..3_000).prop_map(|n| "<p>wide</p>".repeat(n)),
        (1usize..300)
            .prop_map(|n| format!("<p{}>many</p>", (0..n).map(|i| format!(" data-{i}=\"v\"")).collect::<String>())),
        Just("<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a>".to_owned()),
        Just("<iframe src=\"https://evil.example/\"></iframe><!-- wp:paragraph -->".to_owned()),
        "[a-zA-Z0-9 <>/&;#\"'=\\-\u{0}\u{7}\n]{0,200}",
    ]
}

/// The fixture with one generated change: a title or body replaced, elements nested around an
/// item, the file cut at any point, or stray bytes put in.
fn export() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        body_piece().prop_map(|body| FIXTURE
            .replacen("<content:encoded><![CDATA[", &format!("<content:encoded><![CDATA[{body}"), 1)
            .into_bytes()),
        (1usize..20_000)
            .prop_map(|n| FIXTURE.replacen("<item>", &format!("{}<item>", "<wp:x>".repeat(n)), 1).into_bytes()),
        (0usize..FIXTURE.len()).prop_map(|cut| FIXTURE.as_bytes()[..cut].to_vec()),
        (0usize..FIXTURE.len(), prop::collection::vec(any::<u8>(), 1..40)).prop_map(|(at, junk)| {
            let mut bytes = FIXTURE.as_bytes().to_vec();
            let at = at.min(bytes.len());
            bytes.splice(at..at, junk);
            bytes
        }),
        "[a-z&;#<>\u{0}]{0,20}"
            .prop_map(|title| FIXTURE.replacen("Council votes to rebuild the old bridge", &title, 1).into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

    #[test]
    fn any_export_is_read_or_refused_in_a_sentence_and_keeps_no_control_character(bytes in export()) {
        let outcome = on_a_worker_stack(move || {
            let mut texts = Vec::new();
            let read = wxr::read(std::io::Cursor::new(bytes), |record| {
                if let wxr::Record::Item(item) = record {
                    texts.push(format!("{}{}", item.title, item.content));
                }
                Ok(())
            });
            (read.map(drop).map_err(|e| e.to_string()), texts)
        });
        match outcome {
            (Ok(()), texts) => {
                for text in texts {
                    prop_assert!(!text.chars().any(dateline_newsroom::text::is_unwanted_control), "{text:?}");
                }
            }
            (Err(reason), _) => prop_assert!(!reason.is_empty() && reason.len() < 2_000, "{reason}"),
        }
    }

    #[test]
    fn any_post_body_converts_to_markdown_that_renders_safely(pieces in prop::collection::vec(body_piece(), 1..4)) {
        let html = pieces.concat();
        let markdown = on_a_worker_stack(move || {
            let hosts: Vec<String> = wordpress_body::DEFAULT_EMBED_HOSTS.iter().map(|h| (*h).to_owned()).collect();
            wordpress_body::convert(&html, &hosts).markdown
        });
        let rendered = on_a_worker_stack(move || dateline_render::render_markdown(&markdown));
        let document = scraper::Html::parse_fragment(&rendered);
        for element in document.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let name = element.value().name();
            prop_assert!(!matches!(name, "script" | "iframe" | "object" | "embed"), "<{name}> survived");
            for (attribute, value) in element.value().attrs() {
                prop_assert!(!attribute.starts_with("on"), "{attribute} survived on <{name}>");
                prop_assert!(!value.trim().to_ascii_lowercase().starts_with("javascript:"), "{value} survived");
            }
        }
    }
}
