//! The one trait every delivery channel implements (LIVE, EMAIL, FEED, WEBHOOK, PUSH): what a
//! publication owes the channel ([`Channel::plan`]: its delivery rows and queue items), what
//! an attempt's end means ([`Channel::classify`]: a [`Verdict`]) and when a failed delivery is
//! tried again ([`Channel::retry_at`]). How each sends is beside its implementation: WEBHOOK
//! and PUSH through [`super::HttpChannel`] and the outbound worker, EMAIL through
//! [`super::email::Email::send`] and the e-mail worker, LIVE through the fan-out (the
//! transports mark what they wrote). Whatever the channel, a verdict becomes a state change
//! through the delivery ledger, which owns delivery state.
//!
//! The path from `publishRelease` to every channel is `catalog::all`: the publication plans, in its
//! own transaction, each channel that is not [`Channel::after_commit`]; the outbound worker
//! plans the others right after the commit, from the job the publication wrote.
use super::verdict::{classify_common, refused, Verdict};
use crate::context::AppContext;
use crate::entities::{delivery, outbound_message, outbox, release};
use crate::enums;
use crate::error::AppResult;
use crate::mail::sender::SendError;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
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

    /// What the end of one attempt means for its delivery.
    fn classify(&self, attempt: Attempt<'_>) -> Verdict {
        classify_default(attempt)
    }

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

/// How one attempt ended on a channel's transport, before the channel reads it.
#[derive(Debug, Clone, Copy)]
pub enum Attempt<'a> {
    /// The receiver answered: an HTTP status (or an SMTP relay's acceptance, 250) and the
    /// start of its answer.
    Answered { status: u16, excerpt: &'a str },
    /// No answer: a timeout, a refused connection, a name that does not resolve.
    Unreachable(&'a str),
    /// An SMTP relay did not take the message (its reply, read by `mail::sender`).
    Smtp(&'a SendError),
    /// pressnet could not make the message (it cannot render it, the recipient's address is
    /// not one): nothing was sent.
    Unsendable { error: &'a str, retry: bool },
}

/// The meaning most channels give an attempt: 2xx delivered, 410 gone, a relay's refusal of
/// the recipient gone, any other answer or none worth a retry.
pub(crate) fn classify_default(attempt: Attempt<'_>) -> Verdict {
    match attempt {
        Attempt::Answered { status, excerpt } => classify_common(status, excerpt),
        Attempt::Unreachable(e) => Verdict::Retry {
            status: None,
            error: e.to_owned(),
        },
        Attempt::Smtp(SendError::Permanent(e)) => Verdict::Gone {
            status: None,
            error: e.clone(),
        },
        Attempt::Smtp(SendError::Transient(e) | SendError::Relay(e)) => Verdict::Retry {
            status: None,
            error: e.clone(),
        },
        Attempt::Unsendable { error, retry: true } => Verdict::Retry {
            status: None,
            error: error.to_owned(),
        },
        Attempt::Unsendable {
            error,
            retry: false,
        } => refused(error),
    }
}
