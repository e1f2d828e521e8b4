//! Reorganizations: units merge, split, are renamed or dissolved on a date by a decision
//! (since 1 July 2025: districts gone, departments and communes merged).
//!
//! What happened stays with the unit it happened to: an ended unit keeps its releases,
//! answered questions and compliance history. What is still open passes to the first
//! successor with its original due time, the ended unit's spokespersons' terms end at the
//! moment, and its scheduled releases go back to DRAFT (nothing is sent in the name of a unit
//! that no longer exists). A RENAME keeps the unit (id, history) under its new name and code.
//! Every effect is written in one transaction with the reorganization and its audit event.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::{any_of, begin_write};
use crate::entities::unit::NewUnit;
use crate::entities::{inquiry, press_report, release, reorganization, reorganization_unit};
use crate::entities::{spokesperson, unit};
use crate::enums::{InquiryStatus, PressReportStatus, ReleaseStatus, ReorganizationKind};
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use crate::services::release_status;
use crate::validate;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use std::collections::{BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// The side of a reorganization a unit is on.
pub(crate) const FROM: &str = "FROM";
pub(crate) const INTO: &str = "INTO";
/// Bounds on one decision's size (a province merges a few dozen units at once).
const MAX_UNITS: usize = 500;
/// A reorganization is recorded once it has taken effect; a little clock skew is forgiven.
const SKEW: i64 = 60;

/// What the authority decided.
#[derive(Debug, Clone)]
pub struct Decision {
    pub kind: ReorganizationKind,
    pub effective_at: DateTime<Utc>,
    pub decision_ref: String,
    pub from_unit_ids: Vec<Uuid>,
    pub into_unit_ids: Vec<Uuid>,
    pub new_units: Vec<NewUnit>,
}

/// A reorganization with the units on each side, in the order given.
#[derive(Debug, Clone)]
pub struct Reorganization {
    pub model: reorganization::Model,
    pub from: Vec<Uuid>,
    pub into: Vec<Uuid>,
}

/// What a reorganization moved, for the audit event and the caller.
#[derive(Debug, Clone, Default)]
pub(crate) struct Moved {
    pub inquiries: u64,
    pub press_reports: u64,
    pub terms_ended: u64,
    pub releases_unscheduled: usize,
}

/// The shape each kind requires, checked before anything is read.
fn check_shape(d: &Decision) -> AppResult<()> {
    let (from, into, new) = (
        d.from_unit_ids.len(),
        d.into_unit_ids.len(),
        d.new_units.len(),
    );
    if from == 0 {
        return Err(AppError::bad_input("fromUnitIds", "name at least one unit"));
    }
    if from + into + new > MAX_UNITS {
        return Err(AppError::bad_input(
            "fromUnitIds",
            format!("a reorganization names at most {MAX_UNITS} units"),
        ));
    }
    let distinct: HashSet<&Uuid> = d.from_unit_ids.iter().chain(&d.into_unit_ids).collect();
    if distinct.len() != from + into {
        return Err(AppError::bad_input(
            "intoUnitIds",
            "a unit is named twice (a unit cannot be merged into itself)",
        ));
    }
    match d.kind {
        ReorganizationKind::Merge if into + new != 1 => Err(AppError::bad_input(
            "intoUnitIds",
            "a merger has one resulting unit: one of intoUnitIds or newUnits",
        )),
        ReorganizationKind::Split if from != 1 || into + new < 2 => Err(AppError::bad_input(
            "fromUnitIds",
            "a split divides one unit into at least two (intoUnitIds and newUnits)",
        )),
        ReorganizationKind::Rename if from != 1 || into != 0 || new != 1 => {
            Err(AppError::bad_input(
                "newUnits",
                "a rename names one unit and gives its new name and code in newUnits",
            ))
        }
        ReorganizationKind::Dissolve if new != 0 => Err(AppError::bad_input(
            "newUnits",
            "a dissolution creates no unit: name the units that take over in intoUnitIds",
        )),
        _ => Ok(()),
    }
}

/// Records a reorganization and applies its effects (ADMIN).
#[tracing::instrument(skip_all, fields(kind = d.kind.as_str()), err(Debug, level = "debug"))]
pub async fn reorganize(
    ctx: &AppContext,
    viewer: &Viewer,
    d: Decision,
) -> AppResult<Reorganization> {
    viewer.require_admin()?;
    check_shape(&d)?;
    let decision_ref = validate::text("decisionRef", &d.decision_ref, 200)?;
    let now = ctx.clock.now();
    let at = d.effective_at;
    if at > now + Duration::seconds(SKEW) {
        return Err(AppError::bad_input(
            "effectiveAt",
            "record a reorganization once it has taken effect (a past moment records history)",
        ));
    }
    let mut new_units = Vec::with_capacity(d.new_units.len());
    let mut codes = HashSet::new();
    for (i, n) in d.new_units.iter().enumerate() {
        let code = validate::code(&format!("newUnits[{i}].code"), &n.code)?;
        let name = validate::text(&format!("newUnits[{i}].name"), &n.name, 300)?;
        if !codes.insert(code.clone()) {
            return Err(AppError::bad_input(
                "newUnits",
                format!("the code {code} is given twice"),
            ));
        }
        new_units.push((code, name, n));
    }

    let txn = begin_write(&ctx.db).await?;
    let named: BTreeSet<Uuid> = d
        .from_unit_ids
        .iter()
        .chain(&d.into_unit_ids)
        .chain(d.new_units.iter().filter_map(|n| n.parent_id.as_ref()))
        .copied()
        .collect();
    let units =
        crate::db::by_ids::<unit::Entity, _>(&txn, unit::Column::Id, &named, |u| u.id).await?;
    for (field, ids) in [
        ("fromUnitIds", &d.from_unit_ids),
        ("intoUnitIds", &d.into_unit_ids),
    ] {
        for id in ids {
            let u = units
                .get(id)
                .ok_or_else(|| AppError::bad_input(field, format!("no unit has the id {id}")))?;
            if let Some(ended) = u.ended_at {
                return Err(AppError::bad_input(
                    field,
                    format!(
                        "{} ({}) already ended on {}",
                        u.name,
                        u.code,
                        ended.to_rfc3339()
                    ),
                ));
            }
            if u.started_at.is_some_and(|s| s > at) {
                return Err(AppError::bad_input(
                    "effectiveAt",
                    format!("{} ({}) did not exist yet at that moment", u.name, u.code),
                ));
            }
        }
    }
    for (code, _, n) in &new_units {
        if let Some(pid) = n.parent_id {
            if !units.contains_key(&pid) {
                return Err(AppError::bad_input("newUnits", "no unit has this parentId"));
            }
        }
        let taken = unit::Entity::find()
            .filter(unit::Column::Code.eq(code.as_str()))
            .one(&txn)
            .await?;
        // A rename may keep its code.
        let own = d.kind == ReorganizationKind::Rename
            && taken
                .as_ref()
                .is_some_and(|t| d.from_unit_ids.first() == Some(&t.id));
        if taken.is_some() && !own {
            return Err(AppError::Conflict(format!(
                "a unit with code {code} already exists"
            )));
        }
    }

    let mut previous = (None, None);
    let mut into = d.into_unit_ids.clone();
    if d.kind == ReorganizationKind::Rename {
        // The shape was checked: one unit, one new name.
        let (Some(&id), Some((code, name, n))) = (d.from_unit_ids.first(), new_units.first())
        else {
            return Err(AppError::bad_input(
                "newUnits",
                "a rename gives one new name",
            ));
        };
        let old = units
            .get(&id)
            .cloned()
            .ok_or_else(|| AppError::not_found("unit"))?;
        previous = (Some(old.name.clone()), Some(old.code.clone()));
        let mut am: unit::ActiveModel = old.into();
        am.code = Set(code.clone());
        am.name = Set(name.clone());
        am.level = Set(n.level);
        if n.parent_id.is_some() {
            am.parent_id = Set(n.parent_id);
        }
        am.update(&txn).await?;
        into.push(id);
    } else {
        for (code, name, n) in &new_units {
            let u = unit::insert(&txn, code.clone(), name.clone(), n, now, Some(at)).await?;
            into.push(u.id);
        }
        // A dissolution with no one named hands its duties to the parent unit.
        if d.kind == ReorganizationKind::Dissolve && into.is_empty() {
            let parents: BTreeSet<Uuid> = d
                .from_unit_ids
                .iter()
                .filter_map(|id| units.get(id).and_then(|u| u.parent_id))
                .filter(|p| !d.from_unit_ids.contains(p))
                .collect();
            into.extend(parents);
        }
    }

    let mut moved = Moved::default();
    if d.kind != ReorganizationKind::Rename {
        moved = end_units(&txn, &d.from_unit_ids, into.first().copied(), at, now).await?;
    }

    let model = reorganization::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(d.kind),
        effective_at: Set(at),
        decision_ref: Set(decision_ref),
        previous_name: Set(previous.0),
        previous_code: Set(previous.1),
        created_at: Set(now),
        created_by: Set(viewer.actor()),
    }
    .insert(&txn)
    .await?;
    let sides: Vec<reorganization_unit::ActiveModel> = d
        .from_unit_ids
        .iter()
        .enumerate()
        .map(|(i, u)| (FROM, i, *u))
        .chain(into.iter().enumerate().map(|(i, u)| (INTO, i, *u)))
        .map(|(side, i, u)| reorganization_unit::ActiveModel {
            reorganization_id: Set(model.id),
            side: Set(side.to_owned()),
            unit_id: Set(u),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
        })
        .collect();
    for chunk in sides.chunks(500) {
        reorganization_unit::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    let change = Change::new(
        viewer.actor(),
        "units.reorganize",
        "reorganization",
        Some(model.id),
    )
    .details(json!({
        "kind": model.kind.as_str(),
        "effectiveAt": at,
        "decisionRef": model.decision_ref,
        "from": d.from_unit_ids,
        "into": into,
        "moved": {
            "inquiries": moved.inquiries,
            "pressReports": moved.press_reports,
            "termsEnded": moved.terms_ended,
            "releasesUnscheduled": moved.releases_unscheduled,
        },
    }));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(Reorganization {
        model,
        from: d.from_unit_ids,
        into,
    })
}

/// Ends `ended` at `at`: open items pass to `successor` (due times kept), spokespersons'
/// terms end, scheduled releases return to DRAFT through the release status's owner.
async fn end_units(
    txn: &DatabaseTransaction,
    ended: &[Uuid],
    successor: Option<Uuid>,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<Moved> {
    let b = txn.get_database_backend();
    let mut moved = Moved::default();
    for cond in any_of(b, unit::Column::Id, ended) {
        unit::Entity::update_many()
            .col_expr(unit::Column::EndedAt, Expr::value(at))
            .filter(cond)
            .exec(txn)
            .await?;
    }
    for cond in any_of(b, spokesperson::Column::UnitId, ended) {
        // A term that began after the moment (recorded late) ends where it began.
        let until = Expr::case(
            spokesperson::Column::ActiveFrom.gt(at),
            Expr::col(spokesperson::Column::ActiveFrom),
        )
        .finally(Expr::value(at));
        moved.terms_ended += spokesperson::Entity::update_many()
            .col_expr(spokesperson::Column::ActiveUntil, until.into())
            .filter(cond)
            .filter(
                sea_orm::Condition::any()
                    .add(spokesperson::Column::ActiveUntil.is_null())
                    .add(spokesperson::Column::ActiveUntil.gt(at)),
            )
            .exec(txn)
            .await?
            .rows_affected;
    }
    if let Some(to) = successor {
        for cond in any_of(b, inquiry::Column::UnitId, ended) {
            moved.inquiries += inquiry::Entity::update_many()
                .col_expr(inquiry::Column::UnitId, Expr::value(to))
                .filter(cond)
                .filter(inquiry::Column::Status.eq(InquiryStatus::Open))
                .exec(txn)
                .await?
                .rows_affected;
        }
        for cond in any_of(b, press_report::Column::UnitId, ended) {
            moved.press_reports += press_report::Entity::update_many()
                .col_expr(press_report::Column::UnitId, Expr::value(to))
                .filter(cond)
                .filter(press_report::Column::Status.eq(PressReportStatus::Open))
                .exec(txn)
                .await?
                .rows_affected;
        }
    }
    for cond in any_of(b, release::Column::UnitId, ended) {
        let scheduled = release::Entity::find()
            .filter(cond)
            .filter(release::Column::Status.eq(ReleaseStatus::Scheduled))
            .all(txn)
            .await?;
        for r in scheduled {
            release_status::change(txn, r, ReleaseStatus::Draft, |am| {
                am.publish_at = Set(None);
                am.updated_at = Set(now);
            })
            .await?;
            moved.releases_unscheduled += 1;
        }
    }
    Ok(moved)
}

/// Every reorganization, oldest first (public).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn list(ctx: &AppContext) -> AppResult<Vec<Reorganization>> {
    let models = reorganization::Entity::find()
        .order_by_asc(reorganization::Column::EffectiveAt)
        .order_by_asc(reorganization::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    /// Units of one side, with their positions.
    type Side = Vec<(i32, Uuid)>;
    let mut sides: HashMap<Uuid, (Side, Side)> = HashMap::new();
    for s in reorganization_unit::Entity::find().all(&ctx.db).await? {
        let e = sides.entry(s.reorganization_id).or_default();
        if s.side == FROM {
            e.0.push((s.position, s.unit_id));
        } else {
            e.1.push((s.position, s.unit_id));
        }
    }
    Ok(models
        .into_iter()
        .map(|model| {
            let (mut from, mut into) = sides.remove(&model.id).unwrap_or_default();
            from.sort();
            into.sort();
            Reorganization {
                model,
                from: from.into_iter().map(|(_, u)| u).collect(),
                into: into.into_iter().map(|(_, u)| u).collect(),
            }
        })
        .collect())
}

/// Each unit's successors (units that took its duties over) or predecessors, in the order of
/// the reorganizations; a rename is neither.
#[tracing::instrument(skip_all, fields(n = units.len()), err(Debug, level = "debug"))]
pub async fn lineage<C: ConnectionTrait>(
    db: &C,
    units: &[Uuid],
    successors: bool,
) -> AppResult<HashMap<Uuid, Vec<Uuid>>> {
    let b = db.get_database_backend();
    let (mine, theirs) = if successors {
        (FROM, INTO)
    } else {
        (INTO, FROM)
    };
    let mut reorgs: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for cond in any_of(b, reorganization_unit::Column::UnitId, units) {
        for s in reorganization_unit::Entity::find()
            .filter(cond)
            .filter(reorganization_unit::Column::Side.eq(mine))
            .all(db)
            .await?
        {
            reorgs
                .entry(s.reorganization_id)
                .or_default()
                .push(s.unit_id);
        }
    }
    let ids: Vec<Uuid> = reorgs.keys().copied().collect();
    let mut other: Vec<reorganization_unit::Model> = Vec::new();
    for cond in any_of(b, reorganization_unit::Column::ReorganizationId, &ids) {
        other.extend(
            reorganization_unit::Entity::find()
                .filter(cond)
                .filter(reorganization_unit::Column::Side.eq(theirs))
                .order_by_asc(reorganization_unit::Column::Position)
                .all(db)
                .await?,
        );
    }
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for o in other {
        for u in reorgs.get(&o.reorganization_id).into_iter().flatten() {
            if *u != o.unit_id {
                let list = out.entry(*u).or_default();
                if !list.contains(&o.unit_id) {
                    list.push(o.unit_id);
                }
            }
        }
    }
    Ok(out)
}

/// Refuses an act addressed to a unit that has ended, naming who answers for it now.
pub(crate) async fn refuse_if_ended(
    ctx: &AppContext,
    u: &unit::Model,
    field: &str,
) -> AppResult<()> {
    let now = ctx.clock.now();
    if u.active_at(now) {
        return Ok(());
    }
    let ids = lineage(&ctx.db, &[u.id], true)
        .await?
        .remove(&u.id)
        .unwrap_or_default();
    let set: BTreeSet<Uuid> = ids.iter().copied().collect();
    let found =
        crate::db::by_ids::<unit::Entity, _>(&ctx.db, unit::Column::Id, &set, |u| u.id).await?;
    let names: Vec<String> = ids
        .iter()
        .filter_map(|id| found.get(id))
        .map(|s| format!("{} ({})", s.name, s.code))
        .collect();
    let msg = if names.is_empty() {
        format!("{} ({}) no longer exists", u.name, u.code)
    } else {
        format!(
            "{} ({}) no longer exists; its successor: {}",
            u.name,
            u.code,
            names.join(", ")
        )
    };
    Err(AppError::bad_input(field, msg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::UnitLevel;

    fn decision(kind: ReorganizationKind, from: usize, into: usize, new: usize) -> Decision {
        Decision {
            kind,
            effective_at: Utc::now(),
            decision_ref: "QĐ 1".into(),
            from_unit_ids: (0..from).map(|_| Uuid::now_v7()).collect(),
            into_unit_ids: (0..into).map(|_| Uuid::now_v7()).collect(),
            new_units: (0..new)
                .map(|i| NewUnit {
                    code: format!("N{i}"),
                    name: format!("New {i}"),
                    level: UnitLevel::Department,
                    parent_id: None,
                })
                .collect(),
        }
    }

    #[test]
    fn each_kind_has_its_shape() {
        use ReorganizationKind::*;
        assert!(check_shape(&decision(Merge, 2, 1, 0)).is_ok());
        assert!(check_shape(&decision(Merge, 2, 0, 1)).is_ok());
        assert!(check_shape(&decision(Merge, 2, 1, 1)).is_err());
        assert!(check_shape(&decision(Merge, 0, 1, 0)).is_err());
        assert!(check_shape(&decision(Split, 1, 1, 1)).is_ok());
        assert!(check_shape(&decision(Split, 1, 0, 1)).is_err());
        assert!(check_shape(&decision(Split, 2, 0, 2)).is_err());
        assert!(check_shape(&decision(Rename, 1, 0, 1)).is_ok());
        assert!(check_shape(&decision(Rename, 1, 1, 0)).is_err());
        assert!(check_shape(&decision(Dissolve, 1, 0, 0)).is_ok());
        assert!(check_shape(&decision(Dissolve, 1, 0, 1)).is_err());
        let mut twice = decision(Merge, 2, 1, 0);
        twice.into_unit_ids[0] = twice.from_unit_ids[0];
        assert!(check_shape(&twice).is_err());
    }
}
