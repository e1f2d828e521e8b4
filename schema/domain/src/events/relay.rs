//! Several instances on one PostgreSQL database behave as one.
//!
//! Each instance announces what it changed with `NOTIFY` (ids only: payloads are small and
//! transient) and listens for the others' announcements, feeding them into its own hub:
//!
//! - `pressnet_feed` — a publication or retraction committed (sent inside its transaction, so
//!   it is heard exactly when the items are visible); the listener reads the items from the
//!   database (`fanout::catch_up`), in sequence order.
//! - `pressnet_delivery` — deliveries of a release changed (ids, or the whole log).
//! - `pressnet_inquiry` — a press question changed.
//!
//! Notifications sent while a listener is reconnecting are lost, so after every (re)connect
//! the feed catches up from the database and delivery watchers re-read their logs; a poll
//! every second catches up the feed too, in case anything slipped through.
use crate::context::AppContext;
use crate::events::hub::{DeliveryChange, InquiryChange, Outward, OUTWARD_CAPACITY};
use crate::services::fanout;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub(crate) const FEED_CHANNEL: &str = "pressnet_feed";
pub(crate) const DELIVERY_CHANNEL: &str = "pressnet_delivery";
pub(crate) const INQUIRY_CHANNEL: &str = "pressnet_inquiry";
/// Delivery ids per announcement; more are announced as "the whole log" (a NOTIFY payload must
/// stay under 8,000 bytes).
const MAX_IDS: usize = 100;
const POLL: Duration = Duration::from_secs(1);
const RETRY: Duration = Duration::from_secs(1);

/// Inside a publication's transaction: tells the other instances once it commits.
pub(crate) async fn announce_feed(
    txn: &impl ConnectionTrait,
    instance: Uuid,
    items: &HashMap<Uuid, i64>,
) -> Result<(), DbErr> {
    let Some(hi) = items.values().max() else {
        return Ok(());
    };
    if txn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    notify(txn, FEED_CHANNEL, format!("{instance} {hi}")).await
}

async fn notify(c: &impl ConnectionTrait, channel: &str, payload: String) -> Result<(), DbErr> {
    c.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [channel.into(), payload.into()],
    ))
    .await
    .map(|_| ())
}

/// Starts the relay when the database is PostgreSQL (`database_url` opens the listener's own
/// connection, so the request pool never loses one to it). Nothing to do on SQLite: one
/// process owns the file.
pub fn start(
    ctx: &AppContext,
    database_url: &str,
    stop: &CancellationToken,
) -> Vec<JoinHandle<()>> {
    if ctx.db.get_database_backend() != DatabaseBackend::Postgres {
        return Vec::new();
    }
    let (tx, rx) = mpsc::channel(OUTWARD_CAPACITY);
    ctx.hub.connect_outward(tx);
    vec![
        tokio::spawn(outward(ctx.clone(), rx, stop.clone())),
        tokio::spawn(listen(ctx.clone(), database_url.to_owned(), stop.clone())),
        tokio::spawn(poll(ctx.clone(), stop.clone())),
    ]
}

/// Sends local changes to the other instances.
async fn outward(ctx: AppContext, mut rx: mpsc::Receiver<Outward>, stop: CancellationToken) {
    let me = ctx.hub.instance();
    loop {
        let o = tokio::select! {
            _ = stop.cancelled() => break,
            o = rx.recv() => match o { Some(o) => o, None => break },
        };
        let (channel, payload) = encode(me, &o);
        if let Err(e) = notify(&ctx.db, channel, payload).await {
            tracing::warn!(error = ?e, "cannot announce a change to other instances");
            ctx.hub.take_outward_overflow();
            let _ = notify(&ctx.db, DELIVERY_CHANNEL, format!("{me} resync")).await;
        } else if ctx.hub.take_outward_overflow() {
            let _ = notify(&ctx.db, DELIVERY_CHANNEL, format!("{me} resync")).await;
        }
    }
}

fn encode(me: Uuid, o: &Outward) -> (&'static str, String) {
    match o {
        Outward::Deliveries(c) => {
            let ids = if c.delivery_ids.len() <= MAX_IDS {
                c.delivery_ids
                    .iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            } else {
                String::new()
            };
            (
                DELIVERY_CHANNEL,
                format!("{me} {} {ids}", c.release_id).trim_end().to_owned(),
            )
        }
        Outward::Inquiry(c) => (
            INQUIRY_CHANNEL,
            format!("{me} {} {}", c.unit_id, c.inquiry_id),
        ),
    }
}

/// Listens for the other instances' announcements; reconnects and resynchronises on loss.
async fn listen(ctx: AppContext, url: String, stop: CancellationToken) {
    let mut first = true;
    while !stop.is_cancelled() {
        let mut listener = match PgListener::connect(&url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = ?e, "relay cannot connect; retrying");
                pause(&stop).await;
                continue;
            }
        };
        if let Err(e) = listener
            .listen_all([FEED_CHANNEL, DELIVERY_CHANNEL, INQUIRY_CHANNEL])
            .await
        {
            tracing::warn!(error = ?e, "relay cannot LISTEN; retrying");
            pause(&stop).await;
            continue;
        }
        // Whatever was announced while nobody listened is in the database.
        fanout::catch_up(&ctx).await;
        if !first {
            tracing::info!("relay reconnected; resynchronised");
            ctx.hub
                .publish_deliveries_here(DeliveryChange::everything());
        }
        first = false;
        loop {
            let next = tokio::select! {
                _ = stop.cancelled() => return,
                n = listener.try_recv() => n,
            };
            match next {
                Ok(Some(n)) => heard(&ctx, n.channel(), n.payload()).await,
                Ok(None) => {
                    tracing::warn!("relay lost its connection; reconnecting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "relay listener failed; reconnecting");
                    pause(&stop).await;
                    break;
                }
            }
        }
    }
}

async fn pause(stop: &CancellationToken) {
    tokio::select! {
        _ = stop.cancelled() => {}
        _ = tokio::time::sleep(RETRY) => {}
    }
}

/// A safety net: catches the feed up even if an announcement never arrived.
async fn poll(ctx: AppContext, stop: CancellationToken) {
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(POLL) => fanout::catch_up(&ctx).await,
        }
    }
}

async fn heard(ctx: &AppContext, channel: &str, payload: &str) {
    let mut parts = payload.split(' ');
    let from = parts.next().and_then(|s| Uuid::parse_str(s).ok());
    if from.is_none() || from == Some(ctx.hub.instance()) {
        return;
    }
    match channel {
        FEED_CHANNEL => fanout::catch_up(ctx).await,
        DELIVERY_CHANNEL => match parts.next() {
            Some("resync") => ctx
                .hub
                .publish_deliveries_here(DeliveryChange::everything()),
            Some(r) => {
                let Ok(release_id) = Uuid::parse_str(r) else {
                    return;
                };
                let ids = parts
                    .next()
                    .map(|s| {
                        s.split(',')
                            .filter_map(|i| Uuid::parse_str(i).ok())
                            .collect()
                    })
                    .unwrap_or_default();
                ctx.hub.publish_deliveries_here(DeliveryChange {
                    release_id,
                    delivery_ids: Arc::new(ids),
                });
            }
            None => {}
        },
        INQUIRY_CHANNEL => {
            let unit = parts.next().and_then(|s| Uuid::parse_str(s).ok());
            let inquiry = parts.next().and_then(|s| Uuid::parse_str(s).ok());
            if let (Some(unit_id), Some(inquiry_id)) = (unit, inquiry) {
                ctx.hub.publish_inquiry_here(InquiryChange {
                    unit_id,
                    inquiry_id,
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_stay_small() {
        let me = Uuid::new_v4();
        let many = DeliveryChange {
            release_id: Uuid::new_v4(),
            delivery_ids: Arc::new((0..10_000).map(|_| Uuid::new_v4()).collect()),
        };
        let (_, p) = encode(me, &Outward::Deliveries(many));
        assert!(p.len() < 100, "{p}");
        let some = DeliveryChange {
            release_id: Uuid::new_v4(),
            delivery_ids: Arc::new((0..MAX_IDS).map(|_| Uuid::new_v4()).collect()),
        };
        let (_, p) = encode(me, &Outward::Deliveries(some));
        assert!(p.len() < 8_000, "{}", p.len());
    }
}
