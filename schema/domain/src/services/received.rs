//! What reached a journalist's outlet, newest first, with its acknowledgement: the feed's
//! unread state kept by the server, so it survives navigation, a new tab and another device.
//!
//! One row per LIVE delivery (one per release and outlet). The rows are the outlet's
//! deliveries the visibility rule lets the viewer read, joined to the releases it lets the
//! viewer see: a release the outlet was addressed but may no longer see (suspension, a
//! lapsed accreditation) is not listed.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{delivery, release};
use crate::enums::{Channel, Role};
use crate::error::{AppError, AppResult};
use crate::services::page::{page_size, Page};
use crate::services::visibility;
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// One received release.
#[derive(Debug, Clone)]
pub struct Received {
    pub delivery: delivery::Model,
    pub release: release::Model,
}

/// A page of received releases, the outlet's total and how many of those are unread.
pub struct ReceivedPage {
    pub page: Page<Received>,
    pub unread: u64,
}

/// The viewer's outlet's received releases, newest delivery first (delivery ids are UUIDv7,
/// so id order is creation order; the cursor is the last id).
#[tracing::instrument(skip(ctx, viewer), err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    first: i32,
    after: Option<&str>,
    unread_only: bool,
) -> AppResult<ReceivedPage> {
    viewer.require_role(Role::Journalist)?;
    let limit = page_size(first)?;
    let now = ctx.clock.now();
    let seen = Query::select()
        .column(release::Column::Id)
        .from(release::Entity)
        .cond_where(visibility::releases(viewer, now))
        .to_owned();
    let all = Condition::all()
        .add(visibility::deliveries(viewer, now)?)
        .add(delivery::Column::Channel.eq(Channel::Live))
        .add(delivery::Column::ReleaseId.in_subquery(seen));
    let unread_cond = all.clone().add(delivery::Column::AcknowledgedAt.is_null());
    let unread = delivery::Entity::find()
        .filter(unread_cond.clone())
        .count(&ctx.db)
        .await?;
    let (cond, total) = if unread_only {
        (unread_cond, unread)
    } else {
        let total = delivery::Entity::find()
            .filter(all.clone())
            .count(&ctx.db)
            .await?;
        (all, total)
    };
    let mut q = delivery::Entity::find().filter(cond);
    if let Some(c) = after {
        let id = Uuid::parse_str(c)
            .map_err(|_| AppError::bad_input("after", "not a cursor from this list"))?;
        q = q.filter(delivery::Column::Id.lt(id));
    }
    let mut rows = q
        .order_by_desc(delivery::Column::Id)
        .limit(limit + 1)
        .all(&ctx.db)
        .await?;
    let has_next = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let ids = rows.iter().map(|d| d.release_id).collect();
    let mut found =
        crate::db::by_ids::<release::Entity, _>(&ctx.db, release::Column::Id, &ids, |r| r.id)
            .await?;
    let items = rows
        .into_iter()
        .filter_map(|d| {
            let release = found.remove(&d.release_id)?;
            Some((
                d.id.to_string(),
                Received {
                    delivery: d,
                    release,
                },
            ))
        })
        .collect();
    Ok(ReceivedPage {
        page: Page {
            items,
            has_next,
            total,
        },
        unread,
    })
}
