//! A small SMTP client (RFC 5321) for a relay the operator runs or rents: EHLO, MAIL FROM,
//! RCPT TO, DATA with the message dot-stuffed, and before the final `.` a call back to the
//! caller ([`Relay::send`]'s `commit`), which may still abandon the message. One connection
//! per call; every step has a deadline.
//!
//! A [`Session`] keeps one connection for many messages, as a sending queue wants.
//!
//! Not yet here: STARTTLS and AUTH, which a relay on another host needs; until then the
//! operator points Dateline at a relay on the same host or network (docs/NEWSLETTERS.md).

use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
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
}

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
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
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
            let read = tokio::time::timeout(self.timeout, self.reader.read_line(&mut line))
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
        tokio::time::timeout(self.timeout, self.writer.write_all(bytes))
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
        let (read, write) = stream.into_split();
        let mut talk =
            Conversation { reader: BufReader::new(read), writer: write, timeout: self.timeout, answered_last: false };
        talk.expect(2).await?;
        talk.command(&format!("EHLO {}", self.helo_name), 2).await?;
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
        tokio::time::timeout(talk.timeout, talk.writer.flush())
            .await
            .map_err(|_| SendError::Temporary("the relay did not take the data in time".into()))?
            .map_err(|e| SendError::Temporary(format!("writing to the relay: {e}")))?;
        if let Err(why) = commit().await {
            // Dropping the connection before the final dot: the relay keeps nothing.
            let _ = talk.writer.shutdown().await;
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
