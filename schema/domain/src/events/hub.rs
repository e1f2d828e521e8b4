//! The in-process fan-out hub.
//!
//! Publishers hand one event per publication (a batch naming every addressed outlet and its
//! feed sequence number) to `services::fanout`, which puts it here in sequence order.
//! Subscribers filter for their outlet. `tokio::sync::broadcast` keeps a bounded ring: a
//! stalled subscriber costs no memory beyond it and delays nobody; when it falls behind it gets
//! `Lagged` and resynchronises from the database (the source of truth), so nothing is lost.
//!
//! Several instances on one PostgreSQL database: what happens on another instance reaches this
//! hub through `relay` (LISTEN/NOTIFY carrying ids); what happens here is announced to the others
//! through the `outward` queue that `relay` drains.
use crate::entities::release;
use crate::enums::FeedEvent;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tokio::sync::{broadcast, mpsc, Mutex};
use uuid::Uuid;

/// Ring size: how many publications a subscriber may fall behind before it resynchronises.
pub(crate) const FEED_CAPACITY: usize = 512;
pub(crate) const DELIVERY_CAPACITY: usize = 4096;
/// Announcements to other instances waiting to be sent; beyond this they collapse into one
/// "resynchronise" announcement (see `relay`).
pub(crate) const OUTWARD_CAPACITY: usize = 4096;

/// Which subscribers may share one rendering of a feed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameScope {
    /// Every journalist.
    Shared,
    /// The journalists of one outlet.
    Outlet(Uuid),
    /// One account.
    Account(Uuid),
}

/// A batch's renderings by (subscription shape, scope). The first subscriber to need one
/// renders it; the others wait for that rendering instead of starting their own. What a
/// rendering is belongs to the layer that renders (the event bus only keeps it with the batch).
pub(crate) type FrameMemo =
    std::sync::Mutex<HashMap<(u64, FrameScope), Arc<tokio::sync::OnceCell<Rendering>>>>;

/// One rendering, type-erased (see `FrameMemo`).
pub type Rendering = Arc<dyn Any + Send + Sync>;

/// One publication or retraction: the feed items it created, per outlet.
#[derive(Debug)]
pub struct FeedBatch {
    /// Shared by every subscriber's item (a clone per subscriber would copy the body).
    pub release: Arc<release::Model>,
    pub event: FeedEvent,
    /// outlet id -> feed sequence number of its item.
    pub items: HashMap<Uuid, i64>,
    /// outlet id -> its LIVE delivery, to mark DELIVERED when the frame goes out (publications).
    pub live_deliveries: HashMap<Uuid, Uuid>,
    /// This batch's frames, rendered once per subscription shape and scope and shared by every
    /// subscriber that needs the same one (the API layer renders them: `graphql::live`).
    pub frames: FrameMemo,
}

impl FeedBatch {
    pub fn new(
        release: release::Model,
        event: FeedEvent,
        items: HashMap<Uuid, i64>,
        live_deliveries: HashMap<Uuid, Uuid>,
    ) -> Self {
        Self {
            release: Arc::new(release),
            event,
            items,
            live_deliveries,
            frames: FrameMemo::default(),
        }
    }

    /// The lowest and highest sequence numbers of its items (`None` when it addresses nobody).
    pub(crate) fn seq_range(&self) -> Option<(i64, i64)> {
        let lo = self.items.values().min()?;
        let hi = self.items.values().max()?;
        Some((*lo, *hi))
    }
}

/// What feed subscribers receive.
#[derive(Debug, Clone)]
pub(crate) enum FeedSignal {
    /// Items, in sequence order across signals.
    Batch(Arc<FeedBatch>),
    /// Some items may not have come through the hub: re-read from the database after the last
    /// item sent (as after `Lagged`).
    Resync,
}

/// Some deliveries of one release changed.
#[derive(Debug, Clone)]
pub struct DeliveryChange {
    /// `Uuid::nil()`: changes may have been missed for any release; every watcher re-reads.
    pub release_id: Uuid,
    /// Empty: re-read the release's whole log.
    pub delivery_ids: Arc<Vec<Uuid>>,
}

impl DeliveryChange {
    /// Tells every watcher to re-read its release's whole log.
    pub fn everything() -> Self {
        Self {
            release_id: Uuid::nil(),
            delivery_ids: Arc::new(Vec::new()),
        }
    }
}

/// A press question was asked, answered, declined or rated.
#[derive(Debug, Clone, Copy)]
pub struct InquiryChange {
    pub unit_id: Uuid,
    pub inquiry_id: Uuid,
}

/// A local change other instances must hear of.
#[derive(Debug, Clone)]
pub(crate) enum Outward {
    Deliveries(DeliveryChange),
    Inquiry(InquiryChange),
}

#[derive(Clone)]
pub struct Hub {
    /// This process, so that it can ignore its own announcements.
    instance: Uuid,
    feed: broadcast::Sender<FeedSignal>,
    deliveries: broadcast::Sender<DeliveryChange>,
    inquiries: broadcast::Sender<InquiryChange>,
    /// The highest feed sequence number put into the hub (`None` until `fanout::init`).
    pub(crate) feed_mark: Arc<Mutex<Option<i64>>>,
    outward: Arc<OnceLock<mpsc::Sender<Outward>>>,
    outward_overflow: Arc<std::sync::atomic::AtomicBool>,
    /// Counts changes seen (every event through the hub, and changes noted by the API), so
    /// a cache of read results can tell whether anything may have changed since it filled.
    changes: Arc<std::sync::atomic::AtomicU64>,
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
            instance: Uuid::new_v4(),
            feed,
            deliveries,
            inquiries,
            feed_mark: Arc::new(Mutex::new(None)),
            outward: Arc::new(OnceLock::new()),
            outward_overflow: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            changes: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        }
    }

    pub fn instance(&self) -> Uuid {
        self.instance
    }

    /// The change counter (see `changes`).
    pub fn generation(&self) -> u64 {
        self.changes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Something may have changed that no hub event describes (a mutation's commit).
    pub fn note_change(&self) {
        self.changes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Only `services::fanout` calls this, in sequence order.
    pub(crate) fn send_feed(&self, signal: FeedSignal) {
        self.note_change();
        // An error only means nobody is listening right now: the items are in the database.
        let _ = self.feed.send(signal);
    }

    pub(crate) fn subscribe_feed(&self) -> broadcast::Receiver<FeedSignal> {
        self.feed.subscribe()
    }

    /// A local change: to local watchers and, with a relay, to the other instances.
    pub(crate) fn publish_deliveries(&self, change: DeliveryChange) {
        self.announce(Outward::Deliveries(change.clone()));
        self.publish_deliveries_here(change);
    }

    /// A change heard from another instance: local watchers only.
    pub(crate) fn publish_deliveries_here(&self, change: DeliveryChange) {
        self.note_change();
        let _ = self.deliveries.send(change);
    }

    pub fn subscribe_deliveries(&self) -> broadcast::Receiver<DeliveryChange> {
        self.deliveries.subscribe()
    }

    pub(crate) fn publish_inquiry(&self, change: InquiryChange) {
        self.announce(Outward::Inquiry(change));
        self.publish_inquiry_here(change);
    }

    pub(crate) fn publish_inquiry_here(&self, change: InquiryChange) {
        self.note_change();
        let _ = self.inquiries.send(change);
    }

    pub fn subscribe_inquiries(&self) -> broadcast::Receiver<InquiryChange> {
        self.inquiries.subscribe()
    }

    /// Live websocket subscribers of the feed (for metrics).
    pub(crate) fn feed_subscribers(&self) -> usize {
        self.feed.receiver_count()
    }

    /// Connects the outward queue (once, by `relay::start`).
    pub(crate) fn connect_outward(&self, tx: mpsc::Sender<Outward>) {
        let _ = self.outward.set(tx);
    }

    /// Whether announcements were dropped since the last call (the relay then tells the others
    /// to resynchronise).
    pub(crate) fn take_outward_overflow(&self) -> bool {
        self.outward_overflow
            .swap(false, std::sync::atomic::Ordering::AcqRel)
    }

    fn announce(&self, o: Outward) {
        if let Some(tx) = self.outward.get() {
            if tx.try_send(o).is_err() {
                self.outward_overflow
                    .store(true, std::sync::atomic::Ordering::Release);
            }
        }
    }
}
