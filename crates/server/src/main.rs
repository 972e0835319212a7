//! The `brokercrm` binary: serve | worker | migrate | admin | ledger | demo.

mod cli;
mod config;
mod demo;
mod runtime;

use clap::Parser;

/// mimalloc instead of the system allocator: requests allocate and free many small buffers
/// across threads, where glibc's malloc spent ~12 % of the server's CPU in a trading profile
/// (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
