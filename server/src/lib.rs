//! The pressnet server: configuration, HTTP routes, websockets and background workers.
pub mod app;
pub mod cli;
pub mod config;
pub mod routes;
pub mod telemetry;
pub mod workers;

pub use app::{Application, BuildOptions};
pub use config::Config;
