//! Article, Pickup and ReleaseSpread: what the press made of releases (issue 20).
use super::registry::Outlet;
use super::registry::Unit;
use super::release::Release;
use crate::graphql::api_error::Result;
use crate::graphql::context::{app, loaders, viewer};
use crate::graphql::enums::PressReportStatus;
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{article, mention_alert, pickup, press_report, release};
use pressnet_domain::error::AppError;
use pressnet_domain::services::monitoring::pickups::Spread;
use uuid::Uuid;

pub struct Article(pub article::Model);

impl Article {
    pub async fn by_id(ctx: &Context<'_>, id: Uuid) -> Result<Article> {
        let a = loaders(ctx)?
            .article
            .load_one(id)
            .await
            .map_err(AppError::from)?;
        Ok(Article(a.ok_or_else(|| {
            AppError::internal("pickup without article")
        })?))
    }
}

#[Object]
impl Article {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn outlet(&self, ctx: &Context<'_>) -> Result<Outlet> {
        Outlet::required(ctx, self.0.outlet_id, "article without outlet").await
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
    /// When the outlet says it published the article (its feed's date), if it said.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// When pressnet first saw it.
    async fn fetched_at(&self) -> DateTime<Utc> {
        self.0.fetched_at
    }
}

/// A pickup, read through a release the viewer may see (its `release` is that release).
pub struct Pickup {
    pub model: pickup::Model,
    pub release: release::Model,
}

#[Object]
impl Pickup {
    async fn article(&self, ctx: &Context<'_>) -> Result<Article> {
        Article::by_id(ctx, self.model.article_id).await
    }
    async fn release(&self) -> Release {
        Release(self.release.clone())
    }
    /// `link` (the article links the release's page), `text` (its title and summary read
    /// like the release's) or `declared` (a journalist of the outlet said so).
    async fn matched_by(&self) -> &str {
        &self.model.matched_by
    }
    /// Minutes from the release's publication to the article's.
    async fn lag_minutes(&self) -> Option<f64> {
        self.model.lag_minutes
    }
}

pub struct ReleaseSpread {
    pub spread: Spread,
    pub release: release::Model,
}

#[Object]
impl ReleaseSpread {
    /// Outlets the release was addressed to.
    async fn addressed(&self) -> i32 {
        i32::try_from(self.spread.addressed).unwrap_or(i32::MAX)
    }
    /// Outlets that carried it (at least one pickup).
    async fn carried_by(&self) -> i32 {
        i32::try_from(self.spread.carried_by).unwrap_or(i32::MAX)
    }
    async fn first_pickup_minutes(&self) -> Option<f64> {
        self.spread.first_pickup_minutes
    }
    /// Every pickup, first first.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Pickups, child_complexity)"
    )]
    async fn pickups(&self) -> Vec<Pickup> {
        crate::graphql::cost::observe(
            crate::graphql::cost::Size::Pickups,
            self.spread.pickups.len(),
        );
        self.spread
            .pickups
            .iter()
            .map(|p| Pickup {
                model: p.clone(),
                release: self.release.clone(),
            })
            .collect()
    }
}

pub struct PressReport(pub press_report::Model);

#[Object]
impl PressReport {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn article(&self, ctx: &Context<'_>) -> Result<Article> {
        Article::by_id(ctx, self.0.article_id).await
    }
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        Unit::required(ctx, self.0.unit_id, "press report without unit").await
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn status(&self) -> PressReportStatus {
        self.0.status.into()
    }
    async fn raised_at(&self) -> DateTime<Utc> {
        self.0.raised_at
    }
    async fn due_at(&self) -> DateTime<Utc> {
        self.0.due_at
    }
    /// Open past its deadline.
    async fn overdue(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(
            pressnet_domain::services::monitoring::press_reports::overdue(
                &self.0,
                app(ctx)?.clock.now(),
            ),
        )
    }
    async fn response(&self) -> Option<&str> {
        self.0.response.as_deref()
    }
    async fn responded_at(&self) -> Option<DateTime<Utc>> {
        self.0.responded_at
    }
    /// The STATEMENT or CORRECTION the unit linked, when the viewer may see it.
    async fn response_release(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        let Some(id) = self.0.response_release_id else {
            return Ok(None);
        };
        let r = pressnet_domain::services::releases::get(app(ctx)?, viewer(ctx), id).await?;
        Ok(r.map(Release))
    }
}

/// A unit named in more articles on one day than three times its daily mean over the
/// fourteen days before.
pub struct MentionAlert(pub mention_alert::Model);

#[Object]
impl MentionAlert {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        Unit::required(ctx, self.0.unit_id, "mention alert without unit").await
    }
    /// The province's calendar day (UTC+7), `YYYY-MM-DD`.
    async fn day(&self) -> String {
        self.0.day.format("%Y-%m-%d").to_string()
    }
    /// Articles naming the unit that day, at the last count.
    async fn mentions(&self) -> i32 {
        self.0.mentions
    }
    /// Articles per day naming the unit over the fourteen days before.
    async fn daily_mean(&self) -> f64 {
        self.0.daily_mean
    }
    async fn raised_at(&self) -> DateTime<Utc> {
        self.0.raised_at
    }
}

/// An article that names a unit without carrying one of its releases: perhaps a press report.
pub struct PressReportSuggestion {
    pub article: article::Model,
    pub unit_id: Uuid,
}

#[Object]
impl PressReportSuggestion {
    async fn article(&self) -> Article {
        Article(self.article.clone())
    }
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        Unit::required(ctx, self.unit_id, "suggestion without unit").await
    }
}
