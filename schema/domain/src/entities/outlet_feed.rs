use sea_orm::entity::prelude::*;

/// One of an outlet's own public feeds (RSS, Atom or JSON Feed), polled for its articles.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outlet_feeds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub url: String,
    /// The validators of the last full answer, sent back as `If-None-Match` and
    /// `If-Modified-Since` so an unchanged feed costs a 304.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the feed is next due (the poll period, longer after failures).
    pub next_attempt_at: DateTimeUtc,
    /// Held by the instance polling it; empty or past when free.
    pub claimed_until: Option<DateTimeUtc>,
    /// Failed polls in a row (the backoff doubles with each).
    pub failures: i32,
    pub last_error: Option<String>,
    pub last_polled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
