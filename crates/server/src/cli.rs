//! Command-line interface: subcommands and their flags.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{Config, Overrides};
use crate::runtime;

#[derive(Parser, Debug)]
#[command(name = "brokercrm", version, about = "Back office for forex/CFD brokers")]
pub struct Cli {
    /// Configuration file (default: ./brokercrm.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the HTTP server and, unless disabled, the job runner (the default).
    Serve(ServeArgs),
    /// Run only the job runner.
    Worker(DbArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Administer users.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Inspect the money ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Load the demo data set and write the credentials a newcomer needs as JSON.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        /// Where to write the credentials.
        #[arg(long, default_value = "data/demo-credentials.json")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create an admin and print its one-time password.
    Create {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand, Debug)]
enum LedgerCommand {
    /// Check every ledger invariant and print the report; exits non-zero on any violation.
    Verify {
        #[command(flatten)]
        db: DbArgs,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug, Default)]
struct ServeArgs {
    /// Address to listen on (env BROKERCRM_LISTEN).
    #[arg(long)]
    listen: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(clap::Args, Debug, Default)]
struct DbArgs {
    /// Database URL (env DATABASE_URL).
    #[arg(long)]
    database_url: Option<String>,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let load = |listen: Option<String>, db: &DbArgs| -> anyhow::Result<Config> {
        let o = Overrides { listen, database_url: db.database_url.clone() };
        Config::load(cli.config.as_deref(), &o).context("loading configuration")
    };
    match cli.command.as_ref().unwrap_or(&Command::Serve(ServeArgs::default())) {
        Command::Serve(a) => runtime::serve(load(a.listen.clone(), &a.db)?).await,
        Command::Worker(db) => runtime::worker(load(None, db)?).await,
        Command::Migrate(db) => runtime::migrate(load(None, db)?).await,
        Command::Admin { command: AdminCommand::Create { email, db } } => {
            runtime::admin_create(load(None, db)?, email).await
        }
        Command::Ledger { command: LedgerCommand::Verify { db, json } } => {
            runtime::ledger_verify(load(None, db)?, *json).await
        }
        Command::Demo { db, out } => crate::demo::run(load(None, db)?, out).await,
    }
}
