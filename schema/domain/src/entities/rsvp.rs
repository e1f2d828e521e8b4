#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rsvps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub release_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub journalist_id: Uuid,
    pub attending: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
