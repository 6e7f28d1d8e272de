//! The outbox worker: claims due mail with a lease, sends each through the [`Mailer`] after
//! the claiming transaction has committed, and records the outcome (sent, retry later with
//! back-off, or given up), each in its own short transaction. The retry policy itself is a
//! rule of `bursar-app` ([`bursar_app::mail::RETRY_DELAYS`]).
//!
//! It runs at start and then every [`WorkerConfig::interval`], draining at once while full
//! batches keep coming. On stop it finishes the mail in flight (cutting a send short could
//! deliver a mail and lose the record of it) and hands the rest of its batch back untried, so
//! another instance need not wait for the lease to run out.
//!
//! Without a mailer (no SMTP host configured) it sends nothing: mail stays pending in the
//! outbox and goes out once SMTP is configured.

use bursar_app::error::Chain;
use bursar_app::mail::{ClaimedMail, MailFate};
use bursar_app::ports::{MailError, Mailer};
use bursar_app::{App, AppError};
use jiff::SignedDuration;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Pause between polls of the outbox.
    pub interval: Duration,
    /// Mails claimed at once.
    pub batch: u32,
    /// How long a claim holds. Must outlast sending a whole batch: `batch × send_timeout`.
    pub lease: SignedDuration,
    /// The longest one send may take before it counts as a failed attempt.
    pub send_timeout: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(10),
            batch: 10,
            lease: SignedDuration::from_mins(15),
            send_timeout: Duration::from_secs(60),
        }
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub gave_up: usize,
    /// Handed back untried because the worker was stopping.
    pub released: usize,
    /// Outcomes not recorded because another worker had taken the mail over.
    pub lease_lost: usize,
}

pub struct MailWorker {
    app: App,
    mailer: Option<Arc<dyn Mailer>>,
    config: WorkerConfig,
}

impl MailWorker {
    pub fn new(app: App, mailer: Option<Arc<dyn Mailer>>, config: WorkerConfig) -> Self {
        Self {
            app,
            mailer,
            config,
        }
    }

    /// One pass: claims one batch of due mail and delivers it.
    pub async fn run_once(&self) -> Result<Report, AppError> {
        self.pass(None).await
    }

    /// Runs until `stop` turns `true`.
    pub async fn run(self, stop: watch::Receiver<bool>) {
        if self.mailer.is_none() {
            tracing::warn!(
                "no SMTP host configured (BURSAR_SMTP_HOST): e-mail is kept in the outbox and not sent"
            );
            crate::stop_requested(stop).await;
            return;
        }
        tracing::info!(
            every_secs = self.config.interval.as_secs(),
            "mail worker started"
        );
        loop {
            if *stop.borrow() {
                break;
            }
            let more = match self.pass(Some(&stop)).await {
                Ok(report) => {
                    if report.claimed > 0 {
                        tracing::info!(?report, "mail worker pass");
                    }
                    u32::try_from(report.claimed).is_ok_and(|n| n >= self.config.batch)
                }
                Err(e) => {
                    tracing::error!(error = %Chain(&e), "mail worker: the outbox is unreachable");
                    false
                }
            };
            if more {
                continue;
            }
            tokio::select! {
                () = crate::stop_requested(stop.clone()) => break,
                () = tokio::time::sleep(self.config.interval) => {}
            }
        }
        tracing::info!("mail worker stopped");
    }

    async fn pass(&self, stop: Option<&watch::Receiver<bool>>) -> Result<Report, AppError> {
        let mut report = Report::default();
        let Some(mailer) = &self.mailer else {
            return Ok(report);
        };
        let claimed = self
            .app
            .claim_mail(self.config.batch, self.config.lease)
            .await?;
        report.claimed = claimed.len();
        for mail in &claimed {
            if stop.is_some_and(|s| *s.borrow()) {
                self.app.release_mail(mail).await?;
                report.released += 1;
                continue;
            }
            let fate = self.deliver(mailer.as_ref(), mail).await?;
            match fate {
                MailFate::Sent => report.sent += 1,
                MailFate::RetryAt(_) => report.retried += 1,
                MailFate::GaveUp => report.gave_up += 1,
                MailFate::LeaseLost => report.lease_lost += 1,
            }
        }
        Ok(report)
    }

    async fn deliver(&self, mailer: &dyn Mailer, mail: &ClaimedMail) -> Result<MailFate, AppError> {
        let id = mail.message.id;
        let outcome = tokio::time::timeout(self.config.send_timeout, mailer.send(&mail.message))
            .await
            .unwrap_or_else(|_| {
                Err(MailError::transient(format!(
                    "no answer within {} s",
                    self.config.send_timeout.as_secs()
                )))
            });
        let fate = match outcome {
            Ok(()) => self.app.mail_sent(mail).await?,
            Err(error) => {
                let fate = self.app.mail_failed(mail, &error).await?;
                match fate {
                    MailFate::RetryAt(at) => {
                        tracing::warn!(mail = %id, error = %error, retry_at = %at, "mail not sent; will retry");
                    }
                    MailFate::GaveUp => {
                        tracing::error!(mail = %id, error = %error, permanent = error.permanent, "mail not sent; giving up");
                    }
                    MailFate::Sent | MailFate::LeaseLost => {}
                }
                fate
            }
        };
        if fate == MailFate::LeaseLost {
            tracing::warn!(mail = %id, "mail lease ran out before its outcome was recorded");
        }
        Ok(fate)
    }
}
