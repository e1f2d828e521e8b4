#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;
use sea_orm::ActiveValue::Set;

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

/// A unit as the authority describes it (its code and name checked by the caller).
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub parent_id: Option<Uuid>,
}

/// Writes a unit whose code and name were checked: registered `now`, existing from
/// `started_at` when a reorganization created it (none: from before pressnet's records). The
/// one insert of a unit, for `createUnit` and `reorganizeUnits` alike.
pub(crate) async fn insert<C: ConnectionTrait>(
    conn: &C,
    code: String,
    name: String,
    input: &NewUnit,
    now: DateTimeUtc,
    started_at: Option<DateTimeUtc>,
) -> Result<Model, DbErr> {
    ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(code),
        name: Set(name),
        level: Set(input.level),
        parent_id: Set(input.parent_id),
        created_at: Set(now),
        started_at: Set(started_at),
        ended_at: Set(None),
        vacancy_reminded_at: Set(None),
    }
    .insert(conn)
    .await
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
