//! The pressnet server: configuration, HTTP routes, websockets and background workers.
pub mod app;

/// mimalloc instead of glibc's malloc, for every binary that serves (`pressnet`, the cluster
/// tests' instances, `pressnet-bench serve`). Measured with 10,000 idle journalists (see
/// BENCHMARKS.md): glibc kept the pages of each connection's short-lived set-up allocations
/// (HTTP buffers, the subscription's checks) interleaved with the few long-lived ones, about
/// 20 KB of resident memory per connection for 7 KB in use; mimalloc separates allocations by
/// size and returns freed pages, 6-8 KB per connection and faster small allocations on the
/// fan-out path. It costs a larger fixed footprint (about 85 MB resident at start against
/// 38 MB), which 10,000 connections repay several times over.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod cli;
pub mod config;
pub mod routes;
pub mod telemetry;
pub mod workers;

pub use app::{Application, BuildOptions};
pub use config::Config;
