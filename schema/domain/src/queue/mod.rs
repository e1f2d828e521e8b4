//! The one queue: every piece of leased work goes through here, whatever table holds it
//! (e-mail: `outbox` and EMAIL `deliveries`; HTTP channels: `outbound_messages`; the channels
//! planned after a publication's commit: `channel_jobs`; outlets' sources: `outlet_feeds`).
//!
//! - [`lease::Claim`]: take due rows with a short lease, in one statement (`FOR UPDATE SKIP
//!   LOCKED` on PostgreSQL, so two workers never take the same row).
//! - [`heartbeat::Heartbeat`]: while a worker holds a batch, its leases are renewed every third
//!   of their length ([`lease::renew`]); a dead worker's lapse within seconds and another takes
//!   the rows.
//! - Finishing is the owner's write (the ledger for deliveries, the worker for the rest), which
//!   clears the lease; a retry is scheduled by [`backoff`].
pub mod backoff;
pub mod heartbeat;
pub mod lease;
