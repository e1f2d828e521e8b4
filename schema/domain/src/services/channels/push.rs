//! PUSH: Web Push (RFC 8030) to journalists' browsers and phones, encrypted for the device
//! (aes128gcm, RFC 8291) and signed with pressnet's VAPID key (RFC 8292), by the `web-push`
//! crate; pressnet's own outbound client sends the request.
//!
//! The VAPID key is derived from the audit key (as the file-link key is), so every instance
//! sharing the audit key file signs with the same key and subscriptions survive restarts.
//! A notification carries the title, the unit and the kind, and the release's page; its TTL
//! is `push_ttl` and its Urgency high for a STATEMENT or a CORRECTION. A push service's 404 or
//! 410 means the subscription is gone: it is removed.
use super::http::{HttpChannel, Prepared};
use super::verdict::{refused, Verdict};
use crate::context::AppContext;
use crate::db::{any_of, by_ids};
use crate::entities::{outbound_message, outlet, push_subscription, release, unit};
use crate::enums::{Channel, OutboundEvent, ReleaseKind};
use crate::error::AppResult;
use crate::keys::Purpose;
use crate::services::visibility;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;
use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, Urgency,
    VapidSignatureBuilder, WebPushMessageBuilder,
};

pub struct Push;

#[async_trait::async_trait]
impl super::channel::Channel for Push {
    fn channel(&self) -> Channel {
        Channel::Push
    }

    fn after_commit(&self) -> bool {
        true
    }

    async fn plan(
        &self,
        p: &super::channel::Publication<'_>,
    ) -> AppResult<super::channel::Planned> {
        let outlets: Vec<Uuid> = p.outlets.iter().map(|(o, _)| *o).collect();
        super::plan::push_rows(p.txn, p.release, &outlets, p.now).await
    }

    /// A push service's answers (RFC 8030): 404/410 mean the subscription expired or was
    /// withdrawn; 400, 401, 403 and 413 refuse this message (its VAPID header or size) for
    /// good; the rest (429, 5xx, no answer) are worth another attempt.
    fn classify(&self, attempt: super::channel::Attempt<'_>) -> Verdict {
        let super::channel::Attempt::Answered { status, excerpt } = attempt else {
            return super::channel::classify_default(attempt);
        };
        let error = super::verdict::clip(&format!("HTTP {status}: {excerpt}"));
        match status {
            200..=299 => Verdict::Delivered { status },
            404 | 410 => Verdict::Gone {
                status: Some(status),
                error,
            },
            400 | 401 | 403 | 413 => Verdict::Refused {
                status: Some(status),
                error,
            },
            _ => Verdict::Retry {
                status: Some(status),
                error,
            },
        }
    }

    fn retry_at(
        &self,
        settings: &crate::settings::Settings,
        first: DateTime<Utc>,
        attempts: i32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        if attempts >= MAX_ATTEMPTS {
            return None;
        }
        let o = &settings.outbound;
        crate::queue::backoff::doubling(o.webhook_retry_base, attempts, now, first + o.push_ttl)
    }
}

/// Attempts before a push message is given up (a push service that keeps failing is down;
/// the release also went by the other channels).
const MAX_ATTEMPTS: i32 = 5;

/// The VAPID private key (a P-256 scalar, base64url), derived from the server key.
fn private_key(ctx: &AppContext) -> Option<String> {
    let key = ctx.server_key.as_ref()?;
    Some(URL_SAFE_NO_PAD.encode(key.derive(Purpose::Vapid)))
}

fn signer(ctx: &AppContext) -> Option<PartialVapidSignatureBuilder> {
    VapidSignatureBuilder::from_base64_no_sub(&private_key(ctx)?).ok()
}

/// The application server key browsers subscribe with (`vapidPublicKey`): the uncompressed
/// P-256 public key, base64url without padding.
pub fn public_key(ctx: &AppContext) -> Option<String> {
    Some(URL_SAFE_NO_PAD.encode(signer(ctx)?.get_public_key()))
}

fn kind_name(kind: ReleaseKind) -> &'static str {
    match kind {
        ReleaseKind::PressRelease => "Thông cáo báo chí",
        ReleaseKind::PressConference => "Thông báo họp báo",
        ReleaseKind::Statement => "Tuyên bố",
        ReleaseKind::Correction => "Cải chính",
    }
}

#[async_trait::async_trait]
impl HttpChannel for Push {
    #[tracing::instrument(name = "push.prepare", skip_all, fields(n = messages.len()), err(Debug, level = "debug"))]
    async fn prepare(
        &self,
        ctx: &AppContext,
        client: &reqwest::Client,
        messages: &[outbound_message::Model],
    ) -> AppResult<Vec<Result<Prepared, Verdict>>> {
        let now = ctx.clock.now();
        let backend = ctx.db.get_database_backend();
        let sub_ids: Vec<Uuid> = messages
            .iter()
            .map(|m| m.target_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut subs: HashMap<Uuid, push_subscription::Model> = HashMap::new();
        for cond in any_of(backend, push_subscription::Column::Id, &sub_ids) {
            for s in push_subscription::Entity::find()
                .filter(cond)
                .all(&ctx.db)
                .await?
            {
                subs.insert(s.id, s);
            }
        }
        let release_ids: BTreeSet<Uuid> = messages.iter().filter_map(|m| m.release_id).collect();
        let releases: HashMap<Uuid, release::Model> =
            by_ids::<release::Entity, _>(&ctx.db, release::Column::Id, &release_ids, |r| r.id)
                .await?;
        let unit_ids: BTreeSet<Uuid> = releases.values().map(|r| r.unit_id).collect();
        let units: HashMap<Uuid, unit::Model> =
            by_ids::<unit::Entity, _>(&ctx.db, unit::Column::Id, &unit_ids, |r| r.id).await?;
        // Each device's outlet as it is now, for the visibility rule.
        let devices = super::plan::device_outlets(&ctx.db, &sub_ids).await?;
        let outlet_ids: BTreeSet<Uuid> = devices.values().map(|(o, _)| *o).collect();
        let outlets: HashMap<Uuid, outlet::Model> =
            by_ids::<outlet::Entity, _>(&ctx.db, outlet::Column::Id, &outlet_ids, |r| r.id).await?;
        let Some(vapid) = signer(ctx) else {
            return Ok(messages
                .iter()
                .map(|_| Err(refused("this server has no VAPID key (no audit key)")))
                .collect());
        };
        let subject = format!("mailto:{}", ctx.settings.mail.from);
        let ttl = ctx
            .settings
            .outbound
            .push_ttl
            .num_seconds()
            .clamp(0, i64::from(u32::MAX)) as u32;
        let mut out = Vec::with_capacity(messages.len());
        for m in messages {
            let Some(s) = subs.get(&m.target_id) else {
                out.push(Err(refused("the device unsubscribed")));
                continue;
            };
            let Some(r) = m.release_id.and_then(|id| releases.get(&id)) else {
                out.push(Err(refused("the message names no release")));
                continue;
            };
            let Some((o, card)) = devices
                .get(&s.id)
                .and_then(|(o, card)| Some((outlets.get(o)?, *card)))
            else {
                out.push(Err(refused("the journalist's outlet is gone")));
                continue;
            };
            if !visibility::may_send_to_journalist(o, card, r, now) {
                out.push(Err(refused("the journalist may not see this release now")));
                continue;
            }
            let Ok(url) = reqwest::Url::parse(&s.endpoint) else {
                out.push(Err(refused("the push endpoint is not a URL")));
                continue;
            };
            if crate::outbound::check_literal(&url, ctx.settings.allow_private_targets).is_err() {
                out.push(Err(refused(
                    "the push endpoint is on a private or loopback address",
                )));
                continue;
            }
            let unit_name = units
                .get(&r.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            let again = m.event == OutboundEvent::Escalated;
            let payload = serde_json::json!({
                "title": if again { format!("Chưa xác nhận: {}", r.title) } else { r.title.clone() },
                "body": format!("{} · {}", kind_name(r.kind), unit_name),
                "unit": unit_name,
                "kind": r.kind.as_str(),
                "url": super::ninjs::release_uri(&ctx.settings.public_url, r.id),
                "release": r.id,
                "tag": r.id,
            });
            let content = serde_json::to_vec(&payload).unwrap_or_default();
            let info = SubscriptionInfo::new(s.endpoint.clone(), s.p256dh.clone(), s.auth.clone());
            // The audience is the push resource's origin, with its port if it has one (the
            // crate leaves a non-default port out).
            let aud = url.origin().ascii_serialization();
            let mut sig = vapid.clone().add_sub_info(&info);
            sig.add_claim("sub", subject.as_str());
            sig.add_claim("aud", aud.as_str());
            let Ok(signature) = sig.build() else {
                out.push(Err(refused("the VAPID signature could not be made")));
                continue;
            };
            let mut b = WebPushMessageBuilder::new(&info);
            b.set_ttl(ttl);
            b.set_urgency(
                if matches!(r.kind, ReleaseKind::Statement | ReleaseKind::Correction) || again {
                    Urgency::High
                } else {
                    Urgency::Normal
                },
            );
            b.set_vapid_signature(signature);
            b.set_payload(ContentEncoding::Aes128Gcm, &content);
            let message = match b.build() {
                Ok(msg) => msg,
                Err(e) => {
                    out.push(Err(refused(format!(
                        "the subscription's keys are not usable: {e}"
                    ))));
                    continue;
                }
            };
            let mut req = client
                .post(url.clone())
                .header("TTL", message.ttl.to_string());
            if let Some(u) = message.urgency {
                req = req.header("Urgency", u.to_string());
            }
            if let Some(p) = message.payload {
                req = req
                    .header(
                        reqwest::header::CONTENT_ENCODING,
                        p.content_encoding.to_str(),
                    )
                    .header(reqwest::header::CONTENT_TYPE, "application/octet-stream");
                for (k, v) in p.crypto_headers {
                    req = req.header(k, v);
                }
                req = req.body(p.content);
            }
            let host = super::http::host_of(&url);
            match req.build() {
                Ok(request) => out.push(Ok(Prepared { host, request })),
                Err(_) => out.push(Err(refused("the request could not be built"))),
            }
        }
        Ok(out)
    }

    /// A gone subscription is removed: its device unsubscribed or expired.
    async fn settle(
        &self,
        _ctx: &AppContext,
        txn: &DatabaseTransaction,
        outcomes: &[(outbound_message::Model, Verdict)],
        _now: DateTime<Utc>,
    ) -> AppResult<()> {
        let gone = super::http::targets(outcomes, |v| matches!(v, Verdict::Gone { .. }));
        for cond in any_of(
            txn.get_database_backend(),
            push_subscription::Column::Id,
            &gone,
        ) {
            push_subscription::Entity::delete_many()
                .filter(cond)
                .exec(txn)
                .await?;
        }
        Ok(())
    }
}
