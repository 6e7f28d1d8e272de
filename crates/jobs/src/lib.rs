//! Bursar's background work, run by every `bursar serve` instance beside the HTTP server.
//!
//! This is the e-mail outbox worker ([`MailWorker`]) and its SMTP transport
//! ([`SmtpMailer`]), and the processing-module runner ([`ModuleCaller`]) that calls external
//! programs and HTTP endpoints outside any transaction. The worker only calls `bursar-app` use cases and ports, never the store
//! directly: claiming uses leases in the database (`FOR UPDATE SKIP LOCKED` on PostgreSQL),
//! so any number of instances can run it side by side without coordination, and it keeps no
//! state another instance would need.
#![forbid(unsafe_code)]

pub mod mail_worker;
pub mod modules;
pub mod smtp;

pub use mail_worker::{MailWorker, Report, WorkerConfig};
pub use modules::ModuleCaller;
pub use smtp::{SmtpConfigError, SmtpMailer, SmtpSettings, TlsMode};

use tokio::sync::watch;

/// Resolves once `stop` holds `true` (or its sender is gone): the shutdown signal shared by
/// the HTTP server and the workers.
pub async fn stop_requested(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}
