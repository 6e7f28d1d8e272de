//! `bursar`: serve, migrate, operator commands and demo data.
#![forbid(unsafe_code)]

use anyhow::Result;
use bursar::config::{Config, Settings};
use bursar::serve;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "bursar",
    version,
    about = "Billing and client management for hosting providers"
)]
struct Cli {
    /// Config file (TOML); defaults to <data dir>/bursar.toml when it exists.
    #[arg(long, env = "BURSAR_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the panels (creates the database and the administrator on first start).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Operator commands.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Verify the money records: every balance equals the sum of its ledger entries, and no
    /// allocation exceeds its payment or expense. Exits non-zero and says where on any
    /// difference.
    Check,
    /// Load realistic demo data.
    Demo {
        /// Also generate this many clients (e.g. 100000 for the list benchmark).
        #[arg(long, default_value_t = 0)]
        clients: usize,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Set a new password for an account (generated when --password is not given); its sessions end.
    ResetPassword {
        login: String,
        #[arg(long)]
        password: Option<String>,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let cfg = Config::resolve(cli.settings, cli.config.as_deref())?;
    init_logs(cfg.json_logs);
    match cli.command {
        Command::Serve => serve::serve(cfg).await,
        Command::Migrate => {
            let store = serve::open_store(&cfg).await?;
            println!("Database is up to date ({}).", store.dialect().name());
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::ResetPassword { login, password },
        } => {
            let store = serve::open_store(&cfg).await?;
            let app = serve::app_for(store, &cfg);
            let chosen = app.reset_password(&login, password).await?;
            if chosen.generated {
                println!("New password for `{login}`: {}", chosen.password);
            } else {
                println!("Password for `{login}` changed.");
            }
            Ok(())
        }
        Command::Check => {
            let store = serve::open_store(&cfg).await?;
            let app = serve::app_for(store, &cfg);
            let problems = app.check_money().await?;
            if problems.is_empty() {
                println!("The books balance: every account equals the sum of its ledger entries.");
                return Ok(());
            }
            for p in &problems {
                println!("{p}");
            }
            anyhow::bail!("{} discrepancies in the money records", problems.len())
        }
        Command::Demo { clients } => {
            let store = serve::open_store(&cfg).await?;
            let app = serve::app_for(store, &cfg);
            serve::install(&app, &cfg).await?;
            let report = app.load_demo(clients).await?;
            println!(
                "Demo data loaded: {} named and {} generated client(s). Demo users (the named clients' logins and `support` in the staff panel) sign in with the password `{}`.",
                report.created.len(),
                report.generated,
                bursar_app::demo::DEMO_PASSWORD
            );
            for login in report.created {
                println!("  {login}");
            }
            Ok(())
        }
    }
}

fn init_logs(json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
