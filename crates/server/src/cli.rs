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
    /// Fill the CRM with generated leads (and customers) for benchmarks. Not for production.
    GenCrmData(GenCrmDataArgs),
}

#[derive(clap::Args, Debug)]
struct GenCrmDataArgs {
    /// Leads to generate.
    #[arg(long, default_value_t = 1_000_000)]
    leads: u64,
    /// Customers to generate.
    #[arg(long, default_value_t = 0)]
    customers: u64,
    /// Sales desks to create (each with a manager and `agents-per-desk` agents).
    #[arg(long, default_value_t = 5)]
    desks: usize,
    #[arg(long, default_value_t = 8)]
    agents_per_desk: usize,
    /// Random seed (the same seed gives the same spreads).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[command(flatten)]
    db: DbArgs,
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
        Command::GenCrmData(a) => gen_crm_data(load(None, &a.db)?, a).await,
    }
}

async fn gen_crm_data(cfg: Config, a: &GenCrmDataArgs) -> anyhow::Result<()> {
    use brokercrm_app::sales::leads::generate::{GenOptions, generate};
    let app = runtime::open(&cfg).await?;
    let o = GenOptions {
        leads: a.leads,
        customers: a.customers,
        desks: a.desks,
        agents_per_desk: a.agents_per_desk,
        seed: a.seed,
    };
    let step = ((a.leads + a.customers) / 20).max(1);
    let r = generate(&app, &o, |done, total| {
        if done % step < 1000 || done == total {
            eprintln!("gen-crm-data: {done}/{total} rows");
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!(e.public_message()))?;
    let secs = r.elapsed.as_secs_f64();
    println!(
        "generated {} leads, {} customers, {} sales people in {:.1} s ({:.0} rows/s)",
        r.leads,
        r.customers,
        r.sales_people,
        secs,
        (r.leads + r.customers) as f64 / secs.max(0.001)
    );
    Ok(())
}
