//! What a story's Markdown body may hold beyond its length (how deeply quotations and lists
//! nest), and how long it is to read.
//!
//! Markdown parsers spend time that grows with the square of container nesting: one line of
//! thirty thousand `>` takes seconds of CPU to render. No story quotes a quotation more than
//! a few levels deep, so a save past [`MAX_BODY_NESTING`] is refused with a message, and the
//! renderer flattens anything deeper that reached the store another way (an old archive, a
//! wire item), so a reader's page never pays for it.

/// Words a reader gets through in a minute, for "about N min to read".
pub const WORDS_PER_MINUTE: usize = 230;

/// The words of a body: what whitespace separates and holds a letter or a digit (Markdown's
/// marks alone, `**` or `>`, are not words). The desk's script counts the same way as the
/// writer types.
/// How a body places a library photo: `![what it shows](photo:123)`, a paragraph of its own.
pub const PHOTO_SCHEME: &str = "photo:";

/// The library photos a body places, in order, each once: what a page loads to draw them.
pub fn photo_references(markdown: &str) -> Vec<crate::ids::MediaId> {
    let mut found = Vec::new();
    let marker = format!("]({PHOTO_SCHEME}");
    let mut rest = markdown;
    while let Some(at) = rest.find(&marker) {
        rest = &rest[at + marker.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(id) = digits.parse::<i64>() {
            let id = crate::ids::MediaId(id);
            if !found.contains(&id) {
                found.push(id);
            }
        }
    }
    found
}

pub fn word_count(markdown: &str) -> usize {
    markdown.split_whitespace().filter(|token| token.chars().any(char::is_alphanumeric)).count()
}

/// Minutes to read `words`, rounded up; at least one for any text.
pub fn reading_minutes(words: usize) -> usize {
    if words == 0 {
        0
    } else {
        words.div_ceil(WORDS_PER_MINUTE)
    }
}

/// The deepest nesting of quotations and lists a body may have.
pub const MAX_BODY_NESTING: usize = 16;

/// Where each container (a `>` quotation or a list item marker) that opens the line ends.
fn container_ends(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    let mut ends = Vec::new();
    let mut at = 0;
    loop {
        while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
            at += 1;
        }
        let followed_by_space = |i: usize| matches!(bytes.get(i), Some(b' ' | b'\t'));
        let end = match bytes.get(at) {
            Some(b'>') => at + 1,
            Some(b'-' | b'*' | b'+') if followed_by_space(at + 1) => at + 1,
            Some(b'0'..=b'9') => {
                let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
                let after = at + digits;
                if digits > 9 || !matches!(bytes.get(after), Some(b'.' | b')')) || !followed_by_space(after + 1) {
                    return ends;
                }
                after + 1
            }
            _ => return ends,
        };
        ends.push(end);
        at = end;
    }
}

/// The deepest container nesting on any line of `markdown`.
pub fn nesting_depth(markdown: &str) -> usize {
    markdown.lines().map(|line| container_ends(line).len()).max().unwrap_or(0)
}

/// `markdown` with every line's containers past `max` dropped (their text kept), so that
/// rendering costs what the text is worth. Lines within the limit are left exactly as they are.
pub fn flatten_nesting(markdown: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if nesting_depth(markdown) <= max {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        let ends = container_ends(line);
        match (ends.len() > max, ends.last()) {
            (true, Some(&last)) => {
                let kept = if max == 0 { 0 } else { ends[max - 1] };
                out.push_str(&line[..kept]);
                out.push(' ');
                out.push_str(line[last..].trim_start());
            }
            _ => out.push_str(line),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_what_holds_a_letter_or_a_digit() {
        assert_eq!(word_count("## The **budget** passes\n\n> 180 to 95 -- a record"), 8);
        assert_eq!(word_count("서울 시장 선거"), 3);
        assert_eq!(word_count("  ** > -  "), 0);
        assert_eq!(reading_minutes(0), 0);
        assert_eq!(reading_minutes(1), 1);
        assert_eq!(reading_minutes(231), 2);
    }

    #[test]
    fn quotations_and_lists_are_counted_on_each_line() {
        assert_eq!(nesting_depth("Plain text.\n\nMore."), 0);
        assert_eq!(nesting_depth("> A quote\n> > quoted inside"), 2);
        assert_eq!(nesting_depth("- one\n  - > 1. deep"), 3);
        assert_eq!(nesting_depth("2026. A year starts a list in Markdown"), 1);
        assert_eq!(nesting_depth("In 2026. the year"), 0);
        assert_eq!(nesting_depth("-not a list item\n*emphasis*"), 0);
        assert_eq!(nesting_depth(&format!("{} x", ">".repeat(30_000))), 30_000);
    }

    #[test]
    fn flattening_keeps_the_text_and_leaves_shallow_bodies_alone() {
        let shallow = "> one\n> > two\n\nplain";
        assert_eq!(flatten_nesting(shallow, 4), shallow);
        let deep = format!("First.\n\n{}deep words\n", "> ".repeat(100));
        let flat = flatten_nesting(&deep, 4);
        assert_eq!(nesting_depth(&flat), 4, "{flat}");
        assert!(flat.starts_with("First.\n\n"));
        assert!(flat.trim_end().ends_with("deep words"), "{flat}");
    }
}
