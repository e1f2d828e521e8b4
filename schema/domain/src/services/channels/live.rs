//! The LIVE channel: the fan-out writes frames to the outlet's open sessions.
use super::channel::{Attempt, Channel, Planned, Publication};
use super::verdict::Verdict;
use crate::enums;
use crate::error::AppResult;
use crate::services::delivery_rows::new_delivery;
use chrono::{DateTime, Utc};

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

    /// A session the fan-out could not write to is not written to again: the journalist
    /// catches up from the outlet's feed when they reconnect.
    fn classify(&self, attempt: Attempt<'_>) -> Verdict {
        match super::channel::classify_default(attempt) {
            Verdict::Retry { status, error } | Verdict::Gone { status, error } => {
                Verdict::Refused { status, error }
            }
            v => v,
        }
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
