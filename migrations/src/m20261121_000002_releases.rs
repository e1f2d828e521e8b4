//! Releases, press conferences, the delivery log and the journalists' feed.
//!
//! `deliveries` holds one row per (release, outlet, channel, recipient): LIVE rows have an
//! empty recipient; EMAIL rows name the address, so the log says which address failed and
//! why. LIVE, EMAIL and FEED share the table so the authority audits every channel from one log. `feed_items` gives every item of an
//! outlet's live feed a database-assigned, monotonic sequence number: it is the cursor that
//! lets a reconnecting journalist resume with no gap and no duplicate.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Outlets {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
    UnitId,
    Kind,
    Status,
    Title,
    Summary,
    Body,
    Topics,
    Audience,
    IsPublic,
    SearchText,
    ListedAt,
    PublishAt,
    PublishedAt,
    Version,
    SupersedesId,
    RetractedAt,
    RetractReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PressConferences {
    Table,
    ReleaseId,
    StartsAt,
    EndsAt,
    Location,
    RsvpDeadline,
    Capacity,
    Sequence,
    ReminderSentAt,
}

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    Id,
    ReleaseId,
    OutletId,
    Channel,
    Status,
    Attempts,
    LastError,
    Recipient,
    CreatedAt,
    UpdatedAt,
    SentAt,
    DeliveredAt,
    AcknowledgedAt,
    AcknowledgedBy,
    NextAttemptAt,
    MessageId,
}

#[derive(DeriveIden)]
enum FeedItems {
    Table,
    Seq,
    OutletId,
    ReleaseId,
    DeliveryId,
    Event,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Releases::Table)
                .col(pk_uuid(Releases::Id))
                .col(uuid(Releases::UnitId))
                .col(string_len(Releases::Kind, 24))
                .col(string_len(Releases::Status, 16))
                .col(string_len(Releases::Title, 500))
                .col(text(Releases::Summary))
                .col(text(Releases::Body))
                .col(text(Releases::Topics))
                .col(text(Releases::Audience))
                .col(boolean(Releases::IsPublic))
                .col(text(Releases::SearchText))
                .col(timestamp_with_time_zone(Releases::ListedAt))
                .col(timestamp_with_time_zone_null(Releases::PublishAt))
                .col(timestamp_with_time_zone_null(Releases::PublishedAt))
                .col(integer(Releases::Version))
                .col(uuid_null(Releases::SupersedesId))
                .col(timestamp_with_time_zone_null(Releases::RetractedAt))
                .col(text_null(Releases::RetractReason))
                .col(uuid_null(Releases::CreatedBy))
                .col(timestamp_with_time_zone(Releases::CreatedAt))
                .col(timestamp_with_time_zone(Releases::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Releases::Table, Releases::UnitId)
                        .to(Units::Table, Units::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Releases::Table, Releases::SupersedesId)
                        .to(Releases::Table, Releases::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_releases_status_publish_at",
                vec![Releases::Status, Releases::PublishAt],
            ),
            (
                "idx_releases_unit",
                vec![Releases::UnitId, Releases::CreatedAt],
            ),
            (
                "idx_releases_listed",
                vec![Releases::ListedAt, Releases::Id],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Releases::Table);
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx.to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(PressConferences::Table)
                .col(uuid(PressConferences::ReleaseId).primary_key())
                .col(timestamp_with_time_zone(PressConferences::StartsAt))
                .col(timestamp_with_time_zone_null(PressConferences::EndsAt))
                .col(string_len(PressConferences::Location, 500))
                .col(timestamp_with_time_zone_null(
                    PressConferences::RsvpDeadline,
                ))
                .col(integer_null(PressConferences::Capacity))
                .col(integer(PressConferences::Sequence).default(0))
                .col(timestamp_with_time_zone_null(
                    PressConferences::ReminderSentAt,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(PressConferences::Table, PressConferences::ReleaseId)
                        .to(Releases::Table, Releases::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Deliveries::Table)
                .col(pk_uuid(Deliveries::Id))
                .col(uuid(Deliveries::ReleaseId))
                .col(uuid(Deliveries::OutletId))
                .col(string_len(Deliveries::Channel, 8))
                .col(string_len(Deliveries::Status, 16))
                .col(integer(Deliveries::Attempts))
                .col(text_null(Deliveries::LastError))
                .col(string_len(Deliveries::Recipient, 254).default(""))
                .col(timestamp_with_time_zone(Deliveries::CreatedAt))
                .col(timestamp_with_time_zone(Deliveries::UpdatedAt))
                .col(timestamp_with_time_zone_null(Deliveries::SentAt))
                .col(timestamp_with_time_zone_null(Deliveries::DeliveredAt))
                .col(timestamp_with_time_zone_null(Deliveries::AcknowledgedAt))
                .col(uuid_null(Deliveries::AcknowledgedBy))
                .col(timestamp_with_time_zone_null(Deliveries::NextAttemptAt))
                .col(string_len_null(Deliveries::MessageId, 300))
                .foreign_key(
                    ForeignKey::create()
                        .from(Deliveries::Table, Deliveries::ReleaseId)
                        .to(Releases::Table, Releases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Deliveries::Table, Deliveries::OutletId)
                        .to(Outlets::Table, Outlets::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_deliveries_release_outlet_channel_recipient")
                .table(Deliveries::Table)
                .col(Deliveries::ReleaseId)
                .col(Deliveries::OutletId)
                .col(Deliveries::Channel)
                .col(Deliveries::Recipient)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliveries_outlet_channel_status")
                .table(Deliveries::Table)
                .col(Deliveries::OutletId)
                .col(Deliveries::Channel)
                .col(Deliveries::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliveries_channel_status_next")
                .table(Deliveries::Table)
                .col(Deliveries::Channel)
                .col(Deliveries::Status)
                .col(Deliveries::NextAttemptAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(FeedItems::Table)
                .col(big_pk_auto(FeedItems::Seq))
                .col(uuid(FeedItems::OutletId))
                .col(uuid(FeedItems::ReleaseId))
                .col(uuid(FeedItems::DeliveryId))
                .col(string_len(FeedItems::Event, 16))
                .col(timestamp_with_time_zone(FeedItems::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_feed_items_outlet_seq")
                .table(FeedItems::Table)
                .col(FeedItems::OutletId)
                .col(FeedItems::Seq)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            FeedItems::Table.into_iden(),
            Deliveries::Table.into_iden(),
            PressConferences::Table.into_iden(),
            Releases::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
