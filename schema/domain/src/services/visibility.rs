//! The one visibility rule: whether a viewer may see a release, and so its files, deliveries
//! and spread. Every read path asks here (queries and nested fields, search, both websocket
//! transports, Atom, CSV exports, e-mail and digests, the web app through the API).
//!
//! - ADMIN and AUDITOR see every release, whatever its state.
//! - A unit's *active* spokespersons see all of the unit's releases. A spokesperson's rights end
//!   with the term, at once: afterwards they read what the public reads.
//! - Nobody else sees a release that was never published, whatever its later status: a draft, an
//!   embargoed release, and a SCHEDULED release retracted before its time (a cancelled embargo:
//!   `published_at` stays empty, so it never counts as published anywhere).
//! - A published release (later retracted or not) is visible to anyone when its visibility is
//!   PUBLIC, and to the journalists of each outlet it reached, while that outlet is accredited.
use crate::auth::Viewer;
use crate::entities::{delivery, release};
use crate::enums::{ReleaseStatus, Role};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition};

/// Matches no row (a viewer with no view of the delivery log).
fn nothing() -> Condition {
    Condition::all().add(Expr::cust("1 = 0"))
}

/// True once a release was really published (not merely scheduled, not cancelled).
pub(crate) fn was_published(r: &release::Model) -> bool {
    r.published_at.is_some()
        && matches!(
            r.status,
            ReleaseStatus::Published | ReleaseStatus::Retracted
        )
}

/// The releases `viewer` may see at `now`, as a query condition.
pub fn releases(viewer: &Viewer, now: DateTime<Utc>) -> Condition {
    if viewer.reads_all() {
        return Condition::all();
    }
    let mut reach = Condition::any().add(release::Column::IsPublic.eq(true));
    if let Some(outlet_id) = viewer.press_outlet(now) {
        reach = reach.add(
            release::Column::Id.in_subquery(
                Query::select()
                    .column(delivery::Column::ReleaseId)
                    .from(delivery::Entity)
                    .and_where(delivery::Column::OutletId.eq(outlet_id))
                    .to_owned(),
            ),
        );
    }
    let published = Condition::all()
        .add(release::Column::PublishedAt.is_not_null())
        .add(release::Column::Status.is_in([ReleaseStatus::Published, ReleaseStatus::Retracted]))
        .add(reach);
    let mut any = Condition::any().add(published);
    if let Some(unit) = viewer.voice(now) {
        any = any.add(release::Column::UnitId.eq(unit));
    }
    any
}

/// Whether `viewer` may see `r` at `now`; `reached` says whether the release reached the
/// viewer's outlet (a LIVE delivery exists), for callers that already know it.
pub fn release(viewer: &Viewer, r: &release::Model, now: DateTime<Utc>, reached: bool) -> bool {
    if viewer.sees_unit(r.unit_id, now) {
        return true;
    }
    was_published(r) && (r.is_public || (reached && viewer.press_outlet(now).is_some()))
}

/// Whether a newsroom's channels (e-mail, webhook, push) may carry `r` to outlet `o` now: the
/// outlet is accredited at this moment and, as its press, may see the release. Asked at send
/// time by every channel that sends after the publication's commit, so an outlet suspended
/// meanwhile, or a release retracted or never published, gets nothing more.
pub(crate) fn may_send(
    o: &crate::entities::outlet::Model,
    r: &release::Model,
    now: DateTime<Utc>,
) -> bool {
    let press = Viewer::newsroom_of(o);
    press.press_outlet(now).is_some() && release(&press, r, now, true)
}

/// Whether a journalist whose press card expires at `press_card_expires_at` may be sent `r`
/// personally (live, e-mail, push): a public release always; the press's own only while the
/// card is valid. The outlet's own rights are `may_send`'s.
pub(crate) fn card_admits(
    r: &release::Model,
    press_card_expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    r.is_public || crate::auth::viewer::press_card_valid(press_card_expires_at, now)
}

/// Whether a journalist's own device or address may carry `r` now: their outlet may be sent it
/// (`may_send`) and their card admits it (`card_admits`).
pub(crate) fn may_send_to_journalist(
    o: &crate::entities::outlet::Model,
    press_card_expires_at: Option<DateTime<Utc>>,
    r: &release::Model,
    now: DateTime<Utc>,
) -> bool {
    may_send(o, r, now) && card_admits(r, press_card_expires_at, now)
}

/// The delivery-log rows `viewer` may read: the authority all; an active spokesperson their
/// unit's releases'; a journalist of an accredited outlet their outlet's. Anonymous viewers are
/// told to sign in; anyone else reads none.
pub fn deliveries(viewer: &Viewer, now: DateTime<Utc>) -> AppResult<Condition> {
    let a = viewer.signed_in()?;
    Ok(match a.role {
        Role::Admin | Role::Auditor => Condition::all(),
        Role::Spokesperson => match viewer.voice(now) {
            Some(unit) => Condition::all().add(
                delivery::Column::ReleaseId.in_subquery(
                    Query::select()
                        .column(release::Column::Id)
                        .from(release::Entity)
                        .and_where(release::Column::UnitId.eq(unit))
                        .to_owned(),
                ),
            ),
            None => nothing(),
        },
        Role::Journalist => match viewer.press_outlet(now) {
            Some(outlet) => Condition::all().add(delivery::Column::OutletId.eq(outlet)),
            None => nothing(),
        },
    })
}
