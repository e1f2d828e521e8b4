#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A set of deadlines and cadences in force from `effective_from` until the next set's.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rule_sets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub effective_from: DateTimeUtc,
    pub decision_ref: String,
    /// JSON object by level, e.g. `{"PROVINCE":72,"COMMUNE":48}`.
    pub inquiry_due_hours: String,
    pub press_report_due_days: i32,
    pub first_statement_hours: i32,
    pub conferences_per_quarter: String,
    pub information_per_month: String,
    pub spokesperson_vacancy_days: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
