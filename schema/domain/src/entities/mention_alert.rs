use sea_orm::entity::prelude::*;

/// A unit named in more articles on one day than three times its daily mean over the
/// fourteen days before (issue 20's alerts); one per unit and day.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mention_alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    /// The province's calendar day (UTC+7).
    pub day: Date,
    /// Articles naming the unit that day, at the last count.
    pub mentions: i32,
    /// The mean per day over the fourteen days before, when the alert was raised.
    pub daily_mean: f64,
    pub raised_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
