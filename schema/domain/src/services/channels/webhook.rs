//! WEBHOOK: an outlet's newsroom system receives each release that reaches the outlet (its
//! publication, a correction, a retraction) as an IPTC ninjs 2.0 document, POSTed and signed
//! per the Standard Webhooks specification:
//!
//! - `webhook-id`: the message's id (the same on every retry, so receivers can de-duplicate);
//! - `webhook-timestamp`: seconds since the epoch, when this attempt was signed;
//! - `webhook-signature`: `v1,` and the base64 of HMAC-SHA256 over `id.timestamp.body`, keyed
//!   with the bytes of the endpoint's `whsec_` secret.
//!
//! 2xx is DELIVERED. Anything else, and no answer within 10 s, is tried again after the base
//! delay (`PRESSNET_WEBHOOK_RETRY_BASE_SECS`), doubling, for up to 72 hours. 410 disables the
//! endpoint at once; `webhook_disable_after` failed attempts in a row disable it too, and the
//! outlet's newsroom is e-mailed. The outlet is asked the visibility rule before every send.
use super::http::{HttpChannel, Prepared};
use super::ninjs;
use super::verdict::{refused, Verdict};
use crate::context::AppContext;
use crate::db::{any_of, by_ids};
use crate::entities::{attachment, outbound_message, outlet, release, unit, webhook_endpoint};
use crate::enums::{Channel, MailKind, OutboundEvent};
use crate::error::AppResult;
use crate::mail::message::{Message, Payload};
use crate::services::{file_links, outbox, visibility};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use sha2::Sha256;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

pub struct Webhook;

#[async_trait::async_trait]
impl super::channel::Channel for Webhook {
    fn channel(&self) -> Channel {
        Channel::Webhook
    }

    fn after_commit(&self) -> bool {
        true
    }

    async fn plan(
        &self,
        p: &super::channel::Publication<'_>,
    ) -> AppResult<super::channel::Planned> {
        let outlets: Vec<Uuid> = p.outlets.iter().map(|(o, _)| *o).collect();
        super::plan::webhook_rows(p.txn, p.release, &outlets, p.now).await
    }

    fn retry_at(
        &self,
        settings: &crate::settings::Settings,
        first: DateTime<Utc>,
        attempts: i32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let o = &settings.outbound;
        crate::queue::backoff::doubling(
            o.webhook_retry_base,
            attempts,
            now,
            first + o.webhook_window,
        )
    }
}

/// The Standard Webhooks signature of one attempt: `v1,base64(HMAC-SHA256(key, id.ts.body))`.
/// `None` when the stored secret is not a `whsec_` base64 key.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[async_trait::async_trait]
impl HttpChannel for Webhook {
    #[tracing::instrument(name = "webhook.prepare", skip_all, fields(n = messages.len()), err(Debug, level = "debug"))]
    async fn prepare(
        &self,
        ctx: &AppContext,
        client: &reqwest::Client,
        messages: &[outbound_message::Model],
    ) -> AppResult<Vec<Result<Prepared, Verdict>>> {
        let now = ctx.clock.now();
        let endpoints: HashMap<Uuid, webhook_endpoint::Model> =
            by_ids::<webhook_endpoint::Entity, _>(
                &ctx.db,
                webhook_endpoint::Column::Id,
                &messages.iter().map(|m| m.target_id).collect(),
                |r| r.id,
            )
            .await?;
        let outlets: HashMap<Uuid, outlet::Model> = by_ids::<outlet::Entity, _>(
            &ctx.db,
            outlet::Column::Id,
            &endpoints.values().map(|e| e.outlet_id).collect(),
            |r| r.id,
        )
        .await?;
        let release_ids: BTreeSet<Uuid> = messages.iter().filter_map(|m| m.release_id).collect();
        let releases: HashMap<Uuid, release::Model> =
            by_ids::<release::Entity, _>(&ctx.db, release::Column::Id, &release_ids, |r| r.id)
                .await?;
        let units: HashMap<Uuid, unit::Model> = by_ids::<unit::Entity, _>(
            &ctx.db,
            unit::Column::Id,
            &releases.values().map(|r| r.unit_id).collect(),
            |r| r.id,
        )
        .await?;
        let mut files: HashMap<Uuid, Vec<attachment::Model>> = HashMap::new();
        let ids: Vec<Uuid> = release_ids.iter().copied().collect();
        for cond in any_of(
            ctx.db.get_database_backend(),
            attachment::Column::ReleaseId,
            &ids,
        ) {
            for a in attachment::Entity::find()
                .filter(cond)
                .order_by_asc(attachment::Column::Position)
                .all(&ctx.db)
                .await?
            {
                files.entry(a.release_id).or_default().push(a);
            }
        }
        let mut speakers = HashMap::new();
        for r in releases.values() {
            speakers.insert(r.id, crate::mail::load::speaker(ctx, r).await?);
        }
        let expires = now + ctx.settings.file_link_ttl;
        // A release's document is the same for every outlet unless it has files (their links
        // are signed per outlet): rendered once per (release, outlet-if-files).
        let mut bodies: HashMap<(Uuid, Option<Uuid>), bytes::Bytes> = HashMap::new();
        let mut out = Vec::with_capacity(messages.len());
        for m in messages {
            let Some(e) = endpoints.get(&m.target_id) else {
                out.push(Err(refused("the endpoint was removed")));
                continue;
            };
            if !e.enabled {
                out.push(Err(refused(format!(
                    "the endpoint is disabled: {}",
                    e.disabled_reason.as_deref().unwrap_or("by the authority")
                ))));
                continue;
            }
            let Ok(url) = reqwest::Url::parse(&e.url) else {
                out.push(Err(refused("the endpoint's URL is not valid")));
                continue;
            };
            if crate::outbound::check_literal(&url, ctx.settings.allow_private_targets).is_err() {
                out.push(Err(refused(
                    "the endpoint is on a private or loopback address",
                )));
                continue;
            }
            let body = match (m.event, m.release_id) {
                (OutboundEvent::Test, _) => serde_json::to_vec(&ninjs::test_document(
                    &ctx.settings.public_url,
                    e.id,
                    m.created_at,
                ))
                .map(bytes::Bytes::from)
                .unwrap_or_default(),
                (_, Some(rid)) => {
                    let (Some(r), Some(o)) = (releases.get(&rid), outlets.get(&e.outlet_id)) else {
                        out.push(Err(refused("the release or outlet no longer exists")));
                        continue;
                    };
                    // The one visibility rule, asked as the outlet's press: a suspended
                    // outlet's system gets nothing, nor a release that was never published.
                    if !visibility::may_send(o, r, now) {
                        out.push(Err(refused("the outlet may not see this release now")));
                        continue;
                    }
                    let attachments = files.get(&rid).map(Vec::as_slice).unwrap_or_default();
                    let key = (rid, (!attachments.is_empty()).then_some(o.id));
                    if let Some(b) = bodies.get(&key) {
                        b.clone()
                    } else {
                        let outlet_id = o.id;
                        let link = move |file: Uuid, v: Option<&str>| {
                            file_links::link(ctx, file, outlet_id, expires).map(|l| match v {
                                Some(v) => format!("{l}&v={v}"),
                                None => l,
                            })
                        };
                        let doc = ninjs::document(&ninjs::Source {
                            public_url: &ctx.settings.public_url,
                            release: r,
                            unit: units.get(&r.unit_id),
                            speaker: speakers.get(&rid).and_then(Option::as_ref),
                            attachments,
                            file_link: &link,
                        });
                        let b = bytes::Bytes::from(serde_json::to_vec(&doc).unwrap_or_default());
                        bodies.insert(key, b.clone());
                        b
                    }
                }
                (_, None) => {
                    out.push(Err(refused("the message names no release")));
                    continue;
                }
            };
            let id = m.id.to_string();
            let ts = now.timestamp();
            let Some(signature) = sign(&e.secret, &id, ts, &body) else {
                out.push(Err(refused("the endpoint's secret is not a whsec_ key")));
                continue;
            };
            let event = match (m.event, m.release_id.and_then(|r| releases.get(&r))) {
                (OutboundEvent::Test, _) => "test",
                (OutboundEvent::Retracted, _) => "release.retracted",
                (_, Some(r)) if r.supersedes_id.is_some() => "release.corrected",
                _ => "release.published",
            };
            let host = super::http::host_of(&url);
            match client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", ts.to_string())
                .header("webhook-signature", signature)
                .header("pressnet-event", event)
                .body(body)
                .build()
            {
                Ok(request) => out.push(Ok(Prepared { host, request })),
                Err(_) => out.push(Err(refused("the request could not be built"))),
            }
        }
        Ok(out)
    }

    /// Failure counts: a 2xx resets an endpoint's, a failure the endpoint caused (no answer,
    /// an error status) adds one; 410 or too many in a row disable it, and the outlet hears.
    async fn settle(
        &self,
        ctx: &AppContext,
        txn: &DatabaseTransaction,
        outcomes: &[(outbound_message::Model, Verdict)],
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let ids = super::http::targets(outcomes, |_| true);
        let mut endpoints: HashMap<Uuid, webhook_endpoint::Model> = HashMap::new();
        for cond in any_of(
            txn.get_database_backend(),
            webhook_endpoint::Column::Id,
            &ids,
        ) {
            for e in webhook_endpoint::Entity::find()
                .filter(cond)
                .all(txn)
                .await?
            {
                endpoints.insert(e.id, e);
            }
        }
        let limit = ctx.settings.outbound.webhook_disable_after;
        let mut changed: HashMap<Uuid, (i32, Option<String>)> = HashMap::new();
        for (m, v) in outcomes {
            let Some(e) = endpoints.get(&m.target_id) else {
                continue;
            };
            if !e.enabled {
                continue;
            }
            let entry = changed
                .entry(e.id)
                .or_insert((e.consecutive_failures, None));
            if entry.1.is_some() {
                continue;
            }
            match v {
                Verdict::Delivered { .. } => entry.0 = 0,
                Verdict::Gone { error, .. } => {
                    entry.0 += 1;
                    entry.1 = Some(format!("the endpoint answered 410 Gone ({error})"));
                }
                Verdict::Retry { .. }
                | Verdict::Refused {
                    status: Some(_), ..
                } => {
                    entry.0 += 1;
                    if entry.0 >= limit {
                        entry.1 = Some(format!("{} failed attempts in a row", entry.0));
                    }
                }
                Verdict::Refused { status: None, .. } => {}
            }
        }
        let mut mails = Vec::new();
        for (id, (failures, disabled)) in changed {
            let Some(e) = endpoints.get(&id) else {
                continue;
            };
            if failures == e.consecutive_failures && disabled.is_none() {
                continue;
            }
            let mut update = webhook_endpoint::Entity::update_many()
                .col_expr(
                    webhook_endpoint::Column::ConsecutiveFailures,
                    Expr::value(failures),
                )
                .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now));
            if let Some(reason) = &disabled {
                update = update
                    .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
                    .col_expr(
                        webhook_endpoint::Column::DisabledReason,
                        Expr::value(Some(reason.clone())),
                    );
            }
            update
                .filter(webhook_endpoint::Column::Id.eq(id))
                .exec(txn)
                .await?;
            if let Some(reason) = disabled {
                crate::services::audit::append(
                    txn,
                    now,
                    crate::services::audit::Change::new(
                        None,
                        "webhook.disable",
                        "webhook_endpoint",
                        Some(id),
                    )
                    .details(
                        serde_json::json!({"outlet": e.outlet_id, "url": e.url, "reason": reason}),
                    ),
                )
                .await?;
                if let Some(o) = outlet::Entity::find_by_id(e.outlet_id).one(txn).await? {
                    let payload = Payload {
                        message: Some(Message::WebhookPaused {
                            url: e.url.clone(),
                            reason: reason.to_string(),
                        }),
                        link: Some(ctx.settings.public_url.clone()),
                        ..Default::default()
                    };
                    mails.push(outbox::new_row(
                        MailKind::Notice,
                        &o.email,
                        None,
                        None,
                        &payload,
                        now,
                    ));
                }
            }
        }
        outbox::enqueue(txn, mails).await?;
        Ok(())
    }
}
