//! Spokesperson vacancies (issue 33): when ADMIN was last reminded that a unit has had no
//! spokesperson for longer than the rules allow (one reminder per vacancy).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    VacancyRemindedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Units::Table)
                .add_column(timestamp_with_time_zone_null(Units::VacancyRemindedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Units::Table)
                .drop_column(Units::VacancyRemindedAt)
                .to_owned(),
        )
        .await
    }
}
