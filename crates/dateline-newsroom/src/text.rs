//! What any text from outside (a desk form, an address's parameters, the API, an agency, an
//! archive) must be before the newsroom keeps it: free of NUL and the other control
//! characters, which no field means to hold. PostgreSQL refuses NUL in text outright, so a
//! stray byte would fail on one database and not the other; stripping it on the way in, the
//! same everywhere, never costs a writer their text behind an error page.

/// True for the characters no stored text keeps: the control characters but line breaks and
/// tabs.
pub fn is_unwanted_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// `text` without NUL and the other control characters (line breaks and tabs stay).
pub fn without_control_characters(text: &str) -> String {
    text.chars().filter(|c| !is_unwanted_control(*c)).collect()
}

/// Drops the control characters from `text` in place, without copying clean text.
pub fn strip_control_characters(text: &mut String) {
    if text.chars().any(is_unwanted_control) {
        text.retain(|c| !is_unwanted_control(c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_escapes_go_and_line_breaks_and_tabs_stay() {
        assert_eq!(without_control_characters("a\u{0}b\u{1b}[31mc\u{7f}\u{85}"), "ab[31mc");
        assert_eq!(without_control_characters("one\r\ntwo\tthree"), "one\r\ntwo\tthree");
        let mut text = String::from("서울\u{0}");
        strip_control_characters(&mut text);
        assert_eq!(text, "서울");
    }
}
