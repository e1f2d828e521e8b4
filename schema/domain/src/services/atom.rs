//! What the public Atom feeds carry: published releases addressed to every accredited outlet
//! (never a draft, a scheduled, a retracted or a targeted release), newest first.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{account, release, spokesperson, unit};
use crate::enums::ReleaseStatus;
use crate::error::AppResult;
use crate::services::visibility;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) const FEED_SIZE: u64 = 50;

pub struct Entry {
    pub release: release::Model,
    pub unit_name: String,
    pub speaker: Option<String>,
    /// Its files, in order: the feed's enclosures (the release is public, so are they).
    pub attachments: Vec<crate::entities::attachment::Model>,
}

/// `None` when `unit_code` names no unit.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn public_entries(
    ctx: &AppContext,
    unit_code: Option<&str>,
) -> AppResult<Option<(Option<unit::Model>, Vec<Entry>)>> {
    // What the public sees, by the one rule; retracted releases leave the feed.
    let mut q = release::Entity::find()
        .filter(visibility::releases(&Viewer::default(), ctx.clock.now()))
        .filter(release::Column::Status.eq(ReleaseStatus::Published));
    let mut the_unit = None;
    if let Some(code) = unit_code {
        let Some(u) = unit::Entity::find()
            .filter(unit::Column::Code.eq(code))
            .one(&ctx.db)
            .await?
        else {
            return Ok(None);
        };
        q = q.filter(release::Column::UnitId.eq(u.id));
        the_unit = Some(u);
    }
    let rows = q
        .order_by_desc(release::Column::ListedAt)
        .order_by_desc(release::Column::Id)
        .limit(FEED_SIZE)
        .all(&ctx.db)
        .await?;
    let unit_ids: Vec<Uuid> = rows.iter().map(|r| r.unit_id).collect();
    let units: HashMap<Uuid, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let authors: Vec<Uuid> = rows.iter().filter_map(|r| r.created_by).collect();
    let accounts: HashMap<Uuid, Uuid> = account::Entity::find()
        .filter(account::Column::Id.is_in(authors))
        .all(&ctx.db)
        .await?
        .into_iter()
        .filter_map(|a| a.spokesperson_id.map(|s| (a.id, s)))
        .collect();
    let speakers: HashMap<Uuid, String> = spokesperson::Entity::find()
        .filter(spokesperson::Column::Id.is_in(accounts.values().copied()))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.full_name))
        .collect();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut files: HashMap<Uuid, Vec<crate::entities::attachment::Model>> = HashMap::new();
    for a in crate::services::attachments::of_releases(ctx, &ids).await? {
        files.entry(a.release_id).or_default().push(a);
    }
    let entries = rows
        .into_iter()
        .map(|r| Entry {
            attachments: files.remove(&r.id).unwrap_or_default(),
            unit_name: units.get(&r.unit_id).cloned().unwrap_or_default(),
            speaker: r
                .created_by
                .and_then(|a| accounts.get(&a))
                .and_then(|s| speakers.get(s))
                .cloned(),
            release: r,
        })
        .collect();
    Ok(Some((the_unit, entries)))
}
