//! Merged outlets (issue 33): since 2025 each province has one "Báo và Phát thanh, Truyền
//! hình", at once print, online, radio and television. `media_types` lists what an outlet is
//! (a JSON array of kinds; null: its one `kind`); a merged outlet ends (`ended_at`) and names
//! its `successor_id`, keeping its delivery history.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outlets {
    Table,
    MediaTypes,
    EndedAt,
    SuccessorId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table(Outlets::Table)
                .add_column(string_len_null(Outlets::MediaTypes, 200))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outlets::Table)
                .add_column(timestamp_with_time_zone_null(Outlets::EndedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outlets::Table)
                .add_column(uuid_null(Outlets::SuccessorId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [Outlets::SuccessorId, Outlets::EndedAt, Outlets::MediaTypes] {
            m.alter_table(
                Table::alter()
                    .table(Outlets::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
