use clap::Parser;
use pressnet_server::cli::{run, Cli};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    pressnet_server::telemetry::init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pressnet: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
