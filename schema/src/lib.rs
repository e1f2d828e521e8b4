//! pressnet's domain: entities, services and the GraphQL schema.
pub mod auth;
pub mod bulk;
pub mod clock;
pub mod context;
pub mod db;
pub mod demo;
pub mod entities;
pub mod enums;
pub mod error;
pub mod graphql;
pub mod hub;
pub mod mail;
pub mod metrics;
pub mod outbound;
pub mod relay;
pub mod services;
pub mod settings;
pub mod storage;
pub mod tcp_nodelay;
pub mod validate;

pub use context::AppContext;
pub use error::{AppError, AppResult, ErrorCode, ResultExt};
