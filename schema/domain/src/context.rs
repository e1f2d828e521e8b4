//! Everything a service needs, cloned cheaply into each request.
use crate::clock::Clock;
use crate::events::hub::Hub;
use crate::events::marks::DeliveredMarks;
use crate::settings::Settings;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// How many live-feed subscribers read their catch-up from the database at once. When thousands
/// of journalists connect together (a restart, a network blip) the others wait for a permit,
/// which costs a few bytes each, instead of each holding a query queued on the pool.
pub(crate) const FEED_CATCH_UPS: usize = 8;

#[derive(Clone)]
pub struct AppContext {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub hub: Hub,
    /// Held from the start of a publication's transaction until its events reach the hub,
    /// so the hub sees feed items in sequence order (see `services::publishing`).
    pub publish_lock: Arc<tokio::sync::Mutex<()>>,
    /// Live frames sent, waiting to be recorded (by `services::deliveries::record_marks`).
    pub marks: DeliveredMarks,
    pub metrics: crate::metrics::SharedMetrics,
    /// Wakes this instance's e-mail worker when a transaction has queued mail, so a
    /// publication's messages leave at once rather than at the worker's next poll.
    pub outbox_ready: Arc<tokio::sync::Notify>,
    /// Wakes the HTTP channels' worker when messages were queued (see `services::channels`).
    pub outbound_ready: Arc<tokio::sync::Notify>,
    /// Woken when outlets' sources (their RSS/Atom feeds) are set, so a new one is polled at
    /// once rather than on the next tick.
    pub sources_ready: Arc<tokio::sync::Notify>,
    /// Live feed catch-ups reading the database at once (see `services::live_feed`).
    pub feed_catch_ups: Arc<tokio::sync::Semaphore>,
    /// The server's one secret (`PRESSNET_AUDIT_KEY_FILE`), from which every purpose's key is
    /// derived (`keys`); set by the server at start.
    pub server_key: Option<Arc<crate::keys::ServerKey>>,
    /// Where attachments live (`PRESSNET_STORAGE_URL`); set by the server at start.
    pub storage: Option<Arc<crate::storage::Storage>>,
}

impl AppContext {
    /// Starts nothing: the workers that serve it start in one place (the server's `workers`).
    pub fn new(db: DatabaseConnection, settings: Settings, clock: Clock) -> Self {
        let hub = Hub::new();
        Self {
            marks: DeliveredMarks::default(),
            db,
            settings: Arc::new(settings),
            clock,
            hub,
            publish_lock: Arc::new(tokio::sync::Mutex::new(())),
            metrics: Arc::new(crate::metrics::Metrics::new()),
            outbox_ready: Arc::new(tokio::sync::Notify::new()),
            outbound_ready: Arc::new(tokio::sync::Notify::new()),
            sources_ready: Arc::new(tokio::sync::Notify::new()),
            feed_catch_ups: Arc::new(tokio::sync::Semaphore::new(FEED_CATCH_UPS)),
            server_key: None,
            storage: None,
        }
    }
}
