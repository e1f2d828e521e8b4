//! pressnet's domain: entities, rules, services, mail, storage, outbound HTTP and the event bus.
//! It knows nothing of GraphQL: the API (`pressnet-schema`) is one client of it, the server's
//! routes and workers another.
pub mod auth;
pub mod bulk;
pub mod clock;
pub mod context;
pub mod db;
pub mod demo;
pub mod entities;
pub mod enums;
pub mod error;
pub mod events;
pub mod keys;
pub mod mail;
pub mod metrics;
pub mod outbound;
pub mod queue;
pub mod services;
pub mod settings;
pub mod storage;
pub mod tcp_nodelay;
pub mod validate;

pub use context::AppContext;
pub use error::{AppError, AppResult, ErrorCode, ResultExt};
