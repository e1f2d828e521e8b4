//! Mention alerts: when more articles name a unit on one day than [`FACTOR`] times its mean per
//! day over the [`BASELINE_DAYS`] days before, every ADMIN is told (the monitoring page lists
//! the alert, and an e-mail goes out with it).
//!
//! A unit is named when its name's folded words appear in an article's folded title and
//! summary, in order (accent- and case-insensitive), the same phrase `articles(unitId:)`
//! finds through the text index. An article counts on the day the outlet published it (its
//! feed's date, or when pressnet fetched it when that is earlier or missing), in the
//! province's calendar (UTC+7): a new feed's backlog lands on the days it was written, not as
//! one surge on the day it was first polled.
//!
//! The count runs in the transaction that stores new articles, for the units they name, so an
//! alert and its e-mails commit with the articles that raised it, and a crash cannot lose one.
//! One alert per unit and day (a unique index): later articles that day update its count.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{account, article, mention_alert, unit};
use crate::enums::{MailKind, Role};
use crate::error::AppResult;
use crate::mail::message::{Message, Payload};
use crate::services::outbox;
use crate::services::text::folded_words;
use crate::services::text_index::{self, Indexed};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;
use uuid::Uuid;

/// How many times its daily mean a unit's mentions must exceed.
pub(crate) const FACTOR: f64 = 3.0;
/// The days before whose mean is the baseline.
pub(crate) const BASELINE_DAYS: i64 = 14;
/// Fewer articles than this in a day raise nothing, whatever the mean: a unit the press has
/// not named for two weeks would otherwise raise an alert on its first article.
pub(crate) const MIN_MENTIONS: usize = 3;

/// The province's calendar day at `t`.
pub(crate) fn day_of(t: DateTime<Utc>) -> NaiveDate {
    crate::clock::vn_date(t)
}

/// The moment the province's day `d` begins.
fn start_of(d: NaiveDate) -> DateTime<Utc> {
    crate::clock::vn_start_of(d)
}

/// The day an article counts on: when the outlet published it, unless that is later than
/// when pressnet fetched it (a feed's date in the future) or missing.
fn counted_on(published_at: Option<DateTime<Utc>>, fetched_at: DateTime<Utc>) -> NaiveDate {
    day_of(published_at.map_or(fetched_at, |p| p.min(fetched_at)))
}

/// A unit, and its name's folded words.
struct Named {
    id: Uuid,
    name: String,
    words: Vec<String>,
}

/// The units, to tell which ones new articles name; read once per polling pass.
pub struct Names(Vec<Named>);

impl Names {
    pub async fn load<C: ConnectionTrait>(conn: &C) -> AppResult<Self> {
        let units = unit::Entity::find().all(conn).await?;
        Ok(Self(
            units
                .into_iter()
                .map(|u| Named {
                    id: u.id,
                    words: text_index::words(&u.name),
                    name: u.name,
                })
                .filter(|n| !n.words.is_empty())
                .collect(),
        ))
    }

    /// The units that at least one of `articles` names.
    fn named_in<'a>(&'a self, articles: &[(article::Model, String)]) -> Vec<&'a Named> {
        let texts: Vec<Vec<String>> = articles
            .iter()
            .map(|(a, _)| folded_words(&a.search_text))
            .collect();
        self.0
            .iter()
            .filter(|n| texts.iter().any(|t| names(t, n)))
            .collect()
    }

    /// The units an article's folded text names.
    pub(crate) fn named_by(&self, search_text: &str) -> Vec<Uuid> {
        let t = folded_words(search_text);
        self.0
            .iter()
            .filter(|n| names(&t, n))
            .map(|n| n.id)
            .collect()
    }
}

/// Whether folded words `t` hold the unit's name, in order.
fn names(t: &[String], n: &Named) -> bool {
    t.windows(n.words.len()).any(|w| w == n.words.as_slice())
}

/// What a count found for one unit today.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Count {
    pub today: usize,
    pub daily_mean: f64,
}

impl Count {
    pub(crate) fn surges(&self) -> bool {
        self.today >= MIN_MENTIONS && self.today as f64 > FACTOR * self.daily_mean
    }
}

/// Counts the articles naming `n` on `today` and on each of the [`BASELINE_DAYS`] before.
async fn count<C: ConnectionTrait>(conn: &C, n: &Named, today: NaiveDate) -> AppResult<Count> {
    let first = today - Duration::days(BASELINE_DAYS);
    // An article counted on a day within the window was fetched after the window began.
    let rows: Vec<(Option<DateTime<Utc>>, DateTime<Utc>)> = article::Entity::find()
        .select_only()
        .column(article::Column::PublishedAt)
        .column(article::Column::FetchedAt)
        .filter(text_index::text_match(
            conn.get_database_backend(),
            Indexed::Articles,
            &n.words,
            true,
            false,
        ))
        .filter(article::Column::FetchedAt.gte(start_of(first)))
        .into_tuple()
        .all(conn)
        .await?;
    let mut per_day: HashMap<NaiveDate, usize> = HashMap::new();
    for (published, fetched) in rows {
        *per_day.entry(counted_on(published, fetched)).or_default() += 1;
    }
    let before: usize = per_day
        .iter()
        .filter(|(d, _)| **d >= first && **d < today)
        .map(|(_, c)| c)
        .sum();
    Ok(Count {
        today: per_day.get(&today).copied().unwrap_or(0),
        daily_mean: before as f64 / BASELINE_DAYS as f64,
    })
}

/// Counts today's mentions of the units `articles` name (just stored, in `conn`'s
/// transaction) and raises an alert for each that surges; returns how many were raised.
#[tracing::instrument(skip_all, fields(articles = articles.len()), err(Debug, level = "debug"))]
pub async fn check<C: ConnectionTrait>(
    conn: &C,
    names: &Names,
    articles: &[(article::Model, String)],
    public_url: &str,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let today = day_of(now);
    let mut raised = 0;
    for n in names.named_in(articles) {
        let c = count(conn, n, today).await?;
        if c.surges() && raise(conn, n, today, &c, public_url, now).await? {
            raised += 1;
        }
    }
    Ok(raised)
}

/// Writes the alert for `n` on `today`, or updates the count of the one already raised;
/// true when it is new (and ADMIN's e-mails were queued with it).
async fn raise<C: ConnectionTrait>(
    conn: &C,
    n: &Named,
    today: NaiveDate,
    c: &Count,
    public_url: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let mentions = i32::try_from(c.today).unwrap_or(i32::MAX);
    let inserted = mention_alert::Entity::insert(mention_alert::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(n.id),
        day: Set(today),
        mentions: Set(mentions),
        daily_mean: Set(c.daily_mean),
        raised_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([mention_alert::Column::UnitId, mention_alert::Column::Day])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    if inserted == 0 {
        mention_alert::Entity::update_many()
            .col_expr(mention_alert::Column::Mentions, Expr::value(mentions))
            .col_expr(mention_alert::Column::UpdatedAt, Expr::value(now))
            .filter(mention_alert::Column::UnitId.eq(n.id))
            .filter(mention_alert::Column::Day.eq(today))
            .filter(mention_alert::Column::Mentions.lt(mentions))
            .exec(conn)
            .await?;
        return Ok(false);
    }
    tracing::info!(unit = %n.id, mentions = c.today, mean = c.daily_mean, "mention alert raised");
    let payload = Payload {
        message: Some(Message::MentionAlert {
            unit: n.name.clone(),
            day: today.format("%d/%m/%Y").to_string(),
            mentions: c.today,
            factor: FACTOR,
            daily_mean: c.daily_mean,
            baseline_days: BASELINE_DAYS,
        }),
        link: Some(format!(
            "{}/#/monitoring/{}",
            public_url.trim_end_matches('/'),
            n.id
        )),
        ..Default::default()
    };
    let admins: Vec<String> = account::Entity::find()
        .select_only()
        .column(account::Column::Email)
        .filter(account::Column::Role.eq(Role::Admin))
        .into_tuple()
        .all(conn)
        .await?;
    let rows = admins
        .iter()
        .map(|to| outbox::new_row(MailKind::Notice, to, None, None, &payload, now))
        .collect();
    outbox::enqueue(conn, rows).await?;
    Ok(true)
}

/// Alerts raised, newest first (ADMIN, AUDITOR).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    first: i32,
) -> AppResult<Vec<mention_alert::Model>> {
    viewer.require_reads_all()?;
    let limit = crate::services::page::page_size(first)?;
    Ok(mention_alert::Entity::find()
        .order_by_desc(mention_alert::Column::RaisedAt)
        .order_by_desc(mention_alert::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_the_province_calendar() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc));
        let Ok(late) = t("2026-12-03T17:30:00Z") else {
            panic!("time")
        };
        assert_eq!(day_of(late).to_string(), "2026-12-04");
        assert_eq!(
            start_of(day_of(late)).to_rfc3339(),
            "2026-12-03T17:00:00+00:00"
        );
        let Ok(future) = t("2026-12-09T08:00:00Z") else {
            panic!("time")
        };
        assert_eq!(counted_on(Some(future), late), day_of(late));
    }

    #[test]
    fn a_surge_is_three_times_the_mean_and_at_least_three_articles() {
        let c = |today, daily_mean| Count { today, daily_mean };
        assert!(c(4, 1.0).surges());
        assert!(!c(3, 1.0).surges());
        assert!(!c(2, 0.0).surges());
        assert!(c(3, 0.0).surges());
    }
}
