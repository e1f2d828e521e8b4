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
pub mod channel;
pub mod email;
pub mod escalation;
pub mod ninjs;
pub mod plan;
pub mod push;
pub mod queue;
pub mod webhook;

use crate::context::AppContext;
use crate::entities::outbound_message;
use crate::enums::Channel;
use crate::error::AppResult;
use channel::Attempt;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use sea_orm::DatabaseTransaction;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Requests in flight at once, over all hosts.
const CONCURRENCY: usize = 64;
/// Requests in flight at once to one host (a newsroom system is often one small server).
const PER_HOST: usize = 16;
/// The longest excerpt of a receiver's answer that is kept.
pub const EXCERPT: usize = 200;

/// What an answer (or its absence) means for a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted (2xx).
    Delivered { status: u16 },
    /// Worth another attempt (timeouts, 5xx, 429, …), if the channel's window allows.
    Retry { status: Option<u16>, error: String },
    /// The target is gone for good (a webhook's 410, a push subscription's 404/410): the
    /// channel forgets or disables it.
    Gone { status: Option<u16>, error: String },
    /// Refused for this message only (the outlet may no longer see the release, a payload the
    /// receiver will never take): no retry.
    Refused { status: Option<u16>, error: String },
}

impl Verdict {
    pub fn status(&self) -> Option<u16> {
        match self {
            Verdict::Delivered { status } => Some(*status),
            Verdict::Retry { status, .. }
            | Verdict::Gone { status, .. }
            | Verdict::Refused { status, .. } => *status,
        }
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            Verdict::Delivered { .. } => None,
            Verdict::Retry { error, .. }
            | Verdict::Gone { error, .. }
            | Verdict::Refused { error, .. } => Some(error),
        }
    }
}

/// A request ready to go, or the reason there is none.
pub struct Prepared {
    /// host:port, for the per-host bound.
    pub host: String,
    pub request: reqwest::Request,
}

/// A channel that sends over HTTP: how to send and what an outcome changes beyond the message
/// and its delivery (what to send, what an answer means and when to retry are its
/// [`channel::Channel`] side).
#[async_trait::async_trait]
pub trait HttpChannel: channel::Channel {
    /// The requests of a claimed batch of this channel's messages, in order (one query per
    /// kind of thing they need, not per message).
    async fn prepare(
        &self,
        ctx: &AppContext,
        client: &reqwest::Client,
        messages: &[outbound_message::Model],
    ) -> AppResult<Vec<Result<Prepared, Verdict>>>;

    /// What the batch's outcomes change beyond messages and deliveries (an endpoint's failure
    /// count, a gone subscription), in the recording transaction.
    async fn settle(
        &self,
        ctx: &AppContext,
        txn: &DatabaseTransaction,
        outcomes: &[(outbound_message::Model, Verdict)],
        now: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// The channels the outbound worker serves.
pub fn http() -> Vec<Arc<dyn HttpChannel>> {
    vec![Arc::new(webhook::Webhook), Arc::new(push::Push)]
}

/// Sends one claimed batch of due messages and records the outcomes; returns how many.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn run_batch(
    ctx: &AppContext,
    client: &reqwest::Client,
    channels: &[Arc<dyn HttpChannel>],
    limit: u64,
) -> AppResult<usize> {
    let expanded = plan::expand_due(ctx).await?;
    let claimed = queue::claim(ctx, limit).await?;
    if claimed.is_empty() {
        return Ok(expanded);
    }
    let n = claimed.len();
    // A heartbeat keeps the short leases alive while the batch is out.
    let ids: Vec<uuid::Uuid> = claimed.iter().map(|m| m.id).collect();
    let beat = {
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let every = (ctx.settings.outbound.claim_ttl / 3)
                .to_std()
                .unwrap_or(std::time::Duration::from_secs(5));
            loop {
                tokio::time::sleep(every).await;
                if let Err(e) = queue::renew(&ctx, &ids).await {
                    tracing::warn!(error = %e.detail(), "renewing outbound claims failed");
                }
            }
        })
    };
    let outcomes = send_all(ctx, client, channels, claimed).await;
    beat.abort();
    queue::record(ctx, channels, outcomes?).await?;
    Ok(n)
}

async fn send_all(
    ctx: &AppContext,
    client: &reqwest::Client,
    channels: &[Arc<dyn HttpChannel>],
    claimed: Vec<outbound_message::Model>,
) -> AppResult<Vec<(outbound_message::Model, Verdict)>> {
    let mut by_channel: HashMap<Channel, Vec<outbound_message::Model>> = HashMap::new();
    for m in claimed {
        by_channel.entry(m.channel).or_default().push(m);
    }
    let mut jobs = Vec::new();
    let mut out = Vec::new();
    for (channel, messages) in by_channel {
        let Some(ch) = channels.iter().find(|c| c.channel() == channel) else {
            for m in messages {
                out.push((
                    m,
                    Verdict::Refused {
                        status: None,
                        error: format!("no {} channel on this server", channel.as_str()),
                    },
                ));
            }
            continue;
        };
        let prepared = ch.prepare(ctx, client, &messages).await?;
        for (m, p) in messages.into_iter().zip(prepared) {
            match p {
                Ok(p) => jobs.push((ch.clone(), m, p)),
                Err(v) => out.push((m, v)),
            }
        }
    }
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    // The futures are made first, then run at most CONCURRENCY at a time (a stream mapped by
    // a closure over trait objects is not `Send` enough for a spawned worker).
    let mut futures = Vec::with_capacity(jobs.len());
    for (ch, m, p) in jobs {
        let gate = hosts
            .entry(p.host.clone())
            .or_insert_with(|| Arc::new(Semaphore::new(PER_HOST)))
            .clone();
        futures.push(Box::pin(async move {
            let _turn = gate.acquire_owned().await;
            let verdict = send_one(client, ch.as_ref(), p.request).await;
            (m, verdict)
        }));
    }
    let sent: Vec<(outbound_message::Model, Verdict)> = futures::stream::iter(futures)
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    out.extend(sent);
    Ok(out)
}

/// Sends one request and classifies the answer; keeps at most [`EXCERPT`] bytes of a body.
#[tracing::instrument(name = "channel.send", skip_all, fields(channel = ch.channel().as_str(), url = %request.url()))]
async fn send_one(
    client: &reqwest::Client,
    ch: &dyn HttpChannel,
    request: reqwest::Request,
) -> Verdict {
    match client.execute(request).await {
        Ok(mut res) => {
            let status = res.status().as_u16();
            let mut excerpt = Vec::new();
            // Reading stops at the excerpt's length: a receiver cannot make us hold its body.
            while excerpt.len() < EXCERPT {
                match res.chunk().await {
                    Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            excerpt.truncate(EXCERPT);
            ch.classify(Attempt::Answered {
                status,
                excerpt: clip(String::from_utf8_lossy(&excerpt).trim()).as_str(),
            })
        }
        Err(e) => ch.classify(Attempt::Unreachable(&describe(&e))),
    }
}

/// A transport failure in a sentence (its chain, without the URL's query).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        what.to_owned()
    } else {
        clip(&format!("{what}: {cause}"))
    }
}

/// At most [`EXCERPT`] bytes of `s`, cut at a character boundary.
pub fn clip(s: &str) -> String {
    crate::services::text::clip(s, EXCERPT).to_owned()
}

/// The default meaning of a status: 2xx delivered, 410 gone, anything else worth a retry.
pub fn classify_common(status: u16, excerpt: &str) -> Verdict {
    let error = if excerpt.is_empty() {
        format!("HTTP {status}")
    } else {
        clip(&format!("HTTP {status}: {excerpt}"))
    };
    match status {
        200..=299 => Verdict::Delivered { status },
        410 => Verdict::Gone {
            status: Some(status),
            error,
        },
        _ => Verdict::Retry {
            status: Some(status),
            error,
        },
    }
}

/// A doubling backoff: `base`, then twice as long after each failure; `None` once the next
/// attempt would come after `deadline`.
pub fn doubling(
    base: chrono::Duration,
    attempts: i32,
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let factor = 1i32
        .checked_shl((attempts - 1).clamp(0, 30) as u32)
        .unwrap_or(i32::MAX);
    let next = now + base.checked_mul(factor)?;
    (next <= deadline).then_some(next)
}

/// `host:port` of a target, for the per-host bound.
pub fn host_of(url: &reqwest::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// Refused by pressnet itself (nothing was sent): no retry.
pub fn refused(error: impl Into<String>) -> Verdict {
    Verdict::Refused {
        status: None,
        error: error.into(),
    }
}

/// The distinct targets of the outcomes `keep` selects.
pub fn targets(
    outcomes: &[(outbound_message::Model, Verdict)],
    keep: impl Fn(&Verdict) -> bool,
) -> Vec<uuid::Uuid> {
    outcomes
        .iter()
        .filter(|(_, v)| keep(v))
        .map(|(m, _)| m.target_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::doubling;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn retries_double_from_the_base_and_stop_at_the_deadline() {
        let now = Utc
            .with_ymd_and_hms(2026, 12, 7, 3, 30, 0)
            .single()
            .unwrap_or_default();
        let base = Duration::seconds(30);
        let far = now + Duration::days(1);
        assert_eq!(doubling(base, 1, now, far), Some(now + base));
        assert_eq!(
            doubling(base, 2, now, far),
            Some(now + Duration::seconds(60))
        );
        assert_eq!(
            doubling(base, 4, now, far),
            Some(now + Duration::seconds(240))
        );
        // Past the deadline there is no next attempt: the delivery fails instead.
        assert_eq!(doubling(base, 20, now, far), None);
        assert_eq!(doubling(base, 1, now, now), None);
        // A count below one is the first attempt; a huge one does not overflow.
        assert_eq!(doubling(base, 0, now, far), Some(now + base));
        assert_eq!(doubling(base, i32::MAX, now, far), None);
    }
}
