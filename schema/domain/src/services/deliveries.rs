//! The delivery log: who may read which rows, stats, acknowledgement, and recording that a
//! live frame went out.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{delivery, download, release_reach};
use crate::enums::{Channel, DeliveryStatus, Role};
use crate::error::{AppError, AppResult};
use crate::events::marks::Mark;
use crate::services::audit::Change;
use crate::services::ledger::{Before, Ledger, Transition};
use crate::services::page::{page_size, Page};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// Counts of one release's LIVE deliveries (one per addressed outlet), by status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub targeted: i64,
    pub pending: i64,
    pub sent: i64,
    pub delivered: i64,
    pub acknowledged: i64,
    pub failed: i64,
    /// Time between the first and the last outlet's live delivery (equal access).
    pub spread_ms: Option<i64>,
}

#[derive(Default)]
pub struct DeliveryFilter {
    pub release_id: Option<Uuid>,
    pub outlet_id: Option<Uuid>,
    pub channel: Option<Channel>,
    pub status: Option<DeliveryStatus>,
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    f: DeliveryFilter,
    first: i32,
    after: Option<&str>,
) -> AppResult<Page<delivery::Model>> {
    let limit = page_size(first)?;
    let mut cond = crate::services::visibility::deliveries(viewer, ctx.clock.now())?;
    if let Some(v) = f.release_id {
        cond = cond.add(delivery::Column::ReleaseId.eq(v));
    }
    if let Some(v) = f.outlet_id {
        cond = cond.add(delivery::Column::OutletId.eq(v));
    }
    if let Some(v) = f.channel {
        cond = cond.add(delivery::Column::Channel.eq(v));
    }
    if let Some(v) = f.status {
        cond = cond.add(delivery::Column::Status.eq(v));
    }
    let total = delivery::Entity::find()
        .filter(cond.clone())
        .count(&ctx.db)
        .await?;
    let mut q = delivery::Entity::find().filter(cond);
    if let Some(c) = after {
        let id = Uuid::parse_str(c)
            .map_err(|_| AppError::bad_input("after", "not a cursor from this list"))?;
        q = q.filter(delivery::Column::Id.gt(id));
    }
    let mut rows = q
        .order_by_asc(delivery::Column::Id)
        .limit(limit + 1)
        .all(&ctx.db)
        .await?;
    let has_next = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok(Page {
        items: rows.into_iter().map(|d| (d.id.to_string(), d)).collect(),
        has_next,
        total,
    })
}

/// (release, status, count, first delivered, last delivered) of one group.
type StatsRow = (
    Uuid,
    DeliveryStatus,
    i64,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);
/// First and last live delivery time of one release.
type Span = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Stats for many releases; `outlet` restricts to one outlet's part. A whole release's
/// figures come from its reach summary (one row each), an outlet's part from the log.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn stats_for<C: ConnectionTrait>(
    db: &C,
    release_ids: &[Uuid],
    outlet: Option<Uuid>,
) -> AppResult<HashMap<Uuid, Stats>> {
    match outlet {
        None => stats_from_summary(db, release_ids).await,
        Some(_) => stats_from_log(db, release_ids, outlet).await,
    }
}

/// Release id -> (downloads of its files, outlets they came from); `outlet` restricts to one
/// outlet's. One grouped query over the download log's release index, asked only when a
/// client selects the figures (release lists do not pay for it).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn download_counts<C: ConnectionTrait>(
    db: &C,
    release_ids: &[Uuid],
    outlet: Option<Uuid>,
) -> AppResult<HashMap<Uuid, (i64, i64)>> {
    let mut out = HashMap::new();
    for cond in any_of(
        db.get_database_backend(),
        download::Column::ReleaseId,
        release_ids,
    ) {
        let mut q = download::Entity::find()
            .select_only()
            .column(download::Column::ReleaseId)
            .column_as(Expr::col(download::Column::Id).count(), "n")
            .column_as(
                Expr::col(download::Column::OutletId).count_distinct(),
                "outlets",
            )
            .filter(cond)
            .group_by(download::Column::ReleaseId);
        if let Some(o) = outlet {
            q = q.filter(download::Column::OutletId.eq(o));
        }
        let rows = q.into_tuple::<(Uuid, i64, i64)>().all(db).await?;
        out.extend(rows.into_iter().map(|(r, n, o)| (r, (n, o))));
    }
    Ok(out)
}

async fn stats_from_summary<C: ConnectionTrait>(
    db: &C,
    release_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Stats>> {
    let mut out: HashMap<Uuid, Stats> = release_ids
        .iter()
        .map(|id| (*id, Stats::default()))
        .collect();
    for cond in any_of(
        db.get_database_backend(),
        release_reach::Column::ReleaseId,
        release_ids,
    ) {
        for r in release_reach::Entity::find().filter(cond).all(db).await? {
            out.insert(
                r.release_id,
                Stats {
                    targeted: r.live_pending
                        + r.live_sent
                        + r.live_delivered
                        + r.live_acknowledged
                        + r.live_failed,
                    pending: r.live_pending,
                    sent: r.live_sent,
                    delivered: r.live_delivered,
                    acknowledged: r.live_acknowledged,
                    failed: r.live_failed,
                    spread_ms: match (r.live_first_at, r.live_last_at) {
                        (Some(f), Some(l)) => Some((l - f).num_milliseconds()),
                        _ => None,
                    },
                },
            );
        }
    }
    Ok(out)
}

/// Stats counted from the delivery log itself, in one grouped query.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn stats_from_log<C: ConnectionTrait>(
    db: &C,
    release_ids: &[Uuid],
    outlet: Option<Uuid>,
) -> AppResult<HashMap<Uuid, Stats>> {
    let mut q = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::ReleaseId)
        .column(delivery::Column::Status)
        .column_as(Expr::col(delivery::Column::Id).count(), "n")
        .column_as(Expr::col(delivery::Column::DeliveredAt).min(), "first_at")
        .column_as(Expr::col(delivery::Column::DeliveredAt).max(), "last_at")
        .filter(delivery::Column::ReleaseId.is_in(release_ids.iter().copied()))
        .filter(delivery::Column::Channel.eq(Channel::Live))
        .group_by(delivery::Column::ReleaseId)
        .group_by(delivery::Column::Status);
    if let Some(o) = outlet {
        q = q.filter(delivery::Column::OutletId.eq(o));
    }
    let rows: Vec<StatsRow> = q.into_tuple().all(db).await?;
    let mut out: HashMap<Uuid, Stats> = release_ids
        .iter()
        .map(|id| (*id, Stats::default()))
        .collect();
    let mut bounds: HashMap<Uuid, Span> = HashMap::new();
    for (rid, status, n, first, last) in rows {
        let s = out.entry(rid).or_default();
        s.targeted += n;
        match status {
            DeliveryStatus::Pending => s.pending += n,
            DeliveryStatus::Sent => s.sent += n,
            DeliveryStatus::Delivered => s.delivered += n,
            DeliveryStatus::Acknowledged => s.acknowledged += n,
            DeliveryStatus::Failed => s.failed += n,
        }
        let b = bounds.entry(rid).or_default();
        b.0 = match (b.0, first) {
            (Some(a), Some(f)) => Some(std::cmp::min(a, f)),
            (a, f) => a.or(f),
        };
        b.1 = match (b.1, last) {
            (Some(a), Some(l)) => Some(std::cmp::max(a, l)),
            (a, l) => a.or(l),
        };
    }
    for (rid, (first, last)) in bounds {
        if let (Some(f), Some(l), Some(s)) = (first, last, out.get_mut(&rid)) {
            s.spread_ms = Some((l - f).num_milliseconds());
        }
    }
    Ok(out)
}

/// A journalist acknowledges their outlet's LIVE delivery of a release.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn acknowledge(
    ctx: &AppContext,
    viewer: &Viewer,
    release_id: Uuid,
) -> AppResult<delivery::Model> {
    let a = viewer.require_role(Role::Journalist)?;
    let (Some(outlet_id), Some(journalist_id)) = (a.outlet_id, a.journalist_id) else {
        return Err(AppError::forbidden(
            "this account is not a journalist of an outlet",
        ));
    };
    if viewer.press_outlet(ctx.clock.now()).is_none() {
        return Err(AppError::forbidden("your outlet is not accredited"));
    }
    let d = delivery::Entity::find()
        .filter(delivery::Column::ReleaseId.eq(release_id))
        .filter(delivery::Column::OutletId.eq(outlet_id))
        .filter(delivery::Column::Channel.eq(Channel::Live))
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    if d.status == DeliveryStatus::Acknowledged {
        return Ok(d);
    }
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let mut ledger = Ledger::open(&txn, &BTreeSet::from([release_id])).await?;
    // Read again under the lock: the frame may have been marked in between.
    let d = delivery::Entity::find_by_id(d.id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    if d.status == DeliveryStatus::Acknowledged {
        return Ok(d);
    }
    let updated = ledger
        .transition(Transition {
            ids: vec![d.id],
            from: Before::from(&d),
            to: DeliveryStatus::Acknowledged,
            set: vec![
                (delivery::Column::AcknowledgedAt, Expr::value(now)),
                (delivery::Column::AcknowledgedBy, Expr::value(journalist_id)),
                (delivery::Column::UpdatedAt, Expr::value(now)),
                (
                    delivery::Column::DeliveredAt,
                    Expr::value(d.delivered_at.unwrap_or(now)),
                ),
            ],
        })
        .await?
        .pop()
        .ok_or_else(|| AppError::Conflict("the delivery changed meanwhile".into()))?;
    ledger.audit(
        Change::new(viewer.actor(), "delivery.acknowledge", "delivery", Some(d.id))
            .details(serde_json::json!({"releaseId": release_id, "outletId": outlet_id, "journalistId": journalist_id})),
    );
    let committed = ledger.close(now).await?;
    txn.commit().await?;
    committed.publish(&ctx.hub);
    Ok(updated)
}

/// How long marks gather before they are written. A fan-out to 10,000 journalists takes a few
/// hundred milliseconds on two cores; 20 ms meant five or more write transactions competing
/// with it for the cores, 100 ms means one or two. DELIVERED shows that much later; nothing is
/// lost meanwhile (an unwritten mark leaves the delivery PENDING, and it is sent again).
const MARK_FLUSH: Duration = Duration::from_millis(100);
/// Marks per write at most (one outlet's ten journalists make ten marks, one update).
const MARK_BATCH: usize = 20_000;

/// The worker that records live frames sent (`events::marks`), in batches, until `stop`; what
/// is queued when it stops is written first. A second call finds the queue taken and returns.
#[tracing::instrument(name = "worker.delivered_marks", skip_all)]
pub async fn record_marks(ctx: AppContext, stop: CancellationToken) {
    let Some(mut rx) = ctx.marks.take_receiver() else {
        tracing::warn!("delivered marks are already being recorded");
        return;
    };
    let mut buf = Vec::with_capacity(MARK_BATCH);
    loop {
        let n = tokio::select! {
            n = rx.recv_many(&mut buf, MARK_BATCH) => n,
            _ = stop.cancelled() => {
                top_up(&mut rx, &mut buf);
                if !buf.is_empty() {
                    write_marks(&ctx, &buf).await;
                }
                return;
            }
        };
        if n == 0 {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(MARK_FLUSH) => {}
            _ = stop.cancelled() => {}
        }
        top_up(&mut rx, &mut buf);
        write_marks(&ctx, &buf).await;
        buf.clear();
    }
}

/// Adds what is already queued to `buf`, up to a batch, without waiting.
fn top_up(rx: &mut tokio::sync::mpsc::Receiver<Mark>, buf: &mut Vec<Mark>) {
    while buf.len() < MARK_BATCH {
        match rx.try_recv() {
            Ok(x) => buf.push(x),
            Err(_) => break,
        }
    }
}

async fn write_marks(ctx: &AppContext, buf: &[Mark]) {
    if let Err(e) = flush(&ctx.db, &ctx.hub, buf).await {
        tracing::error!(error = %e.detail(), "recording live deliveries failed; they stay PENDING and are re-sent");
    }
}

async fn flush(
    db: &DatabaseConnection,
    hub: &crate::events::hub::Hub,
    items: &[(Uuid, Uuid, DateTime<Utc>)],
) -> AppResult<()> {
    // The journalists of one outlet share its LIVE delivery: each is marked once, at its first
    // frame (ten journalists of an outlet would otherwise mean ten updates and ten audit ids).
    let mut first: HashMap<Uuid, (Uuid, DateTime<Utc>)> = HashMap::with_capacity(items.len());
    for (r, d, at) in items {
        first
            .entry(*d)
            .and_modify(|e| e.1 = std::cmp::min(e.1, *at))
            .or_insert((*r, *at));
    }
    let items: Vec<(Uuid, Uuid, DateTime<Utc>)> =
        first.into_iter().map(|(d, (r, at))| (r, d, at)).collect();
    let items = items.as_slice();
    // Group by timestamp (millisecond): one UPDATE per distinct time, not per row.
    let mut by_time: BTreeMap<DateTime<Utc>, Vec<Uuid>> = BTreeMap::new();
    for (_, d, at) in items {
        let ms = DateTime::<Utc>::from_timestamp_millis(at.timestamp_millis()).unwrap_or(*at);
        by_time.entry(ms).or_default().push(*d);
    }
    let releases: BTreeSet<Uuid> = items.iter().map(|(r, _, _)| *r).collect();
    let txn = crate::db::begin_write(db).await?;
    let mut ledger = Ledger::open(&txn, &releases).await?;
    let pending = Before {
        status: DeliveryStatus::Pending,
        delivered_at: None,
    };
    for (at, ids) in &by_time {
        // Only PENDING rows move (an acknowledgement may have come first).
        ledger
            .transition(Transition {
                ids: ids.clone(),
                from: pending,
                to: DeliveryStatus::Delivered,
                set: vec![
                    (delivery::Column::DeliveredAt, Expr::value(*at)),
                    (delivery::Column::UpdatedAt, Expr::value(*at)),
                    (
                        delivery::Column::Attempts,
                        Expr::col(delivery::Column::Attempts).add(1),
                    ),
                ],
            })
            .await?;
    }
    // One audit event per release and flush, listing the deliveries it marked.
    let mut per_release: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (r, d, _) in items {
        per_release.entry(*r).or_default().push(*d);
    }
    let now = items
        .iter()
        .map(|(_, _, at)| *at)
        .max()
        .unwrap_or_else(Utc::now);
    for (rid, ids) in &per_release {
        ledger.audit(
            Change::new(None, "delivery.delivered", "release", Some(*rid))
                .details(serde_json::json!({"channel": "LIVE", "deliveryIds": ids})),
        );
    }
    let committed = ledger.close(now).await?;
    txn.commit().await?;
    committed.publish(hub);
    Ok(())
}
