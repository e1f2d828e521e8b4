//! Reorganizations (issue 33): units merge, split, are renamed or dissolved on a date by a
//! decision. A unit keeps its own history; `ended_at` says from when it no longer acts, and
//! `started_at` when a unit a reorganization created came into being (null: it predates
//! what pressnet records). Which units a reorganization took from and gave to are rows of
//! `reorganization_units`, so lineage (successors, predecessors) is one indexed lookup.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    StartedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Reorganizations {
    Table,
    Id,
    Kind,
    EffectiveAt,
    DecisionRef,
    PreviousName,
    PreviousCode,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum ReorganizationUnits {
    Table,
    ReorganizationId,
    UnitId,
    Side,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table(Units::Table)
                .add_column(timestamp_with_time_zone_null(Units::StartedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Units::Table)
                .add_column(timestamp_with_time_zone_null(Units::EndedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Reorganizations::Table)
                .col(uuid(Reorganizations::Id).primary_key())
                .col(string_len(Reorganizations::Kind, 16))
                .col(timestamp_with_time_zone(Reorganizations::EffectiveAt))
                .col(string_len(Reorganizations::DecisionRef, 200))
                .col(string_len_null(Reorganizations::PreviousName, 300))
                .col(string_len_null(Reorganizations::PreviousCode, 64))
                .col(timestamp_with_time_zone(Reorganizations::CreatedAt))
                .col(uuid_null(Reorganizations::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReorganizationUnits::Table)
                .col(uuid(ReorganizationUnits::ReorganizationId))
                .col(uuid(ReorganizationUnits::UnitId))
                .col(string_len(ReorganizationUnits::Side, 8))
                .col(integer(ReorganizationUnits::Position))
                .primary_key(
                    Index::create()
                        .col(ReorganizationUnits::ReorganizationId)
                        .col(ReorganizationUnits::Side)
                        .col(ReorganizationUnits::UnitId),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_reorganization_units_unit")
                .table(ReorganizationUnits::Table)
                .col(ReorganizationUnits::UnitId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ReorganizationUnits::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Reorganizations::Table).to_owned())
            .await?;
        for col in [Units::EndedAt, Units::StartedAt] {
            m.alter_table(
                Table::alter()
                    .table(Units::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
