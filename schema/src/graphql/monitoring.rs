//! The monitoring area's queries and mutations (issue 20): outlets' feeds, their articles,
//! pickups.
use super::context::{app, viewer};
use super::types::{Article, MentionAlert, Outlet, Pickup, PressReport, PressReportSuggestion};
use crate::graphql::api_error::Result;
use crate::graphql::enums::PressReportStatus;
use async_graphql::{Context, Object};
use pressnet_domain::services::monitoring::{
    alerts, articles, pickups, poll, press_reports, sources,
};
use uuid::Uuid;

#[derive(Default)]
pub struct MonitoringQuery;

#[Object]
impl MonitoringQuery {
    /// Outlets' articles, newest first (ADMIN, AUDITOR, SPOKESPERSON): `search` is
    /// accent-insensitive; `unitId` keeps those that name the unit or carried its releases.
    #[graphql(complexity = "crate::graphql::cost::page(first, 20, child_complexity)")]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
        outlet_id: Option<Uuid>,
        unit_id: Option<Uuid>,
        #[graphql(default = 20)] first: Option<i32>,
    ) -> Result<Vec<Article>> {
        let list = articles::list(
            app(ctx)?,
            viewer(ctx),
            search.as_deref(),
            outlet_id,
            unit_id,
            first.unwrap_or(20),
        )
        .await?;
        Ok(list.into_iter().map(Article).collect())
    }

    /// Units named in far more articles than usual (ADMIN, AUDITOR), newest first: more on
    /// one day than three times the unit's daily mean over the fourteen days before.
    #[graphql(complexity = "crate::graphql::cost::page(first, 20, child_complexity)")]
    async fn mention_alerts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
    ) -> Result<Vec<MentionAlert>> {
        let list = alerts::list(app(ctx)?, viewer(ctx), first.unwrap_or(20)).await?;
        Ok(list.into_iter().map(MentionAlert).collect())
    }

    /// Recent articles that name a unit without carrying one of its releases and are not yet
    /// a press report for it (ADMIN, AUDITOR), newest first: candidates for `raisePressReport`.
    #[graphql(complexity = "crate::graphql::cost::page(first, 20, child_complexity)")]
    async fn press_report_suggestions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
    ) -> Result<Vec<PressReportSuggestion>> {
        let list = press_reports::suggestions(app(ctx)?, viewer(ctx), first.unwrap_or(20)).await?;
        Ok(list
            .into_iter()
            .map(|(article, unit_id)| PressReportSuggestion { article, unit_id })
            .collect())
    }

    /// Press reports, newest first: ADMIN and AUDITOR any unit's, a spokesperson their own.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::PressReports, child_complexity)"
    )]
    async fn press_reports(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        status: Option<PressReportStatus>,
        overdue_only: Option<bool>,
    ) -> Result<Vec<PressReport>> {
        let list = press_reports::list(
            app(ctx)?,
            viewer(ctx),
            unit_id,
            status.map(Into::into),
            overdue_only.unwrap_or(false),
        )
        .await?;
        let list = crate::graphql::cost::seen(crate::graphql::cost::Size::PressReports, list);
        Ok(list.into_iter().map(PressReport).collect())
    }
}

#[derive(Default)]
pub struct MonitoringMutation;

#[Object]
impl MonitoringMutation {
    /// Sets the outlet's own feeds pressnet watches (ADMIN).
    async fn set_outlet_feeds(
        &self,
        ctx: &Context<'_>,
        outlet_id: Uuid,
        urls: Vec<String>,
    ) -> Result<Outlet> {
        Ok(Outlet(
            sources::set(app(ctx)?, viewer(ctx), outlet_id, &urls).await?,
        ))
    }

    /// Polls every feed now (ADMIN); the number of new articles.
    async fn poll_outlet_feeds(&self, ctx: &Context<'_>) -> Result<i32> {
        let n = poll::poll_now(app(ctx)?, viewer(ctx)).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// Says the journalist's outlet published the release at `url` (JOURNALIST of an outlet
    /// the release reached).
    async fn declare_pickup(
        &self,
        ctx: &Context<'_>,
        release_id: Uuid,
        url: String,
    ) -> Result<Pickup> {
        let (model, _, release) =
            pickups::declare(app(ctx)?, viewer(ctx), release_id, &url).await?;
        Ok(Pickup { model, release })
    }

    /// Marks an article as a press report the unit must respond to (ADMIN).
    async fn raise_press_report(
        &self,
        ctx: &Context<'_>,
        article_id: Uuid,
        unit_id: Uuid,
        note: Option<String>,
    ) -> Result<PressReport> {
        Ok(PressReport(
            press_reports::raise(app(ctx)?, viewer(ctx), article_id, unit_id, note.as_deref())
                .await?,
        ))
    }

    /// The unit's response (its active SPOKESPERSON), optionally linked to a STATEMENT or
    /// CORRECTION it published.
    async fn respond_to_press_report(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        response: String,
        release_id: Option<Uuid>,
    ) -> Result<PressReport> {
        Ok(PressReport(
            press_reports::respond(app(ctx)?, viewer(ctx), id, &response, release_id).await?,
        ))
    }
}
