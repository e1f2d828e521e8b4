//! EMAIL, whole: what a publication owes it (a row per address: the newsroom's, and
//! journalists' who chose each release), how a message is sent (one pooled SMTP transport),
//! what the relay's answer means and when to try again. The e-mail worker claims, renders
//! and records (`services::outbox`); this is the channel's side of it.
use super::channel::{Attempt, Channel, Planned, Publication};
use super::Verdict;
use crate::enums;
use crate::error::AppResult;
use crate::mail::render::Rendered;
use crate::mail::sender::Mailer;
use crate::services::outbox::{self, Job};
use crate::settings::Settings;
use chrono::{DateTime, Utc};

/// EMAIL: the delivery row is the e-mail worker's queue item; retried after `retry_base`,
/// doubling up to `retry_cap`, for `max_attempts`.
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
                excerpt: &super::clip(&reply),
            }),
            Err(e) => self.classify(Attempt::Smtp(&e)),
        }
    }
}
