#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub parent_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// When a reorganization created the unit (null: it predates what pressnet records).
    pub started_at: Option<DateTimeUtc>,
    /// From when a reorganization ended it: it publishes nothing and takes no questions.
    pub ended_at: Option<DateTimeUtc>,
    /// When ADMIN was last told the unit has been without a spokesperson too long.
    pub vacancy_reminded_at: Option<DateTimeUtc>,
}

impl Model {
    /// Acts at `at`: not yet ended by a reorganization.
    pub fn active_at(&self, at: DateTimeUtc) -> bool {
        self.ended_at.is_none_or(|e| e > at)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
