//! The one trait every delivery channel implements (LIVE, EMAIL, FEED, WEBHOOK, PUSH): what a
//! publication owes the channel ([`Channel::plan`]: its delivery rows and queue items) and
//! when a failed delivery is tried again ([`Channel::retry_at`]). The channels that send over
//! HTTP also implement [`super::HttpChannel`] (how to send, what an answer means); LIVE is
//! sent by the fan-out and marked by the transports, EMAIL by the e-mail worker. Every state
//! change after publication goes through the delivery ledger, whoever makes it.
//!
//! The path from `publishRelease` to every channel is [`all`]: the publication plans, in its
//! own transaction, each channel that is not [`Channel::after_commit`]; the outbound worker
//! plans the others right after the commit, from the job the publication wrote.
use crate::context::AppContext;
use crate::entities::{delivery, outbound_message, outbox, release};
use crate::enums;
use crate::error::AppResult;
use crate::services::publishing::new_delivery;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use std::sync::Arc;
use uuid::Uuid;

/// One publication, as the channels plan it.
pub struct Publication<'a> {
    pub ctx: &'a AppContext,
    pub txn: &'a DatabaseTransaction,
    pub release: &'a release::Model,
    /// The addressed, accredited outlets, with their newsrooms' addresses.
    pub outlets: &'a [(Uuid, String)],
    pub now: DateTime<Utc>,
}

/// The rows a channel plans for a publication.
#[derive(Default)]
pub struct Planned {
    pub deliveries: Vec<delivery::ActiveModel>,
    /// HTTP channels' queue items.
    pub messages: Vec<outbound_message::ActiveModel>,
    /// E-mail that is not a delivery's own queue item (a correction's notice to earlier
    /// recipients).
    pub mails: Vec<outbox::ActiveModel>,
}

impl Planned {
    pub fn extend(&mut self, other: Planned) {
        self.deliveries.extend(other.deliveries);
        self.messages.extend(other.messages);
        self.mails.extend(other.mails);
    }
}

#[async_trait::async_trait]
pub trait Channel: Send + Sync {
    fn channel(&self) -> enums::Channel;

    /// Whether the channel is planned after the publication's commit (by the outbound worker,
    /// from the publication's job), so that the publication's transaction does not grow with
    /// it.
    fn after_commit(&self) -> bool {
        false
    }

    /// The delivery rows (and queue items) `p` owes this channel.
    async fn plan(&self, p: &Publication<'_>) -> AppResult<Planned>;

    /// When to try a delivery first queued at `first` again after its `attempts`-th failure;
    /// `None` gives up.
    fn retry_at(
        &self,
        settings: &crate::settings::Settings,
        first: DateTime<Utc>,
        attempts: i32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>>;
}

/// LIVE: a row per addressed outlet, delivered by the fan-out to the outlet's open sessions.
/// Not retried: a journalist who reconnects catches up from the outlet's feed.
pub struct Live;

#[async_trait::async_trait]
impl Channel for Live {
    fn channel(&self) -> enums::Channel {
        enums::Channel::Live
    }

    async fn plan(&self, p: &Publication<'_>) -> AppResult<Planned> {
        Ok(Planned {
            deliveries: p
                .outlets
                .iter()
                .map(|(o, _)| new_delivery(p.release.id, *o, enums::Channel::Live, p.now))
                .collect(),
            ..Default::default()
        })
    }

    fn retry_at(
        &self,
        _settings: &crate::settings::Settings,
        _first: DateTime<Utc>,
        _attempts: i32,
        _now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        None
    }
}

/// EMAIL: a row per address (the newsroom's, and journalists' who chose each release), the
/// e-mail worker's queue item; retried after `retry_base`, doubling up to `retry_cap`, for
/// `max_attempts`.
pub struct Email;

#[async_trait::async_trait]
impl Channel for Email {
    fn channel(&self) -> enums::Channel {
        enums::Channel::Email
    }

    async fn plan(&self, p: &Publication<'_>) -> AppResult<Planned> {
        let (deliveries, mails) = crate::services::publishing::plan_email(p).await?;
        Ok(Planned {
            deliveries,
            mails,
            ..Default::default()
        })
    }

    fn retry_at(
        &self,
        settings: &crate::settings::Settings,
        _first: DateTime<Utc>,
        attempts: i32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let m = &settings.mail;
        if attempts >= m.max_attempts {
            return None;
        }
        let factor = 1i32
            .checked_shl((attempts - 1).clamp(0, 30) as u32)
            .unwrap_or(i32::MAX);
        let delay = m.retry_base.checked_mul(factor).unwrap_or(m.retry_cap);
        Some(now + std::cmp::min(delay, m.retry_cap))
    }
}

/// FEED: Atom readers fetch what the visibility rule lets them see; nothing is planned or
/// retried.
pub struct Feed;

#[async_trait::async_trait]
impl Channel for Feed {
    fn channel(&self) -> enums::Channel {
        enums::Channel::Feed
    }

    async fn plan(&self, _p: &Publication<'_>) -> AppResult<Planned> {
        Ok(Planned::default())
    }

    fn retry_at(
        &self,
        _settings: &crate::settings::Settings,
        _first: DateTime<Utc>,
        _attempts: i32,
        _now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        None
    }
}

/// Every channel, in the order a publication reaches them.
pub fn all() -> Vec<Arc<dyn Channel>> {
    vec![
        Arc::new(Live),
        Arc::new(Email),
        Arc::new(Feed),
        Arc::new(super::webhook::Webhook),
        Arc::new(super::push::Push),
    ]
}
