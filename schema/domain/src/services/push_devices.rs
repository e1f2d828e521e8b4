//! Journalists' push devices (issue 19): a browser or phone subscribes with the keys Web Push
//! encrypts for (RFC 8291), after asking for permission on the settings page.
//!
//! The endpoint is an outbound target like a webhook (checked at subscription and before each
//! send); it is unique, so a device that subscribes again (or passes to another account, on a
//! shared newsroom computer) replaces its old row. The keys are checked for shape: a P-256
//! point of 65 bytes and a 16-byte secret, base64url.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::push_subscription;
use crate::enums::Role;
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

/// Devices one journalist may have.
pub(crate) const MAX_PER_ACCOUNT: u64 = 10;

fn key(field: &str, raw: &str, len: usize) -> AppResult<String> {
    let raw = raw.trim().trim_end_matches('=');
    let normalised = raw.replace('+', "-").replace('/', "_");
    match URL_SAFE_NO_PAD.decode(normalised.as_bytes()) {
        Ok(bytes) if bytes.len() == len => Ok(normalised),
        _ => Err(AppError::bad_input(
            field,
            format!("is the base64url of {len} bytes"),
        )),
    }
}

/// Subscribes the viewer's device (JOURNALIST).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn subscribe(
    ctx: &AppContext,
    viewer: &Viewer,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
) -> AppResult<bool> {
    let a = viewer.require_role(Role::Journalist)?;
    if endpoint.len() > 2_000 {
        return Err(AppError::bad_input(
            "endpoint",
            "is at most 2,000 characters",
        ));
    }
    let url =
        crate::outbound::check("endpoint", endpoint, ctx.settings.allow_private_targets).await?;
    let p256dh = key("p256dh", p256dh, 65)?;
    let auth = key("auth", auth, 16)?;
    let existing = push_subscription::Entity::find()
        .filter(push_subscription::Column::AccountId.eq(a.id))
        .count(&ctx.db)
        .await?;
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    let replaced = push_subscription::Entity::delete_many()
        .filter(push_subscription::Column::Endpoint.eq(url.to_string()))
        .exec(&txn)
        .await?
        .rows_affected;
    if replaced == 0 && existing >= MAX_PER_ACCOUNT {
        return Err(AppError::bad_input(
            "endpoint",
            format!("an account has at most {MAX_PER_ACCOUNT} push devices: remove one first"),
        ));
    }
    let model = push_subscription::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(a.id),
        endpoint: Set(url.to_string()),
        p256dh: Set(p256dh),
        auth: Set(auth),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let change = Change::new(
        viewer.actor(),
        "push.subscribe",
        "push_subscription",
        Some(model.id),
    )
    .details(json!({"host": url.host_str()}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(true)
}

/// Removes one of the viewer's devices; false when it was not theirs or not subscribed.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn unsubscribe(ctx: &AppContext, viewer: &Viewer, endpoint: &str) -> AppResult<bool> {
    let a = viewer.require_role(Role::Journalist)?;
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    let n = push_subscription::Entity::delete_many()
        .filter(push_subscription::Column::AccountId.eq(a.id))
        .filter(push_subscription::Column::Endpoint.eq(endpoint.trim()))
        .exec(&txn)
        .await?
        .rows_affected;
    if n > 0 {
        let change = Change::new(
            viewer.actor(),
            "push.unsubscribe",
            "push_subscription",
            None,
        );
        audit::append(&txn, now, change).await?;
    }
    txn.commit().await?;
    Ok(n > 0)
}

/// How many devices the viewer has subscribed.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn count(ctx: &AppContext, viewer: &Viewer) -> AppResult<u64> {
    let a = viewer.signed_in()?;
    Ok(push_subscription::Entity::find()
        .filter(push_subscription::Column::AccountId.eq(a.id))
        .count(&ctx.db)
        .await?)
}
