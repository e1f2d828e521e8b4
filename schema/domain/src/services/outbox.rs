//! The e-mail queues: work queues in the database.
//!
//! A release's e-mail is its EMAIL delivery: the delivery log row is the queue item (due at
//! `next_attempt_at`), so a publication writes one row per message, not two. Other mail
//! (retraction and correction notices, conference updates and reminders, digests,
//! invitations) waits in the outbox table. Both are written in the same transaction as the
//! change that causes them. A worker claims a batch from both (sets `claimed_until`; on
//! PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several workers or instances share the queues
//! without taking the same row), sends, and records the outcome on the row. A claim that
//! expires (a worker that died) is taken again. The Message-ID is derived from the row id, so
//! a receiver can recognise the rare re-send after a crash between sending and recording.
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{
    attachment, delivery, email_suppression, journalist, journalist_prefs, outbox, outlet, release,
};
use crate::enums::{Channel, DeliveryStatus, MailKind};
use crate::error::AppResult;
use crate::mail::message::Payload;
use crate::queue::backoff;
use crate::queue::lease::{self, Claim};
use crate::services::audit::{self, Change};
use crate::services::channels::verdict::Verdict;
use crate::services::ledger::{after_attempt, Before, Ledger, Transition};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, NotSet, QueryFilter,
    QuerySelect, RelationDef, Set,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use uuid::Uuid;

pub(crate) const CHANNEL_OFF: &str = "e-mail channel is off: PRESSNET_SMTP_URL is not set";

pub(crate) fn new_row(
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
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<outbox::ActiveModel>,
) -> AppResult<()> {
    crate::bulk::insert(conn, rows, crate::db::OUTBOX_ROWS_PER_INSERT).await?;
    Ok(())
}

/// Queues one message to each active spokesperson of a unit (a new press question, a press
/// report, their overdue reminders).
pub(crate) async fn enqueue_for_unit(
    txn: &sea_orm::DatabaseTransaction,
    unit_id: Uuid,
    kind: MailKind,
    payload: &Payload,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use crate::entities::spokesperson;
    let people = spokesperson::Entity::find()
        .filter(spokesperson::Column::UnitId.eq(unit_id))
        .filter(crate::services::conditions::active_spokesperson_condition(
            now,
        ))
        .all(txn)
        .await?;
    let rows = people
        .iter()
        .map(|s| new_row(kind, &s.email, None, None, payload, now))
        .collect();
    enqueue(txn, rows).await
}

/// The addresses among `addresses` that bounced permanently before.
///
/// A publication asks this for every addressed newsroom (1,000 addresses for 1,000 outlets).
/// One query on PostgreSQL (an array), chunks on SQLite: see [`any_of`].
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
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

/// Where a claimed message waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// An outbox row: retraction and correction notices, conference updates and reminders,
    /// digests, invitations (and release e-mails queued before migration 9).
    Outbox,
    /// A release's EMAIL delivery, which is its own queue item.
    Delivery,
}

/// A claimed message. Both queues are read into the outbox's shape, so rendering and sending
/// do not care where it waits; `mail.id` is the row's id (the Message-ID is made from it).
#[derive(Debug, Clone)]
pub struct Job {
    pub queue: Queue,
    pub mail: outbox::Model,
    /// Why this message must not go out after all (asked of the visibility rule when it was
    /// claimed): it is recorded as refused, not sent.
    pub refused: Option<String>,
}

/// Claims up to `limit` due messages for this worker: a quarter of the batch for the outbox,
/// then release e-mails (EMAIL deliveries), then more of the outbox if room is left and the
/// first claim found it fuller than its quarter, so neither queue waits for the other to drain
/// and an idle poll stays two statements.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn claim(ctx: &AppContext, limit: u64) -> AppResult<Vec<Job>> {
    let quarter = (limit / 4).max(1);
    let mut jobs = claim_outbox(ctx, quarter).await?;
    let outbox_full = jobs.len() as u64 == quarter;
    let room = limit.saturating_sub(jobs.len() as u64);
    if room > 0 {
        jobs.extend(claim_deliveries(ctx, room).await?);
    }
    let room = limit.saturating_sub(jobs.len() as u64);
    if room > 0 && outbox_full {
        jobs.extend(claim_outbox(ctx, room).await?);
    }
    Ok(jobs)
}

/// Extends the claims on `jobs` (those still waiting) by another `claim_ttl`: the sending
/// worker's heartbeat, so a short lease never runs out under a worker that is alive.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn renew_claims(ctx: &AppContext, jobs: &[(Queue, Uuid)]) -> AppResult<()> {
    let until = ctx.clock.now() + ctx.settings.mail.claim_ttl;
    let ids = |q: Queue| -> Vec<Uuid> {
        jobs.iter()
            .filter(|(queue, _)| *queue == q)
            .map(|(_, id)| *id)
            .collect()
    };
    lease::renew::<outbox::Entity>(
        ctx,
        outbox::Column::Id,
        outbox::Column::ClaimedUntil,
        &ids(Queue::Outbox),
        until,
        Condition::all().add(outbox::Column::Status.eq(DeliveryStatus::Pending)),
    )
    .await?;
    lease::renew::<delivery::Entity>(
        ctx,
        delivery::Column::Id,
        delivery::Column::ClaimedUntil,
        &ids(Queue::Delivery),
        until,
        Condition::all().add(delivery::Column::Status.eq(DeliveryStatus::Pending)),
    )
    .await
}

/// The outbox as a queue: mail due at its `next_attempt_at`.
const OUTBOX: Claim<'static> = Claim {
    table: "outbox",
    work: "status = 'PENDING'",
    scheduled: true,
    order_by: "next_attempt_at",
    limit: None,
};

/// Release e-mails as a queue (the partial index `idx_deliveries_email_due` holds exactly the
/// rows `work` asks for).
const EMAIL_DELIVERIES: Claim<'static> = Claim {
    table: "deliveries",
    work: "channel = 'EMAIL' AND status = 'PENDING'",
    scheduled: true,
    order_by: "next_attempt_at",
    limit: None,
};

async fn claim_outbox(ctx: &AppContext, limit: u64) -> AppResult<Vec<Job>> {
    let rows = Claim {
        limit: Some(limit),
        ..OUTBOX
    }
    .run::<outbox::Entity>(ctx, ctx.settings.mail.claim_ttl)
    .await?;
    Ok(rows
        .into_iter()
        .map(|mail| Job {
            refused: None,
            queue: Queue::Outbox,
            mail,
        })
        .collect())
}

/// Claims due release e-mails (the partial index `idx_deliveries_email_due` holds exactly the
/// rows the condition asks for) and gives each the shape of an outbox row: a journalist's copy
/// carries their unsubscribe token, a newsroom's none.
async fn claim_deliveries(ctx: &AppContext, limit: u64) -> AppResult<Vec<Job>> {
    let now = ctx.clock.now();
    let rows = Claim {
        limit: Some(limit),
        ..EMAIL_DELIVERIES
    }
    .run::<delivery::Entity>(ctx, ctx.settings.mail.claim_ttl)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let tokens = unsubscribe_tokens(ctx, &rows).await?;
    let with_files = releases_with_files(ctx, &rows).await?;
    let unsendable = not_sendable(ctx, &rows, now).await?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let payload = Payload {
                unsubscribe_token: tokens.get(&(d.outlet_id, d.recipient.clone())).cloned(),
                // Only a release with files needs the outlet (its links are signed for it):
                // the others render once for every newsroom.
                outlet: with_files.contains(&d.release_id).then_some(d.outlet_id),
                ..Default::default()
            };
            Job {
                refused: unsendable
                    .contains(&d.id)
                    .then(|| "the outlet may not receive this release now".to_owned()),
                queue: Queue::Delivery,
                mail: outbox::Model {
                    id: d.id,
                    kind: MailKind::Release,
                    payload: payload.to_json(),
                    release_id: Some(d.release_id),
                    delivery_id: Some(d.id),
                    status: d.status,
                    attempts: d.attempts,
                    last_error: d.last_error,
                    next_attempt_at: d.next_attempt_at.unwrap_or(d.created_at),
                    claimed_until: d.claimed_until,
                    message_id: d.message_id,
                    created_at: d.created_at,
                    sent_at: d.sent_at,
                    recipient: d.recipient,
                },
            }
        })
        .collect())
}

/// The deliveries the visibility rule refuses at send time (`visibility::may_send`): an outlet
/// suspended since the publication, a release retracted meanwhile, a PRESS_ONLY release to a
/// journalist whose press card expired since. One query each for the batch's releases and
/// outlets, and one for its journalists' cards when a release is not public.
async fn not_sendable(
    ctx: &AppContext,
    rows: &[delivery::Model],
    now: DateTime<Utc>,
) -> AppResult<HashSet<Uuid>> {
    let release_ids: BTreeSet<Uuid> = rows.iter().map(|d| d.release_id).collect();
    let releases: HashMap<Uuid, release::Model> =
        crate::db::by_ids::<release::Entity, _>(&ctx.db, release::Column::Id, &release_ids, |r| {
            r.id
        })
        .await?;
    let outlet_ids: BTreeSet<Uuid> = rows.iter().map(|d| d.outlet_id).collect();
    let outlets: HashMap<Uuid, outlet::Model> =
        crate::db::by_ids::<outlet::Entity, _>(&ctx.db, outlet::Column::Id, &outlet_ids, |r| r.id)
            .await?;
    // The press cards of the journalists among the press-only rows' addresses (a newsroom's
    // address is nobody's card, and reads as valid).
    let press_only: Vec<String> = rows
        .iter()
        .filter(|d| releases.get(&d.release_id).is_some_and(|r| !r.is_public))
        .map(|d| d.recipient.to_lowercase())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut cards: HashMap<String, Option<DateTime<Utc>>> = HashMap::new();
    for cond in any_of(
        ctx.db.get_database_backend(),
        journalist::Column::Email,
        &press_only,
    ) {
        let found: Vec<(String, Option<DateTime<Utc>>)> = journalist::Entity::find()
            .select_only()
            .column(journalist::Column::Email)
            .column(journalist::Column::PressCardExpiresAt)
            .filter(cond)
            .into_tuple()
            .all(&ctx.db)
            .await?;
        cards.extend(found.into_iter().map(|(e, t)| (e.to_lowercase(), t)));
    }
    Ok(rows
        .iter()
        .filter(
            |d| match (releases.get(&d.release_id), outlets.get(&d.outlet_id)) {
                (Some(r), Some(o)) => {
                    let card = cards.get(&d.recipient.to_lowercase()).copied().flatten();
                    !crate::services::visibility::may_send_to_journalist(o, card, r, now)
                }
                _ => true,
            },
        )
        .map(|d| d.id)
        .collect())
}

/// Which of these deliveries' releases carry files (one query per claimed batch).
async fn releases_with_files(
    ctx: &AppContext,
    rows: &[delivery::Model],
) -> AppResult<HashSet<Uuid>> {
    let ids: Vec<Uuid> = rows
        .iter()
        .map(|d| d.release_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut out = HashSet::new();
    for cond in any_of(
        ctx.db.get_database_backend(),
        attachment::Column::ReleaseId,
        &ids,
    ) {
        let found: Vec<Uuid> = attachment::Entity::find()
            .select_only()
            .column(attachment::Column::ReleaseId)
            .distinct()
            .filter(cond)
            .into_tuple()
            .all(&ctx.db)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// (outlet, lower-case address) -> unsubscribe token, for the journalists among these
/// deliveries' recipients. A newsroom's address gets none (unless a journalist of the outlet
/// uses the same address: the link then unsubscribes that journalist, who reads it).
async fn unsubscribe_tokens(
    ctx: &AppContext,
    rows: &[delivery::Model],
) -> AppResult<HashMap<(Uuid, String), String>> {
    let backend = ctx.db.get_database_backend();
    let outlets: Vec<Uuid> = rows
        .iter()
        .map(|d| d.outlet_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let wanted: HashSet<(Uuid, String)> = rows
        .iter()
        .map(|d| (d.outlet_id, d.recipient.clone()))
        .collect();
    // Each journalist of these outlets with their token: one query (a join), not one for the
    // journalists and another for their preferences.
    let prefs: RelationDef = journalist::Entity::belongs_to(journalist_prefs::Entity)
        .from(journalist::Column::Id)
        .to(journalist_prefs::Column::JournalistId)
        .into();
    let mut out = HashMap::new();
    for cond in any_of(backend, journalist::Column::OutletId, &outlets) {
        let found: Vec<(Uuid, String, String)> = journalist::Entity::find()
            .select_only()
            .column(journalist::Column::OutletId)
            .column(journalist::Column::Email)
            .column(journalist_prefs::Column::UnsubscribeToken)
            .join(JoinType::InnerJoin, prefs.clone())
            .filter(cond)
            .into_tuple()
            .all(&ctx.db)
            .await?;
        for (outlet, email, token) in found {
            let key = (outlet, email.to_lowercase());
            if wanted.contains(&key) {
                out.insert(key, token);
            }
        }
    }
    Ok(out)
}

/// The Message-ID of a queued message: derived from its row, so a receiver can recognise the
/// rare re-send after a crash between sending and recording.
pub fn message_id(id: Uuid) -> String {
    format!("<{id}@pressnet>")
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
    settings: &crate::settings::Settings,
    row: &outbox::Model,
    verdict: &Verdict,
    now: DateTime<Utc>,
) -> Attempt {
    let attempts = row.attempts + 1;
    let (status, error, next, message_id, sent_at) = match verdict {
        // The relay took it: SENT (the EMAIL channel never learns more).
        Verdict::Delivered { .. } => (
            DeliveryStatus::Sent,
            None,
            row.next_attempt_at,
            Some(self::message_id(row.id)),
            Some(now),
        ),
        Verdict::Gone { error, .. } | Verdict::Refused { error, .. } => (
            DeliveryStatus::Failed,
            Some(error.clone()),
            row.next_attempt_at,
            None,
            None,
        ),
        // When to try again is the EMAIL channel's rule.
        Verdict::Retry { error, .. } => match backoff::email(&settings.mail, attempts, now) {
            Some(next) => (
                DeliveryStatus::Pending,
                Some(error.clone()),
                next,
                None,
                None,
            ),
            None => (
                DeliveryStatus::Failed,
                Some(format!("gave up after {attempts} attempts: {error}")),
                row.next_attempt_at,
                None,
                None,
            ),
        },
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

/// Records a batch of attempts in one transaction: each outbox row, each EMAIL delivery (a
/// delivery already SENT stays so; its lease ends), the reach summary, one audit event per
/// message, and the suppression of addresses that bounced permanently. One commit per batch,
/// not per message, is what lets the worker keep up with the SMTP server.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn record_many(ctx: &AppContext, outcomes: Vec<(Job, Verdict)>) -> AppResult<()> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let now = ctx.clock.now();
    let attempts: Vec<Attempt> = outcomes
        .iter()
        .map(|(job, o)| attempt(&ctx.settings, &job.mail, o, now))
        .collect();
    let releases: BTreeSet<Uuid> = outcomes
        .iter()
        .filter(|(job, _)| job.mail.delivery_id.is_some())
        .filter_map(|(job, _)| job.mail.release_id)
        .collect();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let mut ledger = Ledger::open(&txn, &releases).await?;
    // Their statuses before this batch, read under the summary's lock (every writer of these
    // deliveries takes it first), so the summary's per-status counts move by what changed.
    let delivery_ids: Vec<Uuid> = outcomes
        .iter()
        .filter_map(|(job, _)| job.mail.delivery_id)
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
    let mut suppress = Vec::new();
    for ((job, outcome), a) in outcomes.iter().zip(&attempts) {
        let row = &job.mail;
        if job.queue == Queue::Outbox {
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
        }
        if let Some(did) = row.delivery_id {
            let moved = before
                .get(&did)
                .and_then(|was| Some((*was, after_attempt(*was, a.status)?)));
            if let Some((was, to)) = moved {
                let t = Transition {
                    ids: vec![did],
                    from: Before {
                        status: was,
                        delivered_at: None,
                    },
                    to,
                    set: vec![
                        (delivery::Column::Attempts, Expr::value(a.attempts)),
                        (delivery::Column::LastError, Expr::value(a.error.clone())),
                        (delivery::Column::NextAttemptAt, Expr::value(Some(a.next))),
                        (
                            delivery::Column::MessageId,
                            Expr::value(a.message_id.clone()),
                        ),
                        (delivery::Column::SentAt, Expr::value(a.sent_at)),
                        (
                            delivery::Column::ClaimedUntil,
                            Expr::value(Option::<DateTime<Utc>>::None),
                        ),
                        (delivery::Column::UpdatedAt, Expr::value(now)),
                    ],
                };
                ledger.transition(t).await?;
            }
            ledger.audit(
                Change::new(None, "delivery.email", "delivery", Some(did)).details(
                    serde_json::json!({
                        "status": a.status.as_str(), "attempts": a.attempts,
                        "error": a.error, "recipient": row.recipient,
                    }),
                ),
            );
        }
        // Gone: the relay refused the recipient for good.
        if let Verdict::Gone { error: e, .. } = outcome {
            suppress.push(email_suppression::ActiveModel {
                address: Set(row.recipient.to_lowercase()),
                reason: Set(e.clone()),
                created_at: Set(now),
            });
        }
    }
    let committed = ledger.close(now).await?;
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
    committed.publish(&ctx.hub);
    Ok(())
}

/// Messages waiting to be sent: PENDING outbox rows and PENDING EMAIL deliveries (read along
/// the partial index that holds only those); with `due`, only those whose next attempt has
/// come by then.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn waiting(ctx: &AppContext, due: Option<DateTime<Utc>>) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    let mut outbox_q =
        outbox::Entity::find().filter(outbox::Column::Status.eq(DeliveryStatus::Pending));
    let mut deliveries_q = delivery::Entity::find()
        .filter(delivery::Column::Channel.eq(Channel::Email))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending));
    if let Some(t) = due {
        outbox_q = outbox_q.filter(outbox::Column::NextAttemptAt.lte(t));
        deliveries_q = deliveries_q.filter(delivery::Column::NextAttemptAt.lte(t));
    }
    Ok(outbox_q.count(&ctx.db).await? + deliveries_q.count(&ctx.db).await?)
}

/// Messages still waiting (for metrics and tests).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn depth(ctx: &AppContext) -> AppResult<u64> {
    waiting(ctx, None).await
}

/// The suppressed addresses, newest first (ADMIN, AUDITOR).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn suppressions(
    ctx: &AppContext,
    viewer: &crate::auth::Viewer,
) -> AppResult<Vec<email_suppression::Model>> {
    use sea_orm::QueryOrder;
    viewer.require_reads_all()?;
    Ok(email_suppression::Entity::find()
        .order_by_desc(email_suppression::Column::CreatedAt)
        .all(&ctx.db)
        .await?)
}

/// ADMIN allows a suppressed address again (after the newsroom fixed its mailbox).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn unsuppress(ctx: &AppContext, actor: Uuid, address: &str) -> AppResult<bool> {
    let address = address.trim().to_lowercase();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let r = email_suppression::Entity::delete_by_id(address.clone())
        .exec(&txn)
        .await?;
    if r.rows_affected > 0 {
        let change = Change::new(Some(actor), "email.unsuppress", "email_suppression", None)
            .details(serde_json::json!({"address": address}));
        audit::append(&txn, ctx.clock.now(), change).await?;
    }
    txn.commit().await?;
    Ok(r.rows_affected > 0)
}
