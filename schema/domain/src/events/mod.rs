//! The event bus: what happened, told to whoever listens, in order and without loss.
//!
//! - `hub`: in-process fan-out (feed batches, delivery and inquiry changes), bounded rings
//!   whose laggards resynchronise from the database.
//! - `relay`: the same events between instances on one PostgreSQL database (LISTEN/NOTIFY
//!   carrying ids, with a poll that covers what NOTIFY loses).
//! - `marks`: live frames written to a socket, waiting to be recorded DELIVERED in batches.
pub mod hub;
pub mod marks;
pub mod relay;
