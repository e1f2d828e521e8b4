//! Outlets' newsroom systems: their webhook endpoints (ADMIN).
use super::registry::Outlet;
use crate::graphql::api_error::Result;
use crate::graphql::context::app;
use crate::graphql::enums::DeliveryStatus;
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{outbound_message, webhook_endpoint};
use uuid::Uuid;

pub struct WebhookEndpoint(pub webhook_endpoint::Model);

#[Object]
impl WebhookEndpoint {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn outlet(&self, ctx: &Context<'_>) -> Result<Outlet> {
        Outlet::required(ctx, self.0.outlet_id, "webhook endpoint without outlet").await
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// False once the endpoint answered 410 Gone, or failed too many times in a row.
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Why the endpoint stopped receiving (410 Gone, failures in a row, the authority).
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }
    /// Failed attempts since the last success.
    async fn consecutive_failures(&self) -> i32 {
        self.0.consecutive_failures
    }
    /// The most recent requests pressnet made to this endpoint, newest first.
    #[graphql(complexity = "super::super::cost::page(first, 10, child_complexity)")]
    async fn recent_attempts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(10)")] first: Option<i32>,
    ) -> Result<Vec<WebhookAttempt>> {
        let first = first.unwrap_or(10).clamp(1, 50) as u64;
        let list = pressnet_domain::services::webhooks::recent(app(ctx)?, self.0.id, first).await?;
        Ok(list.into_iter().map(WebhookAttempt).collect())
    }
}

/// One request (with its retries) to a webhook endpoint.
pub struct WebhookAttempt(pub outbound_message::Model);

#[Object]
impl WebhookAttempt {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    /// PUBLISHED (a correction is one), RETRACTED, TEST or ESCALATED.
    async fn event(&self) -> &str {
        self.0.event.as_str()
    }
    async fn release_id(&self) -> Option<Uuid> {
        self.0.release_id
    }
    /// PENDING (waiting or between retries), DELIVERED (2xx) or FAILED.
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The endpoint's last HTTP status, if it answered.
    async fn http_status(&self) -> Option<i32> {
        self.0.last_status
    }
    /// A short excerpt of the last failure.
    async fn error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == DeliveryStatus::Pending.into()).then_some(self.0.next_attempt_at)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}

/// A new endpoint and its signing secret, which is shown this once.
pub struct WebhookEndpointCreated {
    pub endpoint: webhook_endpoint::Model,
    pub secret: String,
}

#[Object]
impl WebhookEndpointCreated {
    async fn endpoint(&self) -> WebhookEndpoint {
        WebhookEndpoint(self.endpoint.clone())
    }
    /// The Standard Webhooks signing secret (`whsec_…`): keep it now, it is not shown again.
    async fn secret(&self) -> &str {
        &self.secret
    }
}

/// A browser's push subscription (`PushSubscription.toJSON()`: its endpoint and keys).
#[derive(async_graphql::InputObject)]
pub struct PushSubscriptionInput {
    pub endpoint: String,
    /// The device's P-256 public key, base64url.
    #[graphql(name = "p256dh")]
    pub p256dh: String,
    /// The device's authentication secret, base64url.
    pub auth: String,
}
