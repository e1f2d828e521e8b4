//! Issue 20, the rest: mention alerts (a unit named in more articles one day than three times
//! its daily mean over the previous 14 days); release search on the databases' own text
//! index, like article search (an FTS5 table on SQLite, a GIN `tsvector` index on
//! PostgreSQL); and, on PostgreSQL, the articles' `tsvector` stored in a column, so a search
//! for common words can walk the newest articles and test each one cheaply instead of
//! collecting every match and sorting it.
use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MentionAlerts {
    Table,
    Id,
    UnitId,
    Day,
    Mentions,
    DailyMean,
    RaisedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    FetchedAt,
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
                .table(MentionAlerts::Table)
                .col(uuid(MentionAlerts::Id).primary_key())
                .col(uuid(MentionAlerts::UnitId))
                // The province's calendar day (UTC+7) the mentions were counted on.
                .col(date(MentionAlerts::Day))
                .col(integer(MentionAlerts::Mentions))
                .col(double(MentionAlerts::DailyMean))
                .col(timestamp_with_time_zone(MentionAlerts::RaisedAt))
                .col(timestamp_with_time_zone(MentionAlerts::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(MentionAlerts::Table, MentionAlerts::UnitId)
                        .to(Units::Table, Units::Id),
                )
                .to_owned(),
        )
        .await?;
        // One alert per unit and day: instances that count at once raise it once.
        m.create_index(
            Index::create()
                .name("idx_mention_alerts_unit_day")
                .table(MentionAlerts::Table)
                .col(MentionAlerts::UnitId)
                .col(MentionAlerts::Day)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_mention_alerts_raised")
                .table(MentionAlerts::Table)
                .col(MentionAlerts::RaisedAt)
                .to_owned(),
        )
        .await?;
        // Newest first is (fetched_at, id): one index gives the whole order and stops at the
        // page, rather than sorting each run of equal times.
        m.drop_index(
            Index::drop()
                .name("idx_articles_fetched")
                .table(Articles::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_articles_fetched_id")
                .table(Articles::Table)
                .col(Articles::FetchedAt)
                .col(Articles::Id)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => crate::fts::create(db, "releases", "release_id").await?,
            _ => {
                db.execute_unprepared(
                    "CREATE INDEX idx_releases_search ON releases \
                     USING GIN (to_tsvector('simple', search_text))",
                )
                .await?;
                db.execute_unprepared(
                    "ALTER TABLE articles ADD COLUMN search_tsv tsvector \
                     GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
                )
                .await?;
                db.execute_unprepared("DROP INDEX IF EXISTS idx_articles_search")
                    .await?;
                db.execute_unprepared(
                    "CREATE INDEX idx_articles_search_tsv ON articles USING GIN (search_tsv)",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => crate::fts::drop(db, "releases").await?,
            _ => {
                for t in [
                    "DROP INDEX IF EXISTS idx_releases_search",
                    "DROP INDEX IF EXISTS idx_articles_search_tsv",
                    "ALTER TABLE articles DROP COLUMN IF EXISTS search_tsv",
                    "CREATE INDEX idx_articles_search ON articles \
                     USING GIN (to_tsvector('simple', search_text))",
                ] {
                    db.execute_unprepared(t).await?;
                }
            }
        }
        m.drop_index(
            Index::drop()
                .name("idx_articles_fetched_id")
                .table(Articles::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_articles_fetched")
                .table(Articles::Table)
                .col(Articles::FetchedAt)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(MentionAlerts::Table).to_owned())
            .await
    }
}
