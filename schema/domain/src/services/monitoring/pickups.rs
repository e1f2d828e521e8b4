//! Pickups: which articles carried which releases. A new article is matched to the releases
//! published in the [`WINDOW`] before it, by a link to the release's page (`/releases/{id}` on
//! pressnet's public URL) or by text similarity ([`super::similarity`]); a journalist of an
//! outlet the release reached may also declare one by URL. `Release.spread` reads them.
use super::similarity::{Index, THRESHOLD};
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{article, delivery, pickup, release};
use crate::enums::{Channel, ReleaseStatus};
use crate::error::{AppError, AppResult};
use crate::services::{audit, releases, visibility};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// How far back an article is matched to releases.
pub(crate) const WINDOW: Duration = Duration::days(14);
/// An outlet's clock (or its feed's dates) may run a little ahead of pressnet's.
const SKEW: Duration = Duration::hours(1);
/// Releases one article is taken to carry, at most (a round-up may carry several).
const MAX_PER_ARTICLE: usize = 3;

/// The releases an article may be matched to, indexed once per poll.
pub struct Window {
    published: HashMap<Uuid, DateTime<Utc>>,
    index: Index<Uuid>,
    /// `{public_url}/releases/`, the prefix of a link to a release's page.
    link_prefix: String,
}

/// A match found for an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub release_id: Uuid,
    pub matched_by: &'static str,
    pub score: Option<f64>,
}

impl Window {
    /// The releases published between `now - WINDOW - SKEW` and `now`.
    #[tracing::instrument(name = "pickups.window", skip_all, err(Debug, level = "debug"))]
    pub async fn load<C: ConnectionTrait>(
        conn: &C,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> AppResult<Self> {
        let rows: Vec<(Uuid, Option<DateTime<Utc>>, String, String)> = release::Entity::find()
            .select_only()
            .column(release::Column::Id)
            .column(release::Column::PublishedAt)
            .column(release::Column::Title)
            .column(release::Column::Summary)
            .filter(release::Column::PublishedAt.gte(now - WINDOW - SKEW))
            .filter(release::Column::PublishedAt.lte(now + SKEW))
            .filter(
                release::Column::Status.is_in([ReleaseStatus::Published, ReleaseStatus::Retracted]),
            )
            .into_tuple()
            .all(conn)
            .await?;
        Ok(Self::new(
            public_url,
            rows.into_iter()
                .filter_map(|(id, at, title, summary)| at.map(|at| (id, at, title, summary))),
        ))
    }

    pub fn new(
        public_url: &str,
        releases: impl IntoIterator<Item = (Uuid, DateTime<Utc>, String, String)>,
    ) -> Self {
        let mut published = HashMap::new();
        let mut docs = Vec::new();
        for (id, at, title, summary) in releases {
            published.insert(id, at);
            docs.push((id, format!("{title} {summary}")));
        }
        Self {
            published,
            index: Index::new(docs),
            link_prefix: format!("{}/releases/", public_url.trim_end_matches('/')),
        }
    }

    pub fn len(&self) -> usize {
        self.published.len()
    }

    pub fn is_empty(&self) -> bool {
        self.published.is_empty()
    }

    /// The releases `a` carried: those it links (first), then those its text matches, each
    /// published within the window before the article.
    pub fn matches(&self, a: &article::Model, raw: &str) -> Vec<Found> {
        let at = a.published_at.unwrap_or(a.fetched_at);
        let in_window = |id: &Uuid| {
            self.published
                .get(id)
                .is_some_and(|p| *p <= at + SKEW && *p >= at - WINDOW)
        };
        let mut out: Vec<Found> = Vec::new();
        for text in [a.url.as_str(), raw] {
            let mut rest = text;
            while let Some(i) = rest.find(&self.link_prefix) {
                rest = &rest[i + self.link_prefix.len()..];
                let id = rest.get(..36).and_then(|s| Uuid::parse_str(s).ok());
                if let Some(id) = id.filter(in_window) {
                    if !out.iter().any(|f| f.release_id == id) {
                        out.push(Found {
                            release_id: id,
                            matched_by: "link",
                            score: None,
                        });
                    }
                }
            }
        }
        let text = format!("{} {}", a.title, a.summary.as_deref().unwrap_or(""));
        for (id, score) in self.index.matches(&text, THRESHOLD) {
            if out.len() >= MAX_PER_ARTICLE {
                break;
            }
            if in_window(&id) && !out.iter().any(|f| f.release_id == id) {
                out.push(Found {
                    release_id: id,
                    matched_by: "text",
                    score: Some(f64::from(score)),
                });
            }
        }
        out.truncate(MAX_PER_ARTICLE);
        out
    }

    fn lag(&self, release_id: Uuid, a: &article::Model) -> Option<f64> {
        let p = self.published.get(&release_id)?;
        Some(minutes(*p, a.published_at.unwrap_or(a.fetched_at)))
    }
}

fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    ((to - from).num_seconds().max(0) as f64 / 60.0 * 10.0).round() / 10.0
}

/// Matches new articles and writes their pickups (a pair already recorded is left as it is);
/// returns how many were written.
#[tracing::instrument(skip_all, fields(articles = articles.len()), err(Debug, level = "debug"))]
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    window: &Window,
    articles: &[(article::Model, String)],
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut rows = Vec::new();
    for (a, raw) in articles {
        for f in window.matches(a, raw) {
            rows.push(pickup::ActiveModel {
                id: Set(Uuid::now_v7()),
                release_id: Set(f.release_id),
                article_id: Set(a.id),
                outlet_id: Set(a.outlet_id),
                matched_by: Set(f.matched_by.to_owned()),
                score: Set(f.score),
                lag_minutes: Set(window.lag(f.release_id, a)),
                declared_by: Set(None),
                created_at: Set(now),
            });
        }
    }
    let n = rows.len();
    for chunk in rows.chunks(300) {
        pickup::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([pickup::Column::ReleaseId, pickup::Column::ArticleId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    Ok(n)
}

/// A journalist says their outlet published the release at `url` (JOURNALIST of an outlet the
/// release reached). The article is the outlet's (found by its canonical URL, or recorded with
/// the URL as its title until the outlet's feed lists it); declaring twice changes nothing.
#[tracing::instrument(skip_all, fields(release = %release_id), err(Debug, level = "debug"))]
pub async fn declare(
    ctx: &AppContext,
    viewer: &Viewer,
    release_id: Uuid,
    url: &str,
) -> AppResult<(pickup::Model, article::Model, release::Model)> {
    let now = ctx.clock.now();
    let account = viewer.require_role(crate::enums::Role::Journalist)?;
    let outlet_id = viewer.press_outlet(now).ok_or_else(|| {
        AppError::forbidden("only a journalist of an accredited outlet may declare a pickup")
    })?;
    let r = releases::get_visible(ctx, viewer, release_id).await?;
    let reached = delivery::Entity::find()
        .filter(delivery::Column::ReleaseId.eq(release_id))
        .filter(delivery::Column::OutletId.eq(outlet_id))
        .filter(delivery::Column::Channel.eq(Channel::Live))
        .count(&ctx.db)
        .await?
        > 0;
    if !reached || !visibility::was_published(&r) {
        return Err(AppError::forbidden(
            "only an outlet the release reached may declare it carried",
        ));
    }
    let parsed = crate::outbound::check("url", url, true).await?;
    let canonical = super::parse::canonical(&parsed)
        .ok_or_else(|| AppError::bad_input("url", "is too long"))?;
    let key = format!("url:{canonical}");
    let txn = crate::db::begin_write(&ctx.db).await?;
    let existing = article::Entity::find()
        .filter(article::Column::OutletId.eq(outlet_id))
        .filter(article::Column::Key.eq(key.clone()))
        .one(&txn)
        .await?;
    let a = match existing {
        Some(a) => a,
        None => {
            let draft = super::parse::Draft {
                key,
                url: canonical.clone(),
                title: canonical.clone(),
                summary: None,
                published_at: None,
                raw: String::new(),
            };
            super::articles::store(&txn, outlet_id, None, vec![draft], now)
                .await?
                .pop()
                .map(|(a, _)| a)
                .ok_or_else(|| AppError::internal("the declared article was not stored"))?
        }
    };
    let published = r.published_at.unwrap_or(now);
    pickup::Entity::insert(pickup::ActiveModel {
        id: Set(Uuid::now_v7()),
        release_id: Set(release_id),
        article_id: Set(a.id),
        outlet_id: Set(outlet_id),
        matched_by: Set("declared".to_owned()),
        score: Set(None),
        // To the article's own time, as link and text pickups count (a new declared article
        // was fetched now).
        lag_minutes: Set(Some(minutes(
            published,
            a.published_at.unwrap_or(a.fetched_at),
        ))),
        declared_by: Set(Some(account.id)),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([pickup::Column::ReleaseId, pickup::Column::ArticleId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let p = pickup::Entity::find()
        .filter(pickup::Column::ReleaseId.eq(release_id))
        .filter(pickup::Column::ArticleId.eq(a.id))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::internal("the pickup was not stored"))?;
    audit::append(
        &txn,
        now,
        audit::Change::new(
            Some(account.id),
            "pickup.declare",
            "release",
            Some(release_id),
        )
        .details(json!({"outlet": outlet_id, "url": a.url, "article": a.id})),
    )
    .await?;
    txn.commit().await?;
    Ok((p, a, r))
}

/// A release's spread: the outlets it addressed, those that carried it, and each pickup.
pub struct Spread {
    pub addressed: i64,
    pub carried_by: i64,
    pub first_pickup_minutes: Option<f64>,
    pub pickups: Vec<pickup::Model>,
}

/// The spread of a release `viewer` may see the delivery log of (the unit, ADMIN, AUDITOR).
#[tracing::instrument(skip_all, fields(release = %r.id), err(Debug, level = "debug"))]
pub async fn spread(ctx: &AppContext, viewer: &Viewer, r: &release::Model) -> AppResult<Spread> {
    if !viewer.sees_unit(r.unit_id, ctx.clock.now()) {
        return Err(AppError::forbidden(
            "a release's spread is read by its unit and the authority",
        ));
    }
    let addressed = delivery::Entity::find()
        .filter(delivery::Column::ReleaseId.eq(r.id))
        .filter(delivery::Column::Channel.eq(Channel::Live))
        .count(&ctx.db)
        .await? as i64;
    let pickups = pickup::Entity::find()
        .filter(pickup::Column::ReleaseId.eq(r.id))
        .order_by_asc(pickup::Column::LagMinutes)
        .order_by_asc(pickup::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let mut outlets: Vec<Uuid> = pickups.iter().map(|p| p.outlet_id).collect();
    outlets.sort();
    outlets.dedup();
    Ok(Spread {
        addressed,
        carried_by: outlets.len() as i64,
        first_pickup_minutes: pickups
            .iter()
            .filter_map(|p| p.lag_minutes)
            .min_by(f64::total_cmp),
        pickups,
    })
}
