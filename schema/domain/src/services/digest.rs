//! The daily digest for journalists who chose it: one e-mail listing what reached them
//! (addressed to their outlet, or public from a unit or topic they follow) in the last day.
use crate::context::AppContext;
use crate::entities::{delivery, journalist, journalist_prefs, release};
use crate::enums::{Channel, EmailMode, MailKind, ReleaseStatus};
use crate::error::AppResult;
use crate::mail::message::Payload;
use crate::services::{outbox, subscriptions};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use std::collections::HashSet;
use uuid::Uuid;

pub(crate) const PERIOD: Duration = Duration::days(1);

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn send_due_digests(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    let prefs = journalist_prefs::Entity::find()
        .filter(journalist_prefs::Column::EmailMode.eq(EmailMode::DailyDigest))
        .all(&ctx.db)
        .await?;
    let mut sent = 0;
    for p in prefs {
        let since = p.last_digest_at.unwrap_or(p.updated_at);
        if now - since < PERIOD {
            continue;
        }
        let Some(j) = journalist::Entity::find_by_id(p.journalist_id)
            .one(&ctx.db)
            .await?
        else {
            continue;
        };
        let published = release::Entity::find()
            .filter(release::Column::Status.eq(ReleaseStatus::Published))
            .filter(release::Column::PublishedAt.gt(since))
            .filter(release::Column::PublishedAt.lte(now))
            .all(&ctx.db)
            .await?;
        let ids: Vec<Uuid> = published.iter().map(|r| r.id).collect();
        let to_outlet: HashSet<Uuid> = delivery::Entity::find()
            .filter(delivery::Column::ReleaseId.is_in(ids.iter().copied()))
            .filter(delivery::Column::OutletId.eq(j.outlet_id))
            .filter(delivery::Column::Channel.eq(Channel::Live))
            .all(&ctx.db)
            .await?
            .into_iter()
            .map(|d| d.release_id)
            .collect();
        let mut chosen = Vec::new();
        for r in &published {
            let addressed: HashSet<Uuid> = if to_outlet.contains(&r.id) {
                [j.outlet_id].into()
            } else {
                HashSet::new()
            };
            let wanted =
                subscriptions::recipients(&ctx.db, r, &addressed, EmailMode::DailyDigest, now)
                    .await?;
            if wanted.iter().any(|(jid, ..)| *jid == j.id) {
                chosen.push(r.id);
            }
        }
        let txn = ctx.db.begin().await?;
        if !chosen.is_empty() {
            let payload = Payload {
                releases: chosen,
                unsubscribe_token: Some(p.unsubscribe_token.clone()),
                ..Default::default()
            };
            outbox::enqueue(
                &txn,
                vec![outbox::new_row(
                    MailKind::Digest,
                    &j.email,
                    None,
                    None,
                    &payload,
                    now,
                )],
            )
            .await?;
            sent += 1;
        }
        let mut am: journalist_prefs::ActiveModel = p.into();
        am.last_digest_at = Set(Some(now));
        am.update(&txn).await?;
        txn.commit().await?;
    }
    Ok(sent)
}
