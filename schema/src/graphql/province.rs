//! The province of 2026 (issue 33): rule sets that change on a date, press cards that expire.
use super::context::{app, viewer};
use super::types::{
    CommunicationPlan, Journalist, LevelValueInput, Outlet, PlanItemInput, RegisterOutletInput,
    Reorganization, ReorganizeUnitsInput, RuleSet, RuleSetInput,
};
use crate::graphql::api_error::Result;
use crate::graphql::cost::{seen, Size};
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::services::rules::{self, NewRules};
use pressnet_domain::services::{outlet_mergers, plans, press_cards, reorganizations};
use uuid::Uuid;

#[derive(Default)]
pub struct ProvinceQuery;

#[Object]
impl ProvinceQuery {
    /// Every rule set, oldest first (signed in).
    #[graphql(complexity = "crate::graphql::cost::list(Size::RuleSets, child_complexity)")]
    async fn rule_sets(&self, ctx: &Context<'_>) -> Result<Vec<RuleSet>> {
        let app = app(ctx)?;
        viewer(ctx).signed_in()?;
        let book = rules::load(app, &app.db).await?;
        let list: Vec<RuleSet> = book.sets().cloned().map(RuleSet).collect();
        Ok(seen(Size::RuleSets, list))
    }

    /// Journalists whose press card has expired or expires within `withinDays`, soonest first
    /// (ADMIN, AUDITOR).
    #[graphql(complexity = "crate::graphql::cost::list(Size::Journalists, child_complexity)")]
    async fn press_cards_expiring(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] within_days: Option<i32>,
    ) -> Result<Vec<Journalist>> {
        let list = press_cards::expiring(app(ctx)?, viewer(ctx), within_days.unwrap_or(30)).await?;
        Ok(list.into_iter().map(Journalist).collect())
    }

    /// The press-management authority that runs this system (`PRESSNET_AUTHORITY_NAME`): it
    /// signs every e-mail and public page (public).
    async fn authority_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(app(ctx)?.settings.authority_name.clone())
    }

    /// Every reorganization, oldest first (public: who answers for a unit is public).
    #[graphql(complexity = "crate::graphql::cost::list(Size::Reorganizations, child_complexity)")]
    async fn reorganizations(&self, ctx: &Context<'_>) -> Result<Vec<Reorganization>> {
        let list = seen(
            Size::Reorganizations,
            reorganizations::list(app(ctx)?).await?,
        );
        Ok(list.into_iter().map(Reorganization).collect())
    }

    /// A unit's communication plan for a year, with what was done of it (the unit, ADMIN,
    /// AUDITOR); null when there is no such unit.
    async fn communication_plan(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
        year: i32,
    ) -> Result<Option<CommunicationPlan>> {
        match plans::get(app(ctx)?, viewer(ctx), unit_id, year).await? {
            Some(p) => Ok(Some(CommunicationPlan::load(ctx, p).await?)),
            None => Ok(None),
        }
    }

    /// The rule set in force at `at` (signed in).
    async fn rules_at(&self, ctx: &Context<'_>, at: DateTime<Utc>) -> Result<RuleSet> {
        let app = app(ctx)?;
        viewer(ctx).signed_in()?;
        Ok(RuleSet(rules::at(app, &app.db, at).await?))
    }
}

#[derive(Default)]
pub struct ProvinceMutation;

#[Object]
impl ProvinceMutation {
    /// Records a merger, split, rename or dissolution effective at a moment (ADMIN). Open
    /// questions and press reports of the ended units pass to the first successor with their
    /// due times; their spokespersons' terms end; their history stays their own.
    async fn reorganize_units(
        &self,
        ctx: &Context<'_>,
        input: ReorganizeUnitsInput,
    ) -> Result<Reorganization> {
        let r = reorganizations::reorganize(app(ctx)?, viewer(ctx), input.decision()).await?;
        Ok(Reorganization(r))
    }

    /// Merges outlets into a new one effective at a moment (ADMIN): journalists, feeds and
    /// webhook endpoints move to it, delivery history stays, accreditation carries over.
    async fn merge_outlets(
        &self,
        ctx: &Context<'_>,
        from_outlet_ids: Vec<Uuid>,
        into: RegisterOutletInput,
        effective_at: DateTime<Utc>,
        decision_ref: String,
    ) -> Result<Outlet> {
        let o = outlet_mergers::merge(
            app(ctx)?,
            viewer(ctx),
            from_outlet_ids,
            into.into(),
            effective_at,
            &decision_ref,
        )
        .await?;
        Ok(Outlet(o))
    }

    /// Writes the unit's plan for a year (the unit's spokesperson): an item whose title stays
    /// keeps its linked releases.
    async fn set_communication_plan(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
        year: i32,
        items: Vec<PlanItemInput>,
    ) -> Result<CommunicationPlan> {
        let items = items.into_iter().map(Into::into).collect();
        let p = plans::set(app(ctx)?, viewer(ctx), unit_id, year, items).await?;
        CommunicationPlan::load(ctx, p).await
    }

    /// Adds a rule set in force from `effectiveFrom`, which may not be in the past (ADMIN).
    async fn add_rule_set(&self, ctx: &Context<'_>, input: RuleSetInput) -> Result<RuleSet> {
        let new = NewRules {
            effective_from: input.effective_from,
            decision_ref: input.decision_ref,
            inquiry_due_hours: LevelValueInput::pairs(input.inquiry_due_hours),
            press_report_due_days: input.press_report_due_days,
            first_statement_hours: input.first_statement_hours,
            conferences_per_quarter: LevelValueInput::pairs(input.conferences_per_quarter),
            information_per_month: LevelValueInput::pairs(input.information_per_month),
            spokesperson_vacancy_days: input.spokesperson_vacancy_days,
        };
        Ok(RuleSet(rules::add(app(ctx)?, viewer(ctx), new).await?))
    }

    /// Records a renewed press card: its number and expiry (ADMIN). The journalist reads the
    /// press's releases again within a second.
    async fn set_press_card(
        &self,
        ctx: &Context<'_>,
        journalist_id: Uuid,
        press_card_number: String,
        expires_at: DateTime<Utc>,
    ) -> Result<Journalist> {
        let j = press_cards::set(
            app(ctx)?,
            viewer(ctx),
            journalist_id,
            &press_card_number,
            expires_at,
        )
        .await?;
        Ok(Journalist(j))
    }
}
