//! The application's clock. Production reads the system clock; tests shift it forward to
//! exercise deadlines without sleeping. All timestamps are UTC, written by the application.
use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone, Default, Debug)]
pub struct Clock {
    /// Milliseconds added to the system time (0 in production).
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Now, truncated to microseconds: what PostgreSQL stores, so a value read back from
    /// either database compares equal to the one written.
    pub fn now(&self) -> DateTime<Utc> {
        let t = Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
    }

    /// Moves the clock forward (tests only reach this through the harness).
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}
