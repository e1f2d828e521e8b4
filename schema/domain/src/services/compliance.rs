//! The compliance report: one row per unit over a period, computed by aggregate queries
//! (GROUP BY, and window functions for the median) rather than by loading rows.
//!
//! Each unit is judged for the part of the period it existed (a reorganization ends some
//! units and starts others: no duty is counted twice, none lost), and each duty by the rule
//! set in force when it arose: a quarter's conferences by the set at the quarter's start, a
//! month's information by the set at the month's start.
use crate::auth::Viewer;
use crate::clock::{vn_date, vn_start_of};
use crate::context::AppContext;
use crate::entities::unit;
use crate::enums::UnitLevel;
use crate::error::{AppError, AppResult};
use crate::services::rules::{self, RuleBook};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QueryResult, Value};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct UnitCompliance {
    pub unit: unit::Model,
    pub has_active_spokesperson: bool,
    pub releases_published: i64,
    pub press_conferences_held: i64,
    pub press_conferences_required: i64,
    pub inquiries_received: i64,
    pub inquiries_answered_on_time: i64,
    pub inquiries_overdue: i64,
    pub answers_unsatisfied: i64,
    pub median_response_hours: Option<f64>,
    pub delivery_coverage: f64,
    pub targeted_pairs: i64,
    /// Largest first-to-last live delivery spread of the unit's releases (equal access).
    pub max_delivery_spread_ms: Option<i64>,
    /// Releases of the period that at least one outlet's article carried.
    pub releases_picked_up: i64,
    /// Press reports raised for the unit in the period, answered by their deadline, and
    /// overdue (open past the deadline, or answered after it).
    pub press_reports_received: i64,
    pub press_reports_answered_on_time: i64,
    pub press_reports_overdue: i64,
    /// The part of the period the unit existed.
    pub part_from: DateTime<Utc>,
    pub part_to: DateTime<Utc>,
    /// Complete months of the part in which the unit published less than the rules ask.
    pub months_without_information: i64,
    /// Whole days of the part (from when pressnet knew the unit, until now) with no
    /// spokesperson in office.
    pub days_without_spokesperson: i64,
    /// Items of the unit's plan due within its part and already past due, and those of them
    /// a published release carried out.
    pub plan_items_due: i64,
    pub plan_items_done: i64,
}

impl UnitCompliance {
    /// Falls short of what the rules ask.
    pub fn needs_attention(&self) -> bool {
        (!self.has_active_spokesperson && self.unit.ended_at.is_none())
            || self.press_conferences_held < self.press_conferences_required
            || self.inquiries_overdue > 0
            || self.press_reports_overdue > 0
            || self.delivery_coverage < 0.95
    }
}

/// Full quarters in the period (rounded to whole months), for the conference cadence.
pub fn quarters(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let months = ((to - from).num_days() as f64 / 30.44).round() as i64;
    months.max(0) / 3
}

use crate::db::raw as stmt;

fn get<T: sea_orm::TryGetable>(row: &QueryResult, i: usize) -> AppResult<T> {
    row.try_get_by_index(i)
        .map_err(|e| AppError::caused(format!("report column {i}"), format!("{e:?}")))
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn report(
    ctx: &AppContext,
    viewer: &Viewer,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<UnitCompliance>> {
    viewer.require_reads_all()?;
    if to <= from {
        return Err(AppError::bad_input("to", "must be after from"));
    }
    if (to - from).num_days() > 3 * 366 {
        return Err(AppError::bad_input(
            "to",
            "a report covers at most three years",
        ));
    }
    compute(ctx, from, to).await
}

/// A span of time, `[start, end)`.
type Span = (DateTime<Utc>, DateTime<Utc>);
/// A spokesperson's term: from, and until (open-ended: still in office).
pub(crate) type Term = (DateTime<Utc>, Option<DateTime<Utc>>);

/// The part of `[from, to)` in which `u` existed, if any.
fn part_of(u: &unit::Model, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Span> {
    let lo = u.started_at.map_or(from, |s| s.max(from));
    let hi = u.ended_at.map_or(to, |e| e.min(to));
    (lo < hi).then_some((lo, hi))
}

/// Conferences required of a unit of `level` over its part: one cadence per whole quarter,
/// each quarter by the set in force at its start.
pub(crate) fn conferences_required(book: &RuleBook, level: UnitLevel, (lo, hi): Span) -> i64 {
    (0..quarters(lo, hi))
        .map(|k| {
            let start = u32::try_from(3 * k)
                .ok()
                .and_then(|m| lo.checked_add_months(Months::new(m)))
                .unwrap_or(lo);
            i64::from(book.at(start).conferences_per_quarter.get(level))
        })
        .sum()
}

/// Complete calendar months (Vietnam time) inside `[lo, hi)`, as their bounds.
pub(crate) fn whole_months(lo: DateTime<Utc>, hi: DateTime<Utc>) -> Vec<Span> {
    let first = vn_date(lo);
    let mut month = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
    if vn_start_of(month) < lo {
        month = month.checked_add_months(Months::new(1)).unwrap_or(month);
    }
    let mut out = Vec::new();
    while let Some(next) = month.checked_add_months(Months::new(1)) {
        let (a, b) = (vn_start_of(month), vn_start_of(next));
        if b > hi || out.len() > 60 {
            break;
        }
        out.push((a, b));
        month = next;
    }
    out
}

/// Whole days of `[lo, hi)` that no interval of `terms` covers.
pub(crate) fn uncovered_days(lo: DateTime<Utc>, hi: DateTime<Utc>, terms: &[Term]) -> i64 {
    if hi <= lo {
        return 0;
    }
    let mut spans: Vec<Span> = terms
        .iter()
        .map(|(a, b)| ((*a).max(lo), b.map_or(hi, |b| b.min(hi))))
        .filter(|(a, b)| a < b)
        .collect();
    spans.sort();
    let mut covered = chrono::Duration::zero();
    let mut cursor = lo;
    for (a, b) in spans {
        let a = a.max(cursor);
        if b > a {
            covered += b - a;
            cursor = b;
        }
    }
    ((hi - lo) - covered).num_days()
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn compute(
    ctx: &AppContext,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<UnitCompliance>> {
    let db = &ctx.db;
    let b = db.get_database_backend();
    let now = ctx.clock.now();
    let (f, t, n): (Value, Value, Value) = (from.into(), to.into(), now.into());
    let book = rules::load(ctx, db).await?;
    let units: Vec<(unit::Model, Span)> = unit::Entity::find()
        .order_by_asc(unit::Column::Level)
        .order_by_asc(unit::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| part_of(&u, from, to).map(|p| (u, p)))
        .collect();
    let mut terms: HashMap<Uuid, Vec<Term>> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT unit_id, active_from, active_until FROM spokespersons WHERE active_from < ? AND (active_until IS NULL OR active_until > ?)", vec![t.clone(), f.clone()])).await? {
        terms.entry(get(&r, 0)?).or_default().push((get(&r, 1)?, get(&r, 2)?));
    }
    // One column per complete month of the period: releases or statements the unit published.
    let months = whole_months(from, to.min(now));
    let mut monthly: HashMap<Uuid, Vec<i64>> = HashMap::new();
    if !months.is_empty() {
        let cols: Vec<String> = months
            .iter()
            .map(|_| "COALESCE(SUM(CASE WHEN published_at >= ? AND published_at < ? THEN 1 ELSE 0 END), 0)".to_owned())
            .collect();
        let mut vals: Vec<Value> = months
            .iter()
            .flat_map(|(a, b)| [Value::from(*a), Value::from(*b)])
            .collect();
        vals.push(f.clone());
        vals.push(t.clone());
        let sql = format!(
            "SELECT unit_id, {} FROM releases WHERE status IN ('PUBLISHED', 'RETRACTED') AND published_at >= ? AND published_at < ? GROUP BY unit_id",
            cols.join(", ")
        );
        for r in db.query_all_raw(stmt(b, &sql, vals)).await? {
            let counts = (1..=months.len())
                .map(|i| get::<i64>(&r, i))
                .collect::<AppResult<Vec<_>>>()?;
            monthly.insert(get(&r, 0)?, counts);
        }
    }

    let mut active = HashSet::new();
    for r in db.query_all_raw(stmt(b, "SELECT DISTINCT unit_id FROM spokespersons WHERE active_from <= ? AND (active_until IS NULL OR active_until > ?)", vec![n.clone(), n.clone()])).await? {
        active.insert(get::<Uuid>(&r, 0)?);
    }
    let mut released: HashMap<Uuid, i64> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT unit_id, COUNT(*) FROM releases WHERE status IN ('PUBLISHED', 'RETRACTED') AND published_at >= ? AND published_at < ? GROUP BY unit_id", vec![f.clone(), t.clone()])).await? {
        released.insert(get(&r, 0)?, get(&r, 1)?);
    }
    let mut held: HashMap<Uuid, i64> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT r.unit_id, COUNT(*) FROM releases r JOIN press_conferences p ON p.release_id = r.id \
        WHERE r.status = 'PUBLISHED' AND p.starts_at >= ? AND p.starts_at < ? AND p.starts_at <= ? GROUP BY r.unit_id", vec![f.clone(), t.clone(), n.clone()])).await? {
        held.insert(get(&r, 0)?, get(&r, 1)?);
    }
    let mut inq: HashMap<Uuid, (i64, i64, i64, i64)> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT unit_id, COUNT(*), \
        COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND answered_at <= due_at THEN 1 ELSE 0 END), 0), \
        COALESCE(SUM(CASE WHEN (answered_at IS NULL AND due_at < ?) OR (answered_at IS NOT NULL AND answered_at > due_at) THEN 1 ELSE 0 END), 0), \
        COALESCE(SUM(CASE WHEN rating = 'UNSATISFIED' THEN 1 ELSE 0 END), 0) \
        FROM inquiries WHERE asked_at >= ? AND asked_at < ? GROUP BY unit_id", vec![n.clone(), f.clone(), t.clone()])).await? {
        inq.insert(get(&r, 0)?, (get(&r, 1)?, get(&r, 2)?, get(&r, 3)?, get(&r, 4)?));
    }
    // Plan items due in the period and already past due, with whether a published release
    // carried each out.
    let mut plan: HashMap<Uuid, Vec<(DateTime<Utc>, bool)>> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT p.unit_id, p.due_at, \
        CASE WHEN EXISTS (SELECT 1 FROM releases r WHERE r.plan_item_id = p.id AND r.published_at IS NOT NULL) THEN 1 ELSE 0 END \
        FROM plan_items p WHERE p.due_at >= ? AND p.due_at < ? AND p.due_at <= ?", vec![f.clone(), t.clone(), n.clone()])).await? {
        let done: i32 = get(&r, 2)?;
        plan.entry(get(&r, 0)?).or_default().push((get(&r, 1)?, done == 1));
    }
    let mut median: HashMap<Uuid, f64> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT unit_id, CAST(AVG(response_secs) AS DOUBLE PRECISION) FROM (\
        SELECT unit_id, response_secs, ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY response_secs) AS rn, \
        COUNT(*) OVER (PARTITION BY unit_id) AS cnt FROM inquiries \
        WHERE response_secs IS NOT NULL AND asked_at >= ? AND asked_at < ?) m \
        WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2) GROUP BY unit_id", vec![f.clone(), t.clone()])).await? {
        let secs: f64 = get(&r, 1)?;
        median.insert(get(&r, 0)?, secs / 3600.0);
    }
    // Coverage and equal access come from the per-release reach summary (kept with the
    // delivery log), one row per release: scanning the period's deliveries took 10-24 s
    // for a large province's year (6 million rows).
    let mut coverage: HashMap<Uuid, (i64, i64)> = HashMap::new();
    let mut spread: HashMap<Uuid, i64> = HashMap::new();
    for r in db
        .query_all_raw(stmt(
            b,
            "SELECT r.unit_id, s.targeted, s.reached, s.live_first_at, s.live_last_at \
             FROM releases r JOIN release_reach s ON s.release_id = r.id \
             WHERE r.published_at >= ? AND r.published_at < ?",
            vec![f.clone(), t.clone()],
        ))
        .await?
    {
        let unit: Uuid = get(&r, 0)?;
        let (targeted, reached): (i64, i64) = (get(&r, 1)?, get(&r, 2)?);
        let c = coverage.entry(unit).or_default();
        c.0 += targeted;
        c.1 += reached;
        let span: (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (get(&r, 3)?, get(&r, 4)?);
        if let (Some(lo), Some(hi)) = span {
            let ms = (hi - lo).num_milliseconds();
            let e = spread.entry(unit).or_insert(ms);
            *e = (*e).max(ms);
        }
    }
    let mut picked: HashMap<Uuid, i64> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT r.unit_id, COUNT(*) FROM releases r WHERE r.status IN ('PUBLISHED', 'RETRACTED') \
        AND r.published_at >= ? AND r.published_at < ? AND EXISTS (SELECT 1 FROM pickups p WHERE p.release_id = r.id) \
        GROUP BY r.unit_id", vec![f.clone(), t.clone()])).await? {
        picked.insert(get(&r, 0)?, get(&r, 1)?);
    }
    let mut reports: HashMap<Uuid, (i64, i64, i64)> = HashMap::new();
    for r in db.query_all_raw(stmt(b, "SELECT unit_id, COUNT(*), \
        COALESCE(SUM(CASE WHEN responded_at IS NOT NULL AND responded_at <= due_at THEN 1 ELSE 0 END), 0), \
        COALESCE(SUM(CASE WHEN (responded_at IS NULL AND due_at < ?) OR (responded_at IS NOT NULL AND responded_at > due_at) THEN 1 ELSE 0 END), 0) \
        FROM press_reports WHERE raised_at >= ? AND raised_at < ? GROUP BY unit_id", vec![n.clone(), f.clone(), t.clone()])).await? {
        reports.insert(get(&r, 0)?, (get(&r, 1)?, get(&r, 2)?, get(&r, 3)?));
    }
    Ok(units
        .into_iter()
        .map(|(u, part)| {
            let (received, on_time, overdue, unsatisfied) =
                inq.get(&u.id).copied().unwrap_or_default();
            let (pairs, ok) = coverage.get(&u.id).copied().unwrap_or_default();
            let counts = monthly.get(&u.id);
            let months_without_information = months
                .iter()
                .enumerate()
                .filter(|(_, (a, b))| *a >= part.0 && *b <= part.1)
                .filter(|(i, (a, _))| {
                    let asked = i64::from(book.at(*a).information_per_month.get(u.level));
                    counts.and_then(|c| c.get(*i)).copied().unwrap_or(0) < asked
                })
                .count() as i64;
            // Before pressnet registered the unit it knows nothing of its spokespersons.
            let known_from = part
                .0
                .max(u.created_at.min(u.started_at.unwrap_or(u.created_at)));
            let days_without_spokesperson = uncovered_days(
                known_from,
                part.1.min(now),
                terms.get(&u.id).map_or(&[][..], |v| v.as_slice()),
            );
            let due: Vec<bool> = plan
                .get(&u.id)
                .into_iter()
                .flatten()
                .filter(|(at, _)| *at >= part.0 && *at < part.1)
                .map(|(_, done)| *done)
                .collect();
            UnitCompliance {
                plan_items_due: due.len() as i64,
                plan_items_done: due.iter().filter(|d| **d).count() as i64,
                has_active_spokesperson: active.contains(&u.id),
                releases_published: released.get(&u.id).copied().unwrap_or(0),
                press_conferences_held: held.get(&u.id).copied().unwrap_or(0),
                press_conferences_required: conferences_required(&book, u.level, part),
                inquiries_received: received,
                inquiries_answered_on_time: on_time,
                inquiries_overdue: overdue,
                answers_unsatisfied: unsatisfied,
                median_response_hours: median.get(&u.id).copied(),
                delivery_coverage: if pairs == 0 {
                    1.0
                } else {
                    ok as f64 / pairs as f64
                },
                targeted_pairs: pairs,
                max_delivery_spread_ms: spread.get(&u.id).copied(),
                releases_picked_up: picked.get(&u.id).copied().unwrap_or(0),
                press_reports_received: reports.get(&u.id).map_or(0, |r| r.0),
                press_reports_answered_on_time: reports.get(&u.id).map_or(0, |r| r.1),
                press_reports_overdue: reports.get(&u.id).map_or(0, |r| r.2),
                part_from: part.0,
                part_to: part.1,
                months_without_information,
                days_without_spokesperson,
                unit: u,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_of_periods() {
        let d = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.to_utc())
                .unwrap_or_default()
        };
        assert_eq!(
            quarters(d("2026-01-01T00:00:00Z"), d("2027-01-01T00:00:00Z")),
            4
        );
        assert_eq!(
            quarters(d("2026-01-01T00:00:00Z"), d("2026-04-01T00:00:00Z")),
            1
        );
        assert_eq!(
            quarters(d("2026-01-01T00:00:00Z"), d("2026-03-01T00:00:00Z")),
            0
        );
    }

    #[test]
    fn whole_months_are_vietnamese_calendar_months_inside_the_period() {
        let d = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.to_utc())
                .unwrap_or_default()
        };
        // 1 January 00:00 in Hà Nội is 31 December 17:00 UTC.
        let m = whole_months(d("2025-12-31T17:00:00Z"), d("2026-03-15T00:00:00Z"));
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].0, d("2025-12-31T17:00:00Z"));
        assert_eq!(m[1].1, d("2026-02-28T17:00:00Z"));
        // Starting a minute late skips January.
        let m = whole_months(d("2025-12-31T17:01:00Z"), d("2026-03-15T00:00:00Z"));
        assert_eq!(m.len(), 1);
        assert!(whole_months(d("2026-01-05T00:00:00Z"), d("2026-01-25T00:00:00Z")).is_empty());
    }

    #[test]
    fn uncovered_days_counts_gaps_between_terms_once() {
        let d = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.to_utc())
                .unwrap_or_default()
        };
        let (lo, hi) = (d("2026-01-01T00:00:00Z"), d("2026-01-31T00:00:00Z"));
        assert_eq!(uncovered_days(lo, hi, &[]), 30);
        assert_eq!(
            uncovered_days(lo, hi, &[(d("2025-06-01T00:00:00Z"), None)]),
            0
        );
        // Two overlapping terms and a gap of ten days.
        let terms = [
            (d("2025-12-01T00:00:00Z"), Some(d("2026-01-11T00:00:00Z"))),
            (d("2026-01-05T00:00:00Z"), Some(d("2026-01-11T00:00:00Z"))),
            (d("2026-01-21T00:00:00Z"), None),
        ];
        assert_eq!(uncovered_days(lo, hi, &terms), 10);
    }
}
