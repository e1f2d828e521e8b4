//! What the CSV exports read, page by page (the server streams and words them).
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{delivery, outlet, release};
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// The release whose deliveries `viewer` may export: its unit's spokespersons, ADMIN and
/// AUDITOR. Anyone else is told it does not exist.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn release_for_deliveries(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<release::Model> {
    release::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|r| viewer.sees_unit(r.unit_id, ctx.clock.now()))
        .ok_or_else(|| AppError::not_found("release"))
}

/// Up to `limit` deliveries of `release_id` after `after`, in id order, each with its outlet's
/// name.
#[tracing::instrument(skip_all, fields(release = %release_id), err(Debug, level = "debug"))]
pub async fn deliveries_page(
    ctx: &AppContext,
    release_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> AppResult<Vec<(delivery::Model, String)>> {
    let mut q = delivery::Entity::find().filter(delivery::Column::ReleaseId.eq(release_id));
    if let Some(a) = after {
        q = q.filter(delivery::Column::Id.gt(a));
    }
    let rows = q
        .order_by_asc(delivery::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut outlet_ids: Vec<Uuid> = rows.iter().map(|d| d.outlet_id).collect();
    outlet_ids.sort_unstable();
    outlet_ids.dedup();
    let names: HashMap<Uuid, String> = outlet::Entity::find()
        .filter(outlet::Column::Id.is_in(outlet_ids))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|d| {
            let name = names.get(&d.outlet_id).cloned().unwrap_or_default();
            (d, name)
        })
        .collect())
}
