//! Issue 31: sessions a person can see and end (`mySessions`, `revokeSession`): when each was
//! last used and from which browser; and an index for `Release.correctedBy` (the correction
//! whose `supersedes_id` names a release).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuthTokens {
    Table,
    LastSeenAt,
    UserAgent,
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    SupersedesId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        m.alter_table(
            Table::alter()
                .table(AuthTokens::Table)
                .add_column(timestamp_with_time_zone_null(AuthTokens::LastSeenAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AuthTokens::Table)
                .add_column(string_null(AuthTokens::UserAgent))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_releases_supersedes")
                .table(Releases::Table)
                .col(Releases::SupersedesId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_releases_supersedes").to_owned())
            .await?;
        for col in [AuthTokens::UserAgent, AuthTokens::LastSeenAt] {
            m.alter_table(
                Table::alter()
                    .table(AuthTokens::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
