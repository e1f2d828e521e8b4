use sea_orm::entity::prelude::*;

/// An article that carried a release: matched by a link to the release's page, by the
/// similarity of its text, or declared by a journalist of the outlet.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pickups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub release_id: Uuid,
    pub article_id: Uuid,
    pub outlet_id: Uuid,
    /// `link`, `text` or `declared`.
    pub matched_by: String,
    /// The text similarity (cosine, 0..1) when matched by text.
    pub score: Option<f64>,
    /// Minutes from the release's publication to the article's (its fetch when it gave none).
    pub lag_minutes: Option<f64>,
    /// The journalist who declared it.
    pub declared_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
