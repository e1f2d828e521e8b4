//! Outlets' newsroom systems: their webhook endpoints (ADMIN).
use super::registry::Outlet;
use crate::entities::webhook_endpoint;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
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
