#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One item of a unit's annual communication plan, in the plan's order (`position`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub position: i32,
    pub title: String,
    pub kind: PlanItemKind,
    pub due_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
