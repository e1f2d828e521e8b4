//! The channels that send over HTTP (WEBHOOK, PUSH): what each must provide beyond
//! [`Channel`](super::channel::Channel), and helpers they share. The worker that sends for
//! them is `http_worker`.
use super::channel;
use super::verdict::Verdict;
use crate::context::AppContext;
use crate::entities::outbound_message;
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

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

/// `host:port` of a target, for the per-host bound.
pub(crate) fn host_of(url: &reqwest::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
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
