#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub release_id: Uuid,
    pub position: i32,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub thumb_sha256: Option<String>,
    pub web_sha256: Option<String>,
    pub uploaded_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Gives release `to` a copy of each of release `from`'s files, in order (the rows only: the
/// bytes are stored by their SHA-256 and shared), inside the caller's transaction.
pub(crate) async fn copy_rows<C: sea_orm::ConnectionTrait>(
    conn: &C,
    from: Uuid,
    to: Uuid,
    by: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sea_orm::DbErr> {
    use sea_orm::{QueryFilter, QueryOrder, Set};
    let rows = Entity::find()
        .filter(Column::ReleaseId.eq(from))
        .order_by_asc(Column::Position)
        .all(conn)
        .await?;
    let n = rows.len();
    if n == 0 {
        return Ok(0);
    }
    let copies = rows.into_iter().map(|a| ActiveModel {
        id: Set(Uuid::now_v7()),
        release_id: Set(to),
        position: Set(a.position),
        filename: Set(a.filename),
        content_type: Set(a.content_type),
        size: Set(a.size),
        sha256: Set(a.sha256),
        caption: Set(a.caption),
        credit: Set(a.credit),
        width: Set(a.width),
        height: Set(a.height),
        thumb_sha256: Set(a.thumb_sha256),
        web_sha256: Set(a.web_sha256),
        uploaded_by: Set(by),
        created_at: Set(now),
    });
    Entity::insert_many(copies).exec(conn).await?;
    Ok(n)
}
