//! DKIM signatures (RFC 6376) on what the paper sends, when the operator configures a key:
//! `rsa-sha256`, relaxed canonicalization of headers and body, over the headers inboxes
//! weigh (From, To, Subject, Date, Message-ID, the List headers of RFC 2369 and RFC 8058,
//! MIME-Version and Content-Type), so that a one-click unsubscribe is signed as RFC 8058
//! requires. The key is read once, from a PEM file (PKCS#8 `PRIVATE KEY` or PKCS#1
//! `RSA PRIVATE KEY`); the public half goes in DNS at `{selector}._domainkey.{domain}`.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The headers signed, in this order; each one present in the message is signed.
const SIGNED_HEADERS: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "list-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "mime-version",
    "content-type",
];

/// A domain's signing key and where its public half is published.
pub struct DkimKey {
    pub domain: String,
    pub selector: String,
    key: ring::signature::RsaKeyPair,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DkimError {
    #[error("the DKIM key cannot be used: {0}")]
    Key(String),
    #[error("the DKIM {0} cannot go in a signature: it must be a plain domain name or selector")]
    Name(&'static str),
    #[error("the message cannot be signed: {0}")]
    Message(&'static str),
}

fn plain_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

impl DkimKey {
    /// The key in `pem` for `domain`, published under `selector`.
    pub fn from_pem(domain: &str, selector: &str, pem: &str) -> Result<DkimKey, DkimError> {
        if !plain_name(domain) {
            return Err(DkimError::Name("domain"));
        }
        if !plain_name(selector) {
            return Err(DkimError::Name("selector"));
        }
        let (kind, der) = pem_block(pem).ok_or_else(|| DkimError::Key("no PEM private key in the file".into()))?;
        let key = match kind.as_str() {
            "PRIVATE KEY" => ring::signature::RsaKeyPair::from_pkcs8(&der),
            "RSA PRIVATE KEY" => ring::signature::RsaKeyPair::from_der(&der),
            other => return Err(DkimError::Key(format!("a {other} is not an RSA private key"))),
        }
        .map_err(|e| DkimError::Key(format!("not an RSA key ring accepts ({e})")))?;
        Ok(DkimKey { domain: domain.to_owned(), selector: selector.to_owned(), key })
    }

    /// `message` (CRLF line endings, as `Newsletter::to_bytes` writes it) with a
    /// `DKIM-Signature` header added on top, signed at `unix_time`.
    pub fn sign(&self, message: &[u8], unix_time: i64) -> Result<Vec<u8>, DkimError> {
        let text = std::str::from_utf8(message).map_err(|_| DkimError::Message("it is not UTF-8"))?;
        let (head, body) = text.split_once("\r\n\r\n").ok_or(DkimError::Message("it has no body"))?;
        let headers = unfolded_headers(head);
        let body_hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(relaxed_body(body)));
        let mut signed_names = Vec::new();
        let mut hashed = String::new();
        for name in SIGNED_HEADERS {
            if let Some((_, value)) = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                signed_names.push(*name);
                hashed.push_str(&relaxed_header(name, value));
                hashed.push_str("\r\n");
            }
        }
        let unsigned = format!(
            "v=1; a=rsa-sha256; c=relaxed/relaxed; d={}; s={}; t={unix_time}; h={}; bh={body_hash}; b=",
            self.domain,
            self.selector,
            signed_names.join(":")
        );
        hashed.push_str(&relaxed_header("dkim-signature", &unsigned));
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                hashed.as_bytes(),
                &mut signature,
            )
            .map_err(|_| DkimError::Key("signing failed".into()))?;
        let b = base64::engine::general_purpose::STANDARD.encode(signature);
        let mut out = format!("DKIM-Signature: {unsigned}{b}\r\n").into_bytes();
        out.extend_from_slice(message);
        Ok(out)
    }
}

/// The first PEM block's label and its decoded bytes.
fn pem_block(pem: &str) -> Option<(String, Vec<u8>)> {
    let start = pem.find("-----BEGIN ")?;
    let rest = &pem[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = rest[..label_end].to_owned();
    let body_start = label_end + 5;
    let end = rest.find(&format!("-----END {label}-----"))?;
    let encoded: String = rest[body_start..end].chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    Some((label, der))
}

/// Each header as (name, value), continuation lines joined.
fn unfolded_headers(head: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    headers
}

/// RFC 6376 3.4.2: the name lower-cased, the value's runs of white space made one space and
/// trimmed.
fn relaxed_header(name: &str, value: &str) -> String {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}:{value}", name.trim().to_ascii_lowercase())
}

/// RFC 6376 3.4.4: each line's runs of white space made one space and trailing white space
/// removed, empty lines at the end removed, and a final CRLF when anything is left.
fn relaxed_body(body: &str) -> Vec<u8> {
    let mut lines: Vec<String> = body
        .split("\r\n")
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let mut in_space = false;
            for c in line.chars() {
                if c == ' ' || c == '\t' {
                    in_space = true;
                } else {
                    if in_space {
                        out.push(' ');
                    }
                    in_space = false;
                    out.push(c);
                }
            }
            out
        })
        .collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    if lines.is_empty() {
        return Vec::new();
    }
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relaxed_forms_match_the_examples_of_rfc_6376() {
        // RFC 6376 3.4.5, example 1.
        assert_eq!(relaxed_header("A", " X"), "a:X");
        assert_eq!(relaxed_header("B ", " Y\t\r\n\tZ  "), "b:Y Z");
        assert_eq!(relaxed_body(" C \r\nD \t E\r\n\r\n\r\n"), b" C\r\nD E\r\n");
        assert_eq!(relaxed_body("\r\n\r\n"), b"");
    }

    #[test]
    fn a_domain_or_selector_that_could_break_the_header_is_refused() {
        for (domain, selector) in [("dateline.test; x=1", "mail"), ("dateline.test", "mail\r\nBcc: x")] {
            assert!(matches!(DkimKey::from_pem(domain, selector, ""), Err(DkimError::Name(_))));
        }
        assert!(matches!(DkimKey::from_pem("dateline.test", "mail", "no key here"), Err(DkimError::Key(_))));
    }
}
