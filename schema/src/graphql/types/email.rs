//! Journalists' e-mail subscriptions and the authority's view of suppressed addresses.
use super::registry::Unit;
use crate::graphql::api_error::Result;
use crate::graphql::context::loaders;
use crate::graphql::enums::EmailMode;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{email_suppression, follow};
use pressnet_domain::error::AppError;
use pressnet_domain::services::subscriptions::Subscription;

pub struct JournalistSubscription(pub Subscription);

#[Object]
impl JournalistSubscription {
    async fn email_mode(&self) -> EmailMode {
        self.0.prefs.email_mode.into()
    }
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Follows, child_complexity)"
    )]
    async fn follows(&self) -> Vec<Follow> {
        crate::graphql::cost::observe(crate::graphql::cost::Size::Follows, self.0.follows.len());
        self.0.follows.iter().cloned().map(Follow).collect()
    }
}

pub struct Follow(pub follow::Model);

#[Object]
impl Follow {
    async fn unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(u) = self.0.unit_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .unit
            .load_one(u)
            .await
            .map_err(AppError::from)?
            .map(Unit))
    }
    async fn topic(&self) -> Option<&str> {
        self.0.topic.as_deref()
    }
}

/// An address that bounced permanently: later releases do not try it again.
#[derive(SimpleObject)]
pub struct EmailSuppression {
    pub address: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl From<email_suppression::Model> for EmailSuppression {
    fn from(m: email_suppression::Model) -> Self {
        Self {
            address: m.address,
            reason: m.reason,
            created_at: m.created_at,
        }
    }
}
