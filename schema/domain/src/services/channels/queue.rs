//! The HTTP channels' work queue (`outbound_messages`): claims with short leases, the
//! heartbeat that renews them, and the recording of outcomes.
//!
//! A message is claimed by setting `claimed_until` (on PostgreSQL with `FOR UPDATE SKIP
//! LOCKED`, so instances share the queue); a worker that dies leaves its claims to expire, and
//! another instance (or the restarted one) takes them seconds later. The `webhook-id` of a
//! message is its row id, so a receiver recognises the rare repeat after a crash between the
//! send and the record.
use super::http::HttpChannel;
use super::verdict::Verdict;
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{delivery, outbound_message};
use crate::enums::{Channel, DeliveryStatus, OutboundEvent};
use crate::error::AppResult;
use crate::queue::lease::{self, Claim};
use crate::services::audit::Change;
use crate::services::ledger::{after_attempt, Before, Ledger, Transition};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QuerySelect, Set,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// A new message for `target` on `channel`, due now.
pub(crate) fn new_message(
    channel: Channel,
    target_id: Uuid,
    event: OutboundEvent,
    release_id: Option<Uuid>,
    delivery_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> outbound_message::ActiveModel {
    outbound_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        channel: Set(channel),
        target_id: Set(target_id),
        event: Set(event),
        release_id: Set(release_id),
        delivery_id: Set(delivery_id),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        // NULL until a worker claims, sends or hears back: left out of the INSERT.
        claimed_until: NotSet,
        last_status: NotSet,
        last_error: NotSet,
        created_at: Set(now),
        sent_at: NotSet,
    }
}

/// Multi-row insert of messages, in the caller's transaction.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<outbound_message::ActiveModel>,
) -> AppResult<()> {
    crate::bulk::insert(conn, rows, crate::db::OUTBOX_ROWS_PER_INSERT).await?;
    Ok(())
}

/// The HTTP channels' messages as a queue: each due at its `next_attempt_at`.
const MESSAGES: Claim<'static> = Claim {
    table: "outbound_messages",
    work: "status = 'PENDING'",
    scheduled: true,
    order_by: "next_attempt_at",
    limit: None,
};

/// Claims up to `limit` due messages for this worker.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn claim(ctx: &AppContext, limit: u64) -> AppResult<Vec<outbound_message::Model>> {
    Claim {
        limit: Some(limit),
        ..MESSAGES
    }
    .run::<outbound_message::Entity>(ctx, ctx.settings.outbound.claim_ttl)
    .await
}

/// The heartbeat: extends the claims on messages still out.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn renew(ctx: &AppContext, ids: &[Uuid]) -> AppResult<()> {
    lease::renew::<outbound_message::Entity>(
        ctx,
        outbound_message::Column::Id,
        outbound_message::Column::ClaimedUntil,
        ids,
        ctx.clock.now() + ctx.settings.outbound.claim_ttl,
        Condition::all().add(outbound_message::Column::Status.eq(DeliveryStatus::Pending)),
    )
    .await
}

/// What one outcome writes on its message and delivery.
struct Written {
    status: DeliveryStatus,
    attempts: i32,
    next: DateTime<Utc>,
    error: Option<String>,
    sent_at: Option<DateTime<Utc>>,
}

fn written(
    ctx: &AppContext,
    ch: &dyn HttpChannel,
    m: &outbound_message::Model,
    v: &Verdict,
    now: DateTime<Utc>,
) -> Written {
    let attempts = m.attempts + 1;
    match v {
        Verdict::Delivered { .. } => Written {
            status: DeliveryStatus::Delivered,
            attempts,
            next: m.next_attempt_at,
            error: None,
            sent_at: Some(now),
        },
        Verdict::Retry { error, .. } => {
            match ch.retry_at(&ctx.settings, m.created_at, attempts, now) {
                Some(next) => Written {
                    status: DeliveryStatus::Pending,
                    attempts,
                    next,
                    error: Some(error.clone()),
                    sent_at: None,
                },
                None => Written {
                    status: DeliveryStatus::Failed,
                    attempts,
                    next: m.next_attempt_at,
                    error: Some(super::verdict::clip(&format!(
                        "gave up after {attempts} attempts: {error}"
                    ))),
                    sent_at: None,
                },
            }
        }
        Verdict::Gone { error, .. } | Verdict::Refused { error, .. } => Written {
            status: DeliveryStatus::Failed,
            attempts,
            next: m.next_attempt_at,
            error: Some(error.clone()),
            sent_at: None,
        },
    }
}

/// What a delivered message makes of its delivery: a webhook's 2xx is the newsroom system's
/// own receipt (DELIVERED); a push service's 201 only says it will try the device (SENT).
fn delivered_status(channel: Channel) -> DeliveryStatus {
    match channel {
        Channel::Webhook => DeliveryStatus::Delivered,
        _ => DeliveryStatus::Sent,
    }
}

/// Records a batch of outcomes in one transaction: each message, each delivery it moves
/// (through the ledger: summary, audit, hub), and each channel's own consequences.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn record(
    ctx: &AppContext,
    channels: &[Arc<dyn HttpChannel>],
    outcomes: Vec<(outbound_message::Model, Verdict)>,
) -> AppResult<()> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let now = ctx.clock.now();
    let releases: BTreeSet<Uuid> = outcomes
        .iter()
        .filter(|(m, _)| m.delivery_id.is_some())
        .filter_map(|(m, _)| m.release_id)
        .collect();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let mut ledger = Ledger::open(&txn, &releases).await?;
    let delivery_ids: Vec<Uuid> = outcomes.iter().filter_map(|(m, _)| m.delivery_id).collect();
    let mut before: HashMap<Uuid, Before> = HashMap::with_capacity(delivery_ids.len());
    for cond in any_of(
        txn.get_database_backend(),
        delivery::Column::Id,
        &delivery_ids,
    ) {
        let rows: Vec<(Uuid, DeliveryStatus, Option<DateTime<Utc>>)> = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::Id)
            .column(delivery::Column::Status)
            .column(delivery::Column::DeliveredAt)
            .filter(cond)
            .into_tuple()
            .all(&txn)
            .await?;
        before.extend(rows.into_iter().map(|(id, status, delivered_at)| {
            (
                id,
                Before {
                    status,
                    delivered_at,
                },
            )
        }));
    }
    let mut by_channel: HashMap<Channel, Vec<(outbound_message::Model, Verdict)>> = HashMap::new();
    for (m, v) in outcomes {
        let Some(ch) = channels.iter().find(|c| c.channel() == m.channel) else {
            continue;
        };
        let w = written(ctx, ch.as_ref(), &m, &v, now);
        outbound_message::Entity::update(outbound_message::ActiveModel {
            id: Set(m.id),
            status: Set(w.status),
            attempts: Set(w.attempts),
            next_attempt_at: Set(w.next),
            claimed_until: Set(None),
            last_status: Set(v.status().map(i32::from)),
            last_error: Set(w.error.clone()),
            sent_at: Set(w.sent_at),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        if let Some(did) = m.delivery_id {
            let status = match w.status {
                DeliveryStatus::Delivered => delivered_status(m.channel),
                s => s,
            };
            let moved = before
                .get(&did)
                .and_then(|was| Some((*was, after_attempt(was.status, status)?)));
            if let Some((was, to)) = moved {
                let mut set = vec![
                    (delivery::Column::Attempts, Expr::value(w.attempts)),
                    (delivery::Column::LastError, Expr::value(w.error.clone())),
                    (delivery::Column::NextAttemptAt, Expr::value(Some(w.next))),
                    (delivery::Column::UpdatedAt, Expr::value(now)),
                ];
                if w.sent_at.is_some() {
                    set.push((delivery::Column::SentAt, Expr::value(w.sent_at)));
                }
                if to == DeliveryStatus::Delivered {
                    set.push((delivery::Column::DeliveredAt, Expr::value(Some(now))));
                }
                let t = Transition {
                    ids: vec![did],
                    from: was,
                    to,
                    set,
                };
                ledger.transition(t).await?;
            }
        }
        let action = match m.channel {
            Channel::Webhook => "delivery.webhook",
            _ => "delivery.push",
        };
        ledger.audit(
            Change::new(None, action, "outbound_message", Some(m.id)).details(serde_json::json!({
                "event": m.event.as_str(), "release": m.release_id, "delivery": m.delivery_id,
                "target": m.target_id, "status": w.status.as_str(), "attempts": w.attempts,
                "httpStatus": v.status(), "error": w.error,
            })),
        );
        by_channel.entry(m.channel).or_default().push((m, v));
    }
    for (channel, outcomes) in &by_channel {
        if let Some(ch) = channels.iter().find(|c| c.channel() == *channel) {
            ch.settle(ctx, &txn, outcomes, now).await?;
        }
    }
    let committed = ledger.close(now).await?;
    txn.commit().await?;
    committed.publish(&ctx.hub);
    Ok(())
}

/// Messages waiting (PENDING), for metrics and tests.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn waiting(ctx: &AppContext) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(outbound_message::Entity::find()
        .filter(outbound_message::Column::Status.eq(DeliveryStatus::Pending))
        .count(&ctx.db)
        .await?)
}
