//! Source material (issue 18): a release's attachments, and the log of who downloaded them.
//!
//! - `attachments`: one file of a release, in upload order (`position`). Its bytes live in the
//!   object store under their SHA-256 (`sha256`: what is served, EXIF already stripped from
//!   images), so the same file twice is stored once; images also have a thumbnail and a web
//!   rendition (`thumb_sha256`, `web_sha256`). Deleted with the release's draft.
//! - `downloads`: each download by a journalist (release, outlet, journalist, file, time), for
//!   the unit and the authority; indexed by release, which is how it is read.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    ReleaseId,
    Position,
    Filename,
    ContentType,
    Size,
    Sha256,
    Caption,
    Credit,
    Width,
    Height,
    ThumbSha256,
    WebSha256,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Downloads {
    Table,
    Id,
    AttachmentId,
    ReleaseId,
    OutletId,
    JournalistId,
    At,
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Attachments::Table)
                .col(uuid(Attachments::Id).primary_key())
                .col(uuid(Attachments::ReleaseId))
                .col(integer(Attachments::Position))
                .col(text(Attachments::Filename))
                .col(text(Attachments::ContentType))
                .col(big_integer(Attachments::Size))
                .col(string_len(Attachments::Sha256, 64))
                .col(text_null(Attachments::Caption))
                .col(text_null(Attachments::Credit))
                .col(integer_null(Attachments::Width))
                .col(integer_null(Attachments::Height))
                .col(string_len_null(Attachments::ThumbSha256, 64))
                .col(string_len_null(Attachments::WebSha256, 64))
                .col(uuid(Attachments::UploadedBy))
                .col(timestamp_with_time_zone(Attachments::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Attachments::Table, Attachments::ReleaseId)
                        .to(Releases::Table, Releases::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_attachments_release")
                .table(Attachments::Table)
                .col(Attachments::ReleaseId)
                .col(Attachments::Position)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_attachments_sha256")
                .table(Attachments::Table)
                .col(Attachments::Sha256)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Downloads::Table)
                .col(uuid(Downloads::Id).primary_key())
                .col(uuid(Downloads::AttachmentId))
                .col(uuid(Downloads::ReleaseId))
                .col(uuid_null(Downloads::OutletId))
                .col(uuid_null(Downloads::JournalistId))
                .col(timestamp_with_time_zone(Downloads::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(Downloads::Table, Downloads::AttachmentId)
                        .to(Attachments::Table, Attachments::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_downloads_release")
                .table(Downloads::Table)
                .col(Downloads::ReleaseId)
                .col(Downloads::At)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Downloads::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Attachments::Table).to_owned())
            .await
    }
}
