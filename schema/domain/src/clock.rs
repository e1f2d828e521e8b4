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

/// Vietnam's one time zone (UTC+7, all year): days, months and quarters are counted in it;
/// timestamps stay UTC.
pub const VN_SECONDS: i32 = 7 * 3600;

pub fn vn_offset() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::FixedOffset::east_opt(VN_SECONDS).unwrap_or_else(|| Utc.fix())
}

/// The calendar day in Vietnam at `t`.
pub fn vn_date(t: DateTime<Utc>) -> chrono::NaiveDate {
    t.with_timezone(&vn_offset()).date_naive()
}

/// The moment Vietnam's day `d` begins.
pub fn vn_start_of(d: chrono::NaiveDate) -> DateTime<Utc> {
    (d.and_time(chrono::NaiveTime::MIN) - Duration::seconds(i64::from(VN_SECONDS))).and_utc()
}

/// `t` as Vietnam's `dd/mm/yyyy`, for people.
pub fn vn_day(t: DateTime<Utc>) -> String {
    vn_date(t).format("%d/%m/%Y").to_string()
}
