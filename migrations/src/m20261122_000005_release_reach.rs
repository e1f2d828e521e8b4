//! A per-release summary of the delivery log: how many outlets a release addressed, how many
//! it reached (any channel SENT, DELIVERED or ACKNOWLEDGED), and the first and last live
//! delivery, and its LIVE deliveries by status (the `deliveryStats` of every release list).
//! Kept in the same transactions that change deliveries, so the compliance report
//! reads one row per release instead of scanning every delivery of the period.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReleaseReach {
    Table,
    ReleaseId,
    Targeted,
    Reached,
    LiveFirstAt,
    LiveLastAt,
    LivePending,
    LiveSent,
    LiveDelivered,
    LiveAcknowledged,
    LiveFailed,
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
}

/// Existing delivery logs are summarised once, by the same rules the application keeps
/// (`pressnet_schema::services::reach` also uses it to rebuild the summary).
/// One pass over the log, grouped by (release, outlet) along the unique index; a correlated
/// subquery per release for the live times made SQLite scan the log once per release.
pub const BACKFILL: &str = "INSERT INTO release_reach (release_id, targeted, reached, live_first_at, live_last_at, \
      live_pending, live_sent, live_delivered, live_acknowledged, live_failed) \
    SELECT p.release_id, COUNT(*), COALESCE(SUM(p.ok), 0), MIN(p.first_live), MAX(p.last_live), \
      COALESCE(SUM(p.pending), 0), COALESCE(SUM(p.sent), 0), COALESCE(SUM(p.delivered), 0), \
      COALESCE(SUM(p.acknowledged), 0), COALESCE(SUM(p.failed), 0) \
    FROM (SELECT release_id, outlet_id, \
            MAX(CASE WHEN status IN ('SENT', 'DELIVERED', 'ACKNOWLEDGED') THEN 1 ELSE 0 END) AS ok, \
            MIN(CASE WHEN channel = 'LIVE' THEN delivered_at END) AS first_live, \
            MAX(CASE WHEN channel = 'LIVE' THEN delivered_at END) AS last_live, \
            SUM(CASE WHEN channel = 'LIVE' AND status = 'PENDING' THEN 1 ELSE 0 END) AS pending, \
            SUM(CASE WHEN channel = 'LIVE' AND status = 'SENT' THEN 1 ELSE 0 END) AS sent, \
            SUM(CASE WHEN channel = 'LIVE' AND status = 'DELIVERED' THEN 1 ELSE 0 END) AS delivered, \
            SUM(CASE WHEN channel = 'LIVE' AND status = 'ACKNOWLEDGED' THEN 1 ELSE 0 END) AS acknowledged, \
            SUM(CASE WHEN channel = 'LIVE' AND status = 'FAILED' THEN 1 ELSE 0 END) AS failed \
          FROM deliveries GROUP BY release_id, outlet_id) p \
    GROUP BY p.release_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ReleaseReach::Table)
                .col(uuid(ReleaseReach::ReleaseId).primary_key())
                .col(big_integer(ReleaseReach::Targeted).default(0))
                .col(big_integer(ReleaseReach::Reached).default(0))
                .col(timestamp_with_time_zone_null(ReleaseReach::LiveFirstAt))
                .col(timestamp_with_time_zone_null(ReleaseReach::LiveLastAt))
                .col(big_integer(ReleaseReach::LivePending).default(0))
                .col(big_integer(ReleaseReach::LiveSent).default(0))
                .col(big_integer(ReleaseReach::LiveDelivered).default(0))
                .col(big_integer(ReleaseReach::LiveAcknowledged).default(0))
                .col(big_integer(ReleaseReach::LiveFailed).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReleaseReach::Table, ReleaseReach::ReleaseId)
                        .to(Releases::Table, Releases::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection().execute_unprepared(BACKFILL).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReleaseReach::Table).to_owned())
            .await
    }
}
