//! Merged outlets: since 2025 each province's paper, radio and television became one "Báo và
//! Phát thanh, Truyền hình". The merged outlets end at the decision's moment and name their
//! successor; their journalists (with their follows and devices, which hang on the journalist),
//! outlet feeds and webhook endpoints move to it; their delivery history stays their own. The
//! successor inherits the best accreditation among them. Open websockets of the moved
//! journalists close within a second (their outlet is no longer accredited) and reconnect to
//! the successor's feed.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::{any_of, begin_write};
use crate::entities::{journalist, outlet, outlet_feed, webhook_endpoint};
use crate::enums::AccreditationStatus;
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use crate::services::registry::{self, is_accredited, NewOutlet};
use crate::validate;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use std::collections::{BTreeSet, HashSet};
use uuid::Uuid;

const MAX_OUTLETS: usize = 100;

/// The accreditation the successor starts with: accredited (until the latest of the merged
/// outlets' terms, open-ended if any was) when any of them was, else pending.
pub(crate) fn inherited(
    merged: &[outlet::Model],
    now: DateTime<Utc>,
) -> (AccreditationStatus, Option<DateTime<Utc>>) {
    let accredited: Vec<&outlet::Model> = merged.iter().filter(|o| is_accredited(o, now)).collect();
    if accredited.is_empty() {
        return (AccreditationStatus::Pending, None);
    }
    let until = if accredited.iter().any(|o| o.accredited_until.is_none()) {
        None
    } else {
        accredited.iter().filter_map(|o| o.accredited_until).max()
    };
    (AccreditationStatus::Accredited, until)
}

/// Merges `from` into a new outlet (ADMIN).
#[tracing::instrument(skip_all, fields(n = from.len()), err(Debug, level = "debug"))]
pub async fn merge(
    ctx: &AppContext,
    viewer: &Viewer,
    from: Vec<Uuid>,
    mut into: NewOutlet,
    effective_at: DateTime<Utc>,
    decision_ref: &str,
) -> AppResult<outlet::Model> {
    viewer.require_admin()?;
    let decision_ref = validate::text("decisionRef", decision_ref, 200)?;
    if from.is_empty() || from.len() > MAX_OUTLETS {
        return Err(AppError::bad_input(
            "fromOutletIds",
            format!("name between 1 and {MAX_OUTLETS} outlets"),
        ));
    }
    if from.iter().collect::<HashSet<_>>().len() != from.len() {
        return Err(AppError::bad_input(
            "fromOutletIds",
            "an outlet is named twice",
        ));
    }
    let now = ctx.clock.now();
    if effective_at > now + Duration::seconds(60) {
        return Err(AppError::bad_input(
            "effectiveAt",
            "record a merger once it has taken effect (a past moment records history)",
        ));
    }
    let txn = begin_write(&ctx.db).await?;
    let ids: BTreeSet<Uuid> = from.iter().copied().collect();
    let found =
        crate::db::by_ids::<outlet::Entity, _>(&txn, outlet::Column::Id, &ids, |o| o.id).await?;
    let mut merged = Vec::with_capacity(from.len());
    for id in &from {
        let o = found.get(id).ok_or_else(|| {
            AppError::bad_input("fromOutletIds", format!("no outlet has the id {id}"))
        })?;
        if !o.active_at(now) {
            return Err(AppError::bad_input(
                "fromOutletIds",
                format!("{} was already merged", o.name),
            ));
        }
        merged.push(o.clone());
    }
    // The successor is every kind the merged outlets were, unless the decision says.
    if into.media_types.is_empty() {
        into.media_types = merged.iter().flat_map(outlet::Model::media).collect();
    }
    let (status, until) = inherited(&merged, now);
    let successor = registry::insert_outlet(ctx, &txn, into, status, until).await?;
    let b = txn.get_database_backend();
    let mut moved_journalists = 0;
    for cond in any_of(b, journalist::Column::OutletId, &from) {
        moved_journalists += journalist::Entity::update_many()
            .col_expr(journalist::Column::OutletId, Expr::value(successor.id))
            .filter(cond)
            .exec(&txn)
            .await?
            .rows_affected;
    }
    // A feed two of them shared is polled once, for the successor.
    let mut seen = HashSet::new();
    let mut feeds = Vec::new();
    for cond in any_of(b, outlet_feed::Column::OutletId, &from) {
        feeds.extend(outlet_feed::Entity::find().filter(cond).all(&txn).await?);
    }
    for f in feeds {
        if seen.insert(f.url.clone()) {
            outlet_feed::Entity::update_many()
                .col_expr(outlet_feed::Column::OutletId, Expr::value(successor.id))
                .filter(outlet_feed::Column::Id.eq(f.id))
                .exec(&txn)
                .await?;
        } else {
            outlet_feed::Entity::delete_by_id(f.id).exec(&txn).await?;
        }
    }
    for cond in any_of(b, webhook_endpoint::Column::OutletId, &from) {
        webhook_endpoint::Entity::update_many()
            .col_expr(
                webhook_endpoint::Column::OutletId,
                Expr::value(successor.id),
            )
            .filter(cond)
            .exec(&txn)
            .await?;
    }
    for cond in any_of(b, outlet::Column::Id, &from) {
        outlet::Entity::update_many()
            .col_expr(outlet::Column::EndedAt, Expr::value(effective_at))
            .col_expr(outlet::Column::SuccessorId, Expr::value(successor.id))
            .filter(cond)
            .exec(&txn)
            .await?;
    }
    let change = Change::new(
        viewer.actor(),
        "outlets.merge",
        "outlet",
        Some(successor.id),
    )
    .details(json!({
        "from": from,
        "effectiveAt": effective_at,
        "decisionRef": decision_ref,
        "name": successor.name,
        "journalists": moved_journalists,
        "accreditation": successor.accreditation.as_str(),
    }));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(successor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::{OutletKind, OutletScope};

    fn outlet(status: AccreditationStatus, until: Option<DateTime<Utc>>) -> outlet::Model {
        outlet::Model {
            id: Uuid::now_v7(),
            name: "Báo".into(),
            kind: OutletKind::Print,
            scope: OutletScope::Local,
            licence_number: "1".into(),
            email: "a@b.vn".into(),
            accreditation: status,
            accredited_until: until,
            created_at: Utc::now(),
            media_types: None,
            ended_at: None,
            successor_id: None,
        }
    }

    #[test]
    fn the_successor_inherits_the_best_accreditation() {
        use AccreditationStatus::*;
        let now = Utc::now();
        let soon = Some(now + Duration::days(10));
        let later = Some(now + Duration::days(100));
        assert_eq!(
            inherited(&[outlet(Pending, None), outlet(Suspended, None)], now),
            (Pending, None)
        );
        assert_eq!(
            inherited(&[outlet(Accredited, soon), outlet(Accredited, later)], now),
            (Accredited, later)
        );
        assert_eq!(
            inherited(&[outlet(Accredited, soon), outlet(Accredited, None)], now),
            (Accredited, None)
        );
        // A lapsed accreditation is not inherited.
        let lapsed = Some(now - Duration::days(1));
        assert_eq!(
            inherited(&[outlet(Accredited, lapsed), outlet(Revoked, None)], now),
            (Pending, None)
        );
    }
}
