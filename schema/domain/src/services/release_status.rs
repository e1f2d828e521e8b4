//! The one owner of a release's status. A release is written DRAFT; every later change of its
//! status goes through [`change`], which refuses a move the table forbids and guards the
//! UPDATE with the status it read, so two writers cannot both move it:
//!
//! ```text
//! DRAFT ──> SCHEDULED ──> PUBLISHED ──> RETRACTED
//!   │  ↖______╯ │   ↖ (a new time)           ↑
//!   └───────────┴──────> PUBLISHED           │
//!               └────────────────────────────╯ (a scheduled release withdrawn)
//! ```
//!
//! The review and embargo states the next issues add join this table.
use crate::entities::release;
use crate::enums::ReleaseStatus;
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Whether a release may go from `from` to `to`.
pub(crate) fn may_move(from: ReleaseStatus, to: ReleaseStatus) -> bool {
    use ReleaseStatus::*;
    matches!(
        (from, to),
        (Draft, Scheduled | Published)
            | (Scheduled, Draft | Scheduled | Published | Retracted)
            | (Published, Retracted)
    )
}

/// Moves `release` (as read in this transaction) to `to`, with the other columns `set` writes.
/// A forbidden move is refused (CONFLICT, naming both states); a release that changed since it
/// was read is not written (CONFLICT).
#[tracing::instrument(skip_all, fields(id = %release.id, from = release.status.as_str(), to = to.as_str()), err(Debug, level = "debug"))]
pub async fn change<C: ConnectionTrait>(
    conn: &C,
    release: release::Model,
    to: ReleaseStatus,
    set: impl FnOnce(&mut release::ActiveModel),
) -> AppResult<release::Model> {
    let from = release.status;
    if !may_move(from, to) {
        return Err(AppError::Conflict(format!(
            "a {} release cannot become {}",
            from.as_str(),
            to.as_str()
        )));
    }
    let id = release.id;
    let mut am: release::ActiveModel = release.into();
    set(&mut am);
    am.status = Set(to);
    release::Entity::update_many()
        .set(am)
        .filter(release::Column::Id.eq(id))
        .filter(release::Column::Status.eq(from))
        .exec_with_returning(conn)
        .await?
        .pop()
        .ok_or_else(|| AppError::Conflict("the release was changed meanwhile".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn what_is_out_stays_out_and_nothing_returns_to_draft_once_published() {
        use ReleaseStatus::*;
        assert!(may_move(Draft, Published));
        assert!(may_move(Draft, Scheduled));
        assert!(may_move(Scheduled, Draft));
        assert!(may_move(Scheduled, Retracted));
        assert!(may_move(Published, Retracted));
        for to in ReleaseStatus::iter() {
            assert!(!may_move(Retracted, to), "RETRACTED -> {to:?}");
            assert!(!may_move(to, Draft) || to == Scheduled, "{to:?} -> DRAFT");
        }
        assert!(!may_move(Published, Published));
        assert!(!may_move(Published, Scheduled));
        assert!(!may_move(Draft, Retracted));
        assert!(!may_move(Draft, Draft));
    }
}
