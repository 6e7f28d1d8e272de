//! Bursar's use cases. Each public method of [`App`] is one use case: it authorises the
//! caller against the function registry, runs in ONE store transaction, and writes its
//! history entry in that same transaction, so a change and its record of who made it can
//! never part. The ports it needs (storage, clock) are traits defined here and implemented
//! elsewhere (`bursar-store`), which keeps this crate free of SQL and HTTP.
#![forbid(unsafe_code)]

pub mod auth;
pub mod catalog;
pub mod client_accounts;
pub mod client_groups;
pub mod client_holdings;
pub mod clients;
pub mod clock;
pub mod demo;
mod demo_pricing;
pub mod departments;
pub mod directory;
pub mod error;
pub mod gdpr;
pub mod grants;
pub mod history;
pub mod impersonation;
pub mod mail;
pub mod marketing;
pub mod money;
pub mod password_reset;
pub mod passwords;
pub mod ports;
pub mod principal;
pub mod profile;
pub mod quotes;
pub mod rates;
pub mod secrets;
pub mod setup;
pub mod staff;
pub mod taxes;
pub mod tokens;
pub mod use_case;

use std::sync::Arc;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::AppError;
pub use ports::{Store, StoreError, Tx};
pub use principal::{Principal, Via};

/// Tunable policies of the use cases, filled from the server's configuration.
#[derive(Clone, Debug)]
pub struct Policy {
    /// A session dies after this long without a request.
    pub session_idle: jiff::SignedDuration,
    /// …and in any case this long after sign-in.
    pub session_max: jiff::SignedDuration,
    /// Failed sign-ins counted per login and per address within this window.
    pub login_window: jiff::SignedDuration,
    pub max_failures_per_login: i64,
    pub max_failures_per_ip: i64,
    /// Self-registrations allowed from one address per `registration_window`.
    pub max_registrations_per_ip: i64,
    pub registration_window: jiff::SignedDuration,
    /// The panel's public address, without a trailing slash, for links in e-mail.
    pub public_url: String,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            session_idle: jiff::SignedDuration::from_mins(60),
            session_max: jiff::SignedDuration::from_hours(24 * 7),
            login_window: jiff::SignedDuration::from_mins(15),
            max_failures_per_login: 5,
            max_failures_per_ip: 30,
            max_registrations_per_ip: 10,
            registration_window: jiff::SignedDuration::from_hours(1),
            public_url: "http://127.0.0.1:8080".to_owned(),
        }
    }
}

/// The application: use cases over the injected ports. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) policy: Policy,
    pub(crate) passwords: passwords::Passwords,
    /// Calls processing modules (external programs, HTTP endpoints); set by the server.
    pub(crate) modules: Option<Arc<dyn ports::ModuleRunner>>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, policy: Policy) -> Self {
        Self {
            store,
            clock,
            policy,
            passwords: passwords::Passwords::new(),
            modules: None,
        }
    }

    /// The app with a processing-module runner (the server gives `bursar-jobs`' one).
    pub fn with_module_runner(mut self, runner: Arc<dyn ports::ModuleRunner>) -> Self {
        self.modules = Some(runner);
        self
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// An absolute link to `path` (starting with `/`) for mail and other messages read
    /// outside the browser.
    pub fn public_link(&self, path: &str) -> String {
        format!("{}{path}", self.policy.public_url.trim_end_matches('/'))
    }

    /// Readiness: the database answers.
    pub async fn ready(&self) -> Result<(), AppError> {
        self.store.ping().await.map_err(AppError::from)
    }
}
