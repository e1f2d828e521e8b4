//! The HTTP channels (issue 19): the queue of outbound requests (webhook POSTs and Web Push
//! messages) and the journalists' push subscriptions.
//!
//! `outbound_messages` is the work queue of both HTTP channels, as `outbox` is e-mail's: a
//! publication writes a message per webhook endpoint and per journalist device in its own
//! transaction, beside the delivery row it will move (`delivery_id`); a retraction, a test
//! event or a replay writes a message alone. A worker claims due rows (`claimed_until`, short
//! leases) and records the outcome. `target_id` is a webhook endpoint or a push subscription,
//! by `channel`. `last_status` and `last_error` keep the receiver's answer as a short excerpt.
//!
//! `deliveries.escalated_at` marks the LIVE delivery of an outlet that did not acknowledge in
//! time and was sent the release again on its next channel (once).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboundMessages {
    Table,
    Id,
    Channel,
    TargetId,
    Event,
    ReleaseId,
    DeliveryId,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    LastStatus,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum PushSubscriptions {
    Table,
    Id,
    AccountId,
    Endpoint,
    P256dh,
    Auth,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    EscalatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OutboundMessages::Table)
                .col(uuid(OutboundMessages::Id).primary_key())
                .col(string_len(OutboundMessages::Channel, 8))
                .col(uuid(OutboundMessages::TargetId))
                .col(string_len(OutboundMessages::Event, 16))
                .col(uuid_null(OutboundMessages::ReleaseId))
                .col(uuid_null(OutboundMessages::DeliveryId))
                .col(string_len(OutboundMessages::Status, 24))
                .col(integer(OutboundMessages::Attempts))
                .col(timestamp_with_time_zone(OutboundMessages::NextAttemptAt))
                .col(timestamp_with_time_zone_null(
                    OutboundMessages::ClaimedUntil,
                ))
                .col(integer_null(OutboundMessages::LastStatus))
                .col(text_null(OutboundMessages::LastError))
                .col(timestamp_with_time_zone(OutboundMessages::CreatedAt))
                .col(timestamp_with_time_zone_null(OutboundMessages::SentAt))
                .to_owned(),
        )
        .await?;
        // The worker's claim reads PENDING rows by due time.
        m.create_index(
            Index::create()
                .name("idx_outbound_messages_due")
                .table(OutboundMessages::Table)
                .col(OutboundMessages::Status)
                .col(OutboundMessages::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        // An endpoint's recent attempts (the registry page, replays).
        m.create_index(
            Index::create()
                .name("idx_outbound_messages_target")
                .table(OutboundMessages::Table)
                .col(OutboundMessages::TargetId)
                .col(OutboundMessages::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PushSubscriptions::Table)
                .col(uuid(PushSubscriptions::Id).primary_key())
                .col(uuid(PushSubscriptions::AccountId))
                .col(text(PushSubscriptions::Endpoint))
                .col(text(PushSubscriptions::P256dh))
                .col(text(PushSubscriptions::Auth))
                .col(timestamp_with_time_zone(PushSubscriptions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PushSubscriptions::Table, PushSubscriptions::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_push_subscriptions_endpoint")
                .table(PushSubscriptions::Table)
                .col(PushSubscriptions::Endpoint)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_push_subscriptions_account")
                .table(PushSubscriptions::Table)
                .col(PushSubscriptions::AccountId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Deliveries::Table)
                .add_column(timestamp_with_time_zone_null(Deliveries::EscalatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Deliveries::Table)
                .drop_column(Deliveries::EscalatedAt)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(PushSubscriptions::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(OutboundMessages::Table).to_owned())
            .await
    }
}
