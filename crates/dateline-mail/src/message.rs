//! A newsletter message as inboxes require it (RFC 5322, MIME, RFC 2047 for non-ASCII
//! headers, RFC 2369 and RFC 8058 for unsubscribing): `From` with the sender's name, `To`,
//! `Subject`, `Date`, `Message-ID`, `List-Id`, `List-Unsubscribe` (mailto and https) with
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, `Precedence: bulk` and
//! `Auto-Submitted: auto-generated`, then a `multipart/alternative` body: the plain text
//! first, the HTML second, each in base64 (so no line is too long and any script survives).
//!
//! A message that belongs to no list (a subscription's confirmation, which the reader asked
//! for) has an empty `list_id`: it then carries no List headers and no `Precedence: bulk`.
//!
//! A header value that holds a line break (an attempt to add headers of one's own) or is far
//! too long is refused, never cleaned into something else.

/// What one message says, before it is written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newsletter {
    pub from_name: String,
    pub from_address: String,
    pub to: String,
    pub subject: String,
    /// `<list-name.paper.example>`'s inner part: `morning-briefing.dateline.example`.
    pub list_id: String,
    /// RFC 5322 date, such as `Sun, 29 Nov 2026 07:00:00 +0900`.
    pub date: String,
    /// The inner part of `Message-ID`: unique, stable for one (edition, subscriber).
    pub message_id: String,
    /// The one-click https address (RFC 8058) and the mailto address.
    pub unsubscribe_url: String,
    pub unsubscribe_mailto: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {field} cannot go in a message header: {why}")]
pub struct HeaderError {
    pub field: &'static str,
    pub why: &'static str,
}

const MOST_HEADER_CHARS: usize = 900;

fn header_value<'a>(field: &'static str, value: &'a str) -> Result<&'a str, HeaderError> {
    if value.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
        return Err(HeaderError { field, why: "it holds a line break" });
    }
    if value.chars().count() > MOST_HEADER_CHARS {
        return Err(HeaderError { field, why: "it is too long" });
    }
    Ok(value)
}

/// Standard base64 of `bytes`, in lines of 76 characters.
fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                encoded.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                encoded.push('=');
            }
        }
    }
    let mut lines = String::with_capacity(encoded.len() + encoded.len() / 76 * 2 + 2);
    for (i, c) in encoded.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            lines.push_str("\r\n");
        }
        lines.push(c);
    }
    lines
}

/// A header text as RFC 2047 needs it: as it is when printable ASCII, else UTF-8 base64
/// encoded words of at most 45 bytes each, split between characters.
fn encoded_words(text: &str) -> String {
    if text.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return text.to_owned();
    }
    let mut words = Vec::new();
    let mut piece = String::new();
    for c in text.chars() {
        if piece.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", base64_lines(piece.as_bytes())));
            piece.clear();
        }
        piece.push(c);
    }
    if !piece.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64_lines(piece.as_bytes())));
    }
    words.join("\r\n ")
}

/// A display name as a quoted string, or encoded words when it is not plain ASCII.
fn display_name(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        encoded_words(name)
    }
}

impl Newsletter {
    /// The message as it goes to the relay.
    pub fn to_bytes(&self) -> Result<Vec<u8>, HeaderError> {
        let from_name = header_value("sender's name", &self.from_name)?;
        let from_address = header_value("sender's address", &self.from_address)?;
        let to = header_value("recipient", &self.to)?;
        let subject = header_value("subject", &self.subject)?;
        let list_id = header_value("list id", &self.list_id)?;
        let date = header_value("date", &self.date)?;
        let message_id = header_value("message id", &self.message_id)?;
        let unsubscribe_url = header_value("unsubscribe address", &self.unsubscribe_url)?;
        let unsubscribe_mailto = header_value("unsubscribe address", &self.unsubscribe_mailto)?;
        for (field, address) in [("sender's address", from_address), ("recipient", to)] {
            if address.contains(['<', '>', ' ', ',']) || address.matches('@').count() != 1 {
                return Err(HeaderError { field, why: "it is not one plain address" });
            }
        }
        let boundary = format!("=_dateline_{}", message_id.bytes().fold(0u64, |h, b| h.rotate_left(5) ^ u64::from(b)));
        let mut out = String::new();
        let mut header = |name: &str, value: &str| {
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push_str("\r\n");
        };
        header("From", &format!("{} <{from_address}>", display_name(from_name)));
        header("To", &format!("<{to}>"));
        header("Subject", &encoded_words(subject));
        header("Date", date);
        header("Message-ID", &format!("<{message_id}>"));
        if !list_id.is_empty() {
            header("List-Id", &format!("{} <{list_id}>", display_name(from_name)));
            header("List-Unsubscribe", &format!("<{unsubscribe_url}>, <{unsubscribe_mailto}>"));
            header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            header("Precedence", "bulk");
        }
        header("Auto-Submitted", "auto-generated");
        header("MIME-Version", "1.0");
        header("Content-Type", &format!("multipart/alternative; boundary=\"{boundary}\""));
        out.push_str("\r\n");
        for (kind, body) in [("text/plain", &self.text), ("text/html", &self.html)] {
            out.push_str(&format!(
                "--{boundary}\r\nContent-Type: {kind}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            ));
            out.push_str(&base64_lines(body.as_bytes()));
            out.push_str("\r\n");
        }
        out.push_str(&format!("--{boundary}--\r\n"));
        Ok(out.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_examples() {
        assert_eq!(base64_lines(b""), "");
        assert_eq!(base64_lines(b"f"), "Zg==");
        assert_eq!(base64_lines(b"fo"), "Zm8=");
        assert_eq!(base64_lines(b"foobar"), "Zm9vYmFy");
        assert!(base64_lines(&[7u8; 200]).lines().all(|l| l.trim_end().len() <= 76));
    }

    #[test]
    fn a_line_break_in_a_name_or_subject_is_refused_not_cleaned() {
        let letter = Newsletter {
            from_name: "Briefing\r\nBcc: victim@example.com".into(),
            from_address: "briefing@dateline.test".into(),
            to: "reader@example.com".into(),
            subject: "Hello".into(),
            list_id: "briefing.dateline.test".into(),
            date: "Sun, 29 Nov 2026 07:00:00 +0900".into(),
            message_id: "1.2@dateline.test".into(),
            unsubscribe_url: "https://dateline.test/u/x".into(),
            unsubscribe_mailto: "mailto:unsubscribe@dateline.test?subject=x".into(),
            text: "Text".into(),
            html: "<p>Text</p>".into(),
        };
        assert_eq!(letter.to_bytes(), Err(HeaderError { field: "sender's name", why: "it holds a line break" }));
        let subject = Newsletter { from_name: "Briefing".into(), subject: "Hi\nthere".into(), ..letter.clone() };
        assert_eq!(subject.to_bytes().map(drop), Err(HeaderError { field: "subject", why: "it holds a line break" }));
        let two = Newsletter { from_name: "Briefing".into(), to: "a@b.test, c@d.test".into(), ..letter };
        assert!(two.to_bytes().is_err());
    }
}
