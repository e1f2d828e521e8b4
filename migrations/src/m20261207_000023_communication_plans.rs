//! The annual communication plan (issue 33; kế hoạch truyền thông hằng năm, Gia Lai): items
//! with a kind and a due date, done when a published release linked to one
//! (`releases.plan_item_id`) exists.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PlanItems {
    Table,
    Id,
    UnitId,
    Year,
    Position,
    Title,
    Kind,
    DueAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    PlanItemId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PlanItems::Table)
                .col(uuid(PlanItems::Id).primary_key())
                .col(uuid(PlanItems::UnitId))
                .col(integer(PlanItems::Year))
                .col(integer(PlanItems::Position))
                .col(string_len(PlanItems::Title, 500))
                .col(string_len(PlanItems::Kind, 24))
                .col(timestamp_with_time_zone(PlanItems::DueAt))
                .col(timestamp_with_time_zone(PlanItems::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_plan_items_unit_year")
                .table(PlanItems::Table)
                .col(PlanItems::UnitId)
                .col(PlanItems::Year)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_plan_items_due")
                .table(PlanItems::Table)
                .col(PlanItems::DueAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Releases::Table)
                .add_column(uuid_null(Releases::PlanItemId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_releases_plan_item")
                .table(Releases::Table)
                .col(Releases::PlanItemId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_releases_plan_item").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Releases::Table)
                .drop_column(Releases::PlanItemId)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(PlanItems::Table).to_owned())
            .await
    }
}
