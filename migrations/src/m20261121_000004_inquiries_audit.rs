//! Press questions (inquiries) and the tamper-evident audit log.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Inquiries {
    Table,
    Id,
    UnitId,
    OutletId,
    JournalistId,
    Question,
    Status,
    AskedAt,
    DueAt,
    Answer,
    AnsweredAt,
    AnsweredBy,
    ResponseSecs,
    DeclineReason,
    Rating,
    RatedAt,
    OverdueRemindedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Seq,
    Id,
    At,
    ActorId,
    Action,
    Entity,
    EntityId,
    Details,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Inquiries::Table)
                .col(pk_uuid(Inquiries::Id))
                .col(uuid(Inquiries::UnitId))
                .col(uuid(Inquiries::OutletId))
                .col(uuid(Inquiries::JournalistId))
                .col(text(Inquiries::Question))
                .col(string_len(Inquiries::Status, 16))
                .col(timestamp_with_time_zone(Inquiries::AskedAt))
                .col(timestamp_with_time_zone(Inquiries::DueAt))
                .col(text_null(Inquiries::Answer))
                .col(timestamp_with_time_zone_null(Inquiries::AnsweredAt))
                .col(uuid_null(Inquiries::AnsweredBy))
                .col(big_integer_null(Inquiries::ResponseSecs))
                .col(text_null(Inquiries::DeclineReason))
                .col(string_len_null(Inquiries::Rating, 16))
                .col(timestamp_with_time_zone_null(Inquiries::RatedAt))
                .col(timestamp_with_time_zone_null(Inquiries::OverdueRemindedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_inquiries_unit_asked")
                .table(Inquiries::Table)
                .col(Inquiries::UnitId)
                .col(Inquiries::AskedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(big_pk_auto(AuditEvents::Seq))
                .col(uuid_uniq(AuditEvents::Id))
                .col(timestamp_with_time_zone(AuditEvents::At))
                .col(uuid_null(AuditEvents::ActorId))
                .col(string_len(AuditEvents::Action, 64))
                .col(string_len(AuditEvents::Entity, 32))
                .col(uuid_null(AuditEvents::EntityId))
                .col(text(AuditEvents::Details))
                .col(string_len(AuditEvents::Hash, 64))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Inquiries::Table).to_owned())
            .await?;
        Ok(())
    }
}
