//! Settings, layered: built-in defaults, then the config file (TOML), then environment
//! variables, then command-line flags. `BURSAR_DATABASE_URL` empty means the embedded SQLite
//! database in the data folder.

use crate::forwarded::TrustedProxies;
use anyhow::{Context, Result};
use bursar_jobs::SmtpSettings;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Values that can come from the file, the environment or flags; `None` = not given there.
#[derive(Clone, Debug, Default, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Folder for the SQLite database and other local data.
    #[arg(long, env = "BURSAR_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address and port to serve on.
    #[arg(long, env = "BURSAR_LISTEN", global = true)]
    pub listen: Option<String>,
    /// `postgres://…` or `sqlite://…`; empty for the embedded SQLite default.
    #[arg(long, env = "BURSAR_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Password for the administrator created on first start (else one is generated).
    #[arg(
        long,
        env = "BURSAR_ADMIN_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    /// `text` or `json` logs.
    #[arg(long, env = "BURSAR_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Mark cookies Secure (set when serving over HTTPS).
    #[arg(long, env = "BURSAR_SECURE_COOKIES", global = true)]
    pub secure_cookies: Option<bool>,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "BURSAR_SESSION_IDLE_MINUTES", global = true)]
    pub session_idle_minutes: Option<i64>,
    /// Database connection pool size.
    #[arg(long, env = "BURSAR_DB_MAX_CONNECTIONS", global = true)]
    pub db_max_connections: Option<u32>,
    /// The panel's address as users reach it, for links in e-mail (default `http://<listen>`).
    #[arg(long, env = "BURSAR_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// SMTP server for outgoing mail; without it mail stays queued in the outbox.
    #[arg(long, env = "BURSAR_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,
    /// SMTP port (default by TLS mode: 25, 587, 465).
    #[arg(long, env = "BURSAR_SMTP_PORT", global = true)]
    pub smtp_port: Option<u16>,
    #[arg(long, env = "BURSAR_SMTP_USERNAME", global = true)]
    pub smtp_username: Option<String>,
    #[arg(
        long,
        env = "BURSAR_SMTP_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// `none`, `starttls` (default) or `tls`.
    #[arg(long, env = "BURSAR_SMTP_TLS", global = true)]
    pub smtp_tls: Option<String>,
    /// Sender of every mail: `address` or `Name <address>`.
    #[arg(long, env = "BURSAR_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// Reverse proxies (addresses or CIDR networks, comma-separated) whose
    /// `X-Forwarded-For` gives the caller's address; empty: the TCP peer's address counts.
    #[arg(long, env = "BURSAR_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
}

impl Settings {
    /// `self` where given, else `other`.
    fn or(self, other: Settings) -> Settings {
        Settings {
            data_dir: self.data_dir.or(other.data_dir),
            listen: self.listen.or(other.listen),
            database_url: self.database_url.or(other.database_url),
            admin_password: self.admin_password.or(other.admin_password),
            log_format: self.log_format.or(other.log_format),
            secure_cookies: self.secure_cookies.or(other.secure_cookies),
            session_idle_minutes: self.session_idle_minutes.or(other.session_idle_minutes),
            db_max_connections: self.db_max_connections.or(other.db_max_connections),
            public_url: self.public_url.or(other.public_url),
            smtp_host: self.smtp_host.or(other.smtp_host),
            smtp_port: self.smtp_port.or(other.smtp_port),
            smtp_username: self.smtp_username.or(other.smtp_username),
            smtp_password: self.smtp_password.or(other.smtp_password),
            smtp_tls: self.smtp_tls.or(other.smtp_tls),
            mail_from: self.mail_from.or(other.mail_from),
            trusted_proxies: self.trusted_proxies.or(other.trusted_proxies),
        }
    }
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    pub database_url: String,
    pub admin_password: Option<String>,
    pub json_logs: bool,
    pub secure_cookies: bool,
    pub session_idle_minutes: i64,
    pub db_max_connections: u32,
    /// Without a trailing slash.
    pub public_url: String,
    /// `None`: no SMTP host, mail is kept in the outbox.
    pub smtp: Option<SmtpSettings>,
    pub trusted_proxies: TrustedProxies,
}

impl Config {
    /// Resolves flags/environment (`cli`) over the config file over defaults.
    pub fn resolve(cli: Settings, config_file: Option<&Path>) -> Result<Config> {
        let data_dir_hint = cli
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("bursar-data"));
        let file_path = config_file
            .map(Path::to_path_buf)
            .unwrap_or_else(|| data_dir_hint.join("bursar.toml"));
        let from_file = if file_path.exists() {
            let text = std::fs::read_to_string(&file_path)
                .with_context(|| format!("reading {}", file_path.display()))?;
            toml::from_str::<Settings>(&text)
                .with_context(|| format!("parsing {}", file_path.display()))?
        } else if config_file.is_some() {
            anyhow::bail!("config file {} does not exist", file_path.display());
        } else {
            Settings::default()
        };
        let s = cli.or(from_file);
        let data_dir = s.data_dir.unwrap_or_else(|| PathBuf::from("bursar-data"));
        let listen_text = s.listen.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listen = listen_text
            .parse()
            .with_context(|| format!("BURSAR_LISTEN must be address:port, got {listen_text:?}"))?;
        let database_url = match s.database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => url,
            None => format!("sqlite://{}?mode=rwc", data_dir.join("bursar.db").display()),
        };
        let json_logs = match s.log_format.as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => anyhow::bail!("log format must be text or json, got {other:?}"),
        };
        let public_url = match s.public_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => url.trim().trim_end_matches('/').to_owned(),
            None => format!("http://{listen}"),
        };
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            anyhow::bail!(
                "BURSAR_PUBLIC_URL must start with http:// or https://, got {public_url:?}"
            );
        }
        let smtp = match s.smtp_host.filter(|h| !h.trim().is_empty()) {
            None => None,
            Some(host) => Some(SmtpSettings::new(
                &host,
                s.smtp_port,
                s.smtp_username,
                s.smtp_password,
                s.smtp_tls.as_deref(),
                s.mail_from.as_deref(),
            )?),
        };
        let trusted_proxies = TrustedProxies::parse(s.trusted_proxies.as_deref().unwrap_or(""))
            .map_err(|e| anyhow::anyhow!("BURSAR_TRUSTED_PROXIES: {e}"))?;
        Ok(Config {
            trusted_proxies,
            public_url,
            smtp,
            data_dir,
            listen,
            database_url,
            admin_password: s.admin_password.filter(|p| !p.is_empty()),
            json_logs,
            secure_cookies: s.secure_cookies.unwrap_or(false),
            session_idle_minutes: s.session_idle_minutes.unwrap_or(60).clamp(1, 60 * 24 * 30),
            db_max_connections: s.db_max_connections.unwrap_or(10).max(1),
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}
