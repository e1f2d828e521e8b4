//! The registry: units, spokespersons, outlets, journalists, and the accounts that sign in.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    Code,
    Name,
    Level,
    ParentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Spokespersons {
    Table,
    Id,
    UnitId,
    FullName,
    Position,
    Phone,
    Email,
    AppointmentRef,
    IsPrimary,
    ActiveFrom,
    ActiveUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outlets {
    Table,
    Id,
    Name,
    Kind,
    Scope,
    LicenceNumber,
    Email,
    Accreditation,
    AccreditedUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Journalists {
    Table,
    Id,
    OutletId,
    FullName,
    Email,
    PressCardNumber,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    SpokespersonId,
    JournalistId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuthTokens {
    Table,
    Id,
    AccountId,
    TokenHash,
    Purpose,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStart,
    LockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Units::Table)
                .col(pk_uuid(Units::Id))
                .col(string_len_uniq(Units::Code, 64))
                .col(string_len(Units::Name, 300))
                .col(string_len(Units::Level, 16))
                .col(uuid_null(Units::ParentId))
                .col(timestamp_with_time_zone(Units::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Units::Table, Units::ParentId)
                        .to(Units::Table, Units::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Spokespersons::Table)
                .col(pk_uuid(Spokespersons::Id))
                .col(uuid(Spokespersons::UnitId))
                .col(string_len(Spokespersons::FullName, 200))
                .col(string_len(Spokespersons::Position, 300))
                .col(string_len(Spokespersons::Phone, 32))
                .col(string_len(Spokespersons::Email, 254))
                .col(string_len_null(Spokespersons::AppointmentRef, 100))
                .col(boolean(Spokespersons::IsPrimary))
                .col(timestamp_with_time_zone(Spokespersons::ActiveFrom))
                .col(timestamp_with_time_zone_null(Spokespersons::ActiveUntil))
                .col(timestamp_with_time_zone(Spokespersons::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Spokespersons::Table, Spokespersons::UnitId)
                        .to(Units::Table, Units::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_spokespersons_unit")
                .table(Spokespersons::Table)
                .col(Spokespersons::UnitId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Outlets::Table)
                .col(pk_uuid(Outlets::Id))
                .col(string_len(Outlets::Name, 300))
                .col(string_len(Outlets::Kind, 16))
                .col(string_len(Outlets::Scope, 16))
                .col(string_len_uniq(Outlets::LicenceNumber, 100))
                .col(string_len(Outlets::Email, 254))
                .col(string_len(Outlets::Accreditation, 16))
                .col(timestamp_with_time_zone_null(Outlets::AccreditedUntil))
                .col(timestamp_with_time_zone(Outlets::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Journalists::Table)
                .col(pk_uuid(Journalists::Id))
                .col(uuid(Journalists::OutletId))
                .col(string_len(Journalists::FullName, 200))
                .col(string_len(Journalists::Email, 254))
                .col(string_len_null(Journalists::PressCardNumber, 64).unique_key())
                .col(timestamp_with_time_zone(Journalists::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Journalists::Table, Journalists::OutletId)
                        .to(Outlets::Table, Outlets::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_journalists_outlet")
                .table(Journalists::Table)
                .col(Journalists::OutletId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(pk_uuid(Accounts::Id))
                .col(string_len_uniq(Accounts::Email, 254))
                .col(string_len_null(Accounts::PasswordHash, 200))
                .col(string_len(Accounts::Role, 16))
                .col(uuid_null(Accounts::SpokespersonId))
                .col(uuid_null(Accounts::JournalistId))
                .col(timestamp_with_time_zone(Accounts::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Accounts::Table, Accounts::SpokespersonId)
                        .to(Spokespersons::Table, Spokespersons::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Accounts::Table, Accounts::JournalistId)
                        .to(Journalists::Table, Journalists::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuthTokens::Table)
                .col(pk_uuid(AuthTokens::Id))
                .col(uuid(AuthTokens::AccountId))
                .col(string_len_uniq(AuthTokens::TokenHash, 64))
                .col(string_len(AuthTokens::Purpose, 16))
                .col(timestamp_with_time_zone(AuthTokens::CreatedAt))
                .col(timestamp_with_time_zone(AuthTokens::ExpiresAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(AuthTokens::Table, AuthTokens::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(string_len(LoginThrottle::Key, 300).primary_key())
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::WindowStart))
                .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            LoginThrottle::Table.into_iden(),
            AuthTokens::Table.into_iden(),
            Accounts::Table.into_iden(),
            Journalists::Table.into_iden(),
            Outlets::Table.into_iden(),
            Spokespersons::Table.into_iden(),
            Units::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
