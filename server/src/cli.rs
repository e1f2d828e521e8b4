//! The `pressnet` command line: serve (default), migrate, admin create.
#![allow(
    clippy::print_stdout,
    reason = "the command line answers the person who typed the command on stdout"
)]
use crate::app::{shutdown_signal, Application, BuildOptions};
use crate::config::Config;
use clap::{Parser, Subcommand, ValueEnum};
use pressnet_domain::clock::Clock;
use pressnet_domain::enums::Role;
use pressnet_domain::services::accounts;
use pressnet_domain::settings::Settings;
use pressnet_domain::{db, demo, AppContext};

#[derive(Parser, Debug)]
#[command(
    name = "pressnet",
    version,
    about = "Spokesperson network and press-release distribution hub"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database, then serve HTTP, GraphQL, websockets and the workers.
    Serve {
        /// Load the demo province first (idempotent).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage staff accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminAction {
    /// Create (or reset) an ADMIN or AUDITOR account.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, value_enum, default_value_t = StaffRole::Admin)]
        role: StaffRole,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StaffRole {
    Admin,
    Auditor,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            let app = Application::build(
                &cli.config,
                BuildOptions {
                    demo,
                    ..Default::default()
                },
            )
            .await?;
            if demo {
                println!("{}", demo::accounts_text());
            }
            app.run_until(shutdown_signal()).await
        }
        Command::Migrate => {
            let conn = db::connect(&cli.config.database_url).await?;
            db::migrate(&conn).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin {
            action:
                AdminAction::Create {
                    email,
                    password,
                    role,
                },
        } => {
            let conn = db::connect(&cli.config.database_url).await?;
            db::migrate(&conn).await?;
            let ctx = AppContext::new(conn, Settings::default(), Clock::default());
            let role = match role {
                StaffRole::Admin => Role::Admin,
                StaffRole::Auditor => Role::Auditor,
            };
            let acct = accounts::ensure_staff_account(&ctx, &email, &password, role)
                .await
                .map_err(pressnet_domain::error::Failure)?;
            println!("{} account ready: {}", acct.role.as_str(), acct.email);
            Ok(())
        }
    }
}
