//! The outbound worker's batch: plan what publications owe the HTTP channels, claim due
//! messages with short leases, send with bounded concurrency per host, and record every
//! outcome through the delivery ledger.
use super::channel::Attempt;
use super::http::HttpChannel;
use super::verdict::{clip, Verdict, EXCERPT};
use super::{plan, queue};
use crate::context::AppContext;
use crate::entities::outbound_message;
use crate::enums::Channel;
use crate::error::AppResult;
use crate::queue::heartbeat::Heartbeat;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Requests in flight at once, over all hosts.
const CONCURRENCY: usize = 64;
/// Requests in flight at once to one host (a newsroom system is often one small server).
const PER_HOST: usize = 16;

/// Sends one claimed batch of due messages and records the outcomes; returns how many.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn run_batch(
    ctx: &AppContext,
    client: &reqwest::Client,
    channels: &[Arc<dyn HttpChannel>],
    limit: u64,
) -> AppResult<usize> {
    let expanded = plan::expand_due(ctx, channels).await?;
    let claimed = queue::claim(ctx, limit).await?;
    if claimed.is_empty() {
        return Ok(expanded);
    }
    let n = claimed.len();
    // A heartbeat keeps the short leases alive while the batch is out.
    let ids: Vec<uuid::Uuid> = claimed.iter().map(|m| m.id).collect();
    let beat = {
        let ctx = ctx.clone();
        Heartbeat::start(ctx.settings.outbound.claim_ttl, "outbound", move || {
            let (ctx, ids) = (ctx.clone(), ids.clone());
            async move { queue::renew(&ctx, &ids).await }
        })
    };
    let outcomes = send_all(ctx, client, channels, claimed).await;
    drop(beat);
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
