//! The annual communication plan (kế hoạch truyền thông hằng năm; Gia Lai asks every unit for
//! one): items with a kind and a due date, carried out through the year. A published release
//! linked to an item (`CreateReleaseInput.planItemId`) marks it done.
use crate::auth::Viewer;
use crate::clock::vn_start_of;
use crate::context::AppContext;
use crate::db::{any_of, begin_write};
use crate::entities::{plan_item, release, unit};
use crate::enums::PlanItemKind;
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use crate::services::{reorganizations, visibility};
use crate::validate;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Items one plan may hold.
const MAX_ITEMS: usize = 300;

/// An item as the unit writes it.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub title: String,
    pub kind: PlanItemKind,
    pub due_at: DateTime<Utc>,
}

/// A unit's plan for one year, in its order.
#[derive(Debug, Clone)]
pub struct Plan {
    pub unit: unit::Model,
    pub year: i32,
    pub items: Vec<plan_item::Model>,
}

/// The bounds of a calendar year in Vietnam.
fn year_bounds(year: i32) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_input("year", "a year between 2000 and 2100"));
    }
    let start = NaiveDate::from_ymd_opt(year, 1, 1);
    let end = NaiveDate::from_ymd_opt(year + 1, 1, 1);
    match (start, end) {
        (Some(s), Some(e)) => Ok((vn_start_of(s), vn_start_of(e))),
        _ => Err(AppError::bad_input("year", "not a year")),
    }
}

/// Refuses a `planItemId` that is not an item of `unit_id`'s plan.
pub(crate) async fn check_item_of(ctx: &AppContext, item: Uuid, unit_id: Uuid) -> AppResult<()> {
    match plan_item::Entity::find_by_id(item).one(&ctx.db).await? {
        Some(i) if i.unit_id == unit_id => Ok(()),
        _ => Err(AppError::bad_input(
            "planItemId",
            "not an item of this unit's communication plan",
        )),
    }
}

/// The unit's plan for `year` (the unit's spokespersons, ADMIN, AUDITOR); `None` when there
/// is no such unit.
#[tracing::instrument(skip_all, fields(unit = %unit_id, year), err(Debug, level = "debug"))]
pub async fn get(
    ctx: &AppContext,
    viewer: &Viewer,
    unit_id: Uuid,
    year: i32,
) -> AppResult<Option<Plan>> {
    viewer.signed_in()?;
    year_bounds(year)?;
    if !viewer.sees_unit(unit_id, ctx.clock.now()) {
        return Err(AppError::forbidden(
            "a unit's plan is for the unit, ADMIN and AUDITOR",
        ));
    }
    let Some(u) = unit::Entity::find_by_id(unit_id).one(&ctx.db).await? else {
        return Ok(None);
    };
    let items = items(&ctx.db, unit_id, year).await?;
    Ok(Some(Plan {
        unit: u,
        year,
        items,
    }))
}

async fn items<C: ConnectionTrait>(
    db: &C,
    unit_id: Uuid,
    year: i32,
) -> AppResult<Vec<plan_item::Model>> {
    Ok(plan_item::Entity::find()
        .filter(plan_item::Column::UnitId.eq(unit_id))
        .filter(plan_item::Column::Year.eq(year))
        .order_by_asc(plan_item::Column::Position)
        .all(db)
        .await?)
}

/// Writes the unit's plan for `year` (an active spokesperson of the unit). An item whose
/// title stays keeps its identity (and the releases linked to it); an item removed while a
/// release is linked to it is refused.
#[tracing::instrument(skip_all, fields(unit = %unit_id, year, n = list.len()), err(Debug, level = "debug"))]
pub async fn set(
    ctx: &AppContext,
    viewer: &Viewer,
    unit_id: Uuid,
    year: i32,
    list: Vec<NewItem>,
) -> AppResult<Plan> {
    let now = ctx.clock.now();
    let u = unit::Entity::find_by_id(unit_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::bad_input("unitId", "no unit has this id"))?;
    let author = viewer.require_unit_voice(unit_id, now)?;
    reorganizations::refuse_if_ended(ctx, &u, "unitId").await?;
    let (start, end) = year_bounds(year)?;
    if list.len() > MAX_ITEMS {
        return Err(AppError::bad_input(
            "items",
            format!("a plan holds at most {MAX_ITEMS} items"),
        ));
    }
    let mut titles = HashSet::new();
    let mut wanted = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        let title = validate::text(&format!("items[{i}].title"), &item.title, 500)?;
        if !titles.insert(title.clone()) {
            return Err(AppError::bad_input(
                "items",
                format!("the item “{title}” is listed twice"),
            ));
        }
        if item.due_at < start || item.due_at >= end {
            return Err(AppError::bad_input(
                format!("items[{i}].dueAt"),
                format!("falls outside {year}"),
            ));
        }
        wanted.push((title, item));
    }

    let txn = begin_write(&ctx.db).await?;
    let existing = items(&txn, unit_id, year).await?;
    let mut by_title: HashMap<String, plan_item::Model> =
        existing.into_iter().map(|i| (i.title.clone(), i)).collect();
    for (i, (title, item)) in wanted.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        match by_title.remove(title) {
            Some(old) => {
                let mut am: plan_item::ActiveModel = old.into();
                am.kind = Set(item.kind);
                am.due_at = Set(item.due_at);
                am.position = Set(position);
                am.update(&txn).await?;
            }
            None => {
                plan_item::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    unit_id: Set(unit_id),
                    year: Set(year),
                    position: Set(position),
                    title: Set(title.clone()),
                    kind: Set(item.kind),
                    due_at: Set(item.due_at),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    let removed: Vec<Uuid> = by_title.values().map(|i| i.id).collect();
    for cond in any_of(
        txn.get_database_backend(),
        release::Column::PlanItemId,
        &removed,
    ) {
        if let Some(r) = release::Entity::find().filter(cond).one(&txn).await? {
            let item = by_title
                .values()
                .find(|i| Some(i.id) == r.plan_item_id)
                .map_or("", |i| i.title.as_str());
            return Err(AppError::Conflict(format!(
                "the item “{item}” has a release linked to it; keep it in the plan"
            )));
        }
    }
    for cond in any_of(txn.get_database_backend(), plan_item::Column::Id, &removed) {
        plan_item::Entity::delete_many()
            .filter(cond)
            .exec(&txn)
            .await?;
    }
    let items = items(&txn, unit_id, year).await?;
    let change = Change::new(Some(author.id), "plan.set", "unit", Some(unit_id))
        .details(json!({"year": year, "items": items.len(), "removed": removed.len()}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(Plan {
        unit: u,
        year,
        items,
    })
}

/// The releases linked to each item that `viewer` may see, oldest first.
#[tracing::instrument(skip_all, fields(n = items.len()), err(Debug, level = "debug"))]
pub async fn releases_of(
    ctx: &AppContext,
    viewer: &Viewer,
    items: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<release::Model>>> {
    let now = ctx.clock.now();
    let mut out: HashMap<Uuid, Vec<release::Model>> = HashMap::new();
    for cond in any_of(
        ctx.db.get_database_backend(),
        release::Column::PlanItemId,
        items,
    ) {
        for r in release::Entity::find()
            .filter(cond)
            .filter(visibility::releases(viewer, now))
            .order_by_asc(release::Column::CreatedAt)
            .all(&ctx.db)
            .await?
        {
            if let Some(i) = r.plan_item_id {
                out.entry(i).or_default().push(r);
            }
        }
    }
    Ok(out)
}

/// Which of `items` are done: a release linked to it was published (whoever asks).
#[tracing::instrument(skip_all, fields(n = items.len()), err(Debug, level = "debug"))]
pub async fn done<C: ConnectionTrait>(db: &C, items: &[Uuid]) -> AppResult<HashSet<Uuid>> {
    let mut out = HashSet::new();
    for cond in any_of(
        db.get_database_backend(),
        release::Column::PlanItemId,
        items,
    ) {
        for r in release::Entity::find()
            .filter(cond)
            .filter(release::Column::PublishedAt.is_not_null())
            .all(db)
            .await?
        {
            out.extend(r.plan_item_id);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_year_is_a_vietnamese_calendar_year() {
        let (s, e) = year_bounds(2026).unwrap_or_default();
        assert_eq!(s.to_rfc3339(), "2025-12-31T17:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-12-31T17:00:00+00:00");
        assert!(year_bounds(1999).is_err());
        assert!(year_bounds(2101).is_err());
    }
}
