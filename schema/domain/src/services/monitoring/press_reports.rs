//! Press reports (phản ánh): ADMIN marks an article, any outlet's, as a report a unit must
//! respond to; the unit's active spokespersons are e-mailed and have
//! `PRESSNET_PRESS_REPORT_DUE_DAYS` to respond (a text, optionally linked to a STATEMENT or
//! CORRECTION the unit published); an overdue report reminds the unit once, as an overdue
//! press question does.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::{article, pickup, press_report, release, unit};
use crate::enums::{MailKind, PressReportStatus, ReleaseKind, Role};
use crate::error::{AppError, AppResult};
use crate::mail::message::{Message, Payload, PressReportLines};
use crate::services::audit::{self, Change};
use crate::services::{outbox, visibility};
use crate::validate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

fn link(ctx: &AppContext, id: Uuid) -> String {
    format!("{}/#/press-reports/{}", ctx.settings.public_url, id)
}

/// Whether the report is open past its deadline at `now`.
pub fn overdue(r: &press_report::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    r.status == PressReportStatus::Open && r.due_at < now
}

async fn mail_unit(
    ctx: &AppContext,
    txn: &DatabaseTransaction,
    r: &press_report::Model,
    a: &article::Model,
    message: fn(PressReportLines) -> Message,
) -> AppResult<()> {
    let lines = PressReportLines {
        title: a.title.clone(),
        url: a.url.clone(),
        note: r.note.clone().unwrap_or_default(),
        due: r.due_at.format("%d/%m/%Y %H:%M UTC").to_string(),
    };
    let payload = Payload {
        message: Some(message(lines)),
        link: Some(link(ctx, r.id)),
        ..Default::default()
    };
    outbox::enqueue_for_unit(txn, r.unit_id, MailKind::Notice, &payload, ctx.clock.now()).await
}

/// Marks an article as a press report for a unit (ADMIN); the unit's spokespersons are told.
#[tracing::instrument(skip_all, fields(article = %article_id, unit = %unit_id), err(Debug, level = "debug"))]
pub async fn raise(
    ctx: &AppContext,
    viewer: &Viewer,
    article_id: Uuid,
    unit_id: Uuid,
    note: Option<&str>,
) -> AppResult<press_report::Model> {
    let admin = viewer.require_admin()?;
    let note = validate::opt_text("note", note, 5_000)?;
    let a = article::Entity::find_by_id(article_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("article"))?;
    let u = unit::Entity::find_by_id(unit_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("unit"))?;
    crate::services::reorganizations::refuse_if_ended(ctx, &u, "unitId").await?;
    let now = ctx.clock.now();
    let due = crate::services::rules::at(ctx, &ctx.db, now)
        .await?
        .press_report_due();
    let txn = begin_write(&ctx.db).await?;
    let existing = press_report::Entity::find()
        .filter(press_report::Column::ArticleId.eq(article_id))
        .filter(press_report::Column::UnitId.eq(unit_id))
        .one(&txn)
        .await?;
    if existing.is_some() {
        return Err(AppError::Conflict(
            "the article is already a press report for this unit".into(),
        ));
    }
    let r = press_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        article_id: Set(article_id),
        unit_id: Set(unit_id),
        note: Set(note),
        status: Set(PressReportStatus::Open),
        raised_by: Set(admin.id),
        raised_at: Set(now),
        due_at: Set(now + due),
        response: Set(None),
        responded_at: Set(None),
        responded_by: Set(None),
        response_release_id: Set(None),
        overdue_reminded_at: Set(None),
    }
    .insert(&txn)
    .await?;
    mail_unit(ctx, &txn, &r, &a, Message::PressReportRaised).await?;
    audit::append(
        &txn,
        now,
        Change::new(
            Some(admin.id),
            "press_report.raise",
            "press_report",
            Some(r.id),
        )
        .details(json!({"article": article_id, "unit": unit_id, "url": a.url})),
    )
    .await?;
    txn.commit().await?;
    ctx.outbox_ready.notify_one();
    Ok(r)
}

/// The unit's response (an active spokesperson of the unit), optionally linked to a published
/// STATEMENT or CORRECTION of the unit. A report is answered once.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn respond(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    response: &str,
    release_id: Option<Uuid>,
) -> AppResult<press_report::Model> {
    let now = ctx.clock.now();
    let r = press_report::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("press report"))?;
    if !viewer.sees_unit(r.unit_id, now) {
        return Err(AppError::not_found("press report"));
    }
    let account = viewer.require_unit_voice(r.unit_id, now)?;
    let response = validate::text("response", response, 20_000)?;
    if let Some(rid) = release_id {
        let rel = release::Entity::find_by_id(rid)
            .one(&ctx.db)
            .await?
            .filter(|rel| rel.unit_id == r.unit_id)
            .ok_or_else(|| AppError::bad_input("releaseId", "is not a release of this unit"))?;
        if !matches!(rel.kind, ReleaseKind::Statement | ReleaseKind::Correction) {
            return Err(AppError::bad_input(
                "releaseId",
                "a response links a STATEMENT or a CORRECTION",
            ));
        }
        if !visibility::was_published(&rel) {
            return Err(AppError::bad_input("releaseId", "is not published"));
        }
    }
    let txn = begin_write(&ctx.db).await?;
    // Locked: two spokespersons responding at once give one response and one CONFLICT.
    let r = crate::db::for_update(
        press_report::Entity::find_by_id(id),
        ctx.db.get_database_backend(),
    )
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::not_found("press report"))?;
    if r.status != PressReportStatus::Open {
        return Err(AppError::Conflict(
            "the press report is already answered".into(),
        ));
    }
    let mut am: press_report::ActiveModel = r.into();
    am.status = Set(PressReportStatus::Answered);
    am.response = Set(Some(response));
    am.responded_at = Set(Some(now));
    am.responded_by = Set(Some(account.id));
    am.response_release_id = Set(release_id);
    let r = am.update(&txn).await?;
    audit::append(
        &txn,
        now,
        Change::new(
            Some(account.id),
            "press_report.respond",
            "press_report",
            Some(id),
        )
        .details(json!({"release": release_id, "on_time": r.responded_at <= Some(r.due_at)})),
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}

/// Press reports, newest first: ADMIN and AUDITOR any unit's; a spokesperson their own unit's.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    unit_id: Option<Uuid>,
    status: Option<PressReportStatus>,
    overdue_only: bool,
) -> AppResult<Vec<press_report::Model>> {
    let a = viewer.signed_in()?;
    let now = ctx.clock.now();
    let mut c = Condition::all();
    match a.role {
        Role::Admin | Role::Auditor => {
            if let Some(u) = unit_id {
                c = c.add(press_report::Column::UnitId.eq(u));
            }
        }
        Role::Spokesperson => {
            let own = viewer
                .voice(now)
                .ok_or_else(|| AppError::forbidden("only an active spokesperson reads these"))?;
            if unit_id.is_some_and(|u| u != own) {
                return Err(AppError::forbidden("a spokesperson reads their own unit's"));
            }
            c = c.add(press_report::Column::UnitId.eq(own));
        }
        Role::Journalist => {
            return Err(AppError::forbidden(
                "press reports are the authority's and the units'",
            ))
        }
    }
    if let Some(s) = status {
        c = c.add(press_report::Column::Status.eq(s));
    }
    if overdue_only {
        c = c
            .add(press_report::Column::Status.eq(PressReportStatus::Open))
            .add(press_report::Column::DueAt.lt(now));
    }
    Ok(press_report::Entity::find()
        .filter(c)
        .order_by_desc(press_report::Column::RaisedAt)
        .order_by_desc(press_report::Column::Id)
        .all(&ctx.db)
        .await?)
}

/// Reminds units of press reports past their deadline (once each).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn remind_overdue(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    let due = press_report::Entity::find()
        .filter(press_report::Column::Status.eq(PressReportStatus::Open))
        .filter(press_report::Column::DueAt.lt(now))
        .filter(press_report::Column::OverdueRemindedAt.is_null())
        .all(&ctx.db)
        .await?;
    let n = due.len();
    for r in due {
        let Some(a) = article::Entity::find_by_id(r.article_id)
            .one(&ctx.db)
            .await?
        else {
            continue;
        };
        let txn = begin_write(&ctx.db).await?;
        mail_unit(ctx, &txn, &r, &a, Message::PressReportOverdue).await?;
        let mut am: press_report::ActiveModel = r.into();
        am.overdue_reminded_at = Set(Some(now));
        am.update(&txn).await?;
        txn.commit().await?;
    }
    if n > 0 {
        ctx.outbox_ready.notify_one();
    }
    Ok(n)
}

/// The newest articles looked through for suggestions.
const SUGGEST_FROM: u64 = 300;
/// How far back suggestions look.
const SUGGEST_DAYS: i64 = 7;

/// Suggested press reports (ADMIN, AUDITOR), newest article first: recent articles that name a
/// unit without carrying one of its releases (the press writing about the unit on its own
/// account, which may want an answer), and that are not already a report for that unit.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn suggestions(
    ctx: &AppContext,
    viewer: &Viewer,
    first: i32,
) -> AppResult<Vec<(article::Model, Uuid)>> {
    viewer.require_reads_all()?;
    let limit = crate::services::page::page_size(first)? as usize;
    let since = ctx.clock.now() - chrono::Duration::days(SUGGEST_DAYS);
    let recent = article::Entity::find()
        .filter(article::Column::FetchedAt.gte(since))
        .order_by_desc(article::Column::FetchedAt)
        .order_by_desc(article::Column::Id)
        .limit(SUGGEST_FROM)
        .all(&ctx.db)
        .await?;
    let names = super::alerts::Names::load(&ctx.db).await?;
    let pairs: Vec<(article::Model, Uuid)> = recent
        .into_iter()
        .flat_map(|a| {
            let units = names.named_by(&a.search_text);
            units.into_iter().map(move |u| (a.clone(), u))
        })
        .collect();
    if pairs.is_empty() {
        return Ok(pairs);
    }
    let ids: Vec<Uuid> = pairs.iter().map(|(a, _)| a.id).collect();
    // Carried: the article is a pickup of one of the unit's releases.
    let picked: Vec<(Uuid, Uuid)> = pickup::Entity::find()
        .select_only()
        .column(pickup::Column::ArticleId)
        .column(pickup::Column::ReleaseId)
        .filter(pickup::Column::ArticleId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let unit_of: HashMap<Uuid, Uuid> = release::Entity::find()
        .select_only()
        .column(release::Column::Id)
        .column(release::Column::UnitId)
        .filter(release::Column::Id.is_in(picked.iter().map(|(_, r)| *r)))
        .into_tuple()
        .all(&ctx.db)
        .await?
        .into_iter()
        .collect();
    let carried: HashSet<(Uuid, Uuid)> = picked
        .iter()
        .filter_map(|(a, r)| unit_of.get(r).map(|u| (*a, *u)))
        .collect();
    let raised: HashSet<(Uuid, Uuid)> = press_report::Entity::find()
        .select_only()
        .column(press_report::Column::ArticleId)
        .column(press_report::Column::UnitId)
        .filter(press_report::Column::ArticleId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(&ctx.db)
        .await?
        .into_iter()
        .collect();
    Ok(pairs
        .into_iter()
        .filter(|(a, u)| !carried.contains(&(a.id, *u)) && !raised.contains(&(a.id, *u)))
        .take(limit)
        .collect())
}
