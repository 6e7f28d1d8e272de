//! The SMTP implementation of the [`Mailer`] port, over `lettre`.
//!
//! TLS is chosen by the operator: `none` (a local relay on port 25), `starttls` (the default:
//! upgrade on 587 and refuse to go on without TLS, so credentials never cross in clear) or
//! `tls` (implicit TLS on 465). Each mail opens its own connection: transactional volume is
//! small, and a fresh connection cannot be a stale one after the relay restarts.
//!
//! Failures are told apart so the worker does not retry hopeless mail: an SMTP 5xx answer, an
//! address the transport cannot use or a message that cannot be built is permanent; anything
//! else (no connection, a timeout, a 4xx) is worth another attempt.

use async_trait::async_trait;
use bursar_app::ports::{MailError, MailMessage, Mailer};
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, MultiPart, SinglePart};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How long one SMTP command may take before the attempt is abandoned.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text: only for a relay on the same machine or a trusted network.
    None,
    /// STARTTLS, required.
    #[default]
    StartTls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

impl TlsMode {
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        }
    }
}

impl FromStr for TlsMode {
    type Err = SmtpConfigError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(TlsMode::None),
            "starttls" => Ok(TlsMode::StartTls),
            "tls" => Ok(TlsMode::Tls),
            other => Err(SmtpConfigError(format!(
                "BURSAR_SMTP_TLS must be none, starttls or tls, got {other:?}"
            ))),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SmtpConfigError(String);

/// Where and how to send. Built by [`SmtpSettings::new`], which checks every part.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub credentials: Option<(String, String)>,
    pub tls: TlsMode,
    /// `From:` of every mail.
    pub from: Mailbox,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.credentials.as_ref().map(|(u, _)| u))
            .field("tls", &self.tls)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl SmtpSettings {
    /// Checks the operator's settings. `from` is `address` or `Name <address>` and is
    /// required: a relay rejects or spam-flags mail from an invented address.
    pub fn new(
        host: &str,
        port: Option<u16>,
        username: Option<String>,
        password: Option<String>,
        tls: Option<&str>,
        from: Option<&str>,
    ) -> Result<SmtpSettings, SmtpConfigError> {
        let host = host.trim();
        if host.is_empty() {
            return Err(SmtpConfigError("BURSAR_SMTP_HOST is empty".into()));
        }
        let tls = match tls.filter(|t| !t.trim().is_empty()) {
            Some(t) => t.parse()?,
            None => TlsMode::default(),
        };
        let from = from.map(str::trim).filter(|f| !f.is_empty()).ok_or_else(|| {
            SmtpConfigError(
                "BURSAR_MAIL_FROM (e.g. `Billing <billing@example.com>`) is required with BURSAR_SMTP_HOST"
                    .into(),
            )
        })?;
        let from: Mailbox = from.parse().map_err(|e| {
            SmtpConfigError(format!("BURSAR_MAIL_FROM {from:?} is not an address: {e}"))
        })?;
        let credentials = match (username.filter(|u| !u.is_empty()), password) {
            (Some(user), Some(pass)) => Some((user, pass)),
            (Some(_), None) => {
                return Err(SmtpConfigError(
                    "BURSAR_SMTP_USERNAME is set but BURSAR_SMTP_PASSWORD is not".into(),
                ));
            }
            (None, _) => None,
        };
        Ok(SmtpSettings {
            host: host.to_owned(),
            port: port.unwrap_or(tls.default_port()),
            credentials,
            tls,
            from,
        })
    }
}

/// Sends mail through one SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(settings: &SmtpSettings) -> Result<SmtpMailer, SmtpConfigError> {
        let builder = match settings.tls {
            TlsMode::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            }
            TlsMode::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(|e| SmtpConfigError(format!("SMTP TLS set-up: {e}")))?
            }
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)
                .map_err(|e| SmtpConfigError(format!("SMTP TLS set-up: {e}")))?,
        };
        let mut builder = builder.port(settings.port).timeout(Some(COMMAND_TIMEOUT));
        if let Some((user, pass)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
            from: settings.from.clone(),
        })
    }

    fn message(&self, m: &MailMessage) -> Result<Message, MailError> {
        let address: Address = m.to_address.parse().map_err(|e| {
            MailError::permanent(format!("recipient {:?} is not usable: {e}", m.to_address))
        })?;
        let to = Mailbox::new(m.to_name.clone(), address);
        // The same id on every attempt, so a receiver can drop a repeated delivery.
        let message_id = format!("<{}@{}>", m.id, self.from.email.domain());
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(message_id));
        let built = if m.attachments.is_empty() {
            builder.header(ContentType::TEXT_PLAIN).body(m.body.clone())
        } else {
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(m.body.clone()));
            for a in &m.attachments {
                let kind = ContentType::parse(&a.content_type).map_err(|e| {
                    MailError::permanent(format!("attachment type {:?}: {e}", a.content_type))
                })?;
                parts = parts.singlepart(
                    LettreAttachment::new(a.filename.clone()).body(a.bytes.clone(), kind),
                );
            }
            builder.multipart(parts)
        };
        built.map_err(|e| MailError::permanent(format!("the message cannot be built: {e}")))
    }
}

/// The error and its causes on one line (lettre's own text omits the underlying IO error).
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, m: &MailMessage) -> Result<(), MailError> {
        let message = self.message(m)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::permanent(chain(&e))),
            Err(e) => Err(MailError::transient(chain(&e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(tls: Option<&str>, from: Option<&str>) -> Result<SmtpSettings, SmtpConfigError> {
        SmtpSettings::new("smtp.example.com", None, None, None, tls, from)
    }

    #[test]
    fn the_port_follows_the_tls_mode() {
        let from = Some("Billing <billing@example.com>");
        let port = |tls| settings(tls, from).map(|s| (s.tls, s.port)).ok();
        assert_eq!(port(None), Some((TlsMode::StartTls, 587)));
        assert_eq!(port(Some("none")), Some((TlsMode::None, 25)));
        assert_eq!(port(Some("TLS")), Some((TlsMode::Tls, 465)));
        assert!(settings(Some("ssl"), from).is_err());
    }

    #[test]
    fn a_sender_address_is_required_and_checked() {
        assert!(settings(None, None).is_err());
        assert!(settings(None, Some("not an address")).is_err());
        let s = settings(None, Some("Billing <billing@example.com>")).ok();
        assert_eq!(
            s.map(|s| s.from.email.to_string()),
            Some("billing@example.com".to_owned())
        );
    }

    #[test]
    fn a_username_needs_a_password_and_debug_hides_it() {
        let from = Some("billing@example.com");
        let user = || Some("mailer".to_owned());
        assert!(SmtpSettings::new("h", None, user(), None, None, from).is_err());
        let s = SmtpSettings::new("h", Some(2525), user(), Some("s3cret".into()), None, from);
        let shown = format!("{s:?}");
        assert!(shown.contains("mailer") && shown.contains("2525"));
        assert!(!shown.contains("s3cret"));
    }
}
