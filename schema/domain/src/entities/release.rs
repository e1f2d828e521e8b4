#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "releases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub kind: ReleaseKind,
    pub status: ReleaseStatus,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// JSON array of strings.
    pub topics: String,
    /// JSON of the AudienceInput as given; resolved against outlets at publication time.
    pub audience: String,
    /// Addressed to every accredited outlet: once published, public (roster page, Atom).
    pub is_public: bool,
    /// Lower-case, diacritics-free text of title, summary, body and topics for search.
    pub search_text: String,
    /// Sort key for newest-first listing: publication time once published, else creation.
    pub listed_at: DateTimeUtc,
    pub publish_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub version: i32,
    pub supersedes_id: Option<Uuid>,
    pub retracted_at: Option<DateTimeUtc>,
    pub retract_reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The item of the unit's annual plan this release carries out.
    pub plan_item_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
