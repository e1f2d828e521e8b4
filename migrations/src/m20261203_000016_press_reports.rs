//! Press reports (phản ánh, issue 20): ADMIN marks an article as a report a unit must respond
//! to within `PRESSNET_PRESS_REPORT_DUE_DAYS`; the response is a text, optionally linked to a
//! STATEMENT or CORRECTION release.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PressReports {
    Table,
    Id,
    ArticleId,
    UnitId,
    Note,
    Status,
    RaisedBy,
    RaisedAt,
    DueAt,
    Response,
    RespondedAt,
    RespondedBy,
    ResponseReleaseId,
    OverdueRemindedAt,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PressReports::Table)
                .col(uuid(PressReports::Id).primary_key())
                .col(uuid(PressReports::ArticleId))
                .col(uuid(PressReports::UnitId))
                .col(text_null(PressReports::Note))
                .col(string_len(PressReports::Status, 24))
                .col(uuid(PressReports::RaisedBy))
                .col(timestamp_with_time_zone(PressReports::RaisedAt))
                .col(timestamp_with_time_zone(PressReports::DueAt))
                .col(text_null(PressReports::Response))
                .col(timestamp_with_time_zone_null(PressReports::RespondedAt))
                .col(uuid_null(PressReports::RespondedBy))
                .col(uuid_null(PressReports::ResponseReleaseId))
                .col(timestamp_with_time_zone_null(
                    PressReports::OverdueRemindedAt,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(PressReports::Table, PressReports::ArticleId)
                        .to(Articles::Table, Articles::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PressReports::Table, PressReports::UnitId)
                        .to(Units::Table, Units::Id),
                )
                .to_owned(),
        )
        .await?;
        // One report per article and unit.
        m.create_index(
            Index::create()
                .name("idx_press_reports_article_unit")
                .table(PressReports::Table)
                .col(PressReports::ArticleId)
                .col(PressReports::UnitId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_press_reports_unit_raised")
                .table(PressReports::Table)
                .col(PressReports::UnitId)
                .col(PressReports::RaisedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(PressReports::Table).to_owned())
            .await
    }
}
