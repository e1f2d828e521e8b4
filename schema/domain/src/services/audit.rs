//! The tamper-evident audit log.
//!
//! Every change appends an event in the same transaction as the change:
//! `hash = SHA-256(previous hash ‖ canonical event)`, where the canonical event is its
//! sequence number, time (RFC 3339, microseconds, UTC), actor, action, entity, entity id and
//! details (JSON with sorted keys), one per line. The API serves every one of these fields
//! (`AuditEvent.seq/at/actorId/action/entity/entityId/details/prevHash/hash`), so an auditor
//! can check the chain offline with the README's verifier, without trusting this server.
//! Appends are serialised (SQLite: the write transaction; PostgreSQL: an advisory lock), so
//! the chain has no forks. Nothing in the API
//! updates or deletes events; `verify` recomputes the chain and names the first event that
//! does not match, so an edit made directly in the database is found.
use crate::context::AppContext;
use crate::entities::audit_event;
use crate::error::AppResult;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// One change to record.
pub struct Change<'a> {
    pub actor: Option<Uuid>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<Uuid>,
    pub details: Value,
}

impl<'a> Change<'a> {
    pub fn new(
        actor: Option<Uuid>,
        action: &'a str,
        entity: &'a str,
        entity_id: Option<Uuid>,
    ) -> Self {
        Self {
            actor,
            action,
            entity,
            entity_id,
            details: Value::Object(Default::default()),
        }
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

fn canonical(
    seq: i64,
    at: DateTime<Utc>,
    actor: Option<Uuid>,
    action: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    details: &str,
) -> String {
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    format!(
        "{seq}\n{}\n{}\n{action}\n{entity}\n{}\n{details}",
        at.to_rfc3339_opts(SecondsFormat::Micros, true),
        opt(actor),
        opt(entity_id)
    )
}

fn chain(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// The chain's newest event: its sequence number and hash (0 and "" when empty).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn head<C: ConnectionTrait>(conn: &C) -> AppResult<(i64, String)> {
    let last: Option<(i64, String)> = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::Seq)
        .column(audit_event::Column::Hash)
        .order_by_desc(audit_event::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(last.unwrap_or((0, String::new())))
}

/// Appends an event inside the caller's (write) transaction.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn append(
    txn: &DatabaseTransaction,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> AppResult<()> {
    append_many(txn, at, vec![change]).await
}

/// Appends several events in order, with one lock, one read of the chain's end and one
/// multi-row insert (the e-mail worker records a batch of outcomes at once).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn append_many(
    txn: &DatabaseTransaction,
    at: DateTime<Utc>,
    changes: Vec<Change<'_>>,
) -> AppResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7240002)")
            .await?;
    }
    let (mut seq, mut prev) = head(txn).await?;
    let mut rows = Vec::with_capacity(changes.len());
    for change in changes {
        seq += 1;
        // serde_json's map keeps keys sorted: the details text is canonical.
        let details = change.details.to_string();
        let hash = chain(
            &prev,
            &canonical(
                seq,
                at,
                change.actor,
                change.action,
                change.entity,
                change.entity_id,
                &details,
            ),
        );
        prev = hash.clone();
        rows.push(audit_event::ActiveModel {
            seq: Set(seq),
            id: Set(Uuid::now_v7()),
            at: Set(at),
            actor_id: Set(change.actor),
            action: Set(change.action.to_owned()),
            entity: Set(change.entity.to_owned()),
            entity_id: Set(change.entity_id),
            details: Set(details),
            hash: Set(hash),
        });
    }
    // Nine columns a row: well inside both backends' bound-parameter limits.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(500).collect();
        audit_event::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Appends an event in a transaction of its own (for changes that are themselves a single
/// statement already committed, such as a failed sign-in).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn record(ctx: &AppContext, change: Change<'_>) -> AppResult<()> {
    let txn = crate::db::begin_write(&ctx.db).await?;
    append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(())
}

pub struct Verification {
    pub ok: bool,
    pub events_checked: i64,
    pub first_bad_seq: Option<i64>,
}

/// Recomputes the whole chain, a page at a time.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn verify(ctx: &AppContext) -> AppResult<Verification> {
    let mut prev = String::new();
    let mut expected_seq = 1;
    let mut checked = 0;
    loop {
        let page = audit_event::Entity::find()
            .filter(sea_orm::ColumnTrait::gte(
                &audit_event::Column::Seq,
                expected_seq,
            ))
            .order_by_asc(audit_event::Column::Seq)
            .limit(1_000)
            .all(&ctx.db)
            .await?;
        if page.is_empty() {
            break;
        }
        for e in page {
            checked += 1;
            // A missing event (deleted row) breaks the sequence.
            if e.seq != expected_seq {
                return Ok(Verification {
                    ok: false,
                    events_checked: checked,
                    first_bad_seq: Some(expected_seq),
                });
            }
            let h = chain(
                &prev,
                &canonical(
                    e.seq,
                    e.at,
                    e.actor_id,
                    &e.action,
                    &e.entity,
                    e.entity_id,
                    &e.details,
                ),
            );
            if h != e.hash {
                return Ok(Verification {
                    ok: false,
                    events_checked: checked,
                    first_bad_seq: Some(e.seq),
                });
            }
            prev = e.hash;
            expected_seq += 1;
        }
    }
    Ok(Verification {
        ok: true,
        events_checked: checked,
        first_bad_seq: None,
    })
}

/// What an inspector asks the log: by whom, which action, which unit, which period, and in
/// which order. Every filter is applied by the database, over the whole log.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    /// An action (`release.publish`), or a family of them (`release`).
    pub action: Option<String>,
    /// Events about the unit itself, its releases, spokespersons, questions and press reports.
    pub unit_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub newest_first: bool,
}

impl AuditFilter {
    fn condition(&self) -> sea_orm::Condition {
        use crate::entities::{inquiry, press_report, release, spokesperson};
        use sea_orm::sea_query::{DynIden, Expr, ExprTrait, IntoIden, Query};
        use sea_orm::{ColumnTrait, Condition};
        let mut c = Condition::all();
        if let Some(a) = self.actor_id {
            c = c.add(audit_event::Column::ActorId.eq(a));
        }
        if let Some(action) = self
            .action
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            c = c.add(
                Condition::any()
                    .add(audit_event::Column::Action.eq(action))
                    .add(audit_event::Column::Action.starts_with(format!("{action}."))),
            );
        }
        if let Some(u) = self.unit_id {
            // The ids of a table's rows that belong to unit `u`.
            let of_unit = |table: DynIden, id: DynIden, unit: DynIden| {
                Query::select()
                    .column(id)
                    .from(table)
                    .and_where(Expr::col(unit).eq(u))
                    .to_owned()
            };
            c = c.add(
                Condition::any()
                    .add(audit_event::Column::EntityId.eq(u))
                    .add(audit_event::Column::EntityId.in_subquery(of_unit(
                        release::Entity.into_iden(),
                        release::Column::Id.into_iden(),
                        release::Column::UnitId.into_iden(),
                    )))
                    .add(audit_event::Column::EntityId.in_subquery(of_unit(
                        spokesperson::Entity.into_iden(),
                        spokesperson::Column::Id.into_iden(),
                        spokesperson::Column::UnitId.into_iden(),
                    )))
                    .add(audit_event::Column::EntityId.in_subquery(of_unit(
                        inquiry::Entity.into_iden(),
                        inquiry::Column::Id.into_iden(),
                        inquiry::Column::UnitId.into_iden(),
                    )))
                    .add(audit_event::Column::EntityId.in_subquery(of_unit(
                        press_report::Entity.into_iden(),
                        press_report::Column::Id.into_iden(),
                        press_report::Column::UnitId.into_iden(),
                    ))),
            );
        }
        if let Some(f) = self.from {
            c = c.add(audit_event::Column::At.gte(f));
        }
        if let Some(t) = self.to {
            c = c.add(audit_event::Column::At.lt(t));
        }
        c
    }
}

/// A page of events with each one's previous hash (that of the event before it in the chain,
/// whatever the filter), oldest or newest first; `after` is the last `seq` seen.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn page(
    ctx: &AppContext,
    filter: &AuditFilter,
    first: u64,
    after: Option<i64>,
) -> AppResult<Vec<(audit_event::Model, String)>> {
    use sea_orm::ColumnTrait;
    let mut q = audit_event::Entity::find()
        .filter(filter.condition())
        .limit(first);
    q = if filter.newest_first {
        q.order_by_desc(audit_event::Column::Seq)
    } else {
        q.order_by_asc(audit_event::Column::Seq)
    };
    if let Some(a) = after {
        q = q.filter(if filter.newest_first {
            audit_event::Column::Seq.lt(a)
        } else {
            audit_event::Column::Seq.gt(a)
        });
    }
    let rows = q.all(&ctx.db).await?;
    // Each event's previous hash, read in one query (the chain starts from "").
    let before: Vec<i64> = rows.iter().map(|r| r.seq - 1).filter(|s| *s >= 1).collect();
    let mut prev = std::collections::HashMap::new();
    for chunk in before.chunks(500) {
        let found: Vec<(i64, String)> = audit_event::Entity::find()
            .select_only()
            .column(audit_event::Column::Seq)
            .column(audit_event::Column::Hash)
            .filter(audit_event::Column::Seq.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(&ctx.db)
            .await?;
        prev.extend(found);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let p = prev.remove(&(r.seq - 1)).unwrap_or_default();
            (r, p)
        })
        .collect())
}
