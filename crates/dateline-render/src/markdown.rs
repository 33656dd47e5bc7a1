//! Article bodies: Markdown in, safe HTML out. Whatever the source holds (script tags, event
//! handlers, `javascript:` links), only the allow-listed tags and attributes survive.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to HTML and sanitizes the result.
pub fn render_markdown(source: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    // A body nested past the newsroom's limit (saved before the limit, or arrived another way)
    // is flattened first: the parser's time grows with the square of nesting.
    let source = dateline_newsroom::body::flatten_nesting(source, dateline_newsroom::body::MAX_BODY_NESTING);
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(&source, options));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_quotations_become_html() {
        let html = render_markdown("First.\n\n> A quote.\n\nLast. (Yonhap)");
        assert!(html.contains("<p>First.</p>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<p>Last. (Yonhap)</p>"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_do_not_survive() {
        let html = render_markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<a href=\"data:text/html,hi\">d</a>",
        );
        for bad in ["<script", "onerror", "javascript:", "data:text"] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn a_body_nested_thirty_thousand_quotations_deep_renders_flattened_with_its_text() {
        let html = render_markdown(&format!("{} the words", ">".repeat(30_000)));
        assert_eq!(html.matches("<blockquote>").count(), dateline_newsroom::body::MAX_BODY_NESTING);
        assert!(html.contains("the words"), "{html}");
    }
}
