//! Outlets' newsroom systems (issue 19): the webhook endpoints ADMIN registers for an outlet.
//!
//! An endpoint's URL is checked as an outbound target (`outbound::check`: http or https, no
//! credentials, a public address unless `PRESSNET_ALLOW_PRIVATE_TARGETS=1`). Its signing
//! secret follows the Standard Webhooks specification: `whsec_` and the base64 of 32 random
//! bytes, returned once by `add` and never again.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::{outlet, webhook_endpoint};
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

/// Endpoints one outlet may have: a newsroom system or two, and a staging copy.
pub const MAX_PER_OUTLET: u64 = 5;

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
