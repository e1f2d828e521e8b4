//! Figures for operators, read from the database when `/metrics` is scraped.
use crate::context::AppContext;
use crate::enums::{Channel, DeliveryStatus};
use crate::error::AppResult;
use crate::metrics::DeliveryLabels;
use crate::services::{outbox, reach};

/// Updates the gauges that mirror the database and the hub.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn refresh_metrics(ctx: &AppContext) -> AppResult<()> {
    let m = &ctx.metrics;
    m.subscribers.set(ctx.hub.feed_subscribers() as i64);
    // From the per-release summary, kept in the transactions that change deliveries: counting
    // the log itself read all of it at every scrape (seconds at millions of rows).
    let rows = reach::totals(&ctx.db).await?;
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
    m.outbox_depth.set(outbox::waiting(ctx, None).await? as i64);
    m.outbox_due
        .set(outbox::waiting(ctx, Some(ctx.clock.now())).await? as i64);
    Ok(())
}
