//! Release, PressConference, Delivery, their stats and connections, and the feed item.
use super::registry::{Journalist, Outlet, Unit};
use crate::graphql::api_error::Result;
use crate::graphql::context::{app, loaders, viewer};
use crate::graphql::enums::{
    Channel, DeliveryStatus, OutletKind, OutletScope, ReleaseKind, ReleaseStatus, Visibility,
};
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{delivery, press_conference, release};
use pressnet_domain::error::AppError;
use pressnet_domain::services::conferences;
use pressnet_domain::services::deliveries::{stats_for, Stats};
use pressnet_domain::services::releases::{self, audience_of, topics_of, Audience};
use pressnet_domain::services::text::{release_html, render_off_runtime, RENDER_INLINE_BYTES};
use uuid::Uuid;

pub struct Release(pub release::Model);

#[Object]
impl Release {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        Unit::required(ctx, self.0.unit_id, "release without unit").await
    }
    async fn kind(&self) -> ReleaseKind {
        self.0.kind.into()
    }
    async fn status(&self) -> ReleaseStatus {
        self.0.status.into()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// Markdown.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// The body rendered from Markdown to HTML, with anything unsafe removed (and no remote
    /// images). Rendering costs: it counts as `cost::RENDER` in the query's complexity.
    /// Rendered once per distinct body (`text::release_html`); a long one not rendered yet is
    /// rendered on a blocking thread, off the runtime's workers.
    #[graphql(complexity = "super::super::cost::RENDER")]
    async fn body_html(&self) -> Result<String> {
        if self.0.body.len() <= RENDER_INLINE_BYTES {
            return Ok(release_html(&self.0.body).to_string());
        }
        let body = self.0.body.clone();
        let html = render_off_runtime(move || release_html(&body)).await?;
        Ok(html.to_string())
    }
    async fn topics(&self) -> Vec<String> {
        topics_of(&self.0)
    }
    /// The embargo: when a SCHEDULED release publishes.
    async fn publish_at(&self) -> Option<DateTime<Utc>> {
        self.0.publish_at
    }
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The release this one corrects (if the viewer may see it).
    async fn supersedes(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        let Some(id) = self.0.supersedes_id else {
            return Ok(None);
        };
        Ok(releases::get(app(ctx)?, viewer(ctx), id)
            .await?
            .map(Release))
    }
    /// The correction that superseded it, if any the viewer may see (the newest).
    async fn corrected_by(&self, ctx: &Context<'_>) -> Result<Option<Release>> {
        let found = loaders(ctx)?
            .corrections
            .load_one(self.0.id)
            .await
            .map_err(AppError::from)?
            .unwrap_or_default();
        for c in found {
            if let Some(r) = releases::get(app(ctx)?, viewer(ctx), c.id).await? {
                return Ok(Some(Release(r)));
            }
        }
        Ok(None)
    }
    /// Its source material, in order. Whoever sees the release sees its files' descriptions;
    /// the bytes are served at each `url` under the same rule.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Attachments, child_complexity)"
    )]
    async fn attachments(&self, ctx: &Context<'_>) -> Result<Vec<super::Attachment>> {
        Ok(loaders(ctx)?
            .attachments
            .load_one(self.0.id)
            .await
            .map_err(AppError::from)
            .map(|l| {
                crate::graphql::cost::seen(
                    crate::graphql::cost::Size::Attachments,
                    l.unwrap_or_default(),
                )
            })?
            .into_iter()
            .map(super::Attachment)
            .collect())
    }

    async fn press_conference(&self, ctx: &Context<'_>) -> Result<Option<PressConference>> {
        if self.0.kind != ReleaseKind::PressConference.into() {
            return Ok(None);
        }
        let pc = loaders(ctx)?
            .press_conference
            .load_one(self.0.id)
            .await
            .map_err(AppError::from)?;
        Ok(pc.map(|m| PressConference {
            model: m,
            unit_id: self.0.unit_id,
        }))
    }
    /// PUBLIC: anyone may read it once published; PRESS_ONLY: the outlets it reached.
    async fn visibility(&self) -> Visibility {
        if self.0.is_public {
            Visibility::Public
        } else {
            Visibility::PressOnly
        }
    }
    async fn retracted_at(&self) -> Option<DateTime<Utc>> {
        self.0.retracted_at
    }
    async fn retract_reason(&self) -> Option<&str> {
        self.0.retract_reason.as_deref()
    }
    /// Who the release is addressed to (the unit's spokespersons and the authority only).
    async fn audience(&self, ctx: &Context<'_>) -> Option<AudienceView> {
        let now = app(ctx).ok()?.clock.now();
        viewer(ctx)
            .sees_unit(self.0.unit_id, now)
            .then(|| AudienceView(audience_of(&self.0)))
    }
    /// How far the release spread: outlets addressed, outlets whose articles carried it, and
    /// each pickup (the unit, ADMIN, AUDITOR).
    async fn spread(&self, ctx: &Context<'_>) -> Result<super::ReleaseSpread> {
        let spread =
            pressnet_domain::services::monitoring::pickups::spread(app(ctx)?, viewer(ctx), &self.0)
                .await?;
        Ok(super::ReleaseSpread {
            spread,
            release: self.0.clone(),
        })
    }
    /// LIVE deliveries by status. The unit and the authority see every outlet; a journalist
    /// sees their own outlet's part.
    async fn delivery_stats(&self, ctx: &Context<'_>) -> Result<DeliveryStats> {
        let v = viewer(ctx);
        let now = app(ctx)?.clock.now();
        if v.sees_unit(self.0.unit_id, now) {
            let s = loaders(ctx)?
                .stats
                .load_one(self.0.id)
                .await
                .map_err(AppError::from)?;
            return Ok(DeliveryStats {
                stats: s.unwrap_or_default(),
                downloads_of: Some((self.0.id, None)),
            });
        }
        match v.press_outlet(now) {
            Some(o) => {
                let mut m = stats_for(&app(ctx)?.db, &[self.0.id], Some(o)).await?;
                Ok(DeliveryStats {
                    stats: m.remove(&self.0.id).unwrap_or_default(),
                    downloads_of: Some((self.0.id, Some(o))),
                })
            }
            None => Ok(DeliveryStats {
                stats: Stats::default(),
                downloads_of: None,
            }),
        }
    }
}

pub struct AudienceView(pub Audience);

#[Object(name = "Audience")]
impl AudienceView {
    async fn all_accredited(&self) -> bool {
        self.0.all_accredited
    }
    async fn outlet_ids(&self) -> &[Uuid] {
        &self.0.outlet_ids
    }
    async fn kinds(&self) -> Vec<OutletKind> {
        self.0.kinds.iter().map(|&k| k.into()).collect()
    }
    async fn scopes(&self) -> Vec<OutletScope> {
        self.0.scopes.iter().map(|&s| s.into()).collect()
    }
}

pub struct PressConference {
    pub model: press_conference::Model,
    pub unit_id: Uuid,
}

#[Object]
impl PressConference {
    async fn starts_at(&self) -> DateTime<Utc> {
        self.model.starts_at
    }
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.model.ends_at
    }
    async fn location(&self) -> &str {
        &self.model.location
    }
    async fn rsvp_deadline(&self) -> Option<DateTime<Utc>> {
        self.model.rsvp_deadline
    }
    async fn capacity(&self) -> Option<i32> {
        self.model.capacity
    }
    /// Journalists who said they will attend (visible to the unit, admins and auditors;
    /// empty for others).
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Attendees, child_complexity)"
    )]
    async fn attendees(&self, ctx: &Context<'_>) -> Result<Vec<Journalist>> {
        if !viewer(ctx).sees_unit(self.unit_id, app(ctx)?.clock.now()) {
            return Ok(Vec::new());
        }
        let list = conferences::attendees(app(ctx)?, self.model.release_id).await?;
        let list = crate::graphql::cost::seen(crate::graphql::cost::Size::Attendees, list);
        Ok(list.into_iter().map(Journalist).collect())
    }
    /// How many said they will attend.
    async fn attendee_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(conferences::attendees(app(ctx)?, self.model.release_id)
            .await?
            .len() as i32)
    }
    /// The signed-in journalist's answer, if any.
    async fn my_rsvp(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        let Some(jid) = viewer(ctx).account.as_deref().and_then(|a| a.journalist_id) else {
            return Ok(None);
        };
        Ok(conferences::my_rsvp(app(ctx)?, self.model.release_id, jid).await?)
    }
    /// iCalendar SEQUENCE of the invitation (counts updates).
    async fn sequence(&self) -> i32 {
        self.model.sequence
    }
}

pub struct DeliveryStats {
    stats: Stats,
    /// (release, outlet scope) of the download figures, read only if selected; `None`: the
    /// viewer sees none.
    downloads_of: Option<(Uuid, Option<Uuid>)>,
}

impl DeliveryStats {
    async fn download_figures(&self, ctx: &Context<'_>) -> Result<(i64, i64)> {
        let Some(key) = self.downloads_of else {
            return Ok((0, 0));
        };
        let v = loaders(ctx)?
            .downloads
            .load_one(key)
            .await
            .map_err(AppError::from)?;
        Ok(v.unwrap_or_default())
    }
}

#[Object]
impl DeliveryStats {
    async fn targeted(&self) -> i32 {
        self.stats.targeted as i32
    }
    async fn pending(&self) -> i32 {
        (self.stats.pending + self.stats.sent) as i32
    }
    async fn delivered(&self) -> i32 {
        self.stats.delivered as i32
    }
    async fn acknowledged(&self) -> i32 {
        self.stats.acknowledged as i32
    }
    async fn failed(&self) -> i32 {
        self.stats.failed as i32
    }
    /// Milliseconds between the first and the last outlet's live delivery: the evidence that
    /// no outlet received the release early. Null until one is delivered.
    async fn spread_ms(&self) -> Option<i64> {
        self.stats.spread_ms
    }
    /// Downloads of the release's files by journalists (a journalist sees their outlet's).
    async fn downloads(&self, ctx: &Context<'_>) -> Result<i32> {
        let (n, _) = self.download_figures(ctx).await?;
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
    /// How many outlets took the material: those with at least one download.
    async fn outlets_downloaded(&self, ctx: &Context<'_>) -> Result<i32> {
        let (_, outlets) = self.download_figures(ctx).await?;
        Ok(i32::try_from(outlets).unwrap_or(i32::MAX))
    }
}

pub struct Delivery(pub delivery::Model);

#[Object]
impl Delivery {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn release(&self, ctx: &Context<'_>) -> Result<Release> {
        let r = loaders(ctx)?
            .release
            .load_one(self.0.release_id)
            .await
            .map_err(AppError::from)?;
        Ok(Release(r.ok_or_else(|| {
            AppError::internal("delivery without release")
        })?))
    }
    async fn outlet(&self, ctx: &Context<'_>) -> Result<Outlet> {
        Outlet::required(ctx, self.0.outlet_id, "delivery without outlet").await
    }
    async fn channel(&self) -> Channel {
        self.0.channel.into()
    }
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// The address of an EMAIL delivery.
    async fn recipient(&self) -> Option<&str> {
        Some(self.0.recipient.as_str()).filter(|r| !r.is_empty())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
    async fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.0.acknowledged_at
    }
    /// LIVE: when the outlet, not having acknowledged in time, was sent the release again on
    /// its next channel (push, else the newsroom's e-mail).
    async fn escalated_at(&self) -> Option<DateTime<Utc>> {
        self.0.escalated_at
    }
    async fn acknowledged_by(&self, ctx: &Context<'_>) -> Result<Option<Journalist>> {
        let Some(j) = self.0.acknowledged_by else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .journalist
            .load_one(j)
            .await
            .map_err(AppError::from)?
            .map(Journalist))
    }
}

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

#[derive(SimpleObject)]
pub struct ReleaseEdge {
    pub cursor: String,
    pub node: Release,
}

#[derive(SimpleObject)]
pub struct ReleaseConnection {
    pub edges: Vec<ReleaseEdge>,
    pub page_info: PageInfo,
    pub total_count: i32,
}

#[derive(SimpleObject)]
pub struct DeliveryEdge {
    pub cursor: String,
    pub node: Delivery,
}

#[derive(SimpleObject)]
pub struct DeliveryConnection {
    pub edges: Vec<DeliveryEdge>,
    pub page_info: PageInfo,
    pub total_count: i32,
}

/// One item of a journalist's live feed; `cursor` is opaque and increases with each item.
#[derive(SimpleObject)]
pub struct FeedItem {
    pub cursor: String,
    pub release: Release,
}

#[derive(InputObject)]
pub struct AudienceInput {
    /// Every outlet accredited at publish time.
    pub all_accredited: Option<bool>,
    pub outlet_ids: Option<Vec<Uuid>>,
    pub kinds: Option<Vec<OutletKind>>,
    pub scopes: Option<Vec<OutletScope>>,
}

impl From<AudienceInput> for Audience {
    fn from(a: AudienceInput) -> Self {
        Audience {
            all_accredited: a.all_accredited.unwrap_or(false),
            outlet_ids: a.outlet_ids.unwrap_or_default(),
            kinds: a
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            scopes: a
                .scopes
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

#[derive(InputObject)]
pub struct PressConferenceInput {
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub location: String,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub capacity: Option<i32>,
}

impl From<PressConferenceInput> for pressnet_domain::services::releases::NewPressConference {
    fn from(p: PressConferenceInput) -> Self {
        Self {
            starts_at: p.starts_at,
            ends_at: p.ends_at,
            location: p.location,
            rsvp_deadline: p.rsvp_deadline,
            capacity: p.capacity,
        }
    }
}

#[derive(InputObject)]
pub struct CreateReleaseInput {
    pub unit_id: Uuid,
    pub kind: ReleaseKind,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topics: Option<Vec<String>>,
    pub audience: AudienceInput,
    pub press_conference: Option<PressConferenceInput>,
    /// For a CORRECTION: the release it corrects (its version counts up).
    pub supersedes_id: Option<Uuid>,
    /// Default: PUBLIC when addressed to every accredited outlet, else PRESS_ONLY.
    pub visibility: Option<Visibility>,
    /// The item of the unit's annual communication plan this release carries out.
    pub plan_item_id: Option<Uuid>,
}

/// Changes to a DRAFT or SCHEDULED release; a field left out stays as it is.
#[derive(InputObject)]
pub struct UpdateReleaseInput {
    pub kind: Option<ReleaseKind>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub topics: Option<Vec<String>>,
    pub audience: Option<AudienceInput>,
    pub visibility: Option<Visibility>,
    pub press_conference: Option<PressConferenceInput>,
}

impl From<UpdateReleaseInput> for pressnet_domain::services::drafts::ReleaseChanges {
    fn from(i: UpdateReleaseInput) -> Self {
        Self {
            kind: i.kind.map(Into::into),
            title: i.title,
            summary: i.summary,
            body: i.body,
            topics: i.topics,
            audience: i.audience.map(Into::into),
            visibility: i.visibility.map(Into::into),
            press_conference: i.press_conference.map(Into::into),
        }
    }
}

/// How far an audience reaches if a release is published to it now.
#[derive(SimpleObject)]
pub struct AudiencePreview {
    /// Accredited outlets it addresses.
    pub outlets: i32,
    /// Their journalists (the live feed).
    pub journalists: i32,
    /// Addresses publication would e-mail (newsrooms, journalists who chose e-mail for each
    /// release; suppressed addresses left out).
    pub email_recipients: i32,
}

impl From<pressnet_domain::services::drafts::Preview> for AudiencePreview {
    fn from(p: pressnet_domain::services::drafts::Preview) -> Self {
        let n = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
        Self {
            outlets: n(p.outlets),
            journalists: n(p.journalists),
            email_recipients: n(p.email_recipients),
        }
    }
}
