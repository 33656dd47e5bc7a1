//! Escaping text for XML, and the two date formats feeds use.

use jiff::Timestamp;

/// Whether XML 1.0 allows the character at all (section 2.2 of the specification).
fn allowed(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escapes markup characters and removes characters XML forbids (control characters that
/// would otherwise make the whole document unreadable).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars().filter(|c| allowed(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// Text for a field many feed readers render as HTML (RSS titles and descriptions, Atom
/// titles, names, captions, the News sitemap's title): anything shaped like a tag (`<` then a
/// letter, `/`, `!` or `?`, up to the next `>`) is dropped before escaping, so that a headline
/// holding `<script>` or `<form action=…>` is harmless text in every reader, while
/// "Inflation < 2%" keeps its `<`. Only the markup is lost, never the words around it.
pub fn text(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let tag_like = after.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        kept.push_str(&rest[..at]);
        if tag_like {
            match after.find('>') {
                Some(end) => rest = &after[end + 1..],
                None => rest = "",
            }
        } else {
            kept.push('<');
            rest = after;
        }
    }
    kept.push_str(rest);
    escape(&kept)
}

/// RFC 822 / 2822 dates, as RSS 2.0 requires (`Sun, 24 Jan 2021 02:27:00 +0000`).
pub fn rfc2822(t: Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// RFC 3339 in UTC (`2021-01-24T02:27:00Z`), as Atom and sitemaps use.
pub fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(escape("Q&A <b> \"x\" 's \u{1}\u{8}서울 🎉"), "Q&amp;A &lt;b&gt; &quot;x&quot; &apos;s 서울 🎉");
    }

    #[test]
    fn dates_take_the_forms_feeds_need() {
        let t: Timestamp = "2021-01-24T02:27:00Z".parse().expect("instant");
        assert_eq!(rfc2822(t), "Sun, 24 Jan 2021 02:27:00 +0000");
        assert_eq!(rfc3339(t), "2021-01-24T02:27:00Z");
    }

    #[test]
    fn markup_in_a_text_field_is_dropped_and_the_words_stay() {
        assert_eq!(text("Inflation < 2% & falling"), "Inflation &lt; 2% &amp; falling");
        assert_eq!(text("Vote <script>alert(1)</script>today"), "Vote alert(1)today");
        assert_eq!(text("<form action='javascript:x()'><input onfocus=x autofocus>Sign"), "Sign");
        assert_eq!(text("<b"), "");
        assert_eq!(text("a <!-- c --> b"), "a  b");
    }
}
