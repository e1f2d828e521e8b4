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
//! PENDING may also stay PENDING with one more attempt (a retry), and a FAILED delivery may
//! still be reached (a journalist acknowledges what another channel brought, a replay
//! succeeds). A reached status (SENT, DELIVERED, ACKNOWLEDGED) never goes back. Writers guard
//! their UPDATEs with the statuses they may move from, and report each row they moved with
//! [`Ledger::moved`].
use crate::entities::delivery;
use crate::enums::{Channel, DeliveryStatus};
use crate::error::AppResult;
use crate::hub::{DeliveryChange, Hub};
use crate::services::audit::{self, Change};
use crate::services::reach;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// Whether a delivery may move from `from` to `to` (the diagram above).
pub fn may_move(from: DeliveryStatus, to: DeliveryStatus) -> bool {
    use DeliveryStatus::*;
    matches!(
        (from, to),
        (Pending, Pending | Sent | Delivered | Acknowledged | Failed)
            | (Failed, Sent | Delivered | Acknowledged)
            | (Sent, Delivered | Acknowledged)
            | (Delivered, Acknowledged)
    )
}

/// What a row was before a writer moved it.
#[derive(Debug, Clone, Copy)]
pub struct Before {
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
pub struct Ledger<'t> {
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

    /// A delivery the writer moved from `before` to `after` (the row as written).
    pub fn moved(&mut self, before: Before, after: &delivery::Model) {
        if !may_move(before.status, after.status) {
            tracing::warn!(delivery = %after.id, from = ?before.status, to = ?after.status, "a delivery moved against its state machine");
        }
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
pub struct Committed(Vec<DeliveryChange>);

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
}
