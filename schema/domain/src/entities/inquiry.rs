#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inquiries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub outlet_id: Uuid,
    pub journalist_id: Uuid,
    pub question: String,
    pub status: InquiryStatus,
    pub asked_at: DateTimeUtc,
    pub due_at: DateTimeUtc,
    pub answer: Option<String>,
    /// When the unit answered or declined.
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<Uuid>,
    /// answered_at - asked_at, kept for the report's median.
    pub response_secs: Option<i64>,
    pub decline_reason: Option<String>,
    pub rating: Option<AnswerRating>,
    pub rated_at: Option<DateTimeUtc>,
    pub overdue_reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
