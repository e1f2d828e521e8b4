//! The e-mail channel: the outbox (work queue), suppressed addresses, journalists' e-mail
//! preferences and follows, and press-conference RSVPs.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Kind,
    Recipient,
    ReleaseId,
    DeliveryId,
    Payload,
    Status,
    Attempts,
    LastError,
    NextAttemptAt,
    ClaimedUntil,
    MessageId,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum EmailSuppressions {
    Table,
    Address,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum JournalistPrefs {
    Table,
    JournalistId,
    EmailMode,
    UnsubscribeToken,
    LastDigestAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Follows {
    Table,
    Id,
    JournalistId,
    UnitId,
    Topic,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rsvps {
    Table,
    ReleaseId,
    JournalistId,
    Attending,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(pk_uuid(Outbox::Id))
                .col(string_len(Outbox::Kind, 24))
                .col(string_len(Outbox::Recipient, 254))
                .col(uuid_null(Outbox::ReleaseId))
                .col(uuid_null(Outbox::DeliveryId))
                .col(text(Outbox::Payload))
                .col(string_len(Outbox::Status, 16))
                .col(integer(Outbox::Attempts))
                .col(text_null(Outbox::LastError))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Outbox::ClaimedUntil))
                .col(string_len_null(Outbox::MessageId, 300))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table(Outbox::Table)
                .col(Outbox::Status)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EmailSuppressions::Table)
                .col(string_len(EmailSuppressions::Address, 254).primary_key())
                .col(text(EmailSuppressions::Reason))
                .col(timestamp_with_time_zone(EmailSuppressions::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(JournalistPrefs::Table)
                .col(uuid(JournalistPrefs::JournalistId).primary_key())
                .col(string_len(JournalistPrefs::EmailMode, 16))
                .col(string_len_uniq(JournalistPrefs::UnsubscribeToken, 64))
                .col(timestamp_with_time_zone_null(JournalistPrefs::LastDigestAt))
                .col(timestamp_with_time_zone(JournalistPrefs::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Follows::Table)
                .col(pk_uuid(Follows::Id))
                .col(uuid(Follows::JournalistId))
                .col(uuid_null(Follows::UnitId))
                .col(string_len_null(Follows::Topic, 100))
                .col(timestamp_with_time_zone(Follows::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_follows_journalist")
                .table(Follows::Table)
                .col(Follows::JournalistId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Rsvps::Table)
                .col(uuid(Rsvps::ReleaseId))
                .col(uuid(Rsvps::JournalistId))
                .col(boolean(Rsvps::Attending))
                .col(timestamp_with_time_zone(Rsvps::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(Rsvps::ReleaseId)
                        .col(Rsvps::JournalistId),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Rsvps::Table.into_iden(),
            Follows::Table.into_iden(),
            JournalistPrefs::Table.into_iden(),
            EmailSuppressions::Table.into_iden(),
            Outbox::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
