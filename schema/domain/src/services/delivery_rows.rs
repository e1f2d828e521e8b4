//! New delivery rows: one per (release, outlet, channel), PENDING, and their batched insert.
//! Every channel's planning builds its rows here; the ledger moves them afterwards.
use crate::bulk;
use crate::db::ROWS_PER_INSERT;
use crate::entities::delivery;
use crate::enums::{Channel, DeliveryStatus};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, NotSet, Set};
use uuid::Uuid;

/// A PENDING delivery of `release_id` to `outlet_id` on `channel`, created `now`.
pub(crate) fn new_delivery(
    release_id: Uuid,
    outlet_id: Uuid,
    channel: Channel,
    now: DateTime<Utc>,
) -> delivery::ActiveModel {
    delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        release_id: Set(release_id),
        outlet_id: Set(outlet_id),
        channel: Set(channel),
        status: Set(DeliveryStatus::Pending),
        attempts: Set(0),
        last_error: Set(None),
        recipient: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        // NULL until the delivery moves on: left out of the INSERT rather than bound as NULL
        // (a publication to 1,000 outlets binds 6,000 values fewer).
        sent_at: NotSet,
        delivered_at: NotSet,
        acknowledged_at: NotSet,
        acknowledged_by: NotSet,
        next_attempt_at: NotSet,
        message_id: NotSet,
        claimed_until: NotSet,
        escalated_at: NotSet,
        escalation_step: Set(0),
    }
}

/// The delivery log rows of one publication: one statement on PostgreSQL, multi-row INSERTs
/// on SQLite (`bulk`), not a loop of single ones.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn insert_deliveries(
    txn: &DatabaseTransaction,
    rows: Vec<delivery::ActiveModel>,
) -> AppResult<()> {
    bulk::insert(txn, rows, ROWS_PER_INSERT).await?;
    Ok(())
}
