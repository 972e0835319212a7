//! SMTP through lettre's async transport.
//!
//! `secure` follows nodemailer, which the seed's field names mirror: `true` is implicit TLS
//! from the first byte (usually port 465); `false` connects in plain text and upgrades with
//! STARTTLS whenever the server offers it (ports 587/2525), staying plain otherwise (a local MTA
//! on 25, Mailpit/MailHog on 1025). Certificates are verified against the webpki roots.
//! Credentials are sent only when `username` is non-empty. Connect and commands time out at 10 s.

use async_trait::async_trait;
use brokercrm_core::validate::Email;
use brokercrm_core::{Error, Result};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::parse_mailbox;
use super::http::TIMEOUT;
use super::{EmailMessage, EmailSender};

/// Sends through an SMTP server.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    /// Builds the transport (no connection is made until the first send).
    pub fn new(
        host: &str,
        port: u16,
        username: &str,
        password: &str,
        secure: bool,
        sender: &str,
    ) -> Result<Self> {
        let host = host.trim();
        let builder = if secure {
            AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .map_err(|e| Error::field("host", format!("cannot use TLS with this host: {e}")))?
        } else {
            let tls = TlsParameters::new(host.to_owned())
                .map_err(|e| Error::field("host", format!("cannot use TLS with this host: {e}")))?;
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                .tls(Tls::Opportunistic(tls))
        };
        let mut builder = builder.port(port).timeout(Some(TIMEOUT));
        if !username.is_empty() {
            builder =
                builder.credentials(Credentials::new(username.to_owned(), password.to_owned()));
        }
        let (name, addr) = parse_mailbox("sender", sender)?;
        let addr: Address =
            addr.parse().map_err(|_| Error::field("sender", "must be a valid e-mail address"))?;
        Ok(Self { transport: builder.build(), from: Mailbox::new(name, addr) })
    }

    fn build_message(&self, msg: &EmailMessage) -> Result<Message> {
        let to = Email::parse("to", &msg.to)?;
        let to: Address = to
            .as_str()
            .parse()
            .map_err(|_| Error::field("to", "must be a valid e-mail address"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(&msg.subject);
        let built = match &msg.html {
            Some(html) => {
                builder.multipart(MultiPart::alternative_plain_html(msg.text.clone(), html.clone()))
            }
            None => builder.header(ContentType::TEXT_PLAIN).body(msg.text.clone()),
        };
        built.map_err(|e| Error::internal(format!("smtp: cannot build message: {e}")))
    }
}

#[async_trait]
impl EmailSender for SmtpSender {
    async fn send(&self, msg: &EmailMessage) -> Result<()> {
        let message = self.build_message(msg)?;
        self.transport.send(message).await.map(drop).map_err(|e| {
            tracing::warn!(error = %e, "smtp delivery failed");
            Error::Upstream(format!("smtp: {e}"))
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::email::{EmailProviderConfig, build_sender};
    use crate::outbound::open_client;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    /// Accepts one session, speaks just enough SMTP, and returns everything the client sent.
    async fn fake_smtp(listener: TcpListener) -> String {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut transcript = String::new();
        write.write_all(b"220 fake.test ESMTP\r\n").await.unwrap();
        let mut in_data = false;
        while let Some(line) = lines.next_line().await.unwrap() {
            transcript.push_str(&line);
            transcript.push('\n');
            let reply: &[u8] = if in_data {
                if line != "." {
                    continue;
                }
                in_data = false;
                b"250 2.0.0 queued\r\n"
            } else {
                match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                    "EHLO" => b"250-fake.test\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n",
                    "AUTH" => b"235 2.7.0 ok\r\n",
                    "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                    "DATA" => {
                        in_data = true;
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    }
                    _ => b"502 unknown\r\n",
                }
            };
            write.write_all(reply).await.unwrap();
        }
        transcript
    }

    #[tokio::test]
    async fn delivers_over_plain_smtp_with_auth() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(fake_smtp(listener));
        let cfg = EmailProviderConfig::Smtp {
            host: "127.0.0.1".into(),
            sender: "Broker <noreply@example.com>".into(),
            port,
            username: "user".into(),
            password: "pass".into(),
            secure: false,
            staff_email: "staff@example.com".into(),
        };
        let sender = build_sender(&cfg, open_client()).unwrap();
        let msg = EmailMessage {
            to: "client@example.com".into(),
            subject: "SMTP works".into(),
            text: "Hello over SMTP".into(),
            html: None,
        };
        sender.send(&msg).await.unwrap();
        drop(sender); // closes the connection so the fake server sees QUIT or EOF
        let transcript = server.await.unwrap();
        assert!(transcript.contains("AUTH PLAIN AHVzZXIAcGFzcw=="), "{transcript}");
        assert!(transcript.contains("MAIL FROM:<noreply@example.com>"), "{transcript}");
        assert!(transcript.contains("RCPT TO:<client@example.com>"), "{transcript}");
        assert!(transcript.contains("Subject: SMTP works"), "{transcript}");
        assert!(transcript.contains("Hello over SMTP"), "{transcript}");
    }

    #[tokio::test]
    async fn unreachable_server_is_upstream() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let sender = SmtpSender::new("127.0.0.1", port, "", "", false, "a@example.com").unwrap();
        let msg = EmailMessage {
            to: "b@example.com".into(),
            subject: "x".into(),
            text: "y".into(),
            html: None,
        };
        assert!(matches!(sender.send(&msg).await, Err(Error::Upstream(_))));
    }
}
