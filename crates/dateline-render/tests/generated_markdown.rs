//! Property tests over the Markdown renderer: 1,000 generated bodies (quotations and
//! lists nested far past any story, raw HTML, links, emphasis, brackets) each render on a
//! thread with a server worker's 2 MiB stack, to HTML that holds no script, no event handler
//! and no script address.

use dateline_render::render_markdown;
use proptest::prelude::*;

fn on_a_worker_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(work).expect("thread").join().expect("no panic")
}

/// A piece of Markdown: containers, markup, links or words.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        (1usize..3_000).prop_map(|n| format!("{} deep\n", "> ".repeat(n))),
        (1usize..300).prop_map(|n| (0..n).map(|i| format!("{}- item\n", "  ".repeat(i))).collect::<String>()),
        (1usize..2_000).prop_map(|n| format!("{}x{}\n", "<div>".repeat(n), "</div>".repeat(n))),
        Just("<script>alert(1)</script>\n".to_owned()),
        Just("<img src=x onerror=alert(1)>\n".to_owned()),
        Just("[click](javascript:alert(1)) and <a href=\"data:text/html,x\">d</a>\n".to_owned()),
        (1usize..5_000).prop_map(|n| "[".repeat(n)),
        (1usize..5_000).prop_map(|n| "*a ".repeat(n)),
        "[a-zA-Z0-9 .,!?#*_`~|\\-\n]{0,200}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn any_body_renders_to_safe_html_without_exhausting_the_stack(pieces in prop::collection::vec(piece(), 1..4)) {
        let source = pieces.concat();
        let html = on_a_worker_stack(move || render_markdown(&source));
        let document = scraper::Html::parse_fragment(&html);
        for element in document.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let name = element.value().name();
            prop_assert!(!matches!(name, "script" | "iframe" | "object" | "embed" | "style"), "<{name}> survived");
            for (attribute, value) in element.value().attrs() {
                prop_assert!(!attribute.starts_with("on"), "{attribute} survived on <{name}>");
                let value = value.trim().to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    prop_assert!(!value.starts_with(scheme), "{attribute}={value} survived on <{name}>");
                }
            }
        }
        // Quotations nested past the limit were flattened before rendering.
        let quotes = scraper::Selector::parse("blockquote").expect("selector");
        let deepest = document
            .select(&quotes)
            .map(|q| q.ancestors().filter_map(scraper::ElementRef::wrap).filter(|a| a.value().name() == "blockquote").count() + 1)
            .max()
            .unwrap_or(0);
        prop_assert!(deepest <= dateline_newsroom::body::MAX_BODY_NESTING, "quotations {deepest} deep");
    }
}
