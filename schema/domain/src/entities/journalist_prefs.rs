#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "journalist_prefs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub journalist_id: Uuid,
    pub email_mode: EmailMode,
    pub unsubscribe_token: String,
    pub last_digest_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
