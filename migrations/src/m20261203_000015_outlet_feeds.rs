//! Watching outlets' own feeds (issue 20): the feeds ADMIN sets per outlet, polled with
//! conditional GET and claimed with short leases so several instances fetch each feed once a
//! period; and the articles found in them, stored once per outlet and key (the canonical URL,
//! else the guid), with a diacritic-free search text indexed by each database's own text
//! search: an FTS5 table on SQLite, a GIN `tsvector` index on PostgreSQL; and the pickups
//! that tie an article to the release it carried (by link, by text, or declared).
use sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutletFeeds {
    Table,
    Id,
    OutletId,
    Url,
    Etag,
    LastModified,
    NextAttemptAt,
    ClaimedUntil,
    Failures,
    LastError,
    LastPolledAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Articles {
    Table,
    Id,
    OutletId,
    FeedId,
    Key,
    Url,
    Title,
    Summary,
    PublishedAt,
    FetchedAt,
    SearchText,
}

#[derive(DeriveIden)]
enum Pickups {
    Table,
    Id,
    ReleaseId,
    ArticleId,
    OutletId,
    MatchedBy,
    Score,
    LagMinutes,
    DeclaredBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Outlets {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OutletFeeds::Table)
                .col(uuid(OutletFeeds::Id).primary_key())
                .col(uuid(OutletFeeds::OutletId))
                .col(text(OutletFeeds::Url))
                .col(text_null(OutletFeeds::Etag))
                .col(text_null(OutletFeeds::LastModified))
                .col(timestamp_with_time_zone(OutletFeeds::NextAttemptAt))
                .col(timestamp_with_time_zone_null(OutletFeeds::ClaimedUntil))
                .col(integer(OutletFeeds::Failures))
                .col(text_null(OutletFeeds::LastError))
                .col(timestamp_with_time_zone_null(OutletFeeds::LastPolledAt))
                .col(timestamp_with_time_zone(OutletFeeds::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(OutletFeeds::Table, OutletFeeds::OutletId)
                        .to(Outlets::Table, Outlets::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outlet_feeds_outlet_url")
                .table(OutletFeeds::Table)
                .col(OutletFeeds::OutletId)
                .col(OutletFeeds::Url)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outlet_feeds_due")
                .table(OutletFeeds::Table)
                .col(OutletFeeds::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Articles::Table)
                .col(uuid(Articles::Id).primary_key())
                .col(uuid(Articles::OutletId))
                .col(uuid_null(Articles::FeedId))
                .col(text(Articles::Key))
                .col(text(Articles::Url))
                .col(text(Articles::Title))
                .col(text_null(Articles::Summary))
                .col(timestamp_with_time_zone_null(Articles::PublishedAt))
                .col(timestamp_with_time_zone(Articles::FetchedAt))
                .col(text(Articles::SearchText))
                .foreign_key(
                    ForeignKey::create()
                        .from(Articles::Table, Articles::OutletId)
                        .to(Outlets::Table, Outlets::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_articles_outlet_key")
                .table(Articles::Table)
                .col(Articles::OutletId)
                .col(Articles::Key)
                .unique()
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
        m.create_table(
            Table::create()
                .table(Pickups::Table)
                .col(uuid(Pickups::Id).primary_key())
                .col(uuid(Pickups::ReleaseId))
                .col(uuid(Pickups::ArticleId))
                .col(uuid(Pickups::OutletId))
                .col(text(Pickups::MatchedBy))
                .col(double_null(Pickups::Score))
                .col(double_null(Pickups::LagMinutes))
                .col(uuid_null(Pickups::DeclaredBy))
                .col(timestamp_with_time_zone(Pickups::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Pickups::Table, Pickups::ReleaseId)
                        .to(Releases::Table, Releases::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Pickups::Table, Pickups::ArticleId)
                        .to(Articles::Table, Articles::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_pickups_release_article")
                .table(Pickups::Table)
                .col(Pickups::ReleaseId)
                .col(Pickups::ArticleId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_pickups_article")
                .table(Pickups::Table)
                .col(Pickups::ArticleId)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            // (The table is new: filling it from `articles` finds nothing.)
            DatabaseBackend::Sqlite => crate::fts::create(db, "articles", "article_id").await?,
            _ => {
                db.execute_unprepared(
                    "CREATE INDEX idx_articles_search ON articles \
                     USING GIN (to_tsvector('simple', search_text))",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            crate::fts::drop(db, "articles").await?;
        }
        m.drop_table(Table::drop().table(Pickups::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Articles::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(OutletFeeds::Table).to_owned())
            .await
    }
}
