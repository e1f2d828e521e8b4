#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outlets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: OutletKind,
    pub scope: OutletScope,
    pub licence_number: String,
    pub email: String,
    pub accreditation: AccreditationStatus,
    pub accredited_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// What the outlet is, as a JSON array of kinds (null: its one `kind`).
    pub media_types: Option<String>,
    /// From when a merger ended it: it is addressed no more.
    pub ended_at: Option<DateTimeUtc>,
    /// The outlet it was merged into.
    pub successor_id: Option<Uuid>,
}

impl Model {
    /// Not yet ended by a merger at `at`.
    pub fn active_at(&self, at: DateTimeUtc) -> bool {
        self.ended_at.is_none_or(|e| e > at)
    }

    /// Every kind the outlet is, its `kind` first.
    pub fn media(&self) -> Vec<OutletKind> {
        let mut out = vec![self.kind];
        if let Some(list) = self
            .media_types
            .as_deref()
            .and_then(|s| serde_json::from_str::<Vec<OutletKind>>(s).ok())
        {
            for k in list {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
        out
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
