//! Article, Pickup and ReleaseSpread: what the press made of releases (issue 20).
use super::registry::Outlet;
use super::release::Release;
use crate::entities::{article, pickup, release};
use crate::error::AppError;
use crate::graphql::context::loaders;
use crate::services::monitoring::pickups::Spread;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
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
    async fn pickups(&self) -> Vec<Pickup> {
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
