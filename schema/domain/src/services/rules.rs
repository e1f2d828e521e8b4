//! Rule sets: deadlines and cadences as a decree sets them, each in force from a moment until
//! the next set's. Every duty is judged by the set in force when it arose (a question by the
//! set at its asking, a month's information by the set at the month's start), so adding a
//! stricter set today changes nothing about last year.
//!
//! The first set comes from the environment (`PRESSNET_INQUIRY_DUE_HOURS*`,
//! `PRESSNET_PRESS_REPORT_DUE_DAYS`, `PRESSNET_CONFERENCES_PER_QUARTER`,
//! `PRESSNET_INFORMATION_PER_MONTH`, `PRESSNET_INCIDENT_FIRST_STATEMENT_HOURS`,
//! `PRESSNET_SPOKESPERSON_VACANCY_DAYS`) and is written once, at the first start, in force from
//! the beginning of time; later sets are added by the authority (`add`).
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::rule_set;
use crate::enums::UnitLevel;
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use crate::validate;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// The first set's id: fixed, so that instances starting together write it once.
const FIRST_ID: Uuid = Uuid::from_u128(0x7072_6573_736e_6574_0000_0000_0000_0001);
const LEVELS: [UnitLevel; 4] = [
    UnitLevel::Province,
    UnitLevel::Department,
    UnitLevel::Branch,
    UnitLevel::Commune,
];

/// A value for each unit level (a level not named is 0).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LevelValues(HashMap<UnitLevel, i32>);

impl LevelValues {
    pub fn get(&self, level: UnitLevel) -> i32 {
        self.0.get(&level).copied().unwrap_or(0)
    }

    /// Every level, in the order of the contract's enum.
    pub fn all(&self) -> Vec<(UnitLevel, i32)> {
        LEVELS.into_iter().map(|l| (l, self.get(l))).collect()
    }

    fn from_u32(m: &HashMap<UnitLevel, u32>) -> Self {
        Self(
            m.iter()
                .map(|(l, v)| (*l, i32::try_from(*v).unwrap_or(i32::MAX)))
                .collect(),
        )
    }

    fn to_json(&self) -> String {
        let m: serde_json::Map<String, serde_json::Value> = self
            .all()
            .into_iter()
            .filter(|(_, v)| *v != 0)
            .map(|(l, v)| (l.as_str().to_owned(), json!(v)))
            .collect();
        serde_json::Value::Object(m).to_string()
    }

    fn from_json(s: &str) -> AppResult<Self> {
        serde_json::from_str::<HashMap<UnitLevel, i32>>(s)
            .map(Self)
            .map_err(|e| AppError::caused("a rule set's values by level", e))
    }
}

/// One rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub id: Uuid,
    pub effective_from: DateTime<Utc>,
    pub decision_ref: String,
    pub inquiry_due_hours: LevelValues,
    pub press_report_due_days: i32,
    pub first_statement_hours: i32,
    pub conferences_per_quarter: LevelValues,
    pub information_per_month: LevelValues,
    pub spokesperson_vacancy_days: i32,
}

impl Rules {
    /// Time a unit of `level` has to answer a press question.
    pub fn inquiry_due(&self, level: UnitLevel) -> Duration {
        Duration::hours(i64::from(self.inquiry_due_hours.get(level).max(1)))
    }

    pub fn press_report_due(&self) -> Duration {
        Duration::days(i64::from(self.press_report_due_days.max(1)))
    }

    pub fn spokesperson_vacancy(&self) -> Duration {
        Duration::days(i64::from(self.spokesperson_vacancy_days.max(1)))
    }

    /// The set the environment describes (`Settings`), in force from the beginning.
    fn first(ctx: &AppContext) -> Self {
        let s = &ctx.settings;
        let hours: HashMap<UnitLevel, i32> = LEVELS
            .into_iter()
            .map(|l| {
                let h = s.inquiry_due_for(l).num_hours();
                (l, i32::try_from(h).unwrap_or(i32::MAX))
            })
            .collect();
        Self {
            id: FIRST_ID,
            effective_from: DateTime::<Utc>::UNIX_EPOCH,
            decision_ref: "Nghị định 09/2017/NĐ-CP".into(),
            inquiry_due_hours: LevelValues(hours),
            press_report_due_days: i32::try_from(s.monitoring.press_report_due.num_days())
                .unwrap_or(i32::MAX),
            first_statement_hours: i32::try_from(s.first_statement_hours).unwrap_or(i32::MAX),
            conferences_per_quarter: LevelValues::from_u32(&s.conferences_per_quarter),
            information_per_month: LevelValues::from_u32(&s.information_per_month),
            spokesperson_vacancy_days: i32::try_from(s.spokesperson_vacancy_days)
                .unwrap_or(i32::MAX),
        }
    }

    fn from_model(m: rule_set::Model) -> AppResult<Self> {
        Ok(Self {
            id: m.id,
            effective_from: m.effective_from,
            decision_ref: m.decision_ref,
            inquiry_due_hours: LevelValues::from_json(&m.inquiry_due_hours)?,
            press_report_due_days: m.press_report_due_days,
            first_statement_hours: m.first_statement_hours,
            conferences_per_quarter: LevelValues::from_json(&m.conferences_per_quarter)?,
            information_per_month: LevelValues::from_json(&m.information_per_month)?,
            spokesperson_vacancy_days: m.spokesperson_vacancy_days,
        })
    }

    fn to_active(&self, now: DateTime<Utc>, by: Option<Uuid>) -> rule_set::ActiveModel {
        rule_set::ActiveModel {
            id: Set(self.id),
            effective_from: Set(self.effective_from),
            decision_ref: Set(self.decision_ref.clone()),
            inquiry_due_hours: Set(self.inquiry_due_hours.to_json()),
            press_report_due_days: Set(self.press_report_due_days),
            first_statement_hours: Set(self.first_statement_hours),
            conferences_per_quarter: Set(self.conferences_per_quarter.to_json()),
            information_per_month: Set(self.information_per_month.to_json()),
            spokesperson_vacancy_days: Set(self.spokesperson_vacancy_days),
            created_at: Set(now),
            created_by: Set(by),
        }
    }
}

/// Every set, oldest first: which one was in force at any moment (`at`).
#[derive(Debug, Clone)]
pub struct RuleBook {
    first: Rules,
    later: Vec<Rules>,
}

impl RuleBook {
    /// The set in force at `t` (the first set before any was in force).
    pub fn at(&self, t: DateTime<Utc>) -> &Rules {
        let i = self.later.partition_point(|r| r.effective_from <= t);
        match i.checked_sub(1).and_then(|i| self.later.get(i)) {
            Some(r) => r,
            None => &self.first,
        }
    }

    /// Every set, oldest first.
    pub fn sets(&self) -> impl Iterator<Item = &Rules> {
        std::iter::once(&self.first).chain(&self.later)
    }
}

/// Writes the environment's first set unless one is there (every start; a no-op after the
/// first).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn seed_first(ctx: &AppContext) -> AppResult<()> {
    let first = Rules::first(ctx);
    rule_set::Entity::insert(first.to_active(ctx.clock.now(), None))
        .on_conflict(
            OnConflict::column(rule_set::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&ctx.db)
        .await?;
    Ok(())
}

/// Every set, oldest first. A database without sets yet (before `seed_first`) reads as the
/// environment's first set.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn load<C: ConnectionTrait>(ctx: &AppContext, conn: &C) -> AppResult<RuleBook> {
    let rows = rule_set::Entity::find()
        .order_by_asc(rule_set::Column::EffectiveFrom)
        .all(conn)
        .await?;
    let mut later = rows
        .into_iter()
        .map(Rules::from_model)
        .collect::<AppResult<Vec<_>>>()?;
    let first = if later
        .first()
        .is_some_and(|r| r.effective_from <= DateTime::<Utc>::UNIX_EPOCH)
    {
        later.remove(0)
    } else {
        Rules::first(ctx)
    };
    Ok(RuleBook { first, later })
}

/// The set in force at `t`.
pub async fn at<C: ConnectionTrait>(
    ctx: &AppContext,
    conn: &C,
    t: DateTime<Utc>,
) -> AppResult<Rules> {
    Ok(load(ctx, conn).await?.at(t).clone())
}

/// What `add` is given.
pub struct NewRules {
    pub effective_from: DateTime<Utc>,
    pub decision_ref: String,
    pub inquiry_due_hours: Vec<(UnitLevel, i32)>,
    pub press_report_due_days: i32,
    pub first_statement_hours: i32,
    pub conferences_per_quarter: Vec<(UnitLevel, i32)>,
    pub information_per_month: Vec<(UnitLevel, i32)>,
    pub spokesperson_vacancy_days: i32,
}

fn levels(
    field: &'static str,
    values: Vec<(UnitLevel, i32)>,
    range: std::ops::RangeInclusive<i32>,
    every_level: bool,
) -> AppResult<LevelValues> {
    let mut m = HashMap::new();
    for (level, v) in values {
        if !range.contains(&v) {
            return Err(AppError::bad_input(
                field,
                format!(
                    "{} must be between {} and {}",
                    level.as_str(),
                    range.start(),
                    range.end()
                ),
            ));
        }
        if m.insert(level, v).is_some() {
            return Err(AppError::bad_input(
                field,
                format!("{} is given twice", level.as_str()),
            ));
        }
    }
    if every_level {
        if let Some(l) = LEVELS.iter().find(|l| !m.contains_key(l)) {
            return Err(AppError::bad_input(
                field,
                format!("needs a value for {}", l.as_str()),
            ));
        }
    }
    Ok(LevelValues(m))
}

fn within(field: &'static str, v: i32, range: std::ops::RangeInclusive<i32>) -> AppResult<i32> {
    if range.contains(&v) {
        Ok(v)
    } else {
        Err(AppError::bad_input(
            field,
            format!("must be between {} and {}", range.start(), range.end()),
        ))
    }
}

/// Adds a set in force from `effective_from`, which may not be in the past: the past is judged
/// by the rules it had (ADMIN).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn add(ctx: &AppContext, viewer: &Viewer, input: NewRules) -> AppResult<Rules> {
    let admin = viewer.require_admin()?;
    let now = ctx.clock.now();
    if input.effective_from < now - Duration::minutes(1) {
        return Err(AppError::bad_input(
            "effectiveFrom",
            "may not be in the past: past duties keep the rules they arose under",
        ));
    }
    let rules = Rules {
        id: Uuid::now_v7(),
        effective_from: input.effective_from,
        decision_ref: validate::text("decisionRef", &input.decision_ref, 500)?,
        inquiry_due_hours: levels(
            "inquiryDueHours",
            input.inquiry_due_hours,
            1..=24 * 365,
            true,
        )?,
        press_report_due_days: within("pressReportDueDays", input.press_report_due_days, 1..=365)?,
        first_statement_hours: within(
            "firstStatementHours",
            input.first_statement_hours,
            1..=24 * 365,
        )?,
        conferences_per_quarter: levels(
            "conferencesPerQuarter",
            input.conferences_per_quarter,
            0..=90,
            false,
        )?,
        information_per_month: levels(
            "informationPerMonth",
            input.information_per_month,
            0..=1_000,
            false,
        )?,
        spokesperson_vacancy_days: within(
            "spokespersonVacancyDays",
            input.spokesperson_vacancy_days,
            1..=3_650,
        )?,
    };
    let txn = begin_write(&ctx.db).await?;
    let taken = rule_set::Entity::find()
        .filter(rule_set::Column::EffectiveFrom.eq(rules.effective_from))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(
            "a rule set already takes effect at that moment".into(),
        ));
    }
    rule_set::Entity::insert(rules.to_active(now, Some(admin.id)))
        .exec_without_returning(&txn)
        .await?;
    audit::append(
        &txn,
        now,
        Change::new(viewer.actor(), "rules.add", "rule_set", Some(rules.id)).details(json!({
            "effectiveFrom": rules.effective_from,
            "decisionRef": rules.decision_ref,
        })),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(id = %rules.id, from = %rules.effective_from, "rule set added");
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(from: &str, hours: i32) -> Rules {
        Rules {
            id: Uuid::now_v7(),
            effective_from: DateTime::parse_from_rfc3339(from)
                .map(|t| t.to_utc())
                .unwrap_or_default(),
            decision_ref: from.into(),
            inquiry_due_hours: LevelValues(LEVELS.into_iter().map(|l| (l, hours)).collect()),
            press_report_due_days: 10,
            first_statement_hours: 24,
            conferences_per_quarter: LevelValues::default(),
            information_per_month: LevelValues::default(),
            spokesperson_vacancy_days: 5,
        }
    }

    #[test]
    fn the_set_in_force_is_the_last_one_begun() {
        let book = RuleBook {
            first: set("1970-01-01T00:00:00Z", 72),
            later: vec![
                set("2026-07-01T00:00:00Z", 48),
                set("2027-01-01T00:00:00Z", 24),
            ],
        };
        let at = |s: &str| {
            let t = DateTime::parse_from_rfc3339(s)
                .map(|t| t.to_utc())
                .unwrap_or_default();
            book.at(t).inquiry_due(UnitLevel::Commune).num_hours()
        };
        assert_eq!(at("2026-06-30T23:59:59Z"), 72);
        assert_eq!(
            at("2026-07-01T00:00:00Z"),
            48,
            "a set is in force from its moment"
        );
        assert_eq!(at("2026-12-31T00:00:00Z"), 48);
        assert_eq!(at("2030-01-01T00:00:00Z"), 24);
    }

    #[test]
    fn values_by_level_are_checked() {
        let bad = levels("x", vec![(UnitLevel::Province, 0)], 1..=10, false);
        assert!(bad.is_err());
        let twice = levels(
            "x",
            vec![(UnitLevel::Province, 1), (UnitLevel::Province, 2)],
            0..=10,
            false,
        );
        assert!(twice.is_err());
        let missing = levels("x", vec![(UnitLevel::Province, 1)], 0..=10, true);
        assert!(missing.is_err());
        let ok = levels("x", vec![(UnitLevel::Commune, 3)], 0..=10, false).unwrap_or_default();
        assert_eq!(ok.get(UnitLevel::Commune), 3);
        assert_eq!(ok.get(UnitLevel::Province), 0);
        assert_eq!(LevelValues::from_json(&ok.to_json()).ok(), Some(ok));
    }
}
