//! The mutation root, merged from one object per area.
use super::context::{app, viewer, BearerToken, UserAgent};
use super::types::*;
use crate::graphql::api_error::Result;
use crate::graphql::enums::{AccreditationStatus, AnswerRating, EmailMode};
use async_graphql::{Context, MergedObject, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::services::{
    accounts, conferences, deliveries, drafts, publishing, registry, releases, subscriptions,
};
use uuid::Uuid;

#[derive(MergedObject, Default)]
pub struct Mutation(
    AccountMutation,
    RegistryMutation,
    ReleaseMutation,
    ConferenceMutation,
    EmailMutation,
    InquiryMutation,
    AttachmentMutation,
    super::monitoring::MonitoringMutation,
    super::sessions::SessionMutation,
    super::province::ProvinceMutation,
);

#[derive(Default)]
pub struct AttachmentMutation;

#[Object]
impl AttachmentMutation {
    /// Adds a file to a DRAFT or SCHEDULED release (its unit's spokesperson), by the GraphQL
    /// multipart request specification. Its type is sniffed from its bytes; images lose their
    /// EXIF (and GPS) and get a thumbnail and a web rendition.
    async fn add_attachment(
        &self,
        ctx: &Context<'_>,
        release_id: Uuid,
        file: async_graphql::Upload,
        caption: Option<String>,
        credit: Option<String>,
    ) -> Result<Attachment> {
        let value = file.value(ctx).map_err(|_| {
            pressnet_domain::error::AppError::bad_input("file", "the upload was not received")
        })?;
        let upload = pressnet_domain::services::attachments::Upload {
            filename: value.filename,
            file: value.content,
            caption,
            credit,
        };
        Ok(Attachment(
            pressnet_domain::services::attachments::add(app(ctx)?, viewer(ctx), release_id, upload)
                .await?,
        ))
    }

    /// Removes a file before publication.
    async fn remove_attachment(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        Ok(pressnet_domain::services::attachments::remove(app(ctx)?, viewer(ctx), id).await?)
    }

    /// Changes a file's caption and credit before publication (null or empty clears them).
    async fn update_attachment(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        caption: Option<String>,
        credit: Option<String>,
    ) -> Result<Attachment> {
        let a = pressnet_domain::services::attachments::describe(
            app(ctx)?,
            viewer(ctx),
            id,
            caption.as_deref(),
            credit.as_deref(),
        )
        .await?;
        Ok(Attachment(a))
    }

    /// Orders a release's files before publication: `ids` lists every one of them once.
    async fn reorder_attachments(
        &self,
        ctx: &Context<'_>,
        release_id: Uuid,
        ids: Vec<Uuid>,
    ) -> Result<Vec<Attachment>> {
        let list = pressnet_domain::services::attachments::reorder(
            app(ctx)?,
            viewer(ctx),
            release_id,
            &ids,
        )
        .await?;
        Ok(list.into_iter().map(Attachment).collect())
    }
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs in; the token goes in `Authorization: Bearer <token>`.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<AuthPayload> {
        let v = viewer(ctx);
        let agent = ctx.data_opt::<UserAgent>().map(|a| a.0.as_str());
        let s = accounts::login(
            app(ctx)?,
            v.client_addr.as_deref(),
            agent,
            &email,
            &password,
        )
        .await?;
        Ok(AuthPayload {
            token: s.token,
            account: s.account,
        })
    }

    /// Ends the session of the token this request carries.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let a = viewer(ctx).signed_in()?;
        if let Some(token) = ctx.data_opt::<BearerToken>() {
            accounts::logout(app(ctx)?, a.id, &token.0).await?;
        }
        Ok(true)
    }

    /// Sets the password of an invited account (the token from the invitation link) and signs in.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
    ) -> Result<AuthPayload> {
        let s = accounts::accept_invitation(app(ctx)?, &token, &password).await?;
        Ok(AuthPayload {
            token: s.token,
            account: s.account,
        })
    }
}

#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Registers a webhook endpoint for an outlet's newsroom system (ADMIN); its signing
    /// secret is in the answer, and nowhere ever again.
    async fn add_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        outlet_id: Uuid,
        url: String,
    ) -> Result<WebhookEndpointCreated> {
        let (endpoint, secret) =
            pressnet_domain::services::webhooks::add(app(ctx)?, viewer(ctx), outlet_id, &url)
                .await?;
        Ok(WebhookEndpointCreated { endpoint, secret })
    }

    /// Removes a webhook endpoint (ADMIN).
    async fn remove_webhook_endpoint(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        Ok(pressnet_domain::services::webhooks::remove(app(ctx)?, viewer(ctx), id).await?)
    }

    /// Turns a webhook endpoint on again (its failure count restarts) or off (ADMIN).
    async fn set_webhook_endpoint_enabled(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        enabled: bool,
    ) -> Result<WebhookEndpoint> {
        let e =
            pressnet_domain::services::webhooks::set_enabled(app(ctx)?, viewer(ctx), id, enabled)
                .await?;
        Ok(WebhookEndpoint(e))
    }

    /// Queues a signed test event to a webhook endpoint (ADMIN); its outcome appears in the
    /// endpoint's `recentAttempts`.
    async fn send_webhook_test(&self, ctx: &Context<'_>, id: Uuid) -> Result<WebhookAttempt> {
        let m = pressnet_domain::services::webhooks::send_test(app(ctx)?, viewer(ctx), id).await?;
        Ok(WebhookAttempt(m))
    }

    /// Sends a webhook endpoint again every release whose delivery to it failed since `since`
    /// (default: the last 72 hours); returns how many (ADMIN).
    async fn replay_webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        since: Option<DateTime<Utc>>,
    ) -> Result<i32> {
        let n =
            pressnet_domain::services::webhooks::replay(app(ctx)?, viewer(ctx), id, since).await?;
        Ok(n as i32)
    }

    /// Subscribes the signed-in journalist's browser or phone to Web Push.
    async fn subscribe_push(
        &self,
        ctx: &Context<'_>,
        input: PushSubscriptionInput,
    ) -> Result<bool> {
        Ok(pressnet_domain::services::push_devices::subscribe(
            app(ctx)?,
            viewer(ctx),
            &input.endpoint,
            &input.p256dh,
            &input.auth,
        )
        .await?)
    }

    /// Removes one of the signed-in journalist's push devices.
    async fn unsubscribe_push(&self, ctx: &Context<'_>, endpoint: String) -> Result<bool> {
        Ok(
            pressnet_domain::services::push_devices::unsubscribe(app(ctx)?, viewer(ctx), &endpoint)
                .await?,
        )
    }

    async fn create_unit(&self, ctx: &Context<'_>, input: CreateUnitInput) -> Result<Unit> {
        Ok(Unit(
            registry::create_unit(app(ctx)?, viewer(ctx), input.into()).await?,
        ))
    }

    async fn register_spokesperson(
        &self,
        ctx: &Context<'_>,
        input: RegisterSpokespersonInput,
    ) -> Result<Spokesperson> {
        let n = registry::NewSpokesperson {
            unit_id: input.unit_id,
            full_name: input.full_name,
            position: input.position,
            phone: input.phone,
            email: input.email,
            appointment_ref: input.appointment_ref,
            is_primary: input.is_primary.unwrap_or(true),
            password: input.password,
        };
        Ok(Spokesperson(
            registry::register_spokesperson(app(ctx)?, viewer(ctx), n).await?,
        ))
    }

    async fn end_spokesperson_term(&self, ctx: &Context<'_>, id: Uuid) -> Result<Spokesperson> {
        Ok(Spokesperson(
            registry::end_spokesperson_term(app(ctx)?, viewer(ctx), id).await?,
        ))
    }

    /// Registers an outlet; it starts PENDING until accredited.
    async fn register_outlet(
        &self,
        ctx: &Context<'_>,
        input: RegisterOutletInput,
    ) -> Result<Outlet> {
        Ok(Outlet(
            registry::register_outlet(app(ctx)?, viewer(ctx), input.into()).await?,
        ))
    }

    async fn set_accreditation(
        &self,
        ctx: &Context<'_>,
        outlet_id: Uuid,
        status: AccreditationStatus,
        until: Option<DateTime<Utc>>,
    ) -> Result<Outlet> {
        let o =
            registry::set_accreditation(app(ctx)?, viewer(ctx), outlet_id, status.into(), until)
                .await?;
        Ok(Outlet(o))
    }

    async fn register_journalist(
        &self,
        ctx: &Context<'_>,
        input: RegisterJournalistInput,
    ) -> Result<Journalist> {
        let n = registry::NewJournalist {
            outlet_id: input.outlet_id,
            full_name: input.full_name,
            email: input.email,
            press_card_number: input.press_card_number,
            press_card_expires_at: input.press_card_expires_at,
            password: input.password,
        };
        Ok(Journalist(
            registry::register_journalist(app(ctx)?, viewer(ctx), n).await?,
        ))
    }
}

#[derive(Default)]
pub struct ReleaseMutation;

#[Object]
impl ReleaseMutation {
    /// Writes a DRAFT for a unit (its active spokesperson, or ADMIN).
    async fn create_release(
        &self,
        ctx: &Context<'_>,
        input: CreateReleaseInput,
    ) -> Result<Release> {
        let n = releases::NewRelease {
            unit_id: input.unit_id,
            kind: input.kind.into(),
            title: input.title,
            summary: input.summary,
            body: input.body,
            topics: input.topics.unwrap_or_default(),
            audience: input.audience.into(),
            press_conference: input.press_conference.map(Into::into),
            supersedes_id: input.supersedes_id,
            visibility: input.visibility.map(Into::into),
            plan_item_id: input.plan_item_id,
        };
        Ok(Release(releases::create(app(ctx)?, viewer(ctx), n).await?))
    }

    /// Edits a DRAFT or SCHEDULED release (its unit's active spokespersons); the version goes
    /// up and the audit log names the fields changed.
    async fn update_release(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UpdateReleaseInput,
    ) -> Result<Release> {
        Ok(Release(
            drafts::update(app(ctx)?, viewer(ctx), id, input.into()).await?,
        ))
    }

    /// SCHEDULED back to DRAFT: it will not be published at its time (nothing of it was ever
    /// visible outside the unit).
    async fn cancel_schedule(&self, ctx: &Context<'_>, id: Uuid) -> Result<Release> {
        Ok(Release(
            drafts::cancel_schedule(app(ctx)?, viewer(ctx), id).await?,
        ))
    }

    /// Deletes a DRAFT that was never published (the audit log keeps what it was).
    async fn discard_draft(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        Ok(drafts::discard(app(ctx)?, viewer(ctx), id).await?)
    }

    /// Publishes now, or SCHEDULED until `publishAt` (the embargo).
    async fn publish_release(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        publish_at: Option<DateTime<Utc>>,
    ) -> Result<Release> {
        Ok(Release(
            publishing::publish(app(ctx)?, viewer(ctx), id, publish_at).await?,
        ))
    }

    /// Retracts a published release (pushed to every outlet that received it), or cancels a
    /// scheduled one.
    async fn retract_release(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        reason: String,
    ) -> Result<Release> {
        Ok(Release(
            publishing::retract(app(ctx)?, viewer(ctx), id, &reason).await?,
        ))
    }

    /// A journalist acknowledges their outlet's LIVE delivery.
    async fn acknowledge_release(&self, ctx: &Context<'_>, release_id: Uuid) -> Result<Delivery> {
        Ok(Delivery(
            deliveries::acknowledge(app(ctx)?, viewer(ctx), release_id).await?,
        ))
    }
}

#[derive(Default)]
pub struct ConferenceMutation;

#[Object]
impl ConferenceMutation {
    /// A journalist registers (or withdraws) for a press conference, before its deadline and
    /// within its capacity (CONFLICT when full).
    async fn rsvp(
        &self,
        ctx: &Context<'_>,
        release_id: Uuid,
        attending: bool,
    ) -> Result<PressConference> {
        let (model, _) = conferences::rsvp(app(ctx)?, viewer(ctx), release_id, attending).await?;
        let r = releases::get_visible(app(ctx)?, viewer(ctx), release_id).await?;
        Ok(PressConference {
            model,
            unit_id: r.unit_id,
        })
    }

    /// Changes time, place, deadline or capacity; invitees get the update.
    async fn update_press_conference(
        &self,
        ctx: &Context<'_>,
        release_id: Uuid,
        input: PressConferenceInput,
    ) -> Result<PressConference> {
        let model = conferences::update(app(ctx)?, viewer(ctx), release_id, input.into()).await?;
        let r = releases::get_visible(app(ctx)?, viewer(ctx), release_id).await?;
        Ok(PressConference {
            model,
            unit_id: r.unit_id,
        })
    }
}

#[derive(Default)]
pub struct EmailMutation;

#[Object]
impl EmailMutation {
    /// JOURNALIST: e-mail for each release, a daily digest, or none.
    async fn set_email_mode(
        &self,
        ctx: &Context<'_>,
        mode: EmailMode,
    ) -> Result<JournalistSubscription> {
        Ok(JournalistSubscription(
            subscriptions::set_mode(app(ctx)?, viewer(ctx), mode.into()).await?,
        ))
    }

    /// JOURNALIST: follow a unit's public releases beyond what reaches the outlet.
    async fn follow_unit(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
    ) -> Result<JournalistSubscription> {
        Ok(JournalistSubscription(
            subscriptions::set_follow(app(ctx)?, viewer(ctx), Some(unit_id), None, true).await?,
        ))
    }

    async fn unfollow_unit(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
    ) -> Result<JournalistSubscription> {
        Ok(JournalistSubscription(
            subscriptions::set_follow(app(ctx)?, viewer(ctx), Some(unit_id), None, false).await?,
        ))
    }

    /// JOURNALIST: follow public releases with this topic.
    async fn follow_topic(
        &self,
        ctx: &Context<'_>,
        topic: String,
    ) -> Result<JournalistSubscription> {
        Ok(JournalistSubscription(
            subscriptions::set_follow(app(ctx)?, viewer(ctx), None, Some(topic), true).await?,
        ))
    }

    async fn unfollow_topic(
        &self,
        ctx: &Context<'_>,
        topic: String,
    ) -> Result<JournalistSubscription> {
        Ok(JournalistSubscription(
            subscriptions::set_follow(app(ctx)?, viewer(ctx), None, Some(topic), false).await?,
        ))
    }

    /// ADMIN: allow a suppressed address again (after the newsroom fixed its mailbox).
    async fn unsuppress_email(&self, ctx: &Context<'_>, address: String) -> Result<bool> {
        let a = viewer(ctx).require_admin()?;
        Ok(pressnet_domain::services::outbox::unsuppress(app(ctx)?, a.id, &address).await?)
    }
}

#[derive(Default)]
pub struct InquiryMutation;

#[Object]
impl InquiryMutation {
    /// JOURNALIST of an accredited outlet asks a unit; due after the unit level's deadline.
    async fn ask_question(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
        question: String,
    ) -> Result<Inquiry> {
        Ok(Inquiry(
            pressnet_domain::services::inquiries::ask(app(ctx)?, viewer(ctx), unit_id, &question)
                .await?,
        ))
    }

    /// SPOKESPERSON of the unit.
    async fn answer_inquiry(&self, ctx: &Context<'_>, id: Uuid, answer: String) -> Result<Inquiry> {
        Ok(Inquiry(
            pressnet_domain::services::inquiries::respond(app(ctx)?, viewer(ctx), id, Ok(&answer))
                .await?,
        ))
    }

    /// SPOKESPERSON of the unit, with the legal reason.
    async fn decline_inquiry(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        reason: String,
    ) -> Result<Inquiry> {
        Ok(Inquiry(
            pressnet_domain::services::inquiries::respond(app(ctx)?, viewer(ctx), id, Err(&reason))
                .await?,
        ))
    }

    /// The JOURNALIST who asked.
    async fn rate_answer(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        rating: AnswerRating,
    ) -> Result<Inquiry> {
        Ok(Inquiry(
            pressnet_domain::services::inquiries::rate(app(ctx)?, viewer(ctx), id, rating.into())
                .await?,
        ))
    }
}
