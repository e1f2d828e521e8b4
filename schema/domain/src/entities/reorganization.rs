#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One reorganization: its kind, the moment it took effect and the decision that made it.
/// A RENAME keeps the name and code the unit had before, so its history reads as it was.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reorganizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: ReorganizationKind,
    pub effective_at: DateTimeUtc,
    pub decision_ref: String,
    pub previous_name: Option<String>,
    pub previous_code: Option<String>,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
