//! Newsroom systems (issue 19): the webhook endpoints ADMIN registers for an outlet.
//!
//! `secret` is the Standard Webhooks signing secret (`whsec_…`), shown once when the endpoint
//! is added and kept so that pressnet can sign: HMAC needs the key itself, so it cannot be
//! stored hashed like a token. `consecutive_failures` counts failed deliveries since the last
//! success (N in a row disable the endpoint); `disabled_reason` says why it stopped.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    Id,
    OutletId,
    Url,
    Secret,
    Enabled,
    ConsecutiveFailures,
    DisabledReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outlets {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookEndpoints::Table)
                .col(uuid(WebhookEndpoints::Id).primary_key())
                .col(uuid(WebhookEndpoints::OutletId))
                .col(text(WebhookEndpoints::Url))
                .col(text(WebhookEndpoints::Secret))
                .col(boolean(WebhookEndpoints::Enabled))
                .col(integer(WebhookEndpoints::ConsecutiveFailures))
                .col(text_null(WebhookEndpoints::DisabledReason))
                .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(WebhookEndpoints::Table, WebhookEndpoints::OutletId)
                        .to(Outlets::Table, Outlets::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_webhook_endpoints_outlet")
                .table(WebhookEndpoints::Table)
                .col(WebhookEndpoints::OutletId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookEndpoints::Table).to_owned())
            .await
    }
}
