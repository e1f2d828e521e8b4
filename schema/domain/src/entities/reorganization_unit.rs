use sea_orm::entity::prelude::*;

/// A unit a reorganization took from (`side` FROM) or gave to (INTO), in the order given:
/// the first INTO unit is the successor that takes over open items.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reorganization_units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reorganization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub side: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub unit_id: Uuid,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
