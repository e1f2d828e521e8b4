//! The in-process fan-out hub.
//!
//! Publishers send one event per publication (a batch naming every addressed outlet and its
//! feed sequence number) after their transaction commits. Subscribers filter for their outlet.
//! `tokio::sync::broadcast` keeps a bounded ring: a stalled subscriber costs no memory beyond
//! it and delays nobody; when it falls behind it gets `Lagged` and resynchronises from the
//! database (the source of truth), so nothing is lost. A second instance can feed the same
//! hub from PostgreSQL LISTEN/NOTIFY by loading the batch from the ids in the notification.
use crate::entities::release;
use crate::enums::FeedEvent;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Ring size: how many publications a subscriber may fall behind before it resynchronises.
pub const FEED_CAPACITY: usize = 512;
pub const DELIVERY_CAPACITY: usize = 4096;

/// One publication or retraction: the feed items it created, per outlet.
#[derive(Debug)]
pub struct FeedBatch {
    pub release: release::Model,
    pub event: FeedEvent,
    /// outlet id -> feed sequence number of its item.
    pub items: HashMap<Uuid, i64>,
    /// outlet id -> its LIVE delivery, to mark DELIVERED when the frame goes out (publications).
    pub live_deliveries: HashMap<Uuid, Uuid>,
}

/// Some deliveries of one release changed.
#[derive(Debug, Clone)]
pub struct DeliveryChange {
    pub release_id: Uuid,
    pub delivery_ids: Arc<Vec<Uuid>>,
}

/// A press question was asked, answered, declined or rated.
#[derive(Debug, Clone, Copy)]
pub struct InquiryChange {
    pub unit_id: Uuid,
    pub inquiry_id: Uuid,
}

#[derive(Clone)]
pub struct Hub {
    feed: broadcast::Sender<Arc<FeedBatch>>,
    deliveries: broadcast::Sender<DeliveryChange>,
    inquiries: broadcast::Sender<InquiryChange>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    pub fn new() -> Self {
        let (feed, _) = broadcast::channel(FEED_CAPACITY);
        let (deliveries, _) = broadcast::channel(DELIVERY_CAPACITY);
        let (inquiries, _) = broadcast::channel(DELIVERY_CAPACITY);
        Self {
            feed,
            deliveries,
            inquiries,
        }
    }

    pub fn publish_feed(&self, batch: FeedBatch) {
        // An error only means nobody is listening right now: the items are in the database.
        let _ = self.feed.send(Arc::new(batch));
    }

    pub fn subscribe_feed(&self) -> broadcast::Receiver<Arc<FeedBatch>> {
        self.feed.subscribe()
    }

    pub fn publish_deliveries(&self, change: DeliveryChange) {
        let _ = self.deliveries.send(change);
    }

    pub fn subscribe_deliveries(&self) -> broadcast::Receiver<DeliveryChange> {
        self.deliveries.subscribe()
    }

    pub fn publish_inquiry(&self, change: InquiryChange) {
        let _ = self.inquiries.send(change);
    }

    pub fn subscribe_inquiries(&self) -> broadcast::Receiver<InquiryChange> {
        self.inquiries.subscribe()
    }

    /// Live websocket subscribers of the feed (for metrics).
    pub fn feed_subscribers(&self) -> usize {
        self.feed.receiver_count()
    }
}
