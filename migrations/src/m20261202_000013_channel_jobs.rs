//! The HTTP channels' share of a publication, done after its commit (issue 19): the
//! publication writes one `channel_jobs` row in its own transaction (the promise, persisted
//! first); the outbound worker claims it with a short lease and, in one transaction, writes
//! the WEBHOOK and PUSH deliveries and their queue messages and marks the job done. So a
//! publication to 1,000 outlets with a webhook each commits as fast as one without, and a
//! crash between the two loses nothing: the job is claimed again when its lease ends.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChannelJobs {
    Table,
    Id,
    ReleaseId,
    CreatedAt,
    ClaimedUntil,
    DoneAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ChannelJobs::Table)
                .col(uuid(ChannelJobs::Id).primary_key())
                .col(uuid(ChannelJobs::ReleaseId))
                .col(timestamp_with_time_zone(ChannelJobs::CreatedAt))
                .col(timestamp_with_time_zone_null(ChannelJobs::ClaimedUntil))
                .col(timestamp_with_time_zone_null(ChannelJobs::DoneAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_channel_jobs_open")
                .table(ChannelJobs::Table)
                .col(ChannelJobs::DoneAt)
                .col(ChannelJobs::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ChannelJobs::Table).to_owned())
            .await
    }
}
