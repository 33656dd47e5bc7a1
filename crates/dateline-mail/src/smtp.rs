//! A small SMTP client (RFC 5321) for a relay the operator runs or rents: EHLO, MAIL FROM,
//! RCPT TO, DATA with the message dot-stuffed, and before the final `.` a call back to the
//! caller ([`Relay::send`]'s `commit`), which may still abandon the message. One connection
//! per call; every step has a deadline.
//!
//! A [`Session`] keeps one connection for many messages, as a sending queue wants.
//!
//! A relay on another host (a provider's SMTP endpoint) is reached with TLS, either
//! upgraded by STARTTLS on port 587 or from the first byte on port 465 ([`Security`]), the
//! relay's certificate checked against the system's roots and any the operator adds, and
//! signed in to with AUTH PLAIN ([`Credentials`]), which is only ever sent inside TLS.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Where messages go.
#[derive(Debug, Clone)]
pub struct Relay {
    /// `host:port`, such as `127.0.0.1:25`.
    pub address: String,
    /// The name this client gives in EHLO.
    pub helo_name: String,
    /// The longest wait for any one answer of the relay.
    pub timeout: Duration,
    /// How the connection is protected.
    pub security: Security,
    /// The account to sign in with, if the relay asks for one.
    pub credentials: Option<Credentials>,
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Default)]
pub enum Security {
    /// Plain text: for a relay on the same host or a private network.
    #[default]
    None,
    /// Plain text until STARTTLS, then TLS (port 587); a relay that does not offer it is refused.
    StartTls(Tls),
    /// TLS from the first byte (port 465).
    Implicit(Tls),
}

/// What a TLS connection to the relay checks: the name its certificate must carry, and the
/// roots it must chain to.
#[derive(Clone)]
pub struct Tls {
    config: Arc<rustls::ClientConfig>,
    server_name: rustls::pki_types::ServerName<'static>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").field("server_name", &self.server_name).finish_non_exhaustive()
    }
}

impl Tls {
    /// TLS to a relay whose certificate names `server_name` (a host name or an IP address)
    /// and chains to the system's roots or to one of `extra_roots_pem` (a private CA's, in
    /// PEM).
    pub fn new(server_name: &str, extra_roots_pem: Option<&str>) -> Result<Tls, String> {
        use rustls::pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        for certificate in rustls_native_certs::load_native_certs().certs {
            let _ = roots.add(certificate);
        }
        if let Some(pem) = extra_roots_pem {
            let mut added = 0;
            for certificate in rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let certificate = certificate.map_err(|e| format!("a certificate cannot be read: {e}"))?;
                roots.add(certificate).map_err(|e| format!("a certificate cannot be used: {e}"))?;
                added += 1;
            }
            if added == 0 {
                return Err("the file holds no PEM certificate".into());
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let server_name = rustls::pki_types::ServerName::try_from(server_name.to_owned())
            .map_err(|_| format!("{server_name:?} is not a host name or an address"))?;
        Ok(Tls { config: Arc::new(config), server_name })
    }

    async fn wrap(&self, stream: Box<dyn Link>, timeout: Duration) -> Result<Box<dyn Link>, SendError> {
        let connector = tokio_rustls::TlsConnector::from(self.config.clone());
        let secured = tokio::time::timeout(timeout, connector.connect(self.server_name.clone(), stream))
            .await
            .map_err(|_| SendError::Temporary("the relay did not finish the TLS handshake in time".into()))?
            .map_err(|e| SendError::Temporary(format!("TLS with the relay failed: {e}")))?;
        Ok(Box::new(secured))
    }
}

/// The account Dateline signs in to the relay with.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).field("password", &"(hidden)").finish()
    }
}

impl Relay {
    /// A relay reached in plain text with no sign-in: one on the same host or network.
    pub fn plain(address: &str, helo_name: &str, timeout: Duration) -> Relay {
        Relay {
            address: address.to_owned(),
            helo_name: helo_name.to_owned(),
            timeout,
            security: Security::None,
            credentials: None,
        }
    }
}

/// A connection to the relay, plain or inside TLS.
trait Link: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Link for T {}

/// Who a message is from and to, as the relay is told (not its headers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub from: String,
    pub to: String,
}

/// Why a message was not sent, in the words a sending queue acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again later: the relay answered 4xx, could not be reached, or went quiet.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Do not try again: the relay answered 5xx (an address it refuses, a message too big).
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// The envelope or the message cannot be sent as given (a line break in an address).
    #[error("refused before sending: {0}")]
    Invalid(String),
    /// The caller's commit said no: the relay was left with an unfinished message, which it
    /// discards.
    #[error("abandoned before the end: {0}")]
    Abandoned(String),
    /// The whole message and its final `.` were sent, but the relay's answer never came: it
    /// may hold the message. A queue that must not send twice counts it as sent.
    #[error("no answer after the end of the message: {0}")]
    Unconfirmed(String),
}

/// An address fit for MAIL FROM and RCPT TO: no line breaks, spaces or angle brackets, one
/// `@`, at most 254 characters.
fn envelope_address(address: &str) -> Result<&str, SendError> {
    let bad = address.is_empty()
        || address.len() > 254
        || address.chars().any(|c| c.is_control() || c.is_whitespace() || c == '<' || c == '>')
        || address.matches('@').count() != 1;
    if bad {
        return Err(SendError::Invalid(format!("{address:?} is not an address a relay takes")));
    }
    Ok(address)
}

/// The message as DATA carries it: every line ending CRLF, a line starting with `.` given a
/// second one (RFC 5321 4.5.2), and a final line ending.
pub fn dot_stuffed(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 64);
    let mut at_line_start = true;
    let mut previous = 0u8;
    for &byte in message {
        if byte == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        if at_line_start && byte == b'.' {
            out.push(b'.');
        }
        out.push(byte);
        at_line_start = byte == b'\n';
        previous = byte;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

struct Conversation {
    /// Reads go through the buffer; writes pass straight to the link.
    link: BufReader<Box<dyn Link>>,
    timeout: Duration,
    /// Whether the last reply was read whole (a code and its text), rather than lost.
    answered_last: bool,
}

impl Conversation {
    /// The relay's reply: its code, and its text (all lines of a multi-line reply).
    async fn reply(&mut self) -> Result<(u16, String), SendError> {
        self.answered_last = false;
        let mut text = String::new();
        loop {
            let mut line = String::new();
            let read = tokio::time::timeout(self.timeout, self.link.read_line(&mut line))
                .await
                .map_err(|_| SendError::Temporary("the relay did not answer in time".into()))?
                .map_err(|e| SendError::Temporary(format!("reading from the relay: {e}")))?;
            if read == 0 || line.len() < 4 {
                return Err(SendError::Temporary("the relay closed the connection".into()));
            }
            let code: u16 = line[..3].parse().map_err(|_| SendError::Temporary(format!("the relay said {line:?}")))?;
            text.push_str(line[4..].trim_end());
            if line.as_bytes()[3] != b'-' {
                self.answered_last = true;
                return Ok((code, text));
            }
            text.push(' ');
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), SendError> {
        tokio::time::timeout(self.timeout, self.link.write_all(bytes))
            .await
            .map_err(|_| SendError::Temporary("the relay did not take the data in time".into()))?
            .map_err(|e| SendError::Temporary(format!("writing to the relay: {e}")))
    }

    /// Sends a command and expects a reply of class `expected` (2 or 3).
    async fn command(&mut self, line: &str, expected: u16) -> Result<(u16, String), SendError> {
        self.write(format!("{line}\r\n").as_bytes()).await?;
        self.expect(expected).await
    }

    async fn expect(&mut self, expected: u16) -> Result<(u16, String), SendError> {
        let (code, text) = self.reply().await?;
        match code / 100 {
            class if class == expected => Ok((code, text)),
            5 => Err(SendError::Permanent(format!("{code} {text}"))),
            _ => Err(SendError::Temporary(format!("{code} {text}"))),
        }
    }
}

/// One connection to the relay, greeted and ready for messages one after another.
pub struct Session {
    talk: Conversation,
}

impl Relay {
    /// Connects and greets the relay.
    pub async fn connect(&self) -> Result<Session, SendError> {
        if self.helo_name.chars().any(|c| c.is_control() || c.is_whitespace()) || self.helo_name.is_empty() {
            return Err(SendError::Invalid(format!("{:?} is not a name for EHLO", self.helo_name)));
        }
        let stream = tokio::time::timeout(self.timeout, TcpStream::connect(&self.address))
            .await
            .map_err(|_| SendError::Temporary(format!("no answer from {} in time", self.address)))?
            .map_err(|e| SendError::Temporary(format!("cannot reach {}: {e}", self.address)))?;
        let _ = stream.set_nodelay(true);
        let mut link: Box<dyn Link> = Box::new(stream);
        if let Security::Implicit(tls) = &self.security {
            link = tls.wrap(link, self.timeout).await?;
        }
        let mut talk = Conversation { link: BufReader::new(link), timeout: self.timeout, answered_last: false };
        talk.expect(2).await?;
        let ehlo = format!("EHLO {}", self.helo_name);
        let (_, offered) = talk.command(&ehlo, 2).await?;
        let mut secured = matches!(self.security, Security::Implicit(_));
        if let Security::StartTls(tls) = &self.security {
            if !offers(&offered, "STARTTLS") {
                return Err(SendError::Temporary("the relay does not offer STARTTLS, and mail.tls asks for it".into()));
            }
            talk.command("STARTTLS", 2).await?;
            if !talk.link.buffer().is_empty() {
                return Err(SendError::Temporary("the relay spoke before TLS began".into()));
            }
            let plain = std::mem::replace(&mut talk.link, BufReader::new(Box::new(tokio::io::duplex(1).0)));
            talk.link = BufReader::new(tls.wrap(plain.into_inner(), self.timeout).await?);
            secured = true;
            // What the relay offers is asked again inside TLS (RFC 3207).
            talk.command(&ehlo, 2).await?;
        }
        if let Some(credentials) = &self.credentials {
            if !secured {
                return Err(SendError::Invalid("a password is only sent to the relay inside TLS".into()));
            }
            use base64::Engine as _;
            let plain = format!("\0{}\0{}", credentials.username, credentials.password);
            let line = format!("AUTH PLAIN {}", base64::engine::general_purpose::STANDARD.encode(plain));
            // A refused sign-in is the operator's to fix, never a reader's fault.
            talk.command(&line, 2)
                .await
                .map_err(|e| SendError::Temporary(format!("the relay refused the sign-in: {e}")))?;
        }
        Ok(Session { talk })
    }

    /// Sends one message on a connection of its own (see [`Session::send`]).
    pub async fn send<F, Fut>(&self, envelope: &Envelope, message: &[u8], commit: F) -> Result<(), SendError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), String>>,
    {
        envelope_address(&envelope.from)?;
        envelope_address(&envelope.to)?;
        let mut session = self.connect().await?;
        session.send(envelope, message, commit).await?;
        session.quit().await;
        Ok(())
    }
}

impl Session {
    /// Sends `message` (headers and body, as they are to arrive) to `envelope.to`. When the
    /// whole message has been written and only the final `.` is left, `commit` is awaited: an
    /// `Err` from it abandons the message (the connection is dropped, and the relay discards
    /// what it got); `Ok` sends the `.`, and the relay's answer decides. After any error the
    /// session is spent: connect again.
    pub async fn send<F, Fut>(&mut self, envelope: &Envelope, message: &[u8], commit: F) -> Result<(), SendError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), String>>,
    {
        let from = envelope_address(&envelope.from)?;
        let to = envelope_address(&envelope.to)?;
        let talk = &mut self.talk;
        talk.command(&format!("MAIL FROM:<{from}>"), 2).await.map_err(|e| match e {
            // The relay refusing the paper's own sender says nothing about the reader.
            SendError::Permanent(why) => SendError::Temporary(format!("the relay refused the sender: {why}")),
            other => other,
        })?;
        talk.command(&format!("RCPT TO:<{to}>"), 2).await?;
        talk.command("DATA", 3).await?;
        talk.write(&dot_stuffed(message)).await?;
        tokio::time::timeout(talk.timeout, talk.link.flush())
            .await
            .map_err(|_| SendError::Temporary("the relay did not take the data in time".into()))?
            .map_err(|e| SendError::Temporary(format!("writing to the relay: {e}")))?;
        if let Err(why) = commit().await {
            // Dropping the connection before the final dot: the relay keeps nothing.
            let _ = talk.link.shutdown().await;
            return Err(SendError::Abandoned(why));
        }
        talk.write(b".\r\n").await.map_err(|e| SendError::Unconfirmed(e.to_string()))?;
        match talk.expect(2).await {
            Ok(_) => Ok(()),
            // An answer that says no: the relay did not take it.
            Err(refused @ (SendError::Permanent(_) | SendError::Temporary(_))) if talk.answered_last => Err(refused),
            Err(other) => Err(SendError::Unconfirmed(other.to_string())),
        }
    }

    /// Says goodbye; a relay that does not answer has what it was sent already.
    pub async fn quit(mut self) {
        let _ = self.talk.command("QUIT", 2).await;
    }
}

/// Whether an EHLO reply offers `extension` (one of its lines, in any case).
fn offers(ehlo_reply: &str, extension: &str) -> bool {
    ehlo_reply.split_whitespace().any(|word| word.eq_ignore_ascii_case(extension))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_starting_with_a_dot_gets_a_second_one_and_every_line_ends_crlf() {
        assert_eq!(
            dot_stuffed(b"Subject: x\n\n.hidden\nplain\r\n..two"),
            b"Subject: x\r\n\r\n..hidden\r\nplain\r\n...two\r\n"
        );
        assert_eq!(dot_stuffed(b"."), b"..\r\n");
    }

    #[test]
    fn an_address_that_could_inject_a_command_is_refused() {
        for bad in ["a@b\r\nRCPT TO:<x@y>", "a b@c", "<a@b>", "ab", "a@b@c", ""] {
            assert!(matches!(envelope_address(bad), Err(SendError::Invalid(_))), "{bad:?}");
        }
        assert_eq!(envelope_address("reader@example.com"), Ok("reader@example.com"));
    }
}
