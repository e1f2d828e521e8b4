//! What a publication or retraction owes the HTTP channels: a WEBHOOK delivery per enabled
//! endpoint of each addressed outlet and a PUSH delivery per device of each of their
//! journalists, each with its queue message; a retraction's notice to every endpoint that had
//! the release.
//!
//! A publication writes only a [`job`] in its own transaction; [`expand_due`] (the outbound
//! worker, milliseconds later) writes the deliveries and messages, so the publication's commit
//! does not grow with its endpoints and devices (measured in pressnet-bench `webhooks`).
use super::http::HttpChannel;
use super::queue::new_message;
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{
    account, channel_job, delivery, journalist, outbound_message, push_subscription, release,
    webhook_endpoint,
};
use crate::enums::{Channel, DeliveryStatus, OutboundEvent, Role};
use crate::error::AppResult;
use crate::queue::lease::Claim;
use crate::services::delivery_rows::{insert_deliveries, new_delivery};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType, QueryFilter,
    QuerySelect, RelationDef, Set,
};
use uuid::Uuid;

use super::channel::Planned;

/// The recipient a push delivery is logged under: the journalist, and which device.
pub(crate) fn push_recipient(email: &str, subscription: Uuid) -> String {
    let s = subscription.simple().to_string();
    format!("{email} · {}", &s[s.len() - 8..])
}

fn add(planned: &mut Planned, d: delivery::ActiveModel, m: outbound_message::ActiveModel) {
    planned.deliveries.push(d);
    planned.messages.push(m);
}

/// WEBHOOK: a delivery and a message per enabled endpoint of the addressed `outlets`.
#[tracing::instrument(skip_all, fields(release = %r.id, outlets = outlets.len()), err(Debug, level = "debug"))]
pub(crate) async fn webhook_rows(
    txn: &DatabaseTransaction,
    r: &release::Model,
    outlets: &[Uuid],
    now: DateTime<Utc>,
) -> AppResult<Planned> {
    let mut planned = Planned::default();
    for cond in any_of(
        txn.get_database_backend(),
        webhook_endpoint::Column::OutletId,
        outlets,
    ) {
        let endpoints: Vec<(Uuid, Uuid, String)> = webhook_endpoint::Entity::find()
            .select_only()
            .column(webhook_endpoint::Column::Id)
            .column(webhook_endpoint::Column::OutletId)
            .column(webhook_endpoint::Column::Url)
            .filter(cond)
            .filter(webhook_endpoint::Column::Enabled.eq(true))
            .into_tuple()
            .all(txn)
            .await?;
        for (id, outlet_id, url) in endpoints {
            let did = Uuid::now_v7();
            let mut d = new_delivery(r.id, outlet_id, Channel::Webhook, now);
            d.id = Set(did);
            d.recipient = Set(url);
            d.next_attempt_at = Set(Some(now));
            let m = new_message(
                Channel::Webhook,
                id,
                OutboundEvent::Published,
                Some(r.id),
                Some(did),
                now,
            );
            add(&mut planned, d, m);
        }
    }
    Ok(planned)
}

/// PUSH: a delivery and a message per device of the addressed `outlets`' journalists.
#[tracing::instrument(skip_all, fields(release = %r.id, outlets = outlets.len()), err(Debug, level = "debug"))]
pub(crate) async fn push_rows(
    txn: &DatabaseTransaction,
    r: &release::Model,
    outlets: &[Uuid],
    now: DateTime<Utc>,
) -> AppResult<Planned> {
    let mut planned = Planned::default();
    for (outlet_id, email, sub) in devices(txn, outlets).await? {
        let did = Uuid::now_v7();
        let mut d = new_delivery(r.id, outlet_id, Channel::Push, now);
        d.id = Set(did);
        d.recipient = Set(push_recipient(&email, sub));
        d.next_attempt_at = Set(Some(now));
        let m = new_message(
            Channel::Push,
            sub,
            OutboundEvent::Published,
            Some(r.id),
            Some(did),
            now,
        );
        add(&mut planned, d, m);
    }
    Ok(planned)
}

/// Push subscription -> account -> journalist (whose outlet it is).
fn device_joins() -> (RelationDef, RelationDef) {
    (
        push_subscription::Entity::belongs_to(account::Entity)
            .from(push_subscription::Column::AccountId)
            .to(account::Column::Id)
            .into(),
        account::Entity::belongs_to(journalist::Entity)
            .from(account::Column::JournalistId)
            .to(journalist::Column::Id)
            .into(),
    )
}

/// (outlet, journalist's e-mail, subscription) of every push device of these outlets'
/// journalists.
pub async fn devices<C: ConnectionTrait>(
    conn: &C,
    outlets: &[Uuid],
) -> AppResult<Vec<(Uuid, String, Uuid)>> {
    let (to_account, to_journalist) = device_joins();
    let mut out = Vec::new();
    for cond in any_of(
        conn.get_database_backend(),
        journalist::Column::OutletId,
        outlets,
    ) {
        let rows: Vec<(Uuid, String, Uuid)> = push_subscription::Entity::find()
            .select_only()
            .column(journalist::Column::OutletId)
            .column(account::Column::Email)
            .column(push_subscription::Column::Id)
            .join(JoinType::InnerJoin, to_account.clone())
            .join(JoinType::InnerJoin, to_journalist.clone())
            .filter(cond)
            .filter(account::Column::Role.eq(Role::Journalist))
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// A retraction's notice to every endpoint that was sent the release (and still exists).
#[tracing::instrument(skip_all, fields(release = %r.id), err(Debug, level = "debug"))]
pub async fn retraction(
    txn: &DatabaseTransaction,
    r: &release::Model,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let sent: Vec<(Uuid, String)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::OutletId)
        .column(delivery::Column::Recipient)
        .filter(delivery::Column::ReleaseId.eq(r.id))
        .filter(delivery::Column::Channel.eq(Channel::Webhook))
        .filter(delivery::Column::Status.ne(DeliveryStatus::Failed))
        .into_tuple()
        .all(txn)
        .await?;
    if sent.is_empty() {
        return Ok(0);
    }
    let outlets: Vec<Uuid> = sent.iter().map(|(o, _)| *o).collect();
    let mut rows = Vec::new();
    for cond in any_of(
        txn.get_database_backend(),
        webhook_endpoint::Column::OutletId,
        &outlets,
    ) {
        let endpoints: Vec<(Uuid, Uuid, String)> = webhook_endpoint::Entity::find()
            .select_only()
            .column(webhook_endpoint::Column::Id)
            .column(webhook_endpoint::Column::OutletId)
            .column(webhook_endpoint::Column::Url)
            .filter(cond)
            .into_tuple()
            .all(txn)
            .await?;
        for (id, outlet_id, url) in endpoints {
            if sent.iter().any(|(o, u)| *o == outlet_id && *u == url) {
                rows.push(new_message(
                    Channel::Webhook,
                    id,
                    OutboundEvent::Retracted,
                    Some(r.id),
                    None,
                    now,
                ));
            }
        }
    }
    let n = rows.len();
    super::queue::enqueue(txn, rows).await?;
    Ok(n)
}

/// Each of these push subscriptions' journalist's outlet.
pub(crate) async fn device_outlets<C: ConnectionTrait>(
    conn: &C,
    subscriptions: &[Uuid],
) -> AppResult<std::collections::HashMap<Uuid, (Uuid, Option<DateTime<Utc>>)>> {
    let (to_account, to_journalist) = device_joins();
    let mut out = std::collections::HashMap::new();
    for cond in any_of(
        conn.get_database_backend(),
        push_subscription::Column::Id,
        subscriptions,
    ) {
        let rows: Vec<(Uuid, Uuid, Option<DateTime<Utc>>)> = push_subscription::Entity::find()
            .select_only()
            .column(push_subscription::Column::Id)
            .column(journalist::Column::OutletId)
            .column(journalist::Column::PressCardExpiresAt)
            .join(JoinType::InnerJoin, to_account.clone())
            .join(JoinType::InnerJoin, to_journalist.clone())
            .filter(cond)
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(rows.into_iter().map(|(id, o, card)| (id, (o, card))));
    }
    Ok(out)
}

/// The job a publication writes, in its transaction, for its HTTP-channel deliveries.
pub fn job(release_id: Uuid, now: DateTime<Utc>) -> channel_job::ActiveModel {
    channel_job::ActiveModel {
        id: Set(Uuid::now_v7()),
        release_id: Set(release_id),
        created_at: Set(now),
        claimed_until: Set(None),
        done_at: Set(None),
    }
}

/// Jobs expanded per call, at most.
/// Publications' after-commit planning as a queue: a job is work until it is done.
const JOBS: Claim<'static> = Claim {
    table: "channel_jobs",
    work: "done_at IS NULL",
    scheduled: false,
    order_by: "created_at",
    limit: Some(16),
};

/// Claims open publication jobs (short leases; `SKIP LOCKED` on PostgreSQL) and writes each
/// one's WEBHOOK and PUSH deliveries and messages in one transaction with its `done_at`, for
/// the outlets the publication addressed (its LIVE deliveries); returns the messages queued.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn expand_due(
    ctx: &AppContext,
    channels: &[std::sync::Arc<dyn HttpChannel>],
) -> AppResult<usize> {
    let now = ctx.clock.now();
    let jobs = JOBS
        .run::<channel_job::Entity>(ctx, ctx.settings.outbound.claim_ttl)
        .await?;
    let mut queued = 0;
    for j in jobs {
        let txn = crate::db::begin_write(&ctx.db).await?;
        // Done once: if the lease ran out and another worker finished it, nothing is written.
        let done = channel_job::Entity::update_many()
            .col_expr(channel_job::Column::DoneAt, Expr::value(Some(now)))
            .filter(channel_job::Column::Id.eq(j.id))
            .filter(channel_job::Column::DoneAt.is_null())
            .exec(&txn)
            .await?;
        let Some(r) = release::Entity::find_by_id(j.release_id).one(&txn).await? else {
            txn.commit().await?;
            continue;
        };
        if done.rows_affected == 0 {
            txn.rollback().await?;
            continue;
        }
        let outlets: Vec<(Uuid, String)> = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::OutletId)
            .filter(delivery::Column::ReleaseId.eq(r.id))
            .filter(delivery::Column::Channel.eq(Channel::Live))
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?
            .into_iter()
            .map(|o| (o, String::new()))
            .collect();
        let p = super::channel::Publication {
            ctx,
            txn: &txn,
            release: &r,
            outlets: &outlets,
            now,
        };
        let mut planned = Planned::default();
        for ch in channels.iter().filter(|c| c.after_commit()) {
            planned.extend(ch.plan(&p).await?);
        }
        queued += planned.messages.len();
        insert_deliveries(&txn, planned.deliveries).await?;
        super::queue::enqueue(&txn, planned.messages).await?;
        txn.commit().await?;
    }
    Ok(queued)
}
