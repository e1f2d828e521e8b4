//! Spokesperson vacancies: a unit without a spokesperson in office is flagged (the registry
//! and `UnitCompliance.daysWithoutSpokesperson`), and ADMIN is reminded once per vacancy when
//! it has lasted longer than the rules in force when it began allow (`spokespersonVacancyDays`).
use crate::clock::vn_day;
use crate::context::AppContext;
use crate::db::{any_of, begin_write};
use crate::entities::{account, spokesperson, unit};
use crate::enums::{MailKind, Role};
use crate::error::AppResult;
use crate::mail::message::{Message, Payload};
use crate::services::compliance::Term;
use crate::services::conditions::active_spokesperson_condition;
use crate::services::{outbox, rules};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// When the vacancy that is open at `now` began, if the unit has no spokesperson in office:
/// the end of the last term, or the unit's start (or registration) when it never had one.
pub(crate) fn vacant_since(
    u: &unit::Model,
    terms: &[Term],
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let in_office = terms
        .iter()
        .any(|(from, until)| *from <= now && until.is_none_or(|t| t > now));
    if in_office {
        return None;
    }
    // A unit a reorganization created exists from its moment; any other, from its registration
    // (pressnet knows nothing of it before).
    let start = u.started_at.unwrap_or(u.created_at);
    let last_end = terms
        .iter()
        .filter_map(|(_, until)| *until)
        .filter(|t| *t <= now)
        .max();
    Some(last_end.map_or(start, |e| e.max(start)))
}

/// Reminds every ADMIN of each active unit whose vacancy outlasted the rules; returns how many
/// units were reminded of.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn remind(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    // It runs every few seconds: only the active units with nobody in office are read, and
    // the terms of those alone.
    let active = Condition::any()
        .add(unit::Column::EndedAt.is_null())
        .add(unit::Column::EndedAt.gt(now));
    let in_office = Query::select()
        .column(spokesperson::Column::UnitId)
        .from(spokesperson::Entity)
        .cond_where(active_spokesperson_condition(now))
        .to_owned();
    let units = unit::Entity::find()
        .filter(active)
        .filter(unit::Column::Id.not_in_subquery(in_office))
        .all(&ctx.db)
        .await?;
    if units.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = units.iter().map(|u| u.id).collect();
    let mut terms: HashMap<Uuid, Vec<Term>> = HashMap::new();
    for cond in any_of(
        ctx.db.get_database_backend(),
        spokesperson::Column::UnitId,
        &ids,
    ) {
        let rows: Vec<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)> = spokesperson::Entity::find()
            .select_only()
            .column(spokesperson::Column::UnitId)
            .column(spokesperson::Column::ActiveFrom)
            .column(spokesperson::Column::ActiveUntil)
            .filter(cond)
            .into_tuple()
            .all(&ctx.db)
            .await?;
        for (u, from, until) in rows {
            terms.entry(u).or_default().push((from, until));
        }
    }
    let book = rules::load(ctx, &ctx.db).await?;
    let mut due = Vec::new();
    for u in units {
        let Some(since) = vacant_since(&u, terms.get(&u.id).map_or(&[][..], Vec::as_slice), now)
        else {
            continue;
        };
        let rule = book.at(since);
        if now - since < rule.spokesperson_vacancy() {
            continue;
        }
        // Once per vacancy: a reminder after it began has been sent.
        if u.vacancy_reminded_at.is_some_and(|r| r >= since) {
            continue;
        }
        let allowed = i64::from(rule.spokesperson_vacancy_days);
        due.push((u, since, allowed));
    }
    if due.is_empty() {
        return Ok(0);
    }
    let admins: Vec<String> = account::Entity::find()
        .select_only()
        .column(account::Column::Email)
        .filter(account::Column::Role.eq(Role::Admin))
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let txn = begin_write(&ctx.db).await?;
    let mut rows = Vec::new();
    for (u, since, allowed) in &due {
        let payload = Payload {
            message: Some(Message::SpokespersonVacancy {
                unit: u.name.clone(),
                since: vn_day(*since),
                days: (now - *since).num_days(),
                allowed: *allowed,
            }),
            link: Some(format!(
                "{}/#/registry",
                ctx.settings.public_url.trim_end_matches('/')
            )),
            ..Default::default()
        };
        rows.extend(
            admins
                .iter()
                .map(|to| outbox::new_row(MailKind::Notice, to, None, None, &payload, now)),
        );
    }
    // Marked in the same transaction as the mail is queued: each vacancy is told once.
    let ids: Vec<Uuid> = due.iter().map(|(u, _, _)| u.id).collect();
    unit::Entity::update_many()
        .col_expr(unit::Column::VacancyRemindedAt, Expr::value(now))
        .filter(unit::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    outbox::enqueue(&txn, rows).await?;
    txn.commit().await?;
    tracing::info!(units = due.len(), "spokesperson vacancy reminders queued");
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::UnitLevel;
    use chrono::Duration;

    fn unit_at(created: DateTime<Utc>) -> unit::Model {
        unit::Model {
            id: Uuid::now_v7(),
            code: "U".into(),
            name: "Sở".into(),
            level: UnitLevel::Department,
            parent_id: None,
            created_at: created,
            started_at: None,
            ended_at: None,
            vacancy_reminded_at: None,
        }
    }

    #[test]
    fn a_vacancy_begins_when_the_last_term_ended() {
        let now = Utc::now();
        let u = unit_at(now - Duration::days(100));
        assert_eq!(vacant_since(&u, &[], now), Some(u.created_at));
        let ended = now - Duration::days(9);
        let terms = [
            (now - Duration::days(90), Some(now - Duration::days(30))),
            (now - Duration::days(20), Some(ended)),
        ];
        assert_eq!(vacant_since(&u, &terms, now), Some(ended));
        let serving = [(now - Duration::days(5), None)];
        assert_eq!(vacant_since(&u, &serving, now), None);
        // A term that starts tomorrow does not fill today.
        let later = [(now + Duration::days(1), None)];
        assert_eq!(vacant_since(&u, &later, now), Some(u.created_at));
    }
}
