//! Rule sets (issue 33): deadlines and cadences change by decree on a date, and every duty is
//! judged by the set in force when it arose. Per-level values are JSON objects keyed by level
//! (`{"PROVINCE":72,…}`): four numbers that are always read together.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RuleSets {
    Table,
    Id,
    EffectiveFrom,
    DecisionRef,
    InquiryDueHours,
    PressReportDueDays,
    FirstStatementHours,
    ConferencesPerQuarter,
    InformationPerMonth,
    SpokespersonVacancyDays,
    CreatedAt,
    CreatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RuleSets::Table)
                .col(uuid(RuleSets::Id).primary_key())
                .col(timestamp_with_time_zone(RuleSets::EffectiveFrom))
                .col(string_len(RuleSets::DecisionRef, 500))
                .col(text(RuleSets::InquiryDueHours))
                .col(integer(RuleSets::PressReportDueDays))
                .col(integer(RuleSets::FirstStatementHours))
                .col(text(RuleSets::ConferencesPerQuarter))
                .col(text(RuleSets::InformationPerMonth))
                .col(integer(RuleSets::SpokespersonVacancyDays))
                .col(timestamp_with_time_zone(RuleSets::CreatedAt))
                .col(uuid_null(RuleSets::CreatedBy))
                .to_owned(),
        )
        .await?;
        // One set per moment: which set is in force is never a tie.
        m.create_index(
            Index::create()
                .name("idx_rule_sets_effective_from")
                .table(RuleSets::Table)
                .col(RuleSets::EffectiveFrom)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RuleSets::Table).to_owned())
            .await
    }
}
