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
}
