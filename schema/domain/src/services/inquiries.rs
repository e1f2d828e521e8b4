//! Press questions: a journalist of an accredited outlet asks a unit; the unit's
//! spokespersons answer or decline (with a legal reason) before the deadline; the asker rates
//! the answer. New questions and answers are pushed live and e-mailed; an overdue question
//! reminds the unit.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::{inquiry, journalist, outlet, unit};
use crate::enums::{AnswerRating, InquiryStatus, MailKind, Role};
use crate::error::{AppError, AppResult};
use crate::events::hub::InquiryChange;
use crate::mail::message::{Message, Payload};
use crate::services::audit::{self, Change};
use crate::services::outbox;
use crate::services::registry::is_accredited;
use crate::validate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

fn link(ctx: &AppContext, id: Uuid) -> String {
    format!("{}/#/inquiries/{}", ctx.settings.public_url, id)
}

async fn mail_spokespersons(
    ctx: &AppContext,
    txn: &DatabaseTransaction,
    q: &inquiry::Model,
    message: Message,
) -> AppResult<()> {
    let payload = Payload {
        message: Some(message),
        link: Some(link(ctx, q.id)),
        ..Default::default()
    };
    outbox::enqueue_for_unit(txn, q.unit_id, MailKind::Inquiry, &payload, ctx.clock.now()).await
}

#[tracing::instrument(skip_all, fields(unit_id = %unit_id), err(Debug, level = "debug"))]
pub async fn ask(
    ctx: &AppContext,
    viewer: &Viewer,
    unit_id: Uuid,
    question: &str,
) -> AppResult<inquiry::Model> {
    let a = viewer.require_role(Role::Journalist)?;
    let (Some(jid), Some(oid)) = (a.journalist_id, a.outlet_id) else {
        return Err(AppError::forbidden(
            "this account is not a journalist of an outlet",
        ));
    };
    let question = validate::text("question", question, 10_000)?;
    let now = ctx.clock.now();
    let o = outlet::Entity::find_by_id(oid)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("outlet"))?;
    if !is_accredited(&o, now) {
        return Err(AppError::forbidden(
            "only journalists of accredited outlets may ask",
        ));
    }
    let u = unit::Entity::find_by_id(unit_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::bad_input("unitId", "no unit has this id"))?;
    // A unit a reorganization ended takes no questions: the error names its successors.
    crate::services::reorganizations::refuse_if_ended(ctx, &u, "unitId").await?;
    // Answered within the time the rules in force at its asking give.
    let due = crate::services::rules::at(ctx, &ctx.db, now)
        .await?
        .inquiry_due(u.level);
    let txn = begin_write(&ctx.db).await?;
    let q = inquiry::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(unit_id),
        outlet_id: Set(oid),
        journalist_id: Set(jid),
        question: Set(question),
        status: Set(InquiryStatus::Open),
        asked_at: Set(now),
        due_at: Set(now + due),
        answer: Set(None),
        answered_at: Set(None),
        answered_by: Set(None),
        response_secs: Set(None),
        decline_reason: Set(None),
        rating: Set(None),
        rated_at: Set(None),
        overdue_reminded_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let asked = Message::QuestionAsked {
        question: q.question.clone(),
    };
    mail_spokespersons(ctx, &txn, &q, asked).await?;
    let change = Change::new(viewer.actor(), "inquiry.ask", "inquiry", Some(q.id))
        .details(json!({"unitId": unit_id, "outletId": oid, "dueAt": q.due_at}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    ctx.hub.publish_inquiry(InquiryChange {
        unit_id,
        inquiry_id: q.id,
    });
    Ok(q)
}

/// Whether `viewer` may read question `q` (as `list` shows them): the authority, the unit's
/// active spokespersons, and the journalist who asked.
fn may_read(viewer: &Viewer, q: &inquiry::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    viewer.sees_unit(q.unit_id, now)
        || viewer
            .account
            .as_deref()
            .and_then(|a| a.journalist_id)
            .is_some_and(|j| j == q.journalist_id)
}

/// Answer (`Ok(text)`) or decline (`Err(reason)`).
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn respond(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    response: Result<&str, &str>,
) -> AppResult<inquiry::Model> {
    let now = ctx.clock.now();
    let q = inquiry::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("inquiry"))?;
    // Someone who may read the question (its asker, the authority) knows it exists: they are
    // told they may not answer it (FORBIDDEN); anyone else is told there is no such question.
    if !may_read(viewer, &q, now) {
        return Err(AppError::not_found("inquiry"));
    }
    if !viewer.speaks_for(q.unit_id, now) {
        return Err(AppError::forbidden(
            "only an active spokesperson of this unit may answer",
        ));
    }
    let sid = viewer.account.as_deref().and_then(|a| a.spokesperson_id);
    let txn = begin_write(&ctx.db).await?;
    // Locked: two spokespersons answering at once give one answer and one CONFLICT.
    let q = crate::db::for_update(
        inquiry::Entity::find_by_id(id),
        ctx.db.get_database_backend(),
    )
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::not_found("inquiry"))?;
    if q.status != InquiryStatus::Open {
        return Err(AppError::Conflict(format!(
            "the question is already {}",
            q.status.as_str()
        )));
    }
    let mut am: inquiry::ActiveModel = q.clone().into();
    let action = match response {
        Ok(answer) => {
            am.status = Set(InquiryStatus::Answered);
            am.answer = Set(Some(validate::text("answer", answer, 20_000)?));
            "inquiry.answer"
        }
        Err(reason) => {
            am.status = Set(InquiryStatus::Declined);
            am.decline_reason = Set(Some(validate::text("reason", reason, 2_000)?));
            "inquiry.decline"
        }
    };
    am.answered_at = Set(Some(now));
    am.answered_by = Set(sid);
    am.response_secs = Set(Some((now - q.asked_at).num_seconds()));
    let q = am.update(&txn).await?;
    if let Some(j) = journalist::Entity::find_by_id(q.journalist_id)
        .one(&txn)
        .await?
    {
        let message = match (&q.answer, &q.decline_reason) {
            (Some(answer), _) => Message::QuestionAnswered {
                answer: answer.clone(),
            },
            (None, reason) => Message::QuestionDeclined {
                reason: reason.clone().unwrap_or_default(),
            },
        };
        let payload = Payload {
            message: Some(message),
            link: Some(link(ctx, q.id)),
            ..Default::default()
        };
        outbox::enqueue(
            &txn,
            vec![outbox::new_row(
                MailKind::Inquiry,
                &j.email,
                None,
                None,
                &payload,
                now,
            )],
        )
        .await?;
    }
    audit::append(
        &txn,
        now,
        Change::new(viewer.actor(), action, "inquiry", Some(q.id)),
    )
    .await?;
    txn.commit().await?;
    ctx.hub.publish_inquiry(InquiryChange {
        unit_id: q.unit_id,
        inquiry_id: q.id,
    });
    Ok(q)
}

#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn rate(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    rating: AnswerRating,
) -> AppResult<inquiry::Model> {
    let a = viewer.require_role(Role::Journalist)?;
    let q = inquiry::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("inquiry"))?;
    if Some(q.journalist_id) != a.journalist_id {
        return Err(AppError::forbidden(
            "only the journalist who asked may rate the answer",
        ));
    }
    if q.status != InquiryStatus::Answered {
        return Err(AppError::bad_input(
            "id",
            "only an answered question can be rated",
        ));
    }
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    let mut am: inquiry::ActiveModel = q.into();
    am.rating = Set(Some(rating));
    am.rated_at = Set(Some(now));
    let q = am.update(&txn).await?;
    let change = Change::new(viewer.actor(), "inquiry.rate", "inquiry", Some(q.id))
        .details(json!({"rating": rating.as_str()}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    ctx.hub.publish_inquiry(InquiryChange {
        unit_id: q.unit_id,
        inquiry_id: q.id,
    });
    Ok(q)
}

/// Whether the viewer may see this question.
pub fn visible(viewer: &Viewer, q: &inquiry::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    viewer.sees_unit(q.unit_id, now)
        || viewer
            .account
            .as_deref()
            .is_some_and(|a| a.journalist_id == Some(q.journalist_id))
}

pub fn is_overdue(q: &inquiry::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    q.status == InquiryStatus::Open && now > q.due_at
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    unit_id: Option<Uuid>,
    status: Option<InquiryStatus>,
    overdue_only: bool,
) -> AppResult<Vec<inquiry::Model>> {
    let a = viewer.signed_in()?;
    let now = ctx.clock.now();
    let mut c = Condition::all();
    c = match a.role {
        Role::Admin | Role::Auditor => c,
        // A former spokesperson reads none of the unit's questions.
        Role::Spokesperson => match viewer.voice(now) {
            Some(u) => c.add(inquiry::Column::UnitId.eq(u)),
            None => return Ok(Vec::new()),
        },
        Role::Journalist => {
            c.add(inquiry::Column::JournalistId.eq(a.journalist_id.unwrap_or_default()))
        }
    };
    if let Some(u) = unit_id {
        c = c.add(inquiry::Column::UnitId.eq(u));
    }
    if let Some(s) = status {
        c = c.add(inquiry::Column::Status.eq(s));
    }
    if overdue_only {
        c = c
            .add(inquiry::Column::Status.eq(InquiryStatus::Open))
            .add(inquiry::Column::DueAt.lt(now));
    }
    Ok(inquiry::Entity::find()
        .filter(c)
        .order_by_desc(inquiry::Column::AskedAt)
        .all(&ctx.db)
        .await?)
}

/// Reminds units of questions past their deadline (once each).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn remind_overdue(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    let due = inquiry::Entity::find()
        .filter(inquiry::Column::Status.eq(InquiryStatus::Open))
        .filter(inquiry::Column::DueAt.lt(now))
        .filter(inquiry::Column::OverdueRemindedAt.is_null())
        .all(&ctx.db)
        .await?;
    let n = due.len();
    for q in due {
        let txn = begin_write(&ctx.db).await?;
        let overdue = Message::QuestionOverdue {
            question: q.question.clone(),
        };
        mail_spokespersons(ctx, &txn, &q, overdue).await?;
        let mut am: inquiry::ActiveModel = q.into();
        am.overdue_reminded_at = Set(Some(now));
        am.update(&txn).await?;
        txn.commit().await?;
    }
    Ok(n)
}
