//! Transactional e-mail: queueing a mail inside a use case's transaction, the templates (every
//! string in English and Russian), and the system use cases the job worker drives to deliver
//! what was queued.
//!
//! Why an outbox: a use case never talks to the network inside its transaction (a slow SMTP
//! server would hold locks, and a mail sent for a change that then rolls back cannot be
//! unsent). [`enqueue`] writes a row in the caller's transaction, so the mail exists exactly
//! when the change does; the worker (`bursar-jobs`) sends it after commit.
//!
//! Subject and body are rendered when the mail is queued, not when it is sent: the stored row
//! is then exactly what the recipient got (the client card can show it verbatim), a later
//! template edit or a changed public address never alters mail already promised, and a
//! rendering problem surfaces in the use case that caused it rather than in a background job.
//! `template` and `params` are stored next to the text for the record.
//!
//! The renderer is plain `format!` over a typed enum: the bodies are plain text (nothing to
//! escape), an exhaustive `match` on (template, language) makes a missing translation a
//! compile error, and values are only ever inserted as data. The one free-text header, a staff
//! member's subject, is validated to a single line with no control characters.
//!
//! Delivery is at least once: a worker that dies mid-send leaves the mail leased, and it is
//! sent again when the lease runs out. The `Message-ID` stays the same across attempts.

use crate::App;
use crate::error::AppError;
use crate::ports::{Attachment, MailError, MailId, MailMessage, MailRecord, NewMailRecord, Tx};
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;
use bursar_domain::identity::{DisplayName, Email, Login};
use bursar_domain::{ClientId, Invalid, Locale};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// How long to wait after the n-th failed attempt before the next one; after the last, the
/// mail is given up (`failed`). Six attempts spread over about fifteen hours ride out an SMTP
/// relay's maintenance window without flooding it.
pub const RETRY_DELAYS: [SignedDuration; 5] = [
    SignedDuration::from_mins(1),
    SignedDuration::from_mins(5),
    SignedDuration::from_mins(30),
    SignedDuration::from_hours(2),
    SignedDuration::from_hours(12),
];

/// Longest error text kept on a mail (SMTP servers can answer with pages).
const MAX_ERROR_CHARS: usize = 1000;

/// The wait before the next attempt once `attempts_made` attempts have failed, or `None`
/// when there is to be no other attempt.
pub fn retry_delay(attempts_made: i64) -> Option<SignedDuration> {
    let index = usize::try_from(attempts_made.checked_sub(1)?).ok()?;
    RETRY_DELAYS.get(index).copied()
}

/// What to send, to whom, in which language.
#[derive(Clone, Debug)]
pub struct OutgoingMail {
    pub to: Email,
    /// Used in the greeting and the `To:` header.
    pub to_name: Option<DisplayName>,
    pub locale: Locale,
    pub template: MailTemplate,
    /// The client the mail concerns, so it shows on the client's card.
    pub client_id: Option<ClientId>,
    /// A natural key (`registration:<user id>`, `client-message:<idempotency key>`): a second
    /// mail with the same key is not queued, so a retried use case never mails twice.
    pub dedupe_key: Option<String>,
    /// Files sent with it.
    pub attachments: Vec<Attachment>,
}

impl OutgoingMail {
    pub fn new(to: Email, locale: Locale, template: MailTemplate) -> Self {
        Self {
            to,
            to_name: None,
            locale,
            template,
            client_id: None,
            dedupe_key: None,
            attachments: Vec::new(),
        }
    }

    pub fn attach(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }

    pub fn to_name(mut self, name: DisplayName) -> Self {
        self.to_name = Some(name);
        self
    }

    pub fn for_client(mut self, client: ClientId) -> Self {
        self.client_id = Some(client);
        self
    }

    pub fn dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }
}

/// The mails Bursar sends. Serialised (untagged) as the stored `params`.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum MailTemplate {
    /// Welcome to a new account: its login and where to sign in. Never a password.
    Registration { login: Login, panel_url: String },
    /// A staff member's message to a client. Build with [`MailTemplate::client_message`].
    ClientMessage {
        from_name: DisplayName,
        subject: String,
        message: String,
        panel_url: String,
    },
    /// A link to choose a new password, valid for a while.
    PasswordReset {
        login: Login,
        reset_url: String,
        valid_minutes: i64,
    },
    /// An invoice, its PDF attached: number, total, and where to see and pay it.
    Invoice {
        number: String,
        total: String,
        status: String,
        invoice_url: String,
    },
}

impl MailTemplate {
    pub const SUBJECT_MAX: usize = 200;
    pub const MESSAGE_MAX: usize = 20_000;

    /// The stored template name.
    pub fn name(&self) -> &'static str {
        match self {
            MailTemplate::Registration { .. } => "registration",
            MailTemplate::ClientMessage { .. } => "client_message",
            MailTemplate::PasswordReset { .. } => "password_reset",
            MailTemplate::Invoice { .. } => "invoice",
        }
    }

    /// A staff member's message, validated: the subject is one line of 1 to 200 characters,
    /// the message 1 to 20 000 characters of text (line breaks and tabs allowed).
    pub fn client_message(
        from_name: DisplayName,
        subject: &str,
        message: &str,
        panel_url: String,
    ) -> Result<MailTemplate, Invalid> {
        let mut invalid = Invalid::default();
        let subject = subject.trim();
        if subject.is_empty() {
            invalid.push("subject", ErrorCode::Required, "is required");
        } else if subject.chars().count() > Self::SUBJECT_MAX {
            invalid.push(
                "subject",
                ErrorCode::TooLong,
                "must have at most 200 characters",
            );
        } else if subject.chars().any(char::is_control) {
            invalid.push(
                "subject",
                ErrorCode::InvalidCharacters,
                "must be one line without control characters",
            );
        }
        let message = message.replace("\r\n", "\n").replace('\r', "\n");
        let message = message.trim();
        if message.is_empty() {
            invalid.push("message", ErrorCode::Required, "is required");
        } else if message.chars().count() > Self::MESSAGE_MAX {
            invalid.push(
                "message",
                ErrorCode::TooLong,
                "must have at most 20000 characters",
            );
        } else if message
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            invalid.push(
                "message",
                ErrorCode::InvalidCharacters,
                "must not contain control characters",
            );
        }
        invalid.into_result()?;
        Ok(MailTemplate::ClientMessage {
            from_name,
            subject: subject.to_owned(),
            message: message.to_owned(),
            panel_url,
        })
    }
}

/// A rendered mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// Renders a template in a language. Pure: the same input always gives the same text.
pub fn render(template: &MailTemplate, locale: Locale, to_name: Option<&DisplayName>) -> Rendered {
    let greeting = match (locale, to_name) {
        (Locale::En, Some(name)) => format!("Hello, {name}!"),
        (Locale::En, None) => "Hello!".to_owned(),
        (Locale::Ru, Some(name)) => format!("Здравствуйте, {name}!"),
        (Locale::Ru, None) => "Здравствуйте!".to_owned(),
    };
    let (subject, text) = match (template, locale) {
        (MailTemplate::Registration { login, panel_url }, Locale::En) => (
            "Your account is ready".to_owned(),
            format!(
                "An account has been created for you.\n\n\
                 Sign in at: {panel_url}\n\
                 Login: {login}\n\n\
                 If you did not expect this message, you can ignore it."
            ),
        ),
        (MailTemplate::Registration { login, panel_url }, Locale::Ru) => (
            "Ваша учётная запись создана".to_owned(),
            format!(
                "Для вас создана учётная запись.\n\n\
                 Вход: {panel_url}\n\
                 Логин: {login}\n\n\
                 Если вы не ждали этого письма, просто проигнорируйте его."
            ),
        ),
        (
            MailTemplate::ClientMessage {
                from_name,
                subject,
                message,
                panel_url,
            },
            locale,
        ) => {
            let account = match locale {
                Locale::En => "Your account",
                Locale::Ru => "Личный кабинет",
            };
            (
                subject.clone(),
                format!("{message}\n\n-- \n{from_name}\n{account}: {panel_url}"),
            )
        }
        (
            MailTemplate::PasswordReset {
                login,
                reset_url,
                valid_minutes,
            },
            Locale::En,
        ) => (
            "Password reset".to_owned(),
            format!(
                "Someone, hopefully you, asked to reset the password of the account {login}.\n\
                 To choose a new password, open this link within {valid_minutes} minutes:\n\
                 {reset_url}\n\n\
                 If it was not you, ignore this message: your password stays the same."
            ),
        ),
        (
            MailTemplate::PasswordReset {
                login,
                reset_url,
                valid_minutes,
            },
            Locale::Ru,
        ) => (
            "Сброс пароля".to_owned(),
            format!(
                "Кто-то (надеемся, вы) запросил сброс пароля учётной записи {login}.\n\
                 Чтобы задать новый пароль, откройте эту ссылку в течение {valid_minutes} мин.:\n\
                 {reset_url}\n\n\
                 Если это были не вы, проигнорируйте письмо: пароль останется прежним."
            ),
        ),
        (
            MailTemplate::Invoice {
                number,
                total,
                status,
                invoice_url,
            },
            Locale::En,
        ) => (
            format!("Invoice {number}"),
            format!(
                "Your invoice {number} for {total} is attached as a PDF ({status}).\n\
                 You can also see and print it here: {invoice_url}"
            ),
        ),
        (
            MailTemplate::Invoice {
                number,
                total,
                status,
                invoice_url,
            },
            Locale::Ru,
        ) => (
            format!("Счёт № {number}"),
            format!(
                "Ваш счёт № {number} на сумму {total} приложен в формате PDF ({status}).\n\
                 Его также можно посмотреть и распечатать здесь: {invoice_url}"
            ),
        ),
    };
    Rendered {
        subject,
        body: format!("{greeting}\n\n{text}\n"),
    }
}

/// The outcome of [`enqueue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enqueued {
    Queued(MailId),
    /// A mail with the same dedupe key was queued before; nothing was written.
    Duplicate,
}

/// Queues a mail in the caller's transaction; it is sent after the transaction commits and
/// never if it rolls back.
pub async fn enqueue(
    tx: &mut dyn Tx,
    now: Timestamp,
    mail: OutgoingMail,
) -> Result<Enqueued, AppError> {
    let rendered = render(&mail.template, mail.locale, mail.to_name.as_ref());
    let params = serde_json::to_value(&mail.template)
        .map_err(|e| AppError::internal_in("mail params", e))?;
    let record = NewMailRecord {
        id: MailId::new(),
        dedupe_key: mail.dedupe_key,
        client_id: mail.client_id,
        to_address: mail.to.as_str().to_owned(),
        to_name: mail.to_name.map(|n| n.as_str().to_owned()),
        locale: mail.locale,
        template: mail.template.name().to_owned(),
        params,
        subject: rendered.subject,
        body: rendered.body,
        created_at: now,
        next_attempt_at: now,
        attachments: mail.attachments,
    };
    if tx.enqueue_mail(&record).await? {
        Ok(Enqueued::Queued(record.id))
    } else {
        Ok(Enqueued::Duplicate)
    }
}

/// A mail leased to one worker: send it, then report with [`App::mail_sent`],
/// [`App::mail_failed`] or [`App::release_mail`].
#[derive(Clone, Debug)]
pub struct ClaimedMail {
    pub message: MailMessage,
    /// Attempts recorded before this one.
    pub attempts: i64,
    lease: Timestamp,
}

/// What became of a mail after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailFate {
    Sent,
    RetryAt(Timestamp),
    /// No further attempt: the last retry failed or the server refused it for good.
    GaveUp,
    /// The lease ran out and another worker holds the mail now; nothing was recorded.
    LeaseLost,
}

fn shorten(error: &str) -> String {
    match error.char_indices().nth(MAX_ERROR_CHARS) {
        Some((cut, _)) => format!("{}…", error.get(..cut).unwrap_or(error)),
        None => error.to_owned(),
    }
}

/// System use cases of mail delivery, driven by the job worker. Each runs in one short
/// transaction of its own; none talks to the network. They write no history: the outbox row
/// itself is the record of each mail's delivery.
impl App {
    /// Leases up to `limit` due mails for `lease`, which must outlast sending them all.
    pub async fn claim_mail(
        &self,
        limit: u32,
        lease: SignedDuration,
    ) -> Result<Vec<ClaimedMail>, AppError> {
        let now = self.now();
        let lease_until = now
            .checked_add(lease)
            .map_err(|e| AppError::internal_in("lease", e))?;
        let records = self
            .write_relaxed(f::SYSTEM_JOBS, |w| {
                Box::pin(async move { Ok(w.tx().claim_due_mail(now, lease_until, limit).await?) })
            })
            .await?;
        let mut claimed_mail = Vec::with_capacity(records.len());
        let mut tx = self.store.read().await?;
        for r in records {
            let attachments = tx.mail_attachments(r.id).await?;
            claimed_mail.push(claimed(r, attachments));
        }
        tx.commit().await?;
        Ok(claimed_mail)
    }

    pub async fn mail_sent(&self, mail: &ClaimedMail) -> Result<MailFate, AppError> {
        let now = self.now();
        let recorded = self
            .write_relaxed(f::SYSTEM_JOBS, |w| {
                Box::pin(async move {
                    Ok(w.tx()
                        .mark_mail_sent(mail.message.id, mail.lease, now)
                        .await?)
                })
            })
            .await?;
        Ok(if recorded {
            MailFate::Sent
        } else {
            MailFate::LeaseLost
        })
    }

    /// Records a failed attempt: schedules the next one by [`RETRY_DELAYS`], or gives up
    /// after the last or when the failure is permanent.
    pub async fn mail_failed(
        &self,
        mail: &ClaimedMail,
        error: &MailError,
    ) -> Result<MailFate, AppError> {
        let now = self.now();
        let message = shorten(&error.message);
        let delay = if error.permanent {
            None
        } else {
            retry_delay(mail.attempts.saturating_add(1))
        };
        let fate = match delay.and_then(|d| now.checked_add(d).ok()) {
            Some(at) => MailFate::RetryAt(at),
            None => MailFate::GaveUp,
        };
        let message = &message;
        let recorded = self
            .write_relaxed(f::SYSTEM_JOBS, |w| {
                Box::pin(async move {
                    let id = mail.message.id;
                    Ok(match fate {
                        MailFate::RetryAt(at) => {
                            w.tx()
                                .mark_mail_failed_retry(id, mail.lease, at, message)
                                .await?
                        }
                        _ => w.tx().mark_mail_dead(id, mail.lease, message).await?,
                    })
                })
            })
            .await?;
        Ok(if recorded { fate } else { MailFate::LeaseLost })
    }

    /// Gives a claimed mail back untried, to be picked up at once by any worker.
    pub async fn release_mail(&self, mail: &ClaimedMail) -> Result<(), AppError> {
        self.write_relaxed(f::SYSTEM_JOBS, |w| {
            Box::pin(async move {
                w.tx().release_mail(mail.message.id, mail.lease).await?;
                Ok(())
            })
        })
        .await
    }
}

fn claimed(r: MailRecord, attachments: Vec<Attachment>) -> ClaimedMail {
    ClaimedMail {
        message: MailMessage {
            id: r.id,
            to_address: r.to_address,
            to_name: r.to_name,
            subject: r.subject,
            body: r.body,
            attachments,
        },
        attempts: r.attempts,
        // Claimed rows always carry their lease; `created_at` can never match it, so a row
        // without one would simply be reported as a lost lease.
        lease: r.leased_until.unwrap_or(r.created_at),
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn templates() -> Vec<MailTemplate> {
        let login = Login::from_trusted("jane".to_owned());
        vec![
            MailTemplate::Registration {
                login: login.clone(),
                panel_url: "https://billing.example/client".to_owned(),
            },
            MailTemplate::ClientMessage {
                from_name: DisplayName::from_trusted("Support".to_owned()),
                subject: "Maintenance".to_owned(),
                message: "We will reboot tonight.".to_owned(),
                panel_url: "https://billing.example/client".to_owned(),
            },
            MailTemplate::PasswordReset {
                login,
                reset_url: "https://billing.example/reset/abc".to_owned(),
                valid_minutes: 30,
            },
        ]
    }

    #[test]
    fn every_template_renders_in_every_language() {
        let name = DisplayName::from_trusted("Jane Cooper".to_owned());
        for t in templates() {
            let en = render(&t, Locale::En, Some(&name));
            let ru = render(&t, Locale::Ru, Some(&name));
            for r in [&en, &ru] {
                assert!(!r.subject.is_empty() && !r.subject.contains('\n'));
                assert!(r.body.contains("Jane Cooper"), "{}", r.body);
                assert!(!r.body.contains('{'), "unfilled placeholder: {}", r.body);
            }
            assert!(en.body.starts_with("Hello, "));
            assert!(ru.body.starts_with("Здравствуйте, "));
            assert_ne!(en.body, ru.body, "{} has no Russian text", t.name());
        }
    }

    #[test]
    fn registration_names_the_login_and_the_panel() {
        let t = templates().remove(0);
        let r = render(&t, Locale::Ru, None);
        assert_eq!(r.subject, "Ваша учётная запись создана");
        assert!(r.body.starts_with("Здравствуйте!\n"));
        assert!(
            r.body.contains("Логин: jane") && r.body.contains("https://billing.example/client")
        );
    }

    #[test]
    fn a_client_message_subject_is_one_line() {
        let name = DisplayName::from_trusted("Support".to_owned());
        let ok = MailTemplate::client_message(name.clone(), " Hi ", "a\r\nb", String::new());
        assert!(matches!(
            ok,
            Ok(MailTemplate::ClientMessage { ref subject, ref message, .. })
                if subject == "Hi" && message == "a\nb"
        ));
        let bad = MailTemplate::client_message(name, "Hi\r\nBcc: x@y.z", "", String::new());
        let codes: Vec<_> = bad.err().map(|e| e.0).unwrap_or_default();
        assert_eq!(codes.len(), 2);
        assert_eq!(codes[0].code, ErrorCode::InvalidCharacters);
        assert_eq!(codes[1].code, ErrorCode::Required);
    }

    #[test]
    fn params_are_the_template_fields() {
        let t = templates().remove(2);
        let v = serde_json::to_value(&t).unwrap_or_default();
        assert_eq!(v["login"], "jane");
        assert_eq!(v["valid_minutes"], 30);
        assert_eq!(t.name(), "password_reset");
    }

    #[test]
    fn retries_back_off_then_give_up() {
        let delays: Vec<_> = (1..=7).map(retry_delay).collect();
        assert_eq!(delays[0], Some(SignedDuration::from_mins(1)));
        assert_eq!(delays[1], Some(SignedDuration::from_mins(5)));
        assert_eq!(delays[4], Some(SignedDuration::from_hours(12)));
        assert_eq!(delays[5], None);
        assert_eq!(retry_delay(0), None);
        assert_eq!(retry_delay(-1), None);
    }

    #[test]
    fn long_errors_are_shortened_on_a_character_boundary() {
        let long = "я".repeat(MAX_ERROR_CHARS + 5);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), MAX_ERROR_CHARS + 1);
        assert_eq!(shorten("ok"), "ok");
    }
}
