//! The FEED channel: outlets' Atom readers fetch what they may see.
use super::channel::{Channel, Planned, Publication};
use crate::enums;
use crate::error::AppResult;
use chrono::{DateTime, Utc};

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
