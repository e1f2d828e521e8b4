//! Press questions, the compliance report and the audit log.
use super::registry::{Account, Journalist, Outlet, Spokesperson, Unit};
use crate::graphql::api_error::Result;
use crate::graphql::context::{app, loaders};
use crate::graphql::enums::{AnswerRating, InquiryStatus};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{audit_event, inquiry};
use pressnet_domain::error::AppError;
use pressnet_domain::services::compliance;
use pressnet_domain::services::inquiries::is_overdue;
use uuid::Uuid;

pub struct Inquiry(pub inquiry::Model);

#[Object]
impl Inquiry {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        Unit::required(ctx, self.0.unit_id, "inquiry without unit").await
    }
    async fn outlet(&self, ctx: &Context<'_>) -> Result<Outlet> {
        Outlet::required(ctx, self.0.outlet_id, "inquiry without outlet").await
    }
    async fn journalist(&self, ctx: &Context<'_>) -> Result<Journalist> {
        let j = loaders(ctx)?
            .journalist
            .load_one(self.0.journalist_id)
            .await
            .map_err(AppError::from)?;
        Ok(Journalist(j.ok_or_else(|| {
            AppError::internal("inquiry without journalist")
        })?))
    }
    async fn question(&self) -> &str {
        &self.0.question
    }
    async fn status(&self) -> InquiryStatus {
        self.0.status.into()
    }
    async fn asked_at(&self) -> DateTime<Utc> {
        self.0.asked_at
    }
    async fn due_at(&self) -> DateTime<Utc> {
        self.0.due_at
    }
    /// Still open after its deadline (from the clock).
    async fn overdue(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(is_overdue(&self.0, app(ctx)?.clock.now()))
    }
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }
    /// When the unit answered or declined.
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }
    async fn answered_by(&self, ctx: &Context<'_>) -> Result<Option<Spokesperson>> {
        let Some(s) = self.0.answered_by else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .spokesperson
            .load_one(s)
            .await
            .map_err(AppError::from)?
            .map(Spokesperson))
    }
    async fn decline_reason(&self) -> Option<&str> {
        self.0.decline_reason.as_deref()
    }
    /// The asking journalist's rating of the answer.
    async fn rating(&self) -> Option<AnswerRating> {
        self.0.rating.map(Into::into)
    }
}

pub struct UnitCompliance(pub compliance::UnitCompliance);

#[Object]
impl UnitCompliance {
    async fn unit(&self) -> Unit {
        Unit(self.0.unit.clone())
    }
    async fn has_active_spokesperson(&self) -> bool {
        self.0.has_active_spokesperson
    }
    async fn releases_published(&self) -> i32 {
        self.0.releases_published as i32
    }
    async fn press_conferences_held(&self) -> i32 {
        self.0.press_conferences_held as i32
    }
    async fn press_conferences_required(&self) -> i32 {
        self.0.press_conferences_required as i32
    }
    async fn inquiries_received(&self) -> i32 {
        self.0.inquiries_received as i32
    }
    async fn inquiries_answered_on_time(&self) -> i32 {
        self.0.inquiries_answered_on_time as i32
    }
    /// Not answered by the deadline: still open past it, or answered late.
    async fn inquiries_overdue(&self) -> i32 {
        self.0.inquiries_overdue as i32
    }
    /// Releases of the period some outlet's article carried (a pickup).
    async fn releases_picked_up(&self) -> i32 {
        self.0.releases_picked_up as i32
    }
    async fn press_reports_received(&self) -> i32 {
        self.0.press_reports_received as i32
    }
    async fn press_reports_answered_on_time(&self) -> i32 {
        self.0.press_reports_answered_on_time as i32
    }
    /// Open past the deadline, or answered after it.
    async fn press_reports_overdue(&self) -> i32 {
        self.0.press_reports_overdue as i32
    }
    /// Complete months of the period below the rules' `informationPerMonth` (each month by
    /// the set in force at its start).
    async fn months_without_information(&self) -> i32 {
        self.0.months_without_information as i32
    }
    /// Whole days of the period (until now) with no spokesperson in office.
    async fn days_without_spokesperson(&self) -> i32 {
        self.0.days_without_spokesperson as i32
    }
    /// Items of the unit's plan due within the period and already past due.
    async fn plan_items_due(&self) -> i32 {
        self.0.plan_items_due as i32
    }
    /// Of those, items a published release carried out.
    async fn plan_items_done(&self) -> i32 {
        self.0.plan_items_done as i32
    }
    /// The part of the period the unit existed (a reorganization may end or start it within).
    async fn period_from(&self) -> DateTime<Utc> {
        self.0.part_from
    }
    async fn period_to(&self) -> DateTime<Utc> {
        self.0.part_to
    }
    async fn answers_unsatisfied(&self) -> i32 {
        self.0.answers_unsatisfied as i32
    }
    async fn median_response_hours(&self) -> Option<f64> {
        self.0.median_response_hours
    }
    /// Share of targeted (release, outlet) pairs delivered on some channel, 0..1 (1 when
    /// nothing was targeted).
    async fn delivery_coverage(&self) -> f64 {
        self.0.delivery_coverage
    }
    /// Targeted (release, outlet) pairs in the period.
    async fn targeted_pairs(&self) -> i32 {
        self.0.targeted_pairs as i32
    }
    /// Largest spread between the first and last outlet's live delivery of one release.
    async fn max_delivery_spread_ms(&self) -> Option<i64> {
        self.0.max_delivery_spread_ms
    }
    /// Falls short of the rules: no spokesperson, too few press conferences, overdue
    /// questions, or coverage under 95 %.
    async fn needs_attention(&self) -> bool {
        self.0.needs_attention()
    }
}

/// One event of the audit chain, with every field its hash covers.
pub struct AuditEvent {
    pub event: audit_event::Model,
    /// The previous event's hash ("" for the first).
    pub prev_hash: String,
}

#[Object]
impl AuditEvent {
    async fn id(&self) -> Uuid {
        self.event.id
    }
    async fn seq(&self) -> i32 {
        self.event.seq as i32
    }
    async fn at(&self) -> DateTime<Utc> {
        self.event.at
    }
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
        let Some(a) = self.event.actor_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .account
            .load_one(a)
            .await
            .map_err(AppError::from)?
            .map(Account))
    }
    /// The acting account's id as hashed, also when that account is gone.
    async fn actor_id(&self) -> Option<Uuid> {
        self.event.actor_id
    }
    async fn action(&self) -> &str {
        &self.event.action
    }
    async fn entity(&self) -> &str {
        &self.event.entity
    }
    async fn entity_id(&self) -> Option<Uuid> {
        self.event.entity_id
    }
    /// The change, as canonical JSON.
    async fn details(&self) -> &str {
        &self.event.details
    }
    /// The previous event's hash ("" for the first event): with this event's fields it gives
    /// `hash` (see the README's "The audit log and signed checkpoints").
    async fn prev_hash(&self) -> &str {
        &self.prev_hash
    }
    async fn hash(&self) -> &str {
        &self.event.hash
    }
}

#[derive(SimpleObject)]
pub struct AuditVerification {
    pub ok: bool,
    pub events_checked: i32,
    pub first_bad_seq: Option<i32>,
}

impl From<pressnet_domain::services::audit::Verification> for AuditVerification {
    fn from(v: pressnet_domain::services::audit::Verification) -> Self {
        Self {
            ok: v.ok,
            events_checked: v.events_checked as i32,
            first_bad_seq: v.first_bad_seq.map(|s| s as i32),
        }
    }
}

/// The audit chain's head, signed with the server's Ed25519 key. The signature covers the
/// text "{seq}\n{hash}\n{at}" (`at` in RFC 3339 UTC, whole seconds).
#[derive(SimpleObject)]
pub struct AuditCheckpoint {
    pub seq: i32,
    pub hash: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Base64 of the Ed25519 signature.
    pub signature: String,
    /// The verifying key, PEM (SubjectPublicKeyInfo).
    pub public_key: String,
}

#[derive(async_graphql::InputObject)]
pub struct AuditCheckpointInput {
    pub seq: i32,
    pub hash: String,
}
