//! The mail transport port: hands one rendered message to the outside world (SMTP in
//! production, `bursar-jobs`' `SmtpMailer`). Called only by the job worker, never inside a
//! transaction.

use async_trait::async_trait;

/// One message ready to go.
#[derive(Clone, Debug)]
pub struct MailMessage {
    /// The outbox id; the transport derives the `Message-ID` header from it, so every retry of
    /// the same mail carries the same id and a receiver can drop a duplicate delivery.
    pub id: super::MailId,
    pub to_address: String,
    pub to_name: Option<String>,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// Files sent with it (an invoice's PDF).
    pub attachments: Vec<Attachment>,
}

/// A file sent with a mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Why a message did not go out.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct MailError {
    /// The server refused the message for good (an SMTP 5xx such as an unknown mailbox, or an
    /// address the transport cannot use): retrying cannot help.
    pub permanent: bool,
    pub message: String,
}

impl MailError {
    pub fn transient(message: impl Into<String>) -> Self {
        Self {
            permanent: false,
            message: message.into(),
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            permanent: true,
            message: message.into(),
        }
    }
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, message: &MailMessage) -> Result<(), MailError>;
}
