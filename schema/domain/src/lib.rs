//! pressnet's domain: entities, rules, services, mail, storage, outbound HTTP and the event bus.
//! It knows nothing of GraphQL: the API (`pressnet-schema`) is one client of it, the server's
//! routes and workers another.
//!
//! # The server's surface
//! The binary (`pressnet-server`) uses this much, and reads or writes the database through
//! nothing else (`tests/tests/layers.rs` holds it to that):
//! - [`AppContext`] (built from [`settings::Settings`], a [`clock::Clock`] and a pool from
//!   [`db`]), [`AppError`] and its [`ErrorCode`];
//! - [`auth`]: who is signed in ([`auth::Viewer`]) and token digests;
//! - [`services`]: one module per capability, each entry point a function taking the context
//!   and the viewer (accounts, sessions and `session_rights`, releases, attachments and
//!   `file_links`, compliance and `exports`, `atom`, `live_feed`, and the workers' steps:
//!   `outbox`, `channels`, `deliveries`, `publishing`, `digest`, `conferences`, `inquiries`,
//!   `monitoring`, `throttle`);
//! - [`mail`]: the queued message ([`mail::message`]), what it needs ([`mail::load`]), its
//!   rendering ([`mail::render`]) and the SMTP sender;
//! - the machinery workers run on: [`queue::heartbeat`], [`events::relay`], [`db::checkpoint`]
//!   (the SQLite WAL), [`keys`], [`storage`], [`outbound`], [`metrics`];
//! - [`enums`] and [`entities`]' models as plain data; [`demo`] for the demo province.
pub mod auth;
pub mod bulk;
pub mod clock;
pub mod context;
pub mod db;
pub mod demo;
mod demo_2026;
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
