//! A release's EMAIL delivery is the e-mail worker's queue item; release e-mails no longer
//! get an outbox row beside it.
//!
//! Why: the outbox row repeated its delivery (recipient, status, attempts, error, next
//! attempt, Message-ID), and a publication to 1,000 outlets wrote 1,000 of them in the
//! transaction every journalist waits for: 13–16 ms of a PostgreSQL publication (BENCHMARKS.md,
//! fifth round). The worker also wrote every outcome twice.
//!
//! - `deliveries.claimed_until`: a worker's lease on the row, as the outbox has.
//! - `idx_deliveries_email_due`: the due EMAIL deliveries, and only those (a partial index, so
//!   LIVE rows and settled ones cost it nothing).
//! - Release e-mails still waiting in the outbox move to their deliveries (their next attempt)
//!   and their outbox rows go, so none is sent twice or lost across the upgrade. Sent and
//!   failed outbox rows stay as they were. Other mail (notices, digests, reminders,
//!   invitations) stays in the outbox.
//!
//! Every instance must run this version once it has run: an instance of the version before
//! would still queue release e-mails in the outbox, and these instances would send them again
//! from the deliveries. Stop them all, then start the new ones (the README's upgrade note).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    ClaimedUntil,
}

const INDEX: &str = "idx_deliveries_email_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Deliveries::Table)
                .add_column(timestamp_with_time_zone_null(Deliveries::ClaimedUntil))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        // The same text on both databases (SQLite has had partial indexes and UPDATE … FROM
        // since 3.8 and 3.33).
        db.execute_unprepared(&format!(
            "CREATE INDEX {INDEX} ON deliveries (next_attempt_at) \
             WHERE channel = 'EMAIL' AND status = 'PENDING'"
        ))
        .await?;
        db.execute_unprepared(
            "UPDATE deliveries SET next_attempt_at = o.next_attempt_at, attempts = o.attempts \
             FROM outbox o WHERE o.delivery_id = deliveries.id AND o.status = 'PENDING'",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE deliveries SET next_attempt_at = created_at \
             WHERE channel = 'EMAIL' AND status = 'PENDING' AND next_attempt_at IS NULL",
        )
        .await?;
        db.execute_unprepared(
            "DELETE FROM outbox WHERE delivery_id IS NOT NULL AND status = 'PENDING'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // Waiting release e-mails go back to the outbox, as the version before queued them.
        db.execute_unprepared(
            "INSERT INTO outbox (id, kind, recipient, release_id, delivery_id, payload, status, \
               attempts, last_error, next_attempt_at, created_at) \
             SELECT id, 'RELEASE', recipient, release_id, id, '{}', 'PENDING', attempts, \
               last_error, COALESCE(next_attempt_at, created_at), created_at \
             FROM deliveries WHERE channel = 'EMAIL' AND status = 'PENDING'",
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name(INDEX)
                .table(Deliveries::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Deliveries::Table)
                .drop_column(Deliveries::ClaimedUntil)
                .to_owned(),
        )
        .await
    }
}
