//! Who counts at a moment, as query conditions: an accredited outlet, an active spokesperson.
//! Pure (they build SQL conditions, they run nothing), so any service may use them.
use crate::entities::{outlet, spokesperson};
use crate::enums::AccreditationStatus;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition};

/// The condition "accredited at `now`", for queries.
pub fn accredited_condition(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(outlet::Column::Accreditation.eq(AccreditationStatus::Accredited))
        .add(
            Condition::any()
                .add(outlet::Column::AccreditedUntil.is_null())
                .add(outlet::Column::AccreditedUntil.gt(now)),
        )
        // A merged outlet is addressed no more: its journalists belong to the successor.
        .add(
            Condition::any()
                .add(outlet::Column::EndedAt.is_null())
                .add(outlet::Column::EndedAt.gt(now)),
        )
}

/// The condition "an active spokesperson at `now`", for queries.
pub fn active_spokesperson_condition(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(spokesperson::Column::ActiveFrom.lte(now))
        .add(
            Condition::any()
                .add(spokesperson::Column::ActiveUntil.is_null())
                .add(spokesperson::Column::ActiveUntil.gt(now)),
        )
}
