//! Outlets' newsroom systems (issue 19): the webhook endpoints ADMIN registers for an outlet.
//!
//! An endpoint's URL is checked as an outbound target (`outbound::check`: http or https, no
//! credentials, a public address unless `PRESSNET_ALLOW_PRIVATE_TARGETS=1`). Its signing
//! secret follows the Standard Webhooks specification: `whsec_` and the base64 of 32 random
//! bytes, returned once by `add` and never again.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::{delivery, outbound_message, outlet, webhook_endpoint};
use crate::enums::{Channel, DeliveryStatus, OutboundEvent};
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use crate::services::channels::queue::{enqueue, new_message};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

/// Endpoints one outlet may have: a newsroom system or two, and a staging copy.
pub(crate) const MAX_PER_OUTLET: u64 = 5;

/// A new signing secret, as Standard Webhooks writes it.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// Registers an endpoint for an outlet; the secret is returned this once.
#[tracing::instrument(skip_all, fields(outlet_id = %outlet_id), err(Debug, level = "debug"))]
pub async fn add(
    ctx: &AppContext,
    viewer: &Viewer,
    outlet_id: Uuid,
    url: &str,
) -> AppResult<(webhook_endpoint::Model, String)> {
    viewer.require_admin()?;
    outlet::Entity::find_by_id(outlet_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("outlet"))?;
    let url = crate::outbound::check("url", url, ctx.settings.allow_private_targets).await?;
    let existing = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OutletId.eq(outlet_id))
        .count(&ctx.db)
        .await?;
    let same = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OutletId.eq(outlet_id))
        .filter(webhook_endpoint::Column::Url.eq(url.to_string()))
        .count(&ctx.db)
        .await?;
    if same > 0 {
        return Err(AppError::bad_input(
            "url",
            "this outlet already has an endpoint at this URL",
        ));
    }
    if existing >= MAX_PER_OUTLET {
        return Err(AppError::bad_input(
            "outletId",
            format!("an outlet has at most {MAX_PER_OUTLET} webhook endpoints"),
        ));
    }
    let secret = new_secret();
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    let model = webhook_endpoint::ActiveModel {
        id: Set(Uuid::now_v7()),
        outlet_id: Set(outlet_id),
        url: Set(url.to_string()),
        secret: Set(secret.clone()),
        enabled: Set(true),
        consecutive_failures: Set(0),
        disabled_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    // The log names the endpoint, never its secret.
    let change = Change::new(
        viewer.actor(),
        "webhook.add",
        "webhook_endpoint",
        Some(model.id),
    )
    .details(json!({"outlet": outlet_id, "url": model.url}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok((model, secret))
}

/// Removes an endpoint; nothing more is sent to it.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn remove(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<bool> {
    viewer.require_admin()?;
    let e = webhook_endpoint::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("webhook endpoint"))?;
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    webhook_endpoint::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    let change = Change::new(
        viewer.actor(),
        "webhook.remove",
        "webhook_endpoint",
        Some(id),
    )
    .details(json!({"outlet": e.outlet_id, "url": e.url}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(true)
}

/// An outlet's endpoints, oldest first (ADMIN).
#[tracing::instrument(skip_all, fields(outlet_id = %outlet_id), err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    outlet_id: Uuid,
) -> AppResult<Vec<webhook_endpoint::Model>> {
    viewer.require_admin()?;
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OutletId.eq(outlet_id))
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .all(&ctx.db)
        .await?)
}

async fn find(ctx: &AppContext, id: Uuid) -> AppResult<webhook_endpoint::Model> {
    webhook_endpoint::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("webhook endpoint"))
}

/// Turns an endpoint on (its failure count starts again) or off (ADMIN).
#[tracing::instrument(skip_all, fields(id = %id, enabled), err(Debug, level = "debug"))]
pub async fn set_enabled(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    enabled: bool,
) -> AppResult<webhook_endpoint::Model> {
    viewer.require_admin()?;
    let e = find(ctx, id).await?;
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    let mut am: webhook_endpoint::ActiveModel = e.into();
    am.enabled = Set(enabled);
    am.updated_at = Set(now);
    if enabled {
        am.consecutive_failures = Set(0);
        am.disabled_reason = Set(None);
    } else {
        am.disabled_reason = Set(Some("disabled by the authority".into()));
    }
    let model = am.update(&txn).await?;
    let action = if enabled {
        "webhook.enable"
    } else {
        "webhook.disable"
    };
    let change = Change::new(viewer.actor(), action, "webhook_endpoint", Some(id))
        .details(json!({"outlet": model.outlet_id, "url": model.url}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(model)
}

/// Queues a test event for an endpoint (ADMIN): a signed ninjs-shaped document that says it
/// is a test; its outcome shows among the endpoint's recent attempts.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn send_test(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<outbound_message::Model> {
    viewer.require_admin()?;
    let e = find(ctx, id).await?;
    if !e.enabled {
        return Err(AppError::bad_input(
            "id",
            "the endpoint is disabled: enable it first",
        ));
    }
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    let m = new_message(Channel::Webhook, id, OutboundEvent::Test, None, None, now)
        .insert(&txn)
        .await?;
    txn.commit().await?;
    ctx.outbound_ready.notify_one();
    Ok(m)
}

/// Sends an endpoint again every release whose delivery to it failed since `since` (72 hours
/// by default), e.g. once its system is back; returns how many (ADMIN).
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn replay(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    since: Option<DateTime<Utc>>,
) -> AppResult<usize> {
    viewer.require_admin()?;
    let e = find(ctx, id).await?;
    if !e.enabled {
        return Err(AppError::bad_input(
            "id",
            "the endpoint is disabled: enable it first",
        ));
    }
    let now = ctx.clock.now();
    let since = since.unwrap_or(now - ctx.settings.outbound.webhook_window);
    let txn = begin_write(&ctx.db).await?;
    let failed: Vec<(Uuid, Uuid)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Id)
        .column(delivery::Column::ReleaseId)
        .filter(delivery::Column::OutletId.eq(e.outlet_id))
        .filter(delivery::Column::Channel.eq(Channel::Webhook))
        .filter(delivery::Column::Recipient.eq(e.url.clone()))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Failed))
        .filter(delivery::Column::CreatedAt.gte(since))
        .into_tuple()
        .all(&txn)
        .await?;
    let rows: Vec<_> = failed
        .iter()
        .map(|(d, r)| {
            new_message(
                Channel::Webhook,
                id,
                OutboundEvent::Published,
                Some(*r),
                Some(*d),
                now,
            )
        })
        .collect();
    let n = rows.len();
    enqueue(&txn, rows).await?;
    let change = Change::new(
        viewer.actor(),
        "webhook.replay",
        "webhook_endpoint",
        Some(id),
    )
    .details(json!({"outlet": e.outlet_id, "url": e.url, "since": since, "deliveries": n}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    ctx.outbound_ready.notify_one();
    Ok(n)
}

/// An endpoint's most recent messages, newest first.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn recent(
    ctx: &AppContext,
    id: Uuid,
    first: u64,
) -> AppResult<Vec<outbound_message::Model>> {
    Ok(outbound_message::Entity::find()
        .filter(outbound_message::Column::TargetId.eq(id))
        .filter(outbound_message::Column::Channel.eq(Channel::Webhook))
        .order_by_desc(outbound_message::Column::CreatedAt)
        .limit(first)
        .all(&ctx.db)
        .await?)
}
