//! Operational metrics, exposed by `GET /metrics` in Prometheus text format.
//!
//! Counters and histograms are updated where things happen (requests, publications); figures
//! that live in the database (deliveries by channel and status, outbox depth) and the hub's
//! subscriber count are read when scraped, so they are right for the whole cluster (database)
//! or this instance (subscribers). Deliveries by channel and status are summed from the
//! per-release summary (`services::reach`), which the transactions that change deliveries keep,
//! not counted from the log (that read every row at each scrape).
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route pattern (`/graphql`, `/feeds/units/{code}`), never the raw path, so the number
    /// of series stays bounded.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DeliveryLabels {
    pub channel: String,
    pub status: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 0.5 ms .. ~4 s
    Histogram::new(exponential_buckets(0.0005, 2.0, 14))
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub request_seconds: HistogramFamily<RouteLabels>,
    pub publish_seconds: Histogram,
    pub publications: Counter,
    pub subscribers: Gauge<i64, AtomicI64>,
    pub deliveries: Family<DeliveryLabels, Gauge<i64, AtomicI64>>,
    pub outbox_depth: Gauge<i64, AtomicI64>,
    pub outbox_due: Gauge<i64, AtomicI64>,
    pub read_cache_hits: Counter,
    pub read_cache_misses: Counter,
    pub feed_frames: Counter,
    pub feed_renders: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("pressnet");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests served, by route and status",
            requests.clone(),
        );
        let request_seconds: HistogramFamily<RouteLabels> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (websockets: until the upgrade)",
            request_seconds.clone(),
        );
        let publish_seconds = latency_histogram();
        registry.register(
            "publish_duration_seconds",
            "Time to publish a release: its transaction, delivery log and outbox rows",
            publish_seconds.clone(),
        );
        let publications = Counter::default();
        registry.register(
            "publications",
            "Releases published by this instance",
            publications.clone(),
        );
        let subscribers = Gauge::default();
        registry.register(
            "feed_subscribers",
            "Journalists' live feed subscriptions open on this instance",
            subscribers.clone(),
        );
        let deliveries = Family::<DeliveryLabels, Gauge<i64, AtomicI64>>::default();
        registry.register(
            "deliveries",
            "Delivery log rows by channel and status",
            deliveries.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "E-mails waiting to be sent (PENDING outbox rows and EMAIL deliveries)",
            outbox_depth.clone(),
        );
        let outbox_due = Gauge::default();
        registry.register(
            "outbox_due",
            "E-mails whose next attempt is due now",
            outbox_due.clone(),
        );
        let read_cache_hits = Counter::default();
        registry.register(
            "read_cache_hits",
            "GraphQL queries answered from the short-lived response cache",
            read_cache_hits.clone(),
        );
        let read_cache_misses = Counter::default();
        registry.register(
            "read_cache_misses",
            "GraphQL queries executed (not found in the response cache, or not cacheable)",
            read_cache_misses.clone(),
        );
        let feed_frames = Counter::default();
        registry.register(
            "feed_frames",
            "Live feed items sent to journalists over graphql-transport-ws",
            feed_frames.clone(),
        );
        let feed_renders = Counter::default();
        registry.register(
            "feed_renders",
            "Live feed items rendered (each rendering is shared by every subscriber of the same shape and scope)",
            feed_renders.clone(),
        );
        Self {
            registry,
            feed_frames,
            feed_renders,
            requests,
            request_seconds,
            publish_seconds,
            publications,
            subscribers,
            deliveries,
            outbox_depth,
            outbox_due,
            read_cache_hits,
            read_cache_misses,
        }
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

pub type SharedMetrics = Arc<Metrics>;
