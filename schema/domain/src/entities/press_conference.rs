#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "press_conferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub release_id: Uuid,
    pub starts_at: DateTimeUtc,
    pub ends_at: Option<DateTimeUtc>,
    pub location: String,
    pub rsvp_deadline: Option<DateTimeUtc>,
    pub capacity: Option<i32>,
    /// iCalendar SEQUENCE: counts every update or cancellation sent.
    pub sequence: i32,
    pub reminder_sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
