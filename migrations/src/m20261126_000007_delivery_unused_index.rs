//! The delivery log's index on (channel, status, next_attempt_at) goes.
//!
//! Why: no query reads it. It was made for retrying EMAIL deliveries by their next attempt,
//! but the e-mail outbox carries the retries (its own `idx_outbox_due`), and the operators'
//! per-(channel, status) count reads every row anyway (it counts ids, which the index does not
//! hold). Every delivery row still paid for it: a publication to 1,000 outlets writes 2,000
//! rows, and on the benchmark's PostgreSQL 1,000 rows took about 8.5 ms without it against
//! 10–11 ms with it (BENCHMARKS.md, fifth round).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_deliveries_channel_status_next";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(NAME).table(Deliveries::Table).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name(NAME)
                .table(Deliveries::Table)
                .col(Deliveries::Channel)
                .col(Deliveries::Status)
                .col(Deliveries::NextAttemptAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Channel,
    Status,
    NextAttemptAt,
}
