//! The per-release reach summary (`release_reach`), kept in the transactions that change
//! deliveries: the compliance report reads one row per release rather than every delivery.
//!
//! "Reached" counts outlets, not rows: an outlet with a LIVE and an EMAIL delivery is reached
//! once, by whichever arrives first. Writers call [`lock`] before they change delivery rows,
//! then [`note_reached`] with the rows that became SENT, DELIVERED or ACKNOWLEDGED; on
//! PostgreSQL the lock makes two transactions reaching one outlet by two channels count it
//! once (the second sees the first's committed row). SQLite serialises writers anyway.
use crate::entities::{delivery, release_reach};
use crate::enums::DeliveryStatus;
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Statuses that mean the outlet has the release.
pub const REACHED: [DeliveryStatus; 3] = [
    DeliveryStatus::Sent,
    DeliveryStatus::Delivered,
    DeliveryStatus::Acknowledged,
];

pub fn is_reached(s: DeliveryStatus) -> bool {
    REACHED.contains(&s)
}

/// The summary row of a new publication: `targeted` distinct outlets, none reached yet,
/// `live` LIVE deliveries pending.
pub async fn start(
    txn: &DatabaseTransaction,
    release_id: Uuid,
    targeted: i64,
    live: i64,
) -> AppResult<()> {
    release_reach::Entity::insert(release_reach::ActiveModel {
        release_id: Set(release_id),
        targeted: Set(targeted),
        reached: Set(0),
        live_first_at: Set(None),
        live_last_at: Set(None),
        live_pending: Set(live),
        live_sent: Set(0),
        live_delivered: Set(0),
        live_acknowledged: Set(0),
        live_failed: Set(0),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Locks the summary rows of these releases, in one order, before their deliveries change.
pub async fn lock(txn: &DatabaseTransaction, releases: &BTreeSet<Uuid>) -> AppResult<()> {
    if releases.is_empty() || txn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    release_reach::Entity::find()
        .select_only()
        .column(release_reach::Column::ReleaseId)
        .filter(release_reach::Column::ReleaseId.is_in(releases.iter().copied()))
        .order_by_asc(release_reach::Column::ReleaseId)
        .lock(LockType::Update)
        .into_tuple::<Uuid>()
        .all(txn)
        .await?;
    Ok(())
}

/// `became` lists (release, outlet) of delivery rows this transaction has just moved into a
/// reached status (after the UPDATE). An outlet counts as newly reached when every reached
/// row it now has is one of these.
pub async fn note_reached(txn: &DatabaseTransaction, became: &[(Uuid, Uuid)]) -> AppResult<()> {
    if became.is_empty() {
        return Ok(());
    }
    let mut changed: HashMap<(Uuid, Uuid), i64> = HashMap::new();
    for pair in became {
        *changed.entry(*pair).or_default() += 1;
    }
    let releases: BTreeSet<Uuid> = changed.keys().map(|(r, _)| *r).collect();
    let outlets: BTreeSet<Uuid> = changed.keys().map(|(_, o)| *o).collect();
    let mut now_reached: HashMap<(Uuid, Uuid), i64> = HashMap::new();
    for chunk in outlets.iter().copied().collect::<Vec<_>>().chunks(1_000) {
        let rows: Vec<(Uuid, Uuid, i64)> = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::ReleaseId)
            .column(delivery::Column::OutletId)
            .column_as(Expr::col(delivery::Column::Id).count(), "n")
            .filter(delivery::Column::ReleaseId.is_in(releases.iter().copied()))
            .filter(delivery::Column::OutletId.is_in(chunk.iter().copied()))
            .filter(delivery::Column::Status.is_in(REACHED))
            .group_by(delivery::Column::ReleaseId)
            .group_by(delivery::Column::OutletId)
            .into_tuple()
            .all(txn)
            .await?;
        for (r, o, n) in rows {
            now_reached.insert((r, o), n);
        }
    }
    let mut newly: HashMap<Uuid, i64> = HashMap::new();
    for (pair, n) in &changed {
        if now_reached.get(pair).copied().unwrap_or(0) <= *n {
            *newly.entry(pair.0).or_default() += 1;
        }
    }
    for (release_id, n) in newly {
        release_reach::Entity::update_many()
            .col_expr(
                release_reach::Column::Reached,
                Expr::col(release_reach::Column::Reached).add(n),
            )
            .filter(release_reach::Column::ReleaseId.eq(release_id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

fn live_column(s: DeliveryStatus) -> release_reach::Column {
    match s {
        DeliveryStatus::Pending => release_reach::Column::LivePending,
        DeliveryStatus::Sent => release_reach::Column::LiveSent,
        DeliveryStatus::Delivered => release_reach::Column::LiveDelivered,
        DeliveryStatus::Acknowledged => release_reach::Column::LiveAcknowledged,
        DeliveryStatus::Failed => release_reach::Column::LiveFailed,
    }
}

/// `n` LIVE deliveries of the release moved from status `from` to `to`.
pub async fn note_live_moved(
    txn: &DatabaseTransaction,
    release_id: Uuid,
    from: DeliveryStatus,
    to: DeliveryStatus,
    n: i64,
) -> AppResult<()> {
    if n == 0 || from == to {
        return Ok(());
    }
    let (f, t) = (live_column(from), live_column(to));
    release_reach::Entity::update_many()
        .col_expr(f, Expr::col(f).sub(n))
        .col_expr(t, Expr::col(t).add(n))
        .filter(release_reach::Column::ReleaseId.eq(release_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Widens the release's first/last live delivery times to include `first..=last`.
pub async fn note_live_span(
    txn: &DatabaseTransaction,
    release_id: Uuid,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
) -> AppResult<()> {
    release_reach::Entity::update_many()
        .col_expr(release_reach::Column::LiveFirstAt, Expr::value(first))
        .filter(release_reach::Column::ReleaseId.eq(release_id))
        .filter(
            release_reach::Column::LiveFirstAt
                .is_null()
                .or(release_reach::Column::LiveFirstAt.gt(first)),
        )
        .exec(txn)
        .await?;
    release_reach::Entity::update_many()
        .col_expr(release_reach::Column::LiveLastAt, Expr::value(last))
        .filter(release_reach::Column::ReleaseId.eq(release_id))
        .filter(
            release_reach::Column::LiveLastAt
                .is_null()
                .or(release_reach::Column::LiveLastAt.lt(last)),
        )
        .exec(txn)
        .await?;
    Ok(())
}

/// Recomputes the whole summary from the delivery log (after a bulk load that bypassed the
/// service layer, such as the benchmark's synthetic year).
pub async fn rebuild(db: &sea_orm::DatabaseConnection) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    release_reach::Entity::delete_many().exec(&txn).await?;
    txn.execute_unprepared(pressnet_migrations::REACH_BACKFILL)
        .await?;
    txn.commit().await?;
    Ok(())
}
