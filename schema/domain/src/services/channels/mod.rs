//! The delivery channels (issue 19). Every channel (LIVE, EMAIL, FEED, WEBHOOK, PUSH) is one
//! implementation of [`channel::Channel`]: what a publication owes it and when to retry; the
//! list [`channel::all`] is the path from `publishRelease` to every channel. The two that send
//! over HTTP, WEBHOOK (an outlet's newsroom system) and PUSH (a journalist's browsers and
//! phones), also implement [`HttpChannel`], and share the queue and worker below.
//!
//! The path from publication to every channel: a publication writes, in its own transaction,
//! the LIVE and EMAIL rows (`publishing`) and a job for these channels; right after the commit
//! the worker writes, through [`plan::publication`], a WEBHOOK row per enabled endpoint and a
//! PUSH row per journalist device, each with its outbound message (the queue item). The worker
//! ([`run_batch`]) then claims due
//! messages with short leases, asks each message's channel for its request
//! ([`HttpChannel::prepare`]), sends with bounded concurrency per host, asks the channel what
//! the answer means ([`channel::Channel::classify`]) and when to try again
//! ([`channel::Channel::retry_at`]), and records every outcome in one transaction through the
//! delivery [`Ledger`](crate::services::ledger::Ledger), which owns delivery state.
pub mod atom;
pub mod catalog;
pub mod channel;
pub mod email;
pub mod escalation;
pub mod http;
pub mod http_worker;
pub mod live;
pub mod ninjs;
pub mod plan;
pub mod push;
pub mod queue;
pub mod verdict;
pub mod webhook;
