#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "journalists")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub outlet_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub press_card_number: Option<String>,
    pub created_at: DateTimeUtc,
    /// When the press card stops being valid (unknown: treated as valid).
    pub press_card_expires_at: Option<DateTimeUtc>,
    /// The last expiry reminder sent (30 or 7 days before); cleared on renewal.
    pub press_card_reminded_days: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
