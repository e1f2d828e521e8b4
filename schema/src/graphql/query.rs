//! The query root, merged from one object per area.
use super::context::{app, viewer};
use super::types::*;
use crate::graphql::api_error::Result;
use crate::graphql::enums::{
    AccreditationStatus, Channel, DeliveryStatus, InquiryStatus, ReleaseKind, ReleaseStatus,
};
use async_graphql::{Context, MergedObject, Object};
use pressnet_domain::entities::account;
use pressnet_domain::error::AppError;
use pressnet_domain::services::{deliveries, page, registry, releases};
use sea_orm::EntityTrait;
use uuid::Uuid;

#[derive(MergedObject, Default)]
pub struct Query(
    RegistryQuery,
    ReleaseQuery,
    EmailQuery,
    AuthorityQuery,
    super::monitoring::MonitoringQuery,
    super::received::ReceivedQuery,
    super::sessions::SessionQuery,
    super::province::ProvinceQuery,
);

#[derive(Default)]
pub struct RegistryQuery;

#[Object]
impl RegistryQuery {
    /// The set-password link of an invitation not yet e-mailed (the e-mail channel is off, or
    /// the message still waits), for the administrator to pass on by hand; null once it was
    /// sent, taken or has expired (ADMIN).
    async fn invitation_link(&self, ctx: &Context<'_>, email: String) -> Result<Option<String>> {
        if email.len() > 254 {
            return Err(AppError::bad_input("email", "at most 254 characters").into());
        }
        Ok(pressnet_domain::services::accounts::unsent_invitation_link(
            app(ctx)?,
            viewer(ctx),
            &email,
        )
        .await?)
    }

    /// An outlet's webhook endpoints (ADMIN), without their secrets.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Endpoints, child_complexity)"
    )]
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        outlet_id: Uuid,
    ) -> Result<Vec<WebhookEndpoint>> {
        let list =
            pressnet_domain::services::webhooks::list(app(ctx)?, viewer(ctx), outlet_id).await?;
        let list = crate::graphql::cost::seen(crate::graphql::cost::Size::Endpoints, list);
        Ok(list.into_iter().map(WebhookEndpoint).collect())
    }

    /// The VAPID public key (RFC 8292) browsers subscribe to Web Push with: base64url of the
    /// uncompressed P-256 point.
    async fn vapid_public_key(&self, ctx: &Context<'_>) -> Result<String> {
        pressnet_domain::services::channels::push::public_key(app(ctx)?).ok_or_else(|| {
            AppError::unavailable(
                "Web Push is not available on this server",
                "no audit key to derive the VAPID key from",
            )
            .into()
        })
    }

    /// How many push devices the signed-in account has subscribed.
    async fn push_device_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(pressnet_domain::services::push_devices::count(app(ctx)?, viewer(ctx)).await? as i32)
    }

    /// The signed-in account; null when not signed in.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
        let Some(a) = viewer(ctx).account.as_deref() else {
            return Ok(None);
        };
        let model = account::Entity::find_by_id(a.id)
            .one(&app(ctx)?.db)
            .await
            .map_err(AppError::from)?;
        Ok(model.map(Account))
    }

    /// Every unit (public).
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Units, child_complexity)"
    )]
    /// Units, active ones only unless `includeEnded` (a reorganization ended the others).
    async fn units(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(false)")] include_ended: Option<bool>,
    ) -> Result<Vec<Unit>> {
        let app = app(ctx)?;
        let now = app.clock.now();
        let all = registry::units(app).await?;
        let list = crate::graphql::cost::seen(
            crate::graphql::cost::Size::Units,
            all.into_iter()
                .filter(|u| include_ended.unwrap_or(false) || u.active_at(now))
                .collect(),
        );
        Ok(list.into_iter().map(Unit).collect())
    }

    async fn unit(&self, ctx: &Context<'_>, id: Uuid) -> Result<Option<Unit>> {
        Ok(registry::unit(app(ctx)?, id).await?.map(Unit))
    }

    /// The public roster of active spokespersons: no token needed.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Roster, child_complexity)"
    )]
    async fn spokesperson_roster(&self, ctx: &Context<'_>) -> Result<Vec<Spokesperson>> {
        let list = crate::graphql::cost::seen(
            crate::graphql::cost::Size::Roster,
            registry::roster(app(ctx)?).await?,
        );
        Ok(list.into_iter().map(Spokesperson).collect())
    }

    /// Outlets, optionally by effective accreditation (signed-in users).
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Outlets, child_complexity)"
    )]
    async fn outlets(
        &self,
        ctx: &Context<'_>,
        accreditation: Option<AccreditationStatus>,
    ) -> Result<Vec<Outlet>> {
        let list = registry::outlets(app(ctx)?, viewer(ctx), accreditation.map(Into::into)).await?;
        let list = crate::graphql::cost::seen(crate::graphql::cost::Size::Outlets, list);
        Ok(list.into_iter().map(Outlet).collect())
    }
}

#[derive(Default)]
pub struct ReleaseQuery;

fn page_info<T>(page: &page::Page<T>) -> PageInfo {
    PageInfo {
        has_next_page: page.has_next,
        end_cursor: page.items.last().map(|(c, _)| c.clone()),
    }
}

#[Object]
impl ReleaseQuery {
    /// How many outlets, journalists and e-mail recipients an audience reaches now (the
    /// unit's active spokespersons, while writing a release).
    async fn audience_preview(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
        audience: AudienceInput,
    ) -> Result<AudiencePreview> {
        Ok(pressnet_domain::services::drafts::preview(
            app(ctx)?,
            viewer(ctx),
            unit_id,
            &audience.into(),
        )
        .await?
        .into())
    }

    /// Who downloaded a release's files (the unit, ADMIN, AUDITOR).
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Downloads, child_complexity)"
    )]
    async fn downloads(&self, ctx: &Context<'_>, release_id: Uuid) -> Result<Vec<Download>> {
        Ok(crate::graphql::cost::seen(
            crate::graphql::cost::Size::Downloads,
            pressnet_domain::services::attachments::downloads(app(ctx)?, viewer(ctx), release_id)
                .await?,
        )
        .into_iter()
        .map(Download)
        .collect())
    }

    /// A body's Markdown rendered as the release page shows it (the editor's preview).
    /// Priced by its length (`cost::render`), and rendered on a blocking thread, so no
    /// number of previews holds up the runtime's workers.
    #[graphql(complexity = "crate::graphql::cost::render(&markdown)")]
    async fn render_markdown(&self, ctx: &Context<'_>, markdown: String) -> Result<String> {
        let v = viewer(ctx).clone();
        // Refused before it queues for a rendering slot.
        v.signed_in()?;
        let html = pressnet_domain::services::text::render_off_runtime(move || {
            pressnet_domain::services::drafts::render_preview(&v, &markdown)
        })
        .await??;
        Ok(html)
    }

    /// One release, if the viewer may see it (null otherwise, also before its publication).
    async fn release(&self, ctx: &Context<'_>, id: Uuid) -> Result<Option<Release>> {
        Ok(releases::get(app(ctx)?, viewer(ctx), id)
            .await?
            .map(Release))
    }

    /// Releases the viewer may see, newest first. `search` ignores case and diacritics.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::cost::page(first, 20, child_complexity)")]
    async fn releases(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        kind: Option<ReleaseKind>,
        status: Option<ReleaseStatus>,
        search: Option<String>,
        #[graphql(default_with = "Some(20)")] first: Option<i32>,
        after: Option<String>,
    ) -> Result<ReleaseConnection> {
        let filter = releases::ReleaseFilter {
            unit_id,
            kind: kind.map(Into::into),
            status: status.map(Into::into),
            search,
        };
        let page = releases::list(
            app(ctx)?,
            viewer(ctx),
            filter,
            first.unwrap_or(20),
            after.as_deref(),
        )
        .await?;
        let info = page_info(&page);
        Ok(ReleaseConnection {
            total_count: page.total as i32,
            edges: page
                .items
                .into_iter()
                .map(|(cursor, r)| ReleaseEdge {
                    cursor,
                    node: Release(r),
                })
                .collect(),
            page_info: info,
        })
    }

    /// The delivery log, in the order rows were written. A journalist sees their outlet's
    /// rows, a spokesperson their unit's releases', the authority all.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::cost::page(first, 50, child_complexity)")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        release_id: Option<Uuid>,
        outlet_id: Option<Uuid>,
        channel: Option<Channel>,
        status: Option<DeliveryStatus>,
        #[graphql(default_with = "Some(50)")] first: Option<i32>,
        after: Option<String>,
    ) -> Result<DeliveryConnection> {
        let f = deliveries::DeliveryFilter {
            release_id,
            outlet_id,
            channel: channel.map(Into::into),
            status: status.map(Into::into),
        };
        let page = deliveries::list(
            app(ctx)?,
            viewer(ctx),
            f,
            first.unwrap_or(50),
            after.as_deref(),
        )
        .await?;
        let info = page_info(&page);
        Ok(DeliveryConnection {
            total_count: page.total as i32,
            edges: page
                .items
                .into_iter()
                .map(|(cursor, d)| DeliveryEdge {
                    cursor,
                    node: Delivery(d),
                })
                .collect(),
            page_info: info,
        })
    }
}

#[derive(Default)]
pub struct EmailQuery;

#[Object]
impl EmailQuery {
    /// The signed-in journalist's e-mail mode and follows.
    async fn my_subscription(&self, ctx: &Context<'_>) -> Result<JournalistSubscription> {
        Ok(JournalistSubscription(
            pressnet_domain::services::subscriptions::mine(app(ctx)?, viewer(ctx)).await?,
        ))
    }

    /// Addresses that bounced permanently (ADMIN, AUDITOR).
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Suppressions, child_complexity)"
    )]
    async fn email_suppressions(&self, ctx: &Context<'_>) -> Result<Vec<EmailSuppression>> {
        let rows = pressnet_domain::services::outbox::suppressions(app(ctx)?, viewer(ctx)).await?;
        let rows = crate::graphql::cost::seen(crate::graphql::cost::Size::Suppressions, rows);
        Ok(rows.into_iter().map(EmailSuppression::from).collect())
    }
}

#[derive(Default)]
pub struct AuthorityQuery;

#[Object]
impl AuthorityQuery {
    /// Press questions: a journalist sees their own, a spokesperson their unit's, the
    /// authority all.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Inquiries, child_complexity)"
    )]
    async fn inquiries(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        status: Option<InquiryStatus>,
        overdue_only: Option<bool>,
    ) -> Result<Vec<Inquiry>> {
        let list = pressnet_domain::services::inquiries::list(
            app(ctx)?,
            viewer(ctx),
            unit_id,
            status.map(Into::into),
            overdue_only.unwrap_or(false),
        )
        .await?;
        let list = crate::graphql::cost::seen(crate::graphql::cost::Size::Inquiries, list);
        Ok(list.into_iter().map(Inquiry).collect())
    }

    /// One row per unit over [from, to) (ADMIN, AUDITOR).
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Units, child_complexity)"
    )]
    async fn compliance_report(
        &self,
        ctx: &Context<'_>,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<UnitCompliance>> {
        let rows =
            pressnet_domain::services::compliance::report(app(ctx)?, viewer(ctx), from, to).await?;
        let rows = crate::graphql::cost::seen(crate::graphql::cost::Size::Units, rows);
        Ok(rows.into_iter().map(UnitCompliance).collect())
    }

    /// The audit log (ADMIN, AUDITOR), oldest first unless `newestFirst`; `after` is the last
    /// `seq` seen. The filters apply to the whole log: by actor, by action (`release.publish`,
    /// or a family such as `release`), by unit (the unit, its releases, spokespersons,
    /// questions and press reports), and by period (`from` inclusive, `to` exclusive).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::cost::page(first, 50, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(50)")] first: Option<i32>,
        after: Option<String>,
        actor_id: Option<Uuid>,
        action: Option<String>,
        unit_id: Option<Uuid>,
        from: Option<chrono::DateTime<chrono::Utc>>,
        to: Option<chrono::DateTime<chrono::Utc>>,
        #[graphql(default_with = "Some(false)")] newest_first: Option<bool>,
    ) -> Result<Vec<AuditEvent>> {
        viewer(ctx).require_reads_all()?;
        let first = page::page_size(first.unwrap_or(50))?;
        let after = after
            .map(|a| {
                a.parse::<i64>()
                    .map_err(|_| AppError::bad_input("after", "not a sequence number"))
            })
            .transpose()?;
        if action.as_ref().is_some_and(|a| a.len() > 100) {
            return Err(AppError::bad_input("action", "at most 100 characters").into());
        }
        let filter = pressnet_domain::services::audit::AuditFilter {
            actor_id,
            action,
            unit_id,
            from,
            to,
            newest_first: newest_first.unwrap_or(false),
        };
        let rows = pressnet_domain::services::audit::page(app(ctx)?, &filter, first, after).await?;
        Ok(rows
            .into_iter()
            .map(|(event, prev_hash)| AuditEvent { event, prev_hash })
            .collect())
    }

    /// Recomputes the hash chain (ADMIN, AUDITOR).
    async fn verify_audit_log(&self, ctx: &Context<'_>) -> Result<AuditVerification> {
        viewer(ctx).require_reads_all()?;
        Ok(pressnet_domain::services::audit::verify(app(ctx)?)
            .await?
            .into())
    }

    /// The chain's head, signed (ADMIN, AUDITOR): keep it, and later prove with
    /// `verifyAuditLogAgainst` that nothing up to it was cut or rewritten.
    async fn audit_checkpoint(&self, ctx: &Context<'_>) -> Result<AuditCheckpoint> {
        viewer(ctx).require_reads_all()?;
        let c = pressnet_domain::services::audit_seal::checkpoint(app(ctx)?).await?;
        Ok(AuditCheckpoint {
            seq: c.seq as i32,
            hash: c.hash,
            at: c.at,
            signature: c.signature,
            public_key: c.public_key,
        })
    }

    /// Recomputes the chain and checks that it still holds a kept checkpoint (ADMIN, AUDITOR).
    async fn verify_audit_log_against(
        &self,
        ctx: &Context<'_>,
        checkpoint: AuditCheckpointInput,
    ) -> Result<AuditVerification> {
        viewer(ctx).require_reads_all()?;
        let v = pressnet_domain::services::audit_seal::verify_against(
            app(ctx)?,
            i64::from(checkpoint.seq),
            &checkpoint.hash,
        )
        .await?;
        Ok(v.into())
    }
}
