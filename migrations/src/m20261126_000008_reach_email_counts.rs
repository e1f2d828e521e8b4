//! The per-release summary also counts EMAIL deliveries by status.
//!
//! Why: `GET /metrics` reports the delivery log by channel and status. Counting the log at
//! every scrape read all of it: 1.5–2.5 s of PostgreSQL time per scrape at 6,000,000 rows
//! (BENCHMARKS.md, fifth round). The summary already kept LIVE deliveries by status, in the
//! transactions that change them; with EMAIL beside them a scrape sums one row per release.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ReleaseReach {
    Table,
    EmailPending,
    EmailSent,
    EmailDelivered,
    EmailAcknowledged,
    EmailFailed,
}

const COLUMNS: [ReleaseReach; 5] = [
    ReleaseReach::EmailPending,
    ReleaseReach::EmailSent,
    ReleaseReach::EmailDelivered,
    ReleaseReach::EmailAcknowledged,
    ReleaseReach::EmailFailed,
];

/// Fills the EMAIL counts of existing summary rows from the delivery log, in one grouped pass
/// (`pressnet_schema::services::reach` also runs it when it rebuilds the summary). Both
/// databases accept `UPDATE … FROM` (SQLite since 3.33).
pub const EMAIL_BACKFILL: &str = "UPDATE release_reach SET \
      email_pending = e.pending, email_sent = e.sent, email_delivered = e.delivered, \
      email_acknowledged = e.acknowledged, email_failed = e.failed \
    FROM (SELECT release_id, \
            SUM(CASE WHEN status = 'PENDING' THEN 1 ELSE 0 END) AS pending, \
            SUM(CASE WHEN status = 'SENT' THEN 1 ELSE 0 END) AS sent, \
            SUM(CASE WHEN status = 'DELIVERED' THEN 1 ELSE 0 END) AS delivered, \
            SUM(CASE WHEN status = 'ACKNOWLEDGED' THEN 1 ELSE 0 END) AS acknowledged, \
            SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END) AS failed \
          FROM deliveries WHERE channel = 'EMAIL' GROUP BY release_id) e \
    WHERE release_reach.release_id = e.release_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One change per ALTER TABLE: SQLite accepts no more.
        for c in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(ReleaseReach::Table)
                    .add_column(big_integer(c).default(0))
                    .to_owned(),
            )
            .await?;
        }
        m.get_connection()
            .execute_unprepared(EMAIL_BACKFILL)
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(ReleaseReach::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
