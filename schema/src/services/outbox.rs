//! The e-mail outbox: a work queue in the database.
//!
//! Rows are written in the same transaction as the change that causes them. A worker claims
//! a batch (sets `claimed_until`; on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several
//! workers or instances share the queue without taking the same row), sends, and records the
//! outcome on the row and on its EMAIL delivery. A claim that expires (a worker that died) is
//! taken again. The Message-ID is derived from the row id, so a receiver can recognise the
//! rare re-send after a crash between sending and recording.
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{delivery, email_suppression, outbox};
use crate::enums::{Channel, DeliveryStatus, MailKind};
use crate::error::AppResult;
use crate::hub::DeliveryChange;
use crate::mail::render::Payload;
use crate::services::audit::{self, Change};
use crate::services::reach;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, NotSet, QueryFilter, QuerySelect,
    Set, Statement,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

pub const CHANNEL_OFF: &str = "e-mail channel is off: PRESSNET_SMTP_URL is not set";

pub fn new_row(
    kind: MailKind,
    recipient: &str,
    release_id: Option<Uuid>,
    delivery_id: Option<Uuid>,
    payload: &Payload,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind),
        recipient: Set(recipient.to_owned()),
        release_id: Set(release_id),
        delivery_id: Set(delivery_id),
        payload: Set(payload.to_json()),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        // NULL until a worker claims or sends it: left out of the INSERT, not bound.
        last_error: NotSet,
        next_attempt_at: Set(now),
        claimed_until: NotSet,
        message_id: NotSet,
        created_at: Set(now),
        sent_at: NotSet,
    }
}

/// Multi-row insert of outbox rows.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<outbox::ActiveModel>,
) -> AppResult<()> {
    crate::bulk::insert(conn, rows, crate::db::OUTBOX_ROWS_PER_INSERT).await?;
    Ok(())
}

/// The addresses among `addresses` that bounced permanently before.
///
/// A publication asks this for every addressed newsroom (1,000 addresses for 1,000 outlets).
/// One query on PostgreSQL (an array), chunks on SQLite: see [`any_of`].
pub async fn suppressed<C: ConnectionTrait>(
    conn: &C,
    addresses: &[String],
) -> AppResult<HashSet<String>> {
    let mut out = HashSet::new();
    for cond in any_of(
        conn.get_database_backend(),
        email_suppression::Column::Address,
        addresses,
    ) {
        let found: Vec<String> = email_suppression::Entity::find()
            .select_only()
            .column(email_suppression::Column::Address)
            .filter(cond)
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// Claims up to `limit` due rows for this worker.
pub async fn claim(ctx: &AppContext, limit: u64) -> AppResult<Vec<outbox::Model>> {
    let now = ctx.clock.now();
    let until = now + ctx.settings.mail.claim_ttl;
    let backend = ctx.db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE outbox SET claimed_until = $1 WHERE id IN (SELECT id FROM outbox \
             WHERE status = 'PENDING' AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $3) \
             ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING *"
        }
        // SQLite serialises writers, and the IMMEDIATE transaction takes the lock first.
        _ => {
            "UPDATE outbox SET claimed_until = ? WHERE id IN (SELECT id FROM outbox \
             WHERE status = 'PENDING' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) \
             ORDER BY next_attempt_at LIMIT ?) RETURNING *"
        }
    };
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [until.into(), now.into(), now.into(), (limit as i64).into()],
    );
    let txn = crate::db::begin_write(&ctx.db).await?;
    let rows = outbox::Entity::find().from_raw_sql(stmt).all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

/// The outcome of one attempt.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent { message_id: String },
    Transient(String),
    Permanent(String),
}

/// What one attempt changes on its rows.
struct Attempt {
    status: DeliveryStatus,
    attempts: i32,
    error: Option<String>,
    next: DateTime<Utc>,
    message_id: Option<String>,
    sent_at: Option<DateTime<Utc>>,
}

fn attempt(
    m: &crate::settings::MailSettings,
    row: &outbox::Model,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Attempt {
    let attempts = row.attempts + 1;
    let (status, error, next, message_id, sent_at) = match outcome {
        Outcome::Sent { message_id } => (
            DeliveryStatus::Sent,
            None,
            row.next_attempt_at,
            Some(message_id.clone()),
            Some(now),
        ),
        Outcome::Permanent(e) => (
            DeliveryStatus::Failed,
            Some(e.clone()),
            row.next_attempt_at,
            None,
            None,
        ),
        Outcome::Transient(e) if attempts >= m.max_attempts => (
            DeliveryStatus::Failed,
            Some(format!("gave up after {attempts} attempts: {e}")),
            row.next_attempt_at,
            None,
            None,
        ),
        Outcome::Transient(e) => {
            let factor = 1i32
                .checked_shl((attempts - 1).clamp(0, 30) as u32)
                .unwrap_or(i32::MAX);
            let delay = std::cmp::min(m.retry_base * factor, m.retry_cap);
            (
                DeliveryStatus::Pending,
                Some(e.clone()),
                now + delay,
                None,
                None,
            )
        }
    };
    Attempt {
        status,
        attempts,
        error,
        next,
        message_id,
        sent_at,
    }
}

/// Records a batch of attempts in one transaction: each outbox row, its EMAIL delivery (a
/// delivery already SENT stays so), the reach summary, one audit event per message, and the
/// suppression of addresses that bounced permanently. One commit per batch, not per message,
/// is what lets the worker keep up with the SMTP server.
pub async fn record_many(
    ctx: &AppContext,
    outcomes: Vec<(outbox::Model, Outcome)>,
) -> AppResult<()> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let now = ctx.clock.now();
    let attempts: Vec<Attempt> = outcomes
        .iter()
        .map(|(row, o)| attempt(&ctx.settings.mail, row, o, now))
        .collect();
    let releases: BTreeSet<Uuid> = outcomes
        .iter()
        .filter(|(row, _)| row.delivery_id.is_some())
        .filter_map(|(row, _)| row.release_id)
        .collect();
    let txn = crate::db::begin_write(&ctx.db).await?;
    reach::lock(&txn, &releases).await?;
    // Their statuses before this batch, read under the summary's lock (every writer of these
    // deliveries takes it first), so the summary's per-status counts move by what changed.
    let delivery_ids: Vec<Uuid> = outcomes
        .iter()
        .filter_map(|(row, _)| row.delivery_id)
        .collect();
    let mut before: HashMap<Uuid, DeliveryStatus> = HashMap::with_capacity(delivery_ids.len());
    for cond in any_of(
        txn.get_database_backend(),
        delivery::Column::Id,
        &delivery_ids,
    ) {
        let rows: Vec<(Uuid, DeliveryStatus)> = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::Id)
            .column(delivery::Column::Status)
            .filter(cond)
            .into_tuple()
            .all(&txn)
            .await?;
        before.extend(rows);
    }
    let mut moved: HashMap<(Uuid, Channel, DeliveryStatus, DeliveryStatus), i64> = HashMap::new();
    let mut became = Vec::new();
    let mut changes = Vec::new();
    let mut suppress = Vec::new();
    let mut touched: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for ((row, outcome), a) in outcomes.iter().zip(&attempts) {
        outbox::Entity::update(outbox::ActiveModel {
            id: Set(row.id),
            status: Set(a.status),
            attempts: Set(a.attempts),
            last_error: Set(a.error.clone()),
            next_attempt_at: Set(a.next),
            claimed_until: Set(None),
            message_id: Set(a.message_id.clone()),
            sent_at: Set(a.sent_at),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        if let Some(did) = row.delivery_id {
            let changed = delivery::Entity::update_many()
                .col_expr(delivery::Column::Status, Expr::value(a.status))
                .col_expr(delivery::Column::Attempts, Expr::value(a.attempts))
                .col_expr(delivery::Column::LastError, Expr::value(a.error.clone()))
                .col_expr(delivery::Column::NextAttemptAt, Expr::value(Some(a.next)))
                .col_expr(
                    delivery::Column::MessageId,
                    Expr::value(a.message_id.clone()),
                )
                .col_expr(delivery::Column::SentAt, Expr::value(a.sent_at))
                .col_expr(delivery::Column::UpdatedAt, Expr::value(now))
                .filter(delivery::Column::Id.eq(did))
                .filter(delivery::Column::Status.is_not_in(reach::REACHED))
                .exec_with_returning(&txn)
                .await?;
            for d in changed {
                if let Some(was) = before.get(&d.id) {
                    *moved
                        .entry((d.release_id, d.channel, *was, a.status))
                        .or_default() += 1;
                }
                if reach::is_reached(a.status) {
                    became.push((d.release_id, d.outlet_id));
                }
                touched.entry(d.release_id).or_default().push(d.id);
            }
            changes.push(
                Change::new(None, "delivery.email", "delivery", Some(did)).details(
                    serde_json::json!({
                        "status": a.status.as_str(), "attempts": a.attempts,
                        "error": a.error, "recipient": row.recipient,
                    }),
                ),
            );
        }
        if let Outcome::Permanent(e) = outcome {
            suppress.push(email_suppression::ActiveModel {
                address: Set(row.recipient.to_lowercase()),
                reason: Set(e.clone()),
                created_at: Set(now),
            });
        }
    }
    reach::note_reached(&txn, &became).await?;
    for ((release_id, channel, from, to), n) in moved {
        reach::note_moved(&txn, release_id, channel, from, to, n).await?;
    }
    audit::append_many(&txn, now, changes).await?;
    let mut seen = HashSet::new();
    suppress.retain(|s| match &s.address {
        sea_orm::ActiveValue::Set(a) => seen.insert(a.clone()),
        _ => false,
    });
    if !suppress.is_empty() {
        email_suppression::Entity::insert_many(suppress)
            .on_conflict(
                OnConflict::column(email_suppression::Column::Address)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    for (release_id, ids) in touched {
        ctx.hub.publish_deliveries(DeliveryChange {
            release_id,
            delivery_ids: Arc::new(ids),
        });
    }
    Ok(())
}

/// Rows still waiting (for metrics and tests).
pub async fn depth(ctx: &AppContext) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq(DeliveryStatus::Pending))
        .count(&ctx.db)
        .await?)
}
