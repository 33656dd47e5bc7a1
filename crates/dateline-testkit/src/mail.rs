//! A real SMTP server for tests: aiosmtpd (from the checkers' Python) on 127.0.0.1, writing
//! every message it receives to a Maildir, and Python's own e-mail parser to read them back.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An aiosmtpd server writing to a Maildir; stopped when dropped.
pub struct SmtpServer {
    child: Child,
    /// `127.0.0.1:port`.
    pub address: String,
    pub maildir: PathBuf,
    /// The certificate of the CA that signed the relay's, for a relay started with TLS (the
    /// root a client must trust); empty otherwise.
    pub certificate_pem: String,
    _folder: tempfile::TempDir,
}

/// aiosmtpd with TLS and a sign-in required, writing to a Maildir.
const SECURE_RELAY: &str = r#"
import sys, ssl, time
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword
host, port, maildir, cert, key, user, password, mode = sys.argv[1:]
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
    return AuthResult(success=ok)
if mode == "implicit":
    controller = Controller(Mailbox(maildir), hostname=host, port=int(port), ssl_context=context,
                            authenticator=authenticate, auth_required=True, auth_require_tls=False)
else:
    controller = Controller(Mailbox(maildir), hostname=host, port=int(port), tls_context=context,
                            require_starttls=True, authenticator=authenticate, auth_required=True)
controller.start()
while True:
    time.sleep(3600)
"#;

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Held while a port is chosen and taken, so that tests running at once never pick the same.
static CHOOSING_PORTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl SmtpServer {
    /// Starts one, or `None` when the checkers are not installed (and not required).
    pub fn start() -> Option<SmtpServer> {
        let python = crate::checkers::checker_python()?;
        let _choosing = CHOOSING_PORTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let folder = tempfile::tempdir().expect("folder");
        let maildir = folder.path().join("Maildir");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("address").port();
        let address = format!("127.0.0.1:{port}");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &address, "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        wait_until_listening(&address);
        Some(SmtpServer { child, address, maildir, certificate_pem: String::new(), _folder: folder })
    }

    /// A relay that wants TLS (upgraded by STARTTLS, or from the first byte when `implicit`)
    /// and a sign-in as `username` with `password`, with a certificate for 127.0.0.1 from a CA
    /// made for the test by openssl (the CA's PEM in [`SmtpServer::certificate_pem`]).
    pub fn start_secure(implicit: bool, username: &str, password: &str) -> Option<SmtpServer> {
        let python = crate::checkers::checker_python()?;
        let _choosing = CHOOSING_PORTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let folder = tempfile::tempdir().expect("folder");
        let file = |name: &str| folder.path().join(name);
        let (cert, key) = (file("cert.pem"), file("key.pem"));
        std::fs::write(
            file("leaf.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .expect("extensions");
        // A test CA, and the relay's certificate for 127.0.0.1 signed by it.
        let steps: [&[&str]; 3] = [
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=Dateline Test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
            ],
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                "key.pem",
                "-out",
                "leaf.csr",
            ],
            &[
                "x509",
                "-req",
                "-days",
                "2",
                "-CAcreateserial",
                "-in",
                "leaf.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-extfile",
                "leaf.ext",
                "-out",
                "cert.pem",
            ],
        ];
        for step in steps {
            let made = Command::new("openssl").args(step).current_dir(folder.path()).output().expect("openssl");
            assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        }
        let maildir = folder.path().join("Maildir");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("address").port();
        let address = format!("127.0.0.1:{port}");
        let child = Command::new(python)
            .args(["-c", SECURE_RELAY, "127.0.0.1", &port.to_string()])
            .arg(&maildir)
            .arg(&cert)
            .arg(&key)
            .args([username, password, if implicit { "implicit" } else { "starttls" }])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        wait_until_listening(&address);
        let certificate_pem = std::fs::read_to_string(file("ca.pem")).expect("the CA's certificate");
        Some(SmtpServer { child, address, maildir, certificate_pem, _folder: folder })
    }

    /// Every message received so far, as it arrived.
    pub fn received(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        entries.map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("a message")).collect()
    }

    /// Waits up to `within` for at least `count` messages, and returns what arrived.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        loop {
            let received = self.received();
            if received.len() >= count || Instant::now() >= deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// What Python's own e-mail parser reads in a received message: the headers inboxes look
/// at, each part's type and decoded content, and any defects it found.
pub fn parsed(message: &str) -> serde_json::Value {
    let python = crate::checkers::checker_python().expect("python");
    let script = r#"
import email, json, sys
from email import policy
m = email.message_from_string(sys.stdin.read(), policy=policy.default)
parts = [p for p in m.walk() if not p.is_multipart()]
print(json.dumps({
    "from": str(m["From"]), "to": str(m["To"]), "subject": str(m["Subject"]),
    "list_id": str(m["List-Id"]), "list_unsubscribe": str(m["List-Unsubscribe"]),
    "list_unsubscribe_post": str(m["List-Unsubscribe-Post"]), "precedence": str(m["Precedence"]),
    "auto_submitted": str(m["Auto-Submitted"]), "message_id": str(m["Message-ID"]), "date": str(m["Date"]),
    "rcpt_to": str(m["X-RcptTo"]), "dkim_signature": str(m["DKIM-Signature"]),
    "content_type": m.get_content_type(),
    "parts": [[p.get_content_type(), p.get_content()] for p in parts],
    "defects": [str(d) for d in m.defects] + [str(d) for p in parts for d in p.defects],
}))
"#;
    let mut child =
        Command::new(python).args(["-c", script]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("python");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), message.as_bytes()).expect("write");
    let output = child.wait_with_output().expect("parsed");
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// A DKIM key made for a test by openssl: the private key in PEM, and the public key as the
/// `p=` value of its DNS record.
pub struct DkimTestKey {
    pub private_pem: String,
    pub public_base64: String,
}

impl DkimTestKey {
    pub fn make() -> DkimTestKey {
        let folder = tempfile::tempdir().expect("folder");
        let key_file = folder.path().join("dkim.pem");
        let made = Command::new("openssl")
            .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out"])
            .arg(&key_file)
            .output()
            .expect("openssl");
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        let public =
            Command::new("openssl").args(["pkey", "-pubout", "-outform", "DER", "-in"]).arg(&key_file).output();
        let public = public.expect("openssl");
        use base64::Engine as _;
        DkimTestKey {
            private_pem: std::fs::read_to_string(&key_file).expect("key"),
            public_base64: base64::engine::general_purpose::STANDARD.encode(&public.stdout),
        }
    }

    /// What dkimpy says of `message` (as it arrived) with this key published at
    /// `selector._domainkey.domain`: `pass`, or `fail` and why.
    pub fn verdict(&self, message: &str, selector: &str, domain: &str) -> String {
        let python = crate::checkers::checker_python().expect("python");
        let script = r#"
import dkim, sys
message = sys.stdin.buffer.read()
record = ("v=DKIM1; k=rsa; p=" + sys.argv[1]).encode()
expected = ("%s._domainkey.%s." % (sys.argv[2], sys.argv[3])).encode()
def dns(name, timeout=5):
    assert name == expected, name
    return record
print("pass" if dkim.verify(message, dnsfunc=dns) else "fail")
"#;
        let mut child = Command::new(&python)
            .args(["-c", script, &self.public_base64, selector, domain])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python");
        let crlf = message.replace("\r\n", "\n").replace('\n', "\r\n");
        std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), crlf.as_bytes()).expect("write");
        let output = child.wait_with_output().expect("verified");
        format!("{}{}", String::from_utf8_lossy(&output.stdout).trim(), String::from_utf8_lossy(&output.stderr))
    }
}

/// Waits (up to 20 s) until a server started beside the test accepts connections on `address`.
fn wait_until_listening(address: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(address).is_err() {
        assert!(Instant::now() < deadline, "aiosmtpd did not start on {address}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
