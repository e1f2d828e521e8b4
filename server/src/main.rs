use clap::Parser;
use pressnet_server::cli::{run, Cli};

#[tokio::main]
#[allow(
    clippy::print_stderr,
    reason = "a command that fails says why to the person who ran it"
)]
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
