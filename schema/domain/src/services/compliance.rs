//! The compliance report: one row per unit over a period, computed by aggregate queries
//! (GROUP BY, and window functions for the median) rather than by loading rows.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::unit;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
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
}

impl UnitCompliance {
    /// Falls short of what the rules ask.
    pub fn needs_attention(&self) -> bool {
        !self.has_active_spokesperson
            || self.press_conferences_held < self.press_conferences_required
            || self.inquiries_overdue > 0
            || self.press_reports_overdue > 0
            || self.delivery_coverage < 0.95
    }
}

/// Full quarters in the period (rounded to whole months), for the conference cadence.
pub(crate) fn quarters(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
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
    let units = unit::Entity::find()
        .order_by_asc(unit::Column::Level)
        .order_by_asc(unit::Column::Name)
        .all(db)
        .await?;

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
    let q = quarters(from, to);
    Ok(units
        .into_iter()
        .map(|u| {
            let (received, on_time, overdue, unsatisfied) =
                inq.get(&u.id).copied().unwrap_or_default();
            let (pairs, ok) = coverage.get(&u.id).copied().unwrap_or_default();
            let per_q = i64::from(
                ctx.settings
                    .conferences_per_quarter
                    .get(&u.level)
                    .copied()
                    .unwrap_or(0),
            );
            UnitCompliance {
                has_active_spokesperson: active.contains(&u.id),
                releases_published: released.get(&u.id).copied().unwrap_or(0),
                press_conferences_held: held.get(&u.id).copied().unwrap_or(0),
                press_conferences_required: per_q * q,
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
}
