//! The per-release reach summary (`release_reach`), kept in the transactions that change
//! deliveries: the compliance report reads one row per release rather than every delivery,
//! and `/metrics` sums its LIVE and EMAIL counts by status ([`totals`]).
//!
//! "Reached" counts outlets, not rows: an outlet with a LIVE and an EMAIL delivery is reached
//! once, by whichever arrives first. Writers call [`lock`] before they change delivery rows,
//! then [`note_reached`] with the rows that became SENT, DELIVERED or ACKNOWLEDGED; on
//! PostgreSQL the lock makes two transactions reaching one outlet by two channels count it
//! once (the second sees the first's committed row). SQLite serialises writers anyway.
use crate::db::any_of;
use crate::entities::{delivery, release_reach};
use crate::enums::{Channel, DeliveryStatus};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Statuses that mean the outlet has the release.
pub(crate) const REACHED: [DeliveryStatus; 3] = [
    DeliveryStatus::Sent,
    DeliveryStatus::Delivered,
    DeliveryStatus::Acknowledged,
];

pub(crate) fn is_reached(s: DeliveryStatus) -> bool {
    REACHED.contains(&s)
}

/// What a new publication writes: `targeted` distinct outlets, `live` LIVE deliveries
/// pending, and its EMAIL deliveries `email_pending` pending and `email_failed` failed at once
/// (suppressed addresses).
pub struct Start {
    pub targeted: i64,
    pub live: i64,
    pub email_pending: i64,
    pub email_failed: i64,
}

/// The summary row of a new publication; none of its outlets is reached yet.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn start(txn: &DatabaseTransaction, release_id: Uuid, s: Start) -> AppResult<()> {
    release_reach::Entity::insert(release_reach::ActiveModel {
        release_id: Set(release_id),
        targeted: Set(s.targeted),
        reached: Set(0),
        live_first_at: Set(None),
        live_last_at: Set(None),
        live_pending: Set(s.live),
        live_sent: Set(0),
        live_delivered: Set(0),
        live_acknowledged: Set(0),
        live_failed: Set(0),
        email_pending: Set(s.email_pending),
        email_sent: Set(0),
        email_delivered: Set(0),
        email_acknowledged: Set(0),
        email_failed: Set(s.email_failed),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Locks the summary rows of these releases, in one order, before their deliveries change.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
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
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn note_reached(
    txn: &DatabaseTransaction,
    became: &[(Uuid, Uuid)],
) -> AppResult<()> {
    if became.is_empty() {
        return Ok(());
    }
    let mut changed: HashMap<(Uuid, Uuid), i64> = HashMap::new();
    for pair in became {
        *changed.entry(*pair).or_default() += 1;
    }
    let releases: BTreeSet<Uuid> = changed.keys().map(|(r, _)| *r).collect();
    let outlets: BTreeSet<Uuid> = changed.keys().map(|(_, o)| *o).collect();
    let (releases, outlets): (Vec<Uuid>, Vec<Uuid>) = (
        releases.into_iter().collect(),
        outlets.into_iter().collect(),
    );
    let backend = txn.get_database_backend();
    let mut now_reached: HashMap<(Uuid, Uuid), i64> = HashMap::new();
    // One query on PostgreSQL; on SQLite one per pair of chunks. A query may count pairs
    // outside `changed` (a release of one pair, the outlet of another); they are not looked up.
    for by_release in any_of(backend, delivery::Column::ReleaseId, &releases) {
        for by_outlet in any_of(backend, delivery::Column::OutletId, &outlets) {
            let rows: Vec<(Uuid, Uuid, i64)> = delivery::Entity::find()
                .select_only()
                .column(delivery::Column::ReleaseId)
                .column(delivery::Column::OutletId)
                .column_as(Expr::col(delivery::Column::Id).count(), "n")
                .filter(by_release.clone())
                .filter(by_outlet)
                .filter(delivery::Column::Status.is_in(REACHED))
                .group_by(delivery::Column::ReleaseId)
                .group_by(delivery::Column::OutletId)
                .into_tuple()
                .all(txn)
                .await?;
            now_reached.extend(rows.into_iter().map(|(r, o, n)| ((r, o), n)));
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

/// The summary's count of `channel` deliveries in `status`; `None` for a channel it does not
/// count (FEED: no delivery row has it).
fn count_column(channel: Channel, s: DeliveryStatus) -> Option<release_reach::Column> {
    use release_reach::Column as C;
    Some(match (channel, s) {
        (Channel::Live, DeliveryStatus::Pending) => C::LivePending,
        (Channel::Live, DeliveryStatus::Sent) => C::LiveSent,
        (Channel::Live, DeliveryStatus::Delivered) => C::LiveDelivered,
        (Channel::Live, DeliveryStatus::Acknowledged) => C::LiveAcknowledged,
        (Channel::Live, DeliveryStatus::Failed) => C::LiveFailed,
        (Channel::Email, DeliveryStatus::Pending) => C::EmailPending,
        (Channel::Email, DeliveryStatus::Sent) => C::EmailSent,
        (Channel::Email, DeliveryStatus::Delivered) => C::EmailDelivered,
        (Channel::Email, DeliveryStatus::Acknowledged) => C::EmailAcknowledged,
        (Channel::Email, DeliveryStatus::Failed) => C::EmailFailed,
        (Channel::Feed | Channel::Webhook | Channel::Push, _) => return None,
    })
}

/// `n` deliveries of the release on `channel` moved from status `from` to `to`.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub(crate) async fn note_moved(
    txn: &DatabaseTransaction,
    release_id: Uuid,
    channel: Channel,
    from: DeliveryStatus,
    to: DeliveryStatus,
    n: i64,
) -> AppResult<()> {
    if n == 0 || from == to {
        return Ok(());
    }
    let (Some(f), Some(t)) = (count_column(channel, from), count_column(channel, to)) else {
        return Ok(());
    };
    release_reach::Entity::update_many()
        .col_expr(f, Expr::col(f).sub(n))
        .col_expr(t, Expr::col(t).add(n))
        .filter(release_reach::Column::ReleaseId.eq(release_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Deliveries by (channel, status) over the whole log, summed from the summary rows (one per
/// published release) rather than counted from the log: what `/metrics` reports.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn totals<C: ConnectionTrait>(db: &C) -> AppResult<Vec<(Channel, DeliveryStatus, i64)>> {
    let statuses = [
        DeliveryStatus::Pending,
        DeliveryStatus::Sent,
        DeliveryStatus::Delivered,
        DeliveryStatus::Acknowledged,
        DeliveryStatus::Failed,
    ];
    let cells: Vec<(Channel, DeliveryStatus, release_reach::Column)> =
        [Channel::Live, Channel::Email]
            .into_iter()
            .flat_map(|c| statuses.into_iter().map(move |s| (c, s)))
            .filter_map(|(c, s)| count_column(c, s).map(|col| (c, s, col)))
            .collect();
    let mut q = release_reach::Entity::find().select_only();
    for (i, (_, _, col)) in cells.iter().enumerate() {
        // SUM over no rows is NULL, and PostgreSQL's SUM of a BIGINT is a NUMERIC: both are
        // made a BIGINT.
        let sum = Func::coalesce([Expr::col(*col).sum(), Expr::val(0i64)]);
        q = q.column_as(
            Expr::from(Func::cast_as(sum, Alias::new("BIGINT"))),
            format!("c{i}"),
        );
    }
    let row = db.query_one_raw(q.build(db.get_database_backend())).await?;
    let mut out = Vec::with_capacity(cells.len());
    for (i, (c, s, _)) in cells.iter().enumerate() {
        let n = match &row {
            Some(r) => r.try_get::<i64>("", &format!("c{i}"))?,
            None => 0,
        };
        out.push((*c, *s, n));
    }
    Ok(out)
}

/// Widens the release's first/last live delivery times to include `first..=last`.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub(crate) async fn note_live_span(
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
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn rebuild(db: &sea_orm::DatabaseConnection) -> AppResult<()> {
    let txn = crate::db::begin_write(db).await?;
    release_reach::Entity::delete_many().exec(&txn).await?;
    txn.execute_unprepared(pressnet_migrations::REACH_BACKFILL)
        .await?;
    txn.execute_unprepared(pressnet_migrations::REACH_EMAIL_BACKFILL)
        .await?;
    txn.commit().await?;
    Ok(())
}
