//! Opening the database and serving until SIGINT/SIGTERM, finishing in-flight requests, with
//! the outbox worker running beside the HTTP server and stopped with it.

use crate::config::Config;
use crate::router;
use anyhow::{Context, Result};
use bursar_app::ports::Mailer;
use bursar_app::{App, Policy, SystemClock};
use bursar_jobs::{MailWorker, SmtpMailer, WorkerConfig};
use bursar_store::SqlStore;
use std::net::SocketAddr;
use std::sync::Arc;

/// Connects, migrates, and returns the store (creating the SQLite data folder if needed).
pub async fn open_store(cfg: &Config) -> Result<SqlStore> {
    if cfg.is_sqlite() {
        std::fs::create_dir_all(&cfg.data_dir)
            .with_context(|| format!("creating data folder {}", cfg.data_dir.display()))?;
    }
    let store = SqlStore::connect(&cfg.database_url, cfg.db_max_connections)
        .await
        .context("connecting to the database")?;
    store.migrate().await.context("applying migrations")?;
    Ok(store)
}

pub fn app_for(store: SqlStore, cfg: &Config) -> App {
    let policy = Policy {
        session_idle: jiff::SignedDuration::from_mins(cfg.session_idle_minutes),
        public_url: cfg.public_url.clone(),
        ..Policy::default()
    };
    App::new(Arc::new(store), Arc::new(SystemClock), policy)
        .with_module_runner(Arc::new(bursar_jobs::ModuleCaller::new()))
}

/// Installs what a first start needs, the administrator included, the one way every command
/// that may come first (`serve`, `demo`) does it: with the password from
/// `BURSAR_ADMIN_PASSWORD`, or a generated one printed here once, so whichever command ran
/// first, the operator can sign in. When the administrator exists already the variable is
/// not used, and the operator is told so rather than left guessing.
pub async fn install(app: &App, cfg: &Config) -> Result<()> {
    let created = app
        .install(cfg.admin_password.clone())
        .await
        .context("creating the administrator")?;
    match created {
        Some(created) if created.generated => println!(
            "Created the administrator: login `admin`, password `{}` (shown once; change it in the profile).",
            created.password
        ),
        Some(_) => println!(
            "Created the administrator: login `admin` with the password from BURSAR_ADMIN_PASSWORD."
        ),
        None if cfg.admin_password.is_some() => println!(
            "The administrator exists already, so BURSAR_ADMIN_PASSWORD is not used; set a new password with `bursar admin reset-password admin`."
        ),
        None => {}
    }
    Ok(())
}

pub async fn serve(cfg: Config) -> Result<()> {
    let store = open_store(&cfg).await?;
    tracing::info!(database = store.dialect().name(), "database ready");
    let app = app_for(store.clone(), &cfg);
    install(&app, &cfg).await?;
    let mailer = mailer_for(&cfg)?;
    let built = router::build(
        app.clone(),
        router::Options {
            secure_cookies: cfg.secure_cookies,
            trusted_proxies: cfg.trusted_proxies.clone(),
        },
    );
    let listener = tokio::net::TcpListener::bind(cfg.listen)
        .await
        .with_context(|| format!("listening on {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    println!("Bursar is serving http://{addr}");
    tracing::info!(%addr, "serving");
    // One stop signal for the HTTP server and the worker; the worker finishes the mail in
    // flight before the database closes.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = MailWorker::new(app, mailer, WorkerConfig::default());
    let worker = tokio::spawn(worker.run(stopped));
    let on_signal = stop.clone();
    let served = axum::serve(
        listener,
        built
            .router
            .into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = on_signal.send(true);
    })
    .await;
    let _ = stop.send(true);
    let _ = worker.await;
    served?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The SMTP transport when a host is configured.
fn mailer_for(cfg: &Config) -> Result<Option<Arc<dyn Mailer>>> {
    let Some(smtp) = &cfg.smtp else {
        return Ok(None);
    };
    let mailer = SmtpMailer::new(smtp).context("setting up SMTP")?;
    tracing::info!(host = %smtp.host, port = smtp.port, tls = ?smtp.tls, "mail goes out over SMTP");
    Ok(Some(Arc::new(mailer)))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down; finishing open requests");
}
