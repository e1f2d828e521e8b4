//! Press cards (issue 33; Press Law 2025: a card is valid five years): when a journalist's card
//! expires, and the last reminder sent before it does (30 or 7 days; cleared on renewal).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Journalists {
    Table,
    PressCardExpiresAt,
    PressCardRemindedDays,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table(Journalists::Table)
                .add_column(timestamp_with_time_zone_null(
                    Journalists::PressCardExpiresAt,
                ))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Journalists::Table)
                .add_column(integer_null(Journalists::PressCardRemindedDays))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_journalists_press_card_expires")
                .table(Journalists::Table)
                .col(Journalists::PressCardExpiresAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_journalists_press_card_expires")
                .to_owned(),
        )
        .await?;
        for col in [
            Journalists::PressCardRemindedDays,
            Journalists::PressCardExpiresAt,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Journalists::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
