use sea_orm::entity::prelude::*;

/// An article an outlet published, as its feed listed it: stored once per outlet and key.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "articles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub outlet_id: Uuid,
    /// The feed it came from; empty for an article a journalist declared by URL.
    pub feed_id: Option<Uuid>,
    /// The canonical URL (`url:` + normalised link), else the feed's guid (`guid:` + id).
    pub key: String,
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub fetched_at: DateTimeUtc,
    /// Title and summary folded to lower-case ASCII (what the text indexes hold).
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
