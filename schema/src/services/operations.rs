//! Figures for operators, read from the database when `/metrics` is scraped.
use crate::context::AppContext;
use crate::entities::{delivery, outbox};
use crate::enums::{Channel, DeliveryStatus};
use crate::error::AppResult;
use crate::metrics::DeliveryLabels;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

/// Updates the gauges that mirror the database and the hub.
pub async fn refresh_metrics(ctx: &AppContext) -> AppResult<()> {
    let m = &ctx.metrics;
    m.subscribers.set(ctx.hub.feed_subscribers() as i64);
    let rows: Vec<(Channel, DeliveryStatus, i64)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Channel)
        .column(delivery::Column::Status)
        .column_as(Expr::col(delivery::Column::Id).count(), "n")
        .group_by(delivery::Column::Channel)
        .group_by(delivery::Column::Status)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    // Every (channel, status) pair is reported, zeros included, so a series never vanishes.
    m.deliveries.clear();
    for c in [Channel::Live, Channel::Email, Channel::Feed] {
        for s in [
            DeliveryStatus::Pending,
            DeliveryStatus::Sent,
            DeliveryStatus::Delivered,
            DeliveryStatus::Acknowledged,
            DeliveryStatus::Failed,
        ] {
            let n = rows
                .iter()
                .find(|(rc, rs, _)| *rc == c && *rs == s)
                .map(|r| r.2)
                .unwrap_or(0);
            m.deliveries
                .get_or_create(&DeliveryLabels {
                    channel: c.as_str().to_owned(),
                    status: s.as_str().to_owned(),
                })
                .set(n);
        }
    }
    let pending = outbox::Entity::find().filter(outbox::Column::Status.eq(DeliveryStatus::Pending));
    m.outbox_depth
        .set(pending.clone().count(&ctx.db).await? as i64);
    m.outbox_due.set(
        pending
            .filter(outbox::Column::NextAttemptAt.lte(ctx.clock.now()))
            .count(&ctx.db)
            .await? as i64,
    );
    Ok(())
}
