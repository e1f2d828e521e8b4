//! Escalation: an outlet that has not acknowledged a release within the minutes set for its
//! kind (`PRESSNET_ESCALATE_AFTER_MINUTES`, STATEMENT=30 by default) is sent it again on its
//! next channel, in steps: first a high-urgency push to its journalists' devices (when it has
//! any), then, if still unacknowledged after as long again, an e-mail to the newsroom (at once
//! when it has no devices). Each step once per outlet and release: the LIVE delivery's
//! `escalation_step` and `escalated_at` record it (the delivery log shows it), and the audit
//! log says by which channel.
//!
//! The scheduler calls [`run`]. Moving `escalation_step` on is the claim: the UPDATE only
//! takes rows still at the step it read, so two instances never escalate one step twice.
use super::queue::{enqueue, new_message};
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{delivery, outlet, release};
use crate::enums::{Channel, DeliveryStatus, MailKind, OutboundEvent, ReleaseStatus};
use crate::error::AppResult;
use crate::mail::message::{Notice, Payload};
use crate::services::audit::{self, Change};
use crate::services::outbox;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Deliveries escalated per pass, at most.
const BATCH: u64 = 500;

/// Escalates every overdue, unacknowledged LIVE delivery; returns how many.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn run(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    let mut total = 0;
    for (kind, after) in &ctx.settings.outbound.escalate_after {
        let due = now - *after;
        let txn = crate::db::begin_write(&ctx.db).await?;
        // Due: never escalated and published `after` ago, or pushed `after` ago.
        let candidates: Vec<(Uuid, i16)> = delivery::Entity::find()
            .select_only()
            .column(delivery::Column::Id)
            .column(delivery::Column::EscalationStep)
            .filter(delivery::Column::Channel.eq(Channel::Live))
            .filter(delivery::Column::Status.ne(DeliveryStatus::Acknowledged))
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(delivery::Column::EscalationStep.eq(0))
                            .add(delivery::Column::CreatedAt.lte(due)),
                    )
                    .add(
                        Condition::all()
                            .add(delivery::Column::EscalationStep.eq(1))
                            .add(delivery::Column::EscalatedAt.lte(due)),
                    ),
            )
            .filter(
                delivery::Column::ReleaseId.in_subquery(
                    Query::select()
                        .column(release::Column::Id)
                        .from(release::Entity)
                        .and_where(release::Column::Kind.eq(*kind))
                        .and_where(release::Column::Status.eq(ReleaseStatus::Published))
                        .to_owned(),
                ),
            )
            .order_by_asc(delivery::Column::CreatedAt)
            .limit(BATCH)
            .into_tuple()
            .all(&txn)
            .await?;
        if candidates.is_empty() {
            txn.rollback().await?;
            continue;
        }
        let mut claimed: Vec<delivery::Model> = Vec::new();
        for step in [0i16, 1] {
            let ids: Vec<Uuid> = candidates
                .iter()
                .filter(|(_, s)| *s == step)
                .map(|(id, _)| *id)
                .collect();
            for cond in any_of(txn.get_database_backend(), delivery::Column::Id, &ids) {
                claimed.extend(
                    delivery::Entity::update_many()
                        .col_expr(delivery::Column::EscalatedAt, Expr::value(Some(now)))
                        .col_expr(delivery::Column::EscalationStep, Expr::value(step + 1))
                        .filter(cond)
                        .filter(delivery::Column::EscalationStep.eq(step))
                        .filter(delivery::Column::Status.ne(DeliveryStatus::Acknowledged))
                        .exec_with_returning(&txn)
                        .await?,
                );
            }
        }
        let outlet_ids: Vec<Uuid> = claimed.iter().map(|d| d.outlet_id).collect();
        let mut devices: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (outlet_id, _, sub) in super::plan::devices(&txn, &outlet_ids).await? {
            devices.entry(outlet_id).or_default().push(sub);
        }
        let mut newsrooms: HashMap<Uuid, String> = HashMap::new();
        for cond in any_of(txn.get_database_backend(), outlet::Column::Id, &outlet_ids) {
            let rows: Vec<(Uuid, String)> = outlet::Entity::find()
                .select_only()
                .column(outlet::Column::Id)
                .column(outlet::Column::Email)
                .filter(cond)
                .into_tuple()
                .all(&txn)
                .await?;
            newsrooms.extend(rows);
        }
        let mut pushes = Vec::new();
        let mut mails = Vec::new();
        let mut events = Vec::new();
        // Outlets without devices skip the push step: straight to the newsroom's e-mail.
        let mut skipped = Vec::new();
        for d in &claimed {
            let push_to = (d.escalation_step == 1)
                .then(|| devices.get(&d.outlet_id))
                .flatten();
            let (channel, to) = match push_to {
                Some(subs) => {
                    for s in subs {
                        pushes.push(new_message(
                            Channel::Push,
                            *s,
                            OutboundEvent::Escalated,
                            Some(d.release_id),
                            None,
                            now,
                        ));
                    }
                    (Channel::Push, serde_json::json!(subs.len()))
                }
                None => {
                    if d.escalation_step == 1 {
                        skipped.push(d.id);
                    }
                    let Some(email) = newsrooms.get(&d.outlet_id) else {
                        continue;
                    };
                    let payload = Payload {
                        notice_of: Some(Notice::Escalation {
                            minutes: (now - d.created_at).num_minutes(),
                        }),
                        outlet: Some(d.outlet_id),
                        ..Default::default()
                    };
                    mails.push(outbox::new_row(
                        MailKind::Release,
                        email,
                        Some(d.release_id),
                        None,
                        &payload,
                        now,
                    ));
                    (Channel::Email, serde_json::json!(email))
                }
            };
            events.push(
                Change::new(None, "delivery.escalate", "delivery", Some(d.id)).details(
                    serde_json::json!({
                        "release": d.release_id, "outlet": d.outlet_id, "kind": kind.as_str(),
                        "afterMinutes": after.num_minutes(), "channel": channel.as_str(), "to": to,
                        "step": if channel == Channel::Push { 1 } else { 2 },
                    }),
                ),
            );
        }
        for cond in any_of(txn.get_database_backend(), delivery::Column::Id, &skipped) {
            delivery::Entity::update_many()
                .col_expr(delivery::Column::EscalationStep, Expr::value(2i16))
                .filter(cond)
                .exec(&txn)
                .await?;
        }
        total += events.len();
        enqueue(&txn, pushes).await?;
        outbox::enqueue(&txn, mails).await?;
        audit::append_many(&txn, now, events).await?;
        txn.commit().await?;
    }
    if total > 0 {
        ctx.outbox_ready.notify_one();
        ctx.outbound_ready.notify_one();
    }
    Ok(total)
}
