//! Press conferences: RSVP within deadline and capacity, updates (iCalendar SEQUENCE), and
//! the reminder the day before.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::{journalist, press_conference, release, rsvp};
use crate::enums::{MailKind, ReleaseKind, ReleaseStatus, Role};
use crate::error::{AppError, AppResult};
use crate::mail::message::{Notice, Payload};
use crate::services::audit::{self, Change};
use crate::services::outbox;
use crate::services::publishing::notify_earlier_recipients;
use crate::services::releases::{self, NewPressConference};
use chrono::Duration;
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

/// A journalist says they will (or will not) attend.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn rsvp(
    ctx: &AppContext,
    viewer: &Viewer,
    release_id: Uuid,
    attending: bool,
) -> AppResult<(press_conference::Model, Uuid)> {
    let a = viewer.require_role(Role::Journalist)?;
    let jid = a
        .journalist_id
        .ok_or_else(|| AppError::forbidden("this account is not a journalist"))?;
    let r = releases::get_visible(ctx, viewer, release_id).await?;
    if viewer.press_outlet(ctx.clock.now()).is_none() {
        return Err(AppError::forbidden("your outlet is not accredited"));
    }
    if r.kind != ReleaseKind::PressConference {
        return Err(AppError::bad_input(
            "releaseId",
            "is not a press conference",
        ));
    }
    if r.status != ReleaseStatus::Published {
        return Err(AppError::bad_input(
            "releaseId",
            "the press conference is not open for registration",
        ));
    }
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    // Locked: concurrent RSVPs count the seats one after another, so the capacity is exact.
    let pc = crate::db::for_update(
        press_conference::Entity::find_by_id(release_id),
        ctx.db.get_database_backend(),
    )
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::not_found("press conference"))?;
    let deadline = pc.rsvp_deadline.unwrap_or(pc.starts_at);
    if now > deadline {
        return Err(AppError::bad_input(
            "releaseId",
            "the registration deadline has passed",
        ));
    }
    if attending {
        if let Some(cap) = pc.capacity {
            let others = rsvp::Entity::find()
                .filter(rsvp::Column::ReleaseId.eq(release_id))
                .filter(rsvp::Column::Attending.eq(true))
                .filter(rsvp::Column::JournalistId.ne(jid))
                .count(&txn)
                .await?;
            if others >= cap as u64 {
                return Err(AppError::Conflict("the press conference is full".into()));
            }
        }
    }
    rsvp::Entity::insert(rsvp::ActiveModel {
        release_id: Set(release_id),
        journalist_id: Set(jid),
        attending: Set(attending),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([rsvp::Column::ReleaseId, rsvp::Column::JournalistId])
            .update_columns([rsvp::Column::Attending, rsvp::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let change = Change::new(
        viewer.actor(),
        "conference.rsvp",
        "release",
        Some(release_id),
    )
    .details(serde_json::json!({"journalistId": jid, "attending": attending}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok((pc, jid))
}

#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn attendees(ctx: &AppContext, release_id: Uuid) -> AppResult<Vec<journalist::Model>> {
    // A subquery, not a list of ids: one round trip, whatever the number attending.
    let attending = Query::select()
        .column(rsvp::Column::JournalistId)
        .from(rsvp::Entity)
        .and_where(rsvp::Column::ReleaseId.eq(release_id))
        .and_where(rsvp::Column::Attending.eq(true))
        .to_owned();
    Ok(journalist::Entity::find()
        .filter(journalist::Column::Id.in_subquery(attending))
        .order_by_asc(journalist::Column::FullName)
        .all(&ctx.db)
        .await?)
}

#[tracing::instrument(skip_all, fields(release_id = %release_id, journalist_id = %journalist_id), err(Debug, level = "debug"))]
pub async fn my_rsvp(
    ctx: &AppContext,
    release_id: Uuid,
    journalist_id: Uuid,
) -> AppResult<Option<bool>> {
    Ok(rsvp::Entity::find_by_id((release_id, journalist_id))
        .one(&ctx.db)
        .await?
        .map(|r| r.attending))
}

/// Changes a press conference's time or place; once published, everyone who received the
/// invitation gets the update (same UID, next SEQUENCE).
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn update(
    ctx: &AppContext,
    viewer: &Viewer,
    release_id: Uuid,
    input: NewPressConference,
) -> AppResult<press_conference::Model> {
    let r = releases::for_unit_voice(ctx, viewer, release_id).await?;
    if r.kind != ReleaseKind::PressConference {
        return Err(AppError::bad_input(
            "releaseId",
            "is not a press conference",
        ));
    }
    if r.status == ReleaseStatus::Retracted {
        return Err(AppError::Conflict(
            "the press conference was cancelled".into(),
        ));
    }
    let location = releases::validate_conference(&input)?;
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    // Locked: an update and concurrent RSVPs take turns on the conference row.
    let pc = crate::db::for_update(
        press_conference::Entity::find_by_id(release_id),
        ctx.db.get_database_backend(),
    )
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::not_found("press conference"))?;
    let mut am: press_conference::ActiveModel = pc.into();
    am.starts_at = Set(input.starts_at);
    am.ends_at = Set(input.ends_at);
    am.location = Set(location);
    am.rsvp_deadline = Set(input.rsvp_deadline);
    am.capacity = Set(input.capacity);
    am.reminder_sent_at = Set(None);
    am.update(&txn).await?;
    if r.status == ReleaseStatus::Published {
        notify_earlier_recipients(
            &txn,
            &r,
            MailKind::ConferenceUpdate,
            Notice::ConferenceUpdate,
            now,
        )
        .await?;
    }
    let pc = press_conference::Entity::find_by_id(release_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("press conference"))?;
    let change = Change::new(viewer.actor(), "conference.update", "release", Some(release_id))
        .details(serde_json::json!({"startsAt": pc.starts_at, "location": pc.location, "sequence": pc.sequence}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(pc)
}

/// E-mails attendees of conferences starting within a day (once per conference and time).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn send_due_reminders(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    let due = press_conference::Entity::find()
        .filter(press_conference::Column::ReminderSentAt.is_null())
        .filter(press_conference::Column::StartsAt.gt(now))
        .filter(press_conference::Column::StartsAt.lte(now + Duration::days(1)))
        .all(&ctx.db)
        .await?;
    let mut sent = 0;
    for pc in due {
        let Some(r) = release::Entity::find_by_id(pc.release_id)
            .one(&ctx.db)
            .await?
        else {
            continue;
        };
        if r.status != ReleaseStatus::Published {
            continue;
        }
        let people = attendees(ctx, r.id).await?;
        let txn = ctx.db.begin().await?;
        let payload = Payload {
            notice_of: Some(Notice::Reminder),
            ..Default::default()
        };
        let rows = people
            .iter()
            .map(|j| {
                outbox::new_row(
                    MailKind::Reminder,
                    &j.email,
                    Some(r.id),
                    None,
                    &payload,
                    now,
                )
            })
            .collect();
        outbox::enqueue(&txn, rows).await?;
        let mut am: press_conference::ActiveModel = pc.into();
        am.reminder_sent_at = Set(Some(now));
        am.update(&txn).await?;
        txn.commit().await?;
        sent += people.len();
    }
    Ok(sent)
}
