//! A first look at a document's shape, before any parser sees it.
//!
//! roxmltree's tokenizer recurses once per nesting level, and both roxmltree and html5ever
//! compare each attribute with every earlier one on its element. A hostile document that
//! nests ten thousand elements would exhaust a thread's stack (and abort the process), and
//! one element with fifty thousand attributes costs minutes of CPU. This one-pass scan, with
//! no recursion and no allocation, refuses both before they are parsed. It is deliberately
//! rough about everything else: malformed text passes here and is named by the real parser.

use crate::Rejection;

/// The markup language being scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Xml,
    /// HTML, where void elements never nest and elements whose end tag may be left out
    /// (`p`, `li`, `td`, …) are not counted, so ordinary unclosed paragraphs do not add up.
    Html,
}

/// More attributes than any element of a news item or an agency body carries.
pub(crate) const MAX_ATTRIBUTES: usize = 100;

/// Refuses `text` if its elements nest deeper than `max_depth` or one element carries more
/// than [`MAX_ATTRIBUTES`] attributes; `field` names the part of the item in the reason.
pub(crate) fn check(text: &str, dialect: Dialect, max_depth: usize, field: &str) -> Result<(), Rejection> {
    let bytes = text.as_bytes();
    let skip_past = |from: usize, end: &[u8]| -> usize {
        let from = from.min(bytes.len());
        bytes[from..].windows(end.len()).position(|w| w == end).map_or(bytes.len(), |at| from + at + end.len())
    };
    // The open elements, by name: an end tag closes up to the element it names, and one that
    // names no open element closes nothing (html5ever ignores it too), so stray end tags
    // cannot hide nesting from this count. Never longer than `max_depth`.
    let mut open: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    while let Some(offset) = bytes.get(at..).and_then(|rest| rest.iter().position(|&b| b == b'<')) {
        at += offset;
        let rest = &bytes[at..];
        if rest.starts_with(b"<!--") {
            at = skip_past(at + 4, b"-->");
        } else if dialect == Dialect::Xml && rest.starts_with(b"<![CDATA[") {
            at = skip_past(at + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            at = skip_past(at + 2, if dialect == Dialect::Xml { b"?>" } else { b">" });
        } else if rest.starts_with(b"<!") {
            at = skip_past(at + 2, b">");
        } else if rest.starts_with(b"</") {
            let name = tag_name(&rest[2..]);
            if counts(dialect, name) {
                if let Some(at_open) = open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                    open.truncate(at_open);
                }
            }
            at = skip_past(at + 2, b">");
        } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) || dialect == Dialect::Xml {
            let (end, attributes) = scan_tag(bytes, at + 1);
            if attributes > MAX_ATTRIBUTES {
                return Err(Rejection::malformed(format!(
                    "{field} has an element with {attributes} attributes; Dateline reads at most {MAX_ATTRIBUTES}"
                )));
            }
            let self_closing = end < bytes.len() && end > 0 && bytes[end - 1] == b'/';
            let name = tag_name(&rest[1..]);
            if !self_closing && counts(dialect, name) {
                open.push(name);
                if open.len() > max_depth {
                    return Err(Rejection::malformed(format!(
                        "{field} nests elements more than {max_depth} levels deep; no news item needs that many"
                    )));
                }
            }
            at = end + 1;
        } else {
            at += 1;
        }
    }
    Ok(())
}

/// The tag's name, up to the first space, `/` or `>`.
fn tag_name(after_bracket: &[u8]) -> &[u8] {
    let end = after_bracket
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        .unwrap_or(after_bracket.len());
    &after_bracket[..end]
}

/// Whether an element of this name adds a level of nesting.
fn counts(dialect: Dialect, name: &[u8]) -> bool {
    const NEVER_NESTING: [&str; 34] = [
        // void elements
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "keygen", // elements whose end tag may be left out
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rt", "rp", "rb", "rtc", "thead", "tbody",
        "tfoot", "colgroup", "caption", "html",
    ];
    dialect == Dialect::Xml || !NEVER_NESTING.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

/// Scans an opening tag from just after its `<`: where its `>` is (or the text's end) and how
/// many attributes it carries (a word outside quotes after the name). Quoted values may hold `>`.
fn scan_tag(bytes: &[u8], from: usize) -> (usize, usize) {
    let mut quote = None;
    let mut attributes = 0usize;
    let mut in_word = true; // the tag's name
    let mut after_equals = false;
    let mut at = from;
    while at < bytes.len() {
        let byte = bytes[at];
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None => match byte {
                b'>' => return (at, attributes),
                b'"' | b'\'' => {
                    quote = Some(byte);
                    after_equals = false;
                }
                b'=' => {
                    after_equals = true;
                    in_word = false;
                }
                b if b.is_ascii_whitespace() => in_word = false,
                b'/' => in_word = false,
                _ => {
                    if !in_word && !after_equals {
                        attributes += 1;
                    }
                    in_word = true;
                    after_equals = false;
                }
            },
        }
        at += 1;
    }
    (bytes.len(), attributes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(text: &str, dialect: Dialect, max: usize) -> bool {
        check(text, dialect, max, "the body").is_ok()
    }

    #[test]
    fn nesting_is_counted_past_comments_cdata_and_quoted_brackets() {
        let shallow =
            r#"<?xml version="1.0"?><a><!-- <b><b><b> --><b title="x > y"><![CDATA[<c><c><c>]]><br/></b></a>"#;
        assert!(depth_ok(shallow, Dialect::Xml, 2));
        assert!(!depth_ok(shallow, Dialect::Xml, 1));
        let deep = format!("{}{}", "<d>".repeat(500), "</d>".repeat(500));
        assert!(!depth_ok(&deep, Dialect::Xml, 499));
        assert!(depth_ok(&deep, Dialect::Xml, 500));
        assert!(depth_ok(&"<d>x</d>".repeat(1000), Dialect::Xml, 1), "siblings do not nest");
    }

    #[test]
    fn unclosed_paragraphs_and_void_elements_do_not_add_up_in_html() {
        let paragraphs = "<p>one<p>two<br><img src=a.jpg alt=\"a > b\">".repeat(500);
        assert!(depth_ok(&paragraphs, Dialect::Html, 1));
        let nested = "<div><blockquote>".repeat(60);
        assert!(!depth_ok(&nested, Dialect::Html, 100));
        assert!(depth_ok("a < b and c > d", Dialect::Html, 0), "a bare bracket in text is text");
    }

    #[test]
    fn attributes_are_counted_quoted_unquoted_and_bare() {
        let attributes = |n: usize| {
            format!("<p {}>x</p>", (0..n).map(|i| format!("a{i}=\"v w\" b{i}=x c{i}")).collect::<Vec<_>>().join(" "))
        };
        assert!(depth_ok(&attributes(MAX_ATTRIBUTES / 3), Dialect::Html, 5));
        let error = check(&attributes(MAX_ATTRIBUTES), Dialect::Xml, 5, "the body").expect_err("too many");
        assert!(error.reason.contains(&format!("{} attributes", 3 * MAX_ATTRIBUTES)), "{error}");
    }

    #[test]
    fn stray_end_tags_cannot_hide_nesting() {
        let hidden = "<span></i>".repeat(400);
        let error = check(&hidden, Dialect::Html, 100, "the body").expect_err("400 spans deep");
        assert!(error.reason.contains("levels deep"), "{error}");
        assert!(depth_ok(&"<div></div>".repeat(400), Dialect::Html, 1), "closed elements do not nest");
        assert!(depth_ok("<div><p>x</div></div></div>", Dialect::Html, 1), "end tags of nothing open close nothing");
    }
}
