//! Press cards (Press Law 2025: a card is valid five years). A journalist whose card expired
//! keeps the account but reads what the public reads (the one visibility rule asks
//! `Viewer::press_outlet`, which asks the card), gets no live feed (open sockets are closed by
//! the session sweep), no PRESS_ONLY release by e-mail or push, until the authority renews the
//! card (`set`). The outlet's newsroom address is not a person and still gets everything.
//! Reminders go to the journalist 30 and 7 days before the card expires.
use crate::auth::viewer::press_card_valid;
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::journalist;
use crate::enums::MailKind;
use crate::error::{AppError, AppResult};
use crate::mail::message::{Message, Payload};
use crate::services::audit::{self, Change};
use crate::services::outbox;
use crate::validate;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde_json::json;
use uuid::Uuid;

/// Reminders before expiry, in days, latest first.
const REMINDERS: [i32; 2] = [7, 30];
/// The longest a card is issued for: five years, and a month's slack for the decision's date.
const LONGEST: Duration = Duration::days(5 * 366 + 31);
/// Reminders sent per pass, at most (the next pass, seconds later, takes the rest).
const BATCH: u64 = 500;

/// Whether `j`'s card is valid at `now`.
pub fn valid(j: &journalist::Model, now: DateTime<Utc>) -> bool {
    press_card_valid(j.press_card_expires_at, now)
}

/// Renews (or first records) a journalist's card (ADMIN): a new number and expiry. The
/// journalist reads the press's releases again within a second (sessions are re-resolved).
#[tracing::instrument(skip_all, fields(journalist = %journalist_id), err(Debug, level = "debug"))]
pub async fn set(
    ctx: &AppContext,
    viewer: &Viewer,
    journalist_id: Uuid,
    number: &str,
    expires_at: DateTime<Utc>,
) -> AppResult<journalist::Model> {
    viewer.require_admin()?;
    let number = validate::text("pressCardNumber", number, 64)?;
    let now = ctx.clock.now();
    if expires_at <= now {
        return Err(AppError::bad_input("expiresAt", "must be in the future"));
    }
    if expires_at > now + LONGEST {
        return Err(AppError::bad_input(
            "expiresAt",
            "a press card is valid for five years at most",
        ));
    }
    let txn = begin_write(&ctx.db).await?;
    let j = journalist::Entity::find_by_id(journalist_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("journalist"))?;
    let taken = journalist::Entity::find()
        .filter(journalist::Column::PressCardNumber.eq(number.as_str()))
        .filter(journalist::Column::Id.ne(journalist_id))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(format!(
            "press card {number} is already registered"
        )));
    }
    let mut am: journalist::ActiveModel = j.into();
    am.press_card_number = Set(Some(number.clone()));
    am.press_card_expires_at = Set(Some(expires_at));
    am.press_card_reminded_days = Set(None);
    let j = am.update(&txn).await?;
    audit::append(
        &txn,
        now,
        Change::new(
            viewer.actor(),
            "journalist.press_card",
            "journalist",
            Some(j.id),
        )
        .details(json!({"pressCardNumber": number, "expiresAt": expires_at})),
    )
    .await?;
    txn.commit().await?;
    Ok(j)
}

/// Journalists whose card has expired or expires within `within_days`, soonest first
/// (ADMIN, AUDITOR).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn expiring(
    ctx: &AppContext,
    viewer: &Viewer,
    within_days: i32,
) -> AppResult<Vec<journalist::Model>> {
    viewer.require_reads_all()?;
    if !(0..=3_650).contains(&within_days) {
        return Err(AppError::bad_input(
            "withinDays",
            "must be between 0 and 3650",
        ));
    }
    let until = ctx.clock.now() + Duration::days(i64::from(within_days));
    Ok(journalist::Entity::find()
        .filter(journalist::Column::PressCardExpiresAt.lte(until))
        .order_by_asc(journalist::Column::PressCardExpiresAt)
        .order_by_asc(journalist::Column::Id)
        .all(&ctx.db)
        .await?)
}

/// Sends the reminders that are due: one per card and threshold, the nearest threshold only
/// (a card found 5 days before expiry gets the 7-day reminder, not both).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn remind_expiring(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    let mut sent = 0;
    for days in REMINDERS {
        let horizon = now + Duration::days(i64::from(days));
        let not_yet = Condition::any()
            .add(journalist::Column::PressCardRemindedDays.is_null())
            .add(journalist::Column::PressCardRemindedDays.gt(days));
        let due = journalist::Entity::find()
            .filter(journalist::Column::PressCardExpiresAt.gt(now))
            .filter(journalist::Column::PressCardExpiresAt.lte(horizon))
            .filter(not_yet)
            .order_by_asc(journalist::Column::PressCardExpiresAt)
            .limit(BATCH)
            .all(&ctx.db)
            .await?;
        if due.is_empty() {
            continue;
        }
        let txn = begin_write(&ctx.db).await?;
        let mut rows = Vec::with_capacity(due.len());
        let mut ids = Vec::with_capacity(due.len());
        for j in &due {
            let Some(expires) = j.press_card_expires_at else {
                continue;
            };
            let payload = Payload {
                message: Some(Message::PressCardExpiring {
                    name: j.full_name.clone(),
                    number: j.press_card_number.clone().unwrap_or_default(),
                    expires: crate::clock::vn_day(expires),
                    days: i64::from(days),
                }),
                link: Some(ctx.settings.public_url.clone()),
                ..Default::default()
            };
            rows.push(outbox::new_row(
                MailKind::Notice,
                &j.email,
                None,
                None,
                &payload,
                now,
            ));
            ids.push(j.id);
        }
        // Marked in the same transaction as the mail is queued: each reminder goes once.
        journalist::Entity::update_many()
            .col_expr(journalist::Column::PressCardRemindedDays, Expr::value(days))
            .filter(journalist::Column::Id.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        outbox::enqueue(&txn, rows).await?;
        txn.commit().await?;
        sent += ids.len();
    }
    if sent > 0 {
        tracing::info!(sent, "press card reminders queued");
    }
    Ok(sent)
}

/// Journalists whose card is valid at `now`, as a query condition (the session sweep's).
pub(crate) fn valid_condition(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(journalist::Column::PressCardExpiresAt.is_null())
        .add(journalist::Column::PressCardExpiresAt.gt(now))
}
