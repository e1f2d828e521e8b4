//! When failed work is tried again: pure rules for every queue (deliveries by channel, an
//! outlet's source that keeps failing).
use crate::settings::MailSettings;
use chrono::{DateTime, Utc};

/// A doubling backoff: `base`, then twice as long after each failure; `None` once the next
/// attempt would come after `deadline`.
pub(crate) fn doubling(
    base: chrono::Duration,
    attempts: i32,
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let factor = 1i32
        .checked_shl((attempts - 1).clamp(0, 30) as u32)
        .unwrap_or(i32::MAX);
    let next = now + base.checked_mul(factor)?;
    (next <= deadline).then_some(next)
}

/// E-mail: after `retry_base`, doubling up to `retry_cap`, for `max_attempts` attempts in all;
/// `None` once they are spent.
pub fn email(m: &MailSettings, attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if attempts >= m.max_attempts {
        return None;
    }
    let factor = 1i32
        .checked_shl((attempts - 1).clamp(0, 30) as u32)
        .unwrap_or(i32::MAX);
    let delay = m.retry_base.checked_mul(factor).unwrap_or(m.retry_cap);
    Some(now + std::cmp::min(delay, m.retry_cap))
}

/// The longest wait between polls of a failing source.
pub(crate) const MAX_BACKOFF: chrono::Duration = chrono::Duration::days(1);

/// The wait after `failures` failed polls in a row: the period, doubled per failure.
pub fn backoff(period: chrono::Duration, failures: i32) -> chrono::Duration {
    let factor = 1i32 << failures.clamp(0, 16);
    period
        .checked_mul(factor)
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::{doubling, email};
    use crate::settings::MailSettings;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn retries_double_from_the_base_and_stop_at_the_deadline() {
        let now = Utc
            .with_ymd_and_hms(2026, 12, 7, 3, 30, 0)
            .single()
            .unwrap_or_default();
        let base = Duration::seconds(30);
        let far = now + Duration::days(1);
        assert_eq!(doubling(base, 1, now, far), Some(now + base));
        assert_eq!(
            doubling(base, 2, now, far),
            Some(now + Duration::seconds(60))
        );
        assert_eq!(
            doubling(base, 4, now, far),
            Some(now + Duration::seconds(240))
        );
        // Past the deadline there is no next attempt: the delivery fails instead.
        assert_eq!(doubling(base, 20, now, far), None);
        assert_eq!(doubling(base, 1, now, now), None);
        // A count below one is the first attempt; a huge one does not overflow.
        assert_eq!(doubling(base, 0, now, far), Some(now + base));
        assert_eq!(doubling(base, i32::MAX, now, far), None);
    }

    #[test]
    fn mail_retries_double_up_to_the_cap_for_the_allowed_attempts() {
        let now = Utc
            .with_ymd_and_hms(2026, 12, 7, 3, 30, 0)
            .single()
            .unwrap_or_default();
        let m = MailSettings {
            retry_base: Duration::seconds(10),
            retry_cap: Duration::seconds(60),
            max_attempts: 5,
            ..MailSettings::default()
        };
        assert_eq!(email(&m, 1, now), Some(now + Duration::seconds(10)));
        assert_eq!(email(&m, 2, now), Some(now + Duration::seconds(20)));
        assert_eq!(email(&m, 3, now), Some(now + Duration::seconds(40)));
        assert_eq!(email(&m, 4, now), Some(now + Duration::seconds(60)));
        assert_eq!(email(&m, 5, now), None);
        assert_eq!(email(&m, i32::MAX, now), None);
    }
}

#[cfg(test)]
mod source_tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_failing_feed_waits_twice_as_long_each_time_up_to_a_day() {
        let period = Duration::minutes(10);
        assert_eq!(backoff(period, 0), period);
        assert_eq!(backoff(period, 1), Duration::minutes(20));
        assert_eq!(backoff(period, 3), Duration::minutes(80));
        assert_eq!(backoff(period, 10), MAX_BACKOFF);
        // Nonsense counts neither panic nor shorten the wait.
        assert_eq!(backoff(period, -5), period);
        assert_eq!(backoff(period, i32::MAX), MAX_BACKOFF);
    }
}
