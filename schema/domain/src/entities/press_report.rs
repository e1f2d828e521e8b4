#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

/// An article ADMIN marked as a press report a unit must respond to.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "press_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub article_id: Uuid,
    pub unit_id: Uuid,
    pub note: Option<String>,
    pub status: PressReportStatus,
    pub raised_by: Uuid,
    pub raised_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub response: Option<String>,
    pub responded_at: Option<DateTimeUtc>,
    pub responded_by: Option<Uuid>,
    /// The STATEMENT or CORRECTION the unit published in response, if any.
    pub response_release_id: Option<Uuid>,
    pub overdue_reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
