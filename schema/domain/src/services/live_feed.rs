//! A journalist's live feed: catch-up from the database, then live items from the hub, with
//! no gap, no duplicate and no reordering.
//!
//! The stream subscribes to the hub *before* reading the database, so anything committed
//! after the read is in the hub's buffer. Items carry their feed sequence number and the hub
//! delivers them in sequence order (see `services::publishing`), so "skip seq <= last sent"
//! removes the overlap. A receiver that lags (a slow client) re-reads from the database
//! after its last sent item, then carries on.
use crate::context::AppContext;
use crate::entities::{delivery, feed_item, release};
use crate::enums::{DeliveryStatus, FeedEvent};
use crate::error::{AppError, AppResult};
use crate::events::hub::{FeedBatch, FeedSignal};
use futures::Stream;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// One item of the feed.
#[derive(Debug, Clone)]
pub struct Item {
    pub seq: i64,
    pub release: Arc<release::Model>,
    /// The publication or retraction it came with, when it came live through the hub (its
    /// frames are rendered once for all subscribers); `None` for items read from the database.
    pub batch: Option<Arc<FeedBatch>>,
    /// The LIVE delivery this item delivers, to be marked DELIVERED by whoever writes the
    /// frame, once the write has succeeded (`mark_delivered`).
    pub delivers: Option<Uuid>,
}

impl Item {
    /// Records that the item's frame reached the client's socket.
    pub fn mark_delivered(&self, ctx: &AppContext) {
        if let Some(d) = self.delivers {
            ctx.marks.mark(self.release.id, d, ctx.clock.now());
        }
    }
}

/// The deliveries of frames a transport has produced but not yet written, for transports whose
/// frames async-graphql serialises (the older graphql-ws protocol, SSE): the subscription puts
/// each item here instead of marking it, and the transport marks them DELIVERED once the frame
/// carrying them is written. Without one in the request data, the item is marked at once.
#[derive(Clone, Default)]
pub struct Unwritten(Arc<std::sync::Mutex<Vec<(Uuid, Uuid)>>>);

impl Unwritten {
    /// Holds the item's delivery until `mark_written`.
    pub fn hold(&self, item: &Item) {
        if let Some(d) = item.delivers {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((item.release.id, d));
        }
    }

    /// What is held so far, taken out.
    pub fn take(&self) -> Vec<(Uuid, Uuid)> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Marks `held` DELIVERED: their frames were written.
    pub fn mark_written(ctx: &AppContext, held: Vec<(Uuid, Uuid)>) {
        let now = ctx.clock.now();
        for (release, delivery) in held {
            ctx.marks.mark(release, delivery, now);
        }
    }
}

const PAGE: u64 = 200;

pub fn encode_cursor(seq: i64) -> String {
    format!("{seq:016x}")
}

pub fn decode_cursor(c: &str) -> AppResult<i64> {
    if c.len() != 16 {
        return Err(AppError::bad_input("since", "not a feed cursor"));
    }
    i64::from_str_radix(c, 16).map_err(|_| AppError::bad_input("since", "not a feed cursor"))
}

#[derive(Debug, Clone, Copy)]
enum Catchup {
    /// Items whose LIVE delivery is still PENDING, and any item after `max_seq`.
    Pending { max_seq: i64 },
    /// Everything after the cursor.
    After,
}

/// One page of catch-up: its items, the LIVE delivery each stands for (to mark DELIVERED when
/// its frame goes out), and whether the page was full (a full page may have more behind it).
///
/// One query: the feed items joined to their releases. A feed item names its LIVE delivery,
/// so nothing else is read. (It was three round trips: items, releases, LIVE deliveries; a
/// reconnect storm of 10,000 journalists queues that many pages behind the catch-up permits.)
async fn page(
    ctx: &AppContext,
    outlet_id: Uuid,
    after: i64,
    mode: Catchup,
) -> AppResult<(Vec<(Item, Uuid)>, bool)> {
    let mut q = feed_item::Entity::find()
        .filter(feed_item::Column::OutletId.eq(outlet_id))
        .filter(feed_item::Column::Seq.gt(after));
    if let Catchup::Pending { max_seq } = mode {
        q = q
            .join(JoinType::InnerJoin, feed_item::Relation::Delivery.def())
            .filter(
                Condition::any()
                    .add(feed_item::Column::Seq.gt(max_seq))
                    .add(delivery::Column::Status.eq(DeliveryStatus::Pending)),
            );
    }
    let rows = q
        .find_also_related(release::Entity)
        .order_by_asc(feed_item::Column::Seq)
        .limit(PAGE)
        .all(&ctx.db)
        .await?;
    let full = rows.len() as u64 == PAGE;
    // A release published and then retracted is two items of one page: one model for both.
    let mut shared: HashMap<Uuid, Arc<release::Model>> = HashMap::new();
    let items = rows
        .into_iter()
        .filter_map(|(i, r)| {
            let r = match shared.entry(i.release_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(Arc::new(r?)).clone(),
            };
            Some((
                Item {
                    seq: i.seq,
                    release: r,
                    batch: None,
                    delivers: None,
                },
                i.delivery_id,
            ))
        })
        .collect();
    Ok((items, full))
}

/// The releases the feed items refer to, by id.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn releases_of(
    ctx: &AppContext,
    items: &[feed_item::Model],
) -> AppResult<HashMap<Uuid, release::Model>> {
    let ids: Vec<Uuid> = items.iter().map(|i| i.release_id).collect();
    Ok(release::Entity::find()
        .filter(release::Column::Id.is_in(ids))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

/// The newest feed sequence number (0 when the feed is empty).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn max_seq(ctx: &AppContext) -> AppResult<i64> {
    let m: Option<Option<i64>> = feed_item::Entity::find()
        .select_only()
        .column_as(Expr::col(feed_item::Column::Seq).max(), "m")
        .into_tuple()
        .one(&ctx.db)
        .await?;
    Ok(m.flatten().unwrap_or(0))
}

/// One page of catch-up under a catch-up permit (see `page`).
async fn catch_up_page(
    ctx: &AppContext,
    outlet_id: Uuid,
    after: i64,
    mode: Catchup,
) -> AppResult<(Vec<(Item, Uuid)>, bool)> {
    let _permit = ctx
        .feed_catch_ups
        .acquire()
        .await
        .map_err(|_| AppError::internal("feed catch-up limiter closed"))?;
    page(ctx, outlet_id, after, mode).await
}

/// The feed of one outlet. `since`: resume after that cursor; `None`: pending items first.
pub fn stream(
    ctx: AppContext,
    outlet_id: Uuid,
    since: Option<i64>,
) -> impl Stream<Item = AppResult<Item>> {
    async_stream::try_stream! {
        let mut rx = ctx.hub.subscribe_feed();
        let mut last = since.unwrap_or(0);
        let mut mode = match since {
            Some(_) => Catchup::After,
            None => Catchup::Pending { max_seq: Box::pin(max_seq(&ctx)).await? },
        };
        loop {
            // Catch up from the database, page by page. (Database work is boxed: the stream
            // lives as long as the connection, and its size is every idle subscriber's cost.)
            // A page that is not full was the last one: what committed after it was read is in
            // the hub's buffer (subscribed before the read). Asking again for the empty page
            // behind it doubled every new subscriber's catch-up queries, and a reconnect storm
            // of 10,000 journalists queued that long for the catch-up permits.
            loop {
                let (items, full) =
                    Box::pin(catch_up_page(&ctx, outlet_id, last, mode)).await?;
                for (mut item, live_delivery) in items {
                    last = item.seq;
                    item.delivers = Some(live_delivery);
                    yield item;
                }
                if !full {
                    break;
                }
            }
            // Then live items, until the receiver lags.
            loop {
                match rx.recv().await {
                    Ok(FeedSignal::Batch(batch)) => {
                        let Some(&seq) = batch.items.get(&outlet_id) else { continue };
                        if seq <= last {
                            continue;
                        }
                        last = seq;
                        let delivers = (batch.event == FeedEvent::Published)
                            .then(|| live_delivery_for(&batch, outlet_id))
                            .flatten();
                        yield Item { seq, release: batch.release.clone(), batch: Some(batch.clone()), delivers };
                    }
                    Ok(FeedSignal::Resync) => {
                        mode = Catchup::After;
                        break;
                    }
                    Err(RecvError::Lagged(n)) => {
                        tracing::debug!(%outlet_id, missed = n, "feed subscriber lagged; resynchronising");
                        // Everything after the last item sent, whatever its delivery status.
                        mode = Catchup::After;
                        break;
                    }
                    Err(RecvError::Closed) => return,
                }
            }
        }
    }
}

fn live_delivery_for(batch: &crate::events::hub::FeedBatch, outlet_id: Uuid) -> Option<Uuid> {
    batch.live_deliveries.get(&outlet_id).copied()
}
