//! The one owner of delivery state changes after publication (issue 19, first step): every
//! writer that moves delivery rows — a journalist's acknowledgement, the live frames' delivered
//! marks, the e-mail worker's outcomes — does so inside a [`Ledger`], which keeps the rest
//! consistent with the rows in the same transaction: the per-release reach summary (outlets
//! reached, counts by channel and status, the first and last live delivery), the audit chain,
//! and, once the transaction has committed, the hub that tells live delivery logs.
//!
//! A delivery's states, for every channel:
//!
//! ```text
//! PENDING ──> SENT ──> DELIVERED ──> ACKNOWLEDGED
//!    │  ╲_______________↗   ↗              ↑
//!    │   ╲_________________________________╯   (a live frame, or an acknowledgement first)
//!    └──> FAILED                                 (given up, or refused for good)
//! ```
//!
//! PENDING may also stay PENDING with one more attempt (a retry); a FAILED delivery stays
//! FAILED while it is tried again (a replay) and may still be reached (a journalist
//! acknowledges what another channel brought, a replay succeeds). A reached status (SENT,
//! DELIVERED, ACKNOWLEDGED) never goes back.
//!
//! No writer issues its own UPDATE of a delivery's status: each names the deliveries, the
//! statuses it moves them from and the one it moves them to, and [`Ledger::transition`] checks
//! that move against the table (refusing a forbidden one with an error), builds the guarded
//! UPDATE, and records each row it moved.
use crate::db::any_of;
use crate::entities::delivery;
use crate::enums::{Channel, DeliveryStatus};
use crate::error::{AppError, AppResult};
use crate::events::hub::{DeliveryChange, Hub};
use crate::services::audit::{self, Change};
use crate::services::reach;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// Whether a delivery may move from `from` to `to` (the diagram above).
pub(crate) fn may_move(from: DeliveryStatus, to: DeliveryStatus) -> bool {
    use DeliveryStatus::*;
    matches!(
        (from, to),
        (Pending, Pending | Sent | Delivered | Acknowledged | Failed)
            | (Failed, Sent | Delivered | Acknowledged)
            | (Sent, Delivered | Acknowledged)
            | (Delivered, Acknowledged)
    )
}

/// Whether the table forbids `from` → `to`. Staying in a status is not a move (one more
/// attempt, a replay failing again).
fn forbidden(from: DeliveryStatus, to: DeliveryStatus) -> bool {
    from != to && !may_move(from, to)
}

/// Where an attempt's outcome (`outcome`: what the channel's queue says of its message) takes
/// a delivery that was `was`: nowhere once it was reached (a replay after an acknowledgement
/// changes nothing), and a failed delivery being tried again stays FAILED until it is reached.
pub(crate) fn after_attempt(
    was: DeliveryStatus,
    outcome: DeliveryStatus,
) -> Option<DeliveryStatus> {
    match (was, outcome) {
        (w, _) if reach::is_reached(w) => None,
        (DeliveryStatus::Failed, DeliveryStatus::Pending) => Some(DeliveryStatus::Failed),
        (_, o) => Some(o),
    }
}

/// One move of deliveries, as a writer asks for it.
pub(crate) struct Transition {
    /// The deliveries to move (those no longer in `from.status` are left as they are).
    pub ids: Vec<Uuid>,
    /// What they were: the status they move from (it guards the UPDATE) and their delivery
    /// time, as the writer read them under the ledger's lock.
    pub from: Before,
    pub to: DeliveryStatus,
    /// The writer's other columns (attempts, errors, times).
    pub set: Vec<(delivery::Column, SimpleExpr)>,
}

/// What a row was before a writer moved it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Before {
    pub status: DeliveryStatus,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<&delivery::Model> for Before {
    fn from(d: &delivery::Model) -> Self {
        Before {
            status: d.status,
            delivered_at: d.delivered_at,
        }
    }
}

/// The delivery changes of one write transaction.
pub(crate) struct Ledger<'t> {
    txn: &'t DatabaseTransaction,
    moved: HashMap<(Uuid, Channel, DeliveryStatus, DeliveryStatus), i64>,
    became_reached: Vec<(Uuid, Uuid)>,
    live_span: HashMap<Uuid, (DateTime<Utc>, DateTime<Utc>)>,
    touched: BTreeMap<Uuid, Vec<Uuid>>,
    audit: Vec<Change<'static>>,
}

impl<'t> Ledger<'t> {
    /// Opens the ledger of `txn` for deliveries of `releases`, locking their summary rows first
    /// (every writer takes them, in one order, before it reads or moves a delivery), so that
    /// the rows' statuses read next are the ones the summary counts.
    pub async fn open(
        txn: &'t DatabaseTransaction,
        releases: &BTreeSet<Uuid>,
    ) -> AppResult<Ledger<'t>> {
        reach::lock(txn, releases).await?;
        Ok(Ledger {
            txn,
            moved: HashMap::new(),
            became_reached: Vec::new(),
            live_span: HashMap::new(),
            touched: BTreeMap::new(),
            audit: Vec::new(),
        })
    }

    /// Moves deliveries as `t` asks, in the ledger's transaction: refused (an internal error,
    /// nothing written) when the table forbids `t.from` → `t.to`; else one UPDATE guarded by
    /// `t.from`'s status per chunk of ids, each row it moved recorded. Returns the rows as
    /// written.
    pub(crate) async fn transition(&mut self, t: Transition) -> AppResult<Vec<delivery::Model>> {
        if forbidden(t.from.status, t.to) {
            return Err(AppError::internal(format!(
                "a delivery may not move from {} to {}",
                t.from.status.as_str(),
                t.to.as_str()
            )));
        }
        let mut written = Vec::new();
        for cond in any_of(
            self.txn.get_database_backend(),
            delivery::Column::Id,
            &t.ids,
        ) {
            let mut update = delivery::Entity::update_many()
                .col_expr(delivery::Column::Status, Expr::value(t.to));
            for (col, value) in &t.set {
                update = update.col_expr(*col, value.clone());
            }
            let rows = update
                .filter(cond)
                .filter(delivery::Column::Status.eq(t.from.status))
                .exec_with_returning(self.txn)
                .await?;
            for d in rows {
                self.moved(t.from, &d);
                written.push(d);
            }
        }
        Ok(written)
    }

    /// A delivery moved from `before` to `after` (the row as written).
    fn moved(&mut self, before: Before, after: &delivery::Model) {
        if before.status != after.status {
            *self
                .moved
                .entry((after.release_id, after.channel, before.status, after.status))
                .or_default() += 1;
        }
        if !reach::is_reached(before.status) && reach::is_reached(after.status) {
            self.became_reached
                .push((after.release_id, after.outlet_id));
        }
        if after.channel == Channel::Live && before.delivered_at.is_none() {
            if let Some(at) = after.delivered_at {
                let span = self.live_span.entry(after.release_id).or_insert((at, at));
                span.0 = span.0.min(at);
                span.1 = span.1.max(at);
            }
        }
        self.touched
            .entry(after.release_id)
            .or_default()
            .push(after.id);
    }

    /// An audit event of these changes, appended with them.
    pub fn audit(&mut self, change: Change<'static>) {
        self.audit.push(change);
    }

    /// Writes the summary and the audit events; what the hub is told once `txn` commits.
    pub async fn close(self, now: DateTime<Utc>) -> AppResult<Committed> {
        reach::note_reached(self.txn, &self.became_reached).await?;
        for ((release_id, channel, from, to), n) in self.moved {
            reach::note_moved(self.txn, release_id, channel, from, to, n).await?;
        }
        for (release_id, (first, last)) in self.live_span {
            reach::note_live_span(self.txn, release_id, first, last).await?;
        }
        audit::append_many(self.txn, now, self.audit).await?;
        Ok(Committed(
            self.touched
                .into_iter()
                .map(|(release_id, ids)| DeliveryChange {
                    release_id,
                    delivery_ids: Arc::new(ids),
                })
                .collect(),
        ))
    }
}

/// Delivery changes written and committed: tell the hub (live delivery logs, other
/// instances through the relay). Only after the commit, so nobody hears of a change that
/// could still roll back.
#[must_use = "the hub must hear of committed changes"]
pub(crate) struct Committed(Vec<DeliveryChange>);

impl Committed {
    pub fn publish(self, hub: &Hub) {
        for change in self.0 {
            hub.publish_deliveries(change);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeliveryStatus::*;

    #[test]
    fn reached_statuses_never_go_back() {
        for from in [Sent, Delivered, Acknowledged] {
            assert!(!may_move(from, Pending) && !may_move(from, Failed));
        }
        assert!(!may_move(Acknowledged, Delivered) && !may_move(Delivered, Sent));
        assert!(may_move(Failed, Acknowledged) && !may_move(Failed, Pending));
        assert!(may_move(Pending, Pending) && may_move(Pending, Acknowledged));
        assert!(may_move(Sent, Acknowledged));
    }

    #[test]
    fn a_forbidden_move_is_named_before_anything_is_written() {
        // `transition` refuses what `forbidden` says; staying in a status (one more attempt)
        // is not a move.
        assert!(forbidden(Sent, Pending));
        assert!(forbidden(Delivered, Failed) && !forbidden(Pending, Failed));
        assert!(!forbidden(Failed, Failed));
        for from in [Pending, Failed, Sent, Delivered] {
            assert!(!forbidden(from, Acknowledged), "{from:?}");
        }
    }

    #[test]
    fn an_attempt_never_undoes_a_reach_and_a_retried_failure_stays_failed() {
        for was in [Sent, Delivered, Acknowledged] {
            for outcome in [Pending, Sent, Delivered, Failed] {
                assert_eq!(after_attempt(was, outcome), None, "{was:?} {outcome:?}");
            }
        }
        assert_eq!(after_attempt(Failed, Pending), Some(Failed));
        assert_eq!(after_attempt(Failed, Sent), Some(Sent));
        assert_eq!(after_attempt(Pending, Pending), Some(Pending));
        assert_eq!(after_attempt(Pending, Failed), Some(Failed));
    }
}
