//! EMAIL, whole: what a publication owes it (a row per address: the newsroom's, and
//! journalists' who chose each release), how a message is sent (one pooled SMTP transport),
//! what the relay's answer means and when to try again. The e-mail worker claims, renders
//! and records (`services::outbox`); this is the channel's side of it.
use super::channel::{Attempt, Channel, Planned, Publication};
use super::verdict::Verdict;
use crate::entities::delivery;
use crate::enums;
use crate::enums::{Channel as ChannelKind, DeliveryStatus, EmailMode, MailKind};
use crate::error::AppResult;
use crate::mail::message::Rendered;
use crate::mail::message::{Notice, Payload};
use crate::mail::sender::Mailer;
use crate::services::delivery_rows::new_delivery;
use crate::services::outbox::{self, Job};
use crate::services::subscriptions;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashSet;
use uuid::Uuid;

/// EMAIL: the delivery row is the e-mail worker's queue item; retried after `retry_base`,
/// doubling up to `retry_cap`, for `max_attempts`.
pub struct Email;

#[async_trait::async_trait]
impl Channel for Email {
    fn channel(&self) -> enums::Channel {
        enums::Channel::Email
    }

    async fn plan(&self, p: &Publication<'_>) -> AppResult<Planned> {
        let (deliveries, mails) = plan(p).await?;
        Ok(Planned {
            deliveries,
            mails,
            ..Default::default()
        })
    }

    // `classify` is the default: the relay's 250 is SENT, its refusal of the recipient
    // (`SendError::Permanent`) gone for good (the address is suppressed), its own failures
    // and timeouts worth a retry.

    fn retry_at(
        &self,
        settings: &Settings,
        _first: DateTime<Utc>,
        attempts: i32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        crate::queue::backoff::email(&settings.mail, attempts, now)
    }
}

impl Email {
    /// Sends one claimed message (rendered once for every copy that reads the same) and says
    /// what became of it.
    #[tracing::instrument(name = "channel.send", skip_all, fields(channel = "EMAIL", id = %job.mail.id, queue = ?job.queue))]
    pub async fn send(
        &self,
        mailer: &Mailer,
        job: &Job,
        rendered: Option<&Result<Rendered, String>>,
    ) -> Verdict {
        if let Some(why) = &job.refused {
            return self.classify(Attempt::Unsendable {
                error: why,
                retry: false,
            });
        }
        let rendered = match rendered {
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                return self.classify(Attempt::Unsendable {
                    error: &format!("cannot render the message: {e}"),
                    retry: true,
                })
            }
            None => {
                return self.classify(Attempt::Unsendable {
                    error: "the message was not rendered",
                    retry: true,
                })
            }
        };
        let row = &job.mail;
        let message = match mailer.build(&row.recipient, rendered, &outbox::message_id(row.id)) {
            Ok(m) => m,
            // An address that is not one is the recipient's for good, like a relay's refusal.
            Err(e) => return self.classify(Attempt::Smtp(&e)),
        };
        match mailer.send(message).await {
            Ok(reply) => self.classify(Attempt::Answered {
                status: reply
                    .split_whitespace()
                    .next()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(250),
                excerpt: &super::verdict::clip(&reply),
            }),
            Err(e) => self.classify(Attempt::Smtp(&e)),
        }
    }
}

/// The EMAIL deliveries of a publication: each addressed outlet's newsroom, and the
/// journalists who chose e-mail for each release (their outlet addressed, or following the
/// unit or a topic of a public release). Each delivery is the e-mail worker's queue item.
/// Addresses that bounced permanently before get a FAILED delivery saying so instead of
/// another attempt. A correction also goes, as outbox rows, to everyone who received the
/// release it corrects.
pub(crate) async fn plan(
    p: &Publication<'_>,
) -> AppResult<(
    Vec<delivery::ActiveModel>,
    Vec<crate::entities::outbox::ActiveModel>,
)> {
    let (ctx, txn, r, outlets, now) = (p.ctx, p.txn, p.release, p.outlets, p.now);
    let addressed: HashSet<Uuid> = outlets.iter().map(|(id, _)| *id).collect();
    // (outlet, address): the newsrooms, then the journalists
    let mut targets: Vec<(Uuid, String)> = outlets
        .iter()
        .map(|(id, email)| (*id, email.to_lowercase()))
        .collect();
    for (_, outlet_id, email, _token) in
        subscriptions::recipients(txn, r, &addressed, EmailMode::EachRelease, now).await?
    {
        targets.push((outlet_id, email));
    }
    let mut seen = HashSet::new();
    targets.retain(|(o, e)| seen.insert((*o, e.clone())));
    let addresses: Vec<String> = targets.iter().map(|(_, e)| e.clone()).collect();
    let suppressed = outbox::suppressed(txn, &addresses).await?;
    let channel_on = ctx.settings.mail.smtp_url.is_some();
    let mut deliveries = Vec::with_capacity(targets.len());
    let mut mails = Vec::new();
    // Each EMAIL delivery is the e-mail worker's queue item (due now): no outbox row beside
    // it. The worker finds a journalist's unsubscribe token when it sends.
    for (outlet_id, email) in targets {
        let mut d = new_delivery(r.id, outlet_id, ChannelKind::Email, now);
        d.recipient = Set(email.clone());
        d.next_attempt_at = Set(Some(now));
        if suppressed.contains(&email) {
            d.status = Set(DeliveryStatus::Failed);
            d.last_error = Set(Some(
                "not sent: this address bounced permanently before (suppressed)".into(),
            ));
        } else if !channel_on {
            d.last_error = Set(Some(outbox::CHANNEL_OFF.into()));
        }
        deliveries.push(d);
    }
    if let Some(prev) = r.supersedes_id {
        let already: HashSet<String> = deliveries
            .iter()
            .filter_map(|d| match &d.recipient {
                sea_orm::ActiveValue::Set(r) => Some(r.clone()),
                _ => None,
            })
            .collect();
        let earlier: Vec<String> = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::Recipient)
            .filter(delivery::Column::ReleaseId.eq(prev))
            .filter(delivery::Column::Channel.eq(ChannelKind::Email))
            .filter(delivery::Column::Status.eq(DeliveryStatus::Sent))
            .into_tuple()
            .all(txn)
            .await?;
        let notice = Payload {
            notice_of: Some(Notice::Correction),
            ..Default::default()
        };
        for email in earlier.into_iter().filter(|e| !already.contains(e)) {
            mails.push(outbox::new_row(
                MailKind::Release,
                &email,
                Some(r.id),
                None,
                &notice,
                now,
            ));
        }
    }
    Ok((deliveries, mails))
}
