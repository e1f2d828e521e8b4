//! Typed settings the service layer needs (the server's config builds them from the environment).
use chrono::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL for links in e-mails, feeds and invitation links, without a trailing slash.
    pub public_url: String,
    /// How long a sign-in token stays valid.
    pub session_ttl: Duration,
    /// How long a session kept on a device ("keep me signed in") lasts from its last use.
    pub remembered_session_ttl: Duration,
    /// How long an invitation (set-password) link stays valid.
    pub invite_ttl: Duration,
    /// Failed sign-ins per account within `throttle_window` before the account is locked.
    pub max_failures_per_account: i32,
    /// Failed sign-ins per client address within `throttle_window` before it is locked.
    pub max_failures_per_address: i32,
    pub throttle_window: Duration,
    /// Delay added to every failed sign-in, so guessing is slow even below the lock threshold.
    pub failed_login_delay: std::time::Duration,
    pub mail: MailSettings,
    /// Time a unit has to answer a press question, by unit level.
    pub inquiry_due: std::collections::HashMap<crate::enums::UnitLevel, Duration>,
    /// Press conferences required per quarter, by unit level.
    pub conferences_per_quarter: std::collections::HashMap<crate::enums::UnitLevel, u32>,
    /// Releases or statements required each month, by unit level (levels not named: none).
    pub information_per_month: std::collections::HashMap<crate::enums::UnitLevel, u32>,
    /// From an incident to the unit's first statement.
    pub first_statement_hours: u32,
    /// How long a unit may be without an active spokesperson.
    pub spokesperson_vacancy_days: u32,
    /// The press-management authority's name as shown and mailed (`PRESSNET_AUTHORITY_NAME`).
    pub authority_name: String,
    /// `GET /metrics` requires this bearer token when set.
    pub metrics_token: Option<String>,
    /// Largest attachment accepted (`PRESSNET_MAX_UPLOAD_MB`).
    pub max_upload_bytes: u64,
    /// Whether webhooks, push endpoints and feeds may be on loopback or private addresses.
    pub allow_private_targets: bool,
    /// The one proxy outbound requests may use (`PRESSNET_OUTBOUND_PROXY`); never the
    /// environment's.
    pub outbound_proxy: Option<String>,
    /// How long a release e-mail's signed file links stay valid.
    pub file_link_ttl: Duration,
    /// The HTTP channels (WEBHOOK, PUSH) and escalation.
    pub outbound: OutboundSettings,
    /// Watching outlets' feeds, and press reports.
    pub monitoring: MonitoringSettings,
}

/// How outlets' feeds are polled, and how long a unit has to respond to a press report.
#[derive(Debug, Clone)]
pub struct MonitoringSettings {
    /// How often each feed is polled (`PRESSNET_FEED_POLL_SECS`); after failures, this
    /// doubled per failure, up to a day.
    pub feed_poll: Duration,
    /// How long one feed's fetch may take, redirects and body included.
    pub feed_timeout: std::time::Duration,
    /// The largest feed read; a larger one is a failed poll.
    pub feed_max_bytes: u64,
    /// Feeds fetched at once from one host (politeness: an outlet's server is not a CDN).
    pub feed_per_host: usize,
    /// Time a unit has to respond to a press report (`PRESSNET_PRESS_REPORT_DUE_DAYS`).
    pub press_report_due: Duration,
}

impl Default for MonitoringSettings {
    fn default() -> Self {
        Self {
            feed_poll: Duration::seconds(300),
            feed_timeout: std::time::Duration::from_secs(10),
            feed_max_bytes: 5 * 1024 * 1024,
            feed_per_host: 2,
            press_report_due: Duration::days(10),
        }
    }
}

/// The HTTP channels' retry policy and the escalation of unacknowledged releases.
#[derive(Debug, Clone)]
pub struct OutboundSettings {
    /// First retry delay of a webhook (`PRESSNET_WEBHOOK_RETRY_BASE_SECS`); each next one
    /// doubles, for up to `webhook_window`.
    pub webhook_retry_base: Duration,
    /// How long a webhook message is retried (72 hours: GOV.UK Notify's window).
    pub webhook_window: Duration,
    /// Failed attempts in a row after which an endpoint is disabled and its outlet e-mailed.
    pub webhook_disable_after: i32,
    /// How long a push service keeps a notification for an offline device (the TTL header).
    pub push_ttl: Duration,
    /// How long a claim on outbound messages lasts unless renewed.
    pub claim_ttl: Duration,
    /// Per release kind: minutes after which an outlet that has not acknowledged is sent the
    /// release again on its next channel. A kind not listed is not escalated.
    pub escalate_after: std::collections::HashMap<crate::enums::ReleaseKind, Duration>,
}

impl Default for OutboundSettings {
    fn default() -> Self {
        Self {
            webhook_retry_base: Duration::seconds(30),
            webhook_window: Duration::hours(72),
            webhook_disable_after: 10,
            push_ttl: Duration::hours(24),
            claim_ttl: Duration::seconds(15),
            escalate_after: [(crate::enums::ReleaseKind::Statement, Duration::minutes(30))]
                .into_iter()
                .collect(),
        }
    }
}

impl Settings {
    pub(crate) fn inquiry_due_for(&self, level: crate::enums::UnitLevel) -> Duration {
        self.inquiry_due
            .get(&level)
            .copied()
            .unwrap_or(Duration::hours(72))
    }
}

/// Every level with the same value.
pub fn per_level<T: Copy>(v: T) -> std::collections::HashMap<crate::enums::UnitLevel, T> {
    use crate::enums::UnitLevel::*;
    [Province, Department, Branch, Commune]
        .into_iter()
        .map(|l| (l, v))
        .collect()
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `PRESSNET_SMTP_URL`; `None`: the e-mail channel is off and EMAIL deliveries wait.
    pub smtp_url: Option<String>,
    pub from: String,
    /// First retry delay; each next one doubles, up to `retry_cap`.
    pub retry_base: Duration,
    pub retry_cap: Duration,
    /// Attempts before a delivery is FAILED.
    pub max_attempts: i32,
    /// How long a claim on e-mails lasts unless renewed. The sending worker renews its claims
    /// every third of this while it works (a heartbeat), so the lease can be short: if the
    /// instance dies, its claimed e-mails go out (from a restart or another instance) this
    /// long after, not minutes later.
    pub claim_ttl: Duration,
    /// SMTP connections, and so messages in flight, at once (`PRESSNET_SMTP_CONNECTIONS`).
    pub connections: usize,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "pressnet@localhost".into(),
            retry_base: Duration::seconds(30),
            retry_cap: Duration::hours(6),
            max_attempts: 8,
            claim_ttl: Duration::seconds(15),
            connections: 4,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            session_ttl: Duration::hours(12),
            remembered_session_ttl: Duration::days(30),
            invite_ttl: Duration::days(7),
            max_failures_per_account: 5,
            max_failures_per_address: 30,
            throttle_window: Duration::minutes(15),
            failed_login_delay: std::time::Duration::from_millis(300),
            mail: MailSettings::default(),
            inquiry_due: per_level(Duration::hours(72)),
            // Decree 09/2017: a provincial People's Committee holds at least one per quarter.
            conferences_per_quarter: [(crate::enums::UnitLevel::Province, 1)]
                .into_iter()
                .collect(),
            information_per_month: [
                (crate::enums::UnitLevel::Province, 1),
                (crate::enums::UnitLevel::Department, 1),
            ]
            .into_iter()
            .collect(),
            first_statement_hours: 24,
            spokesperson_vacancy_days: 5,
            authority_name: "Sở Văn hóa, Thể thao và Du lịch".into(),
            metrics_token: None,
            max_upload_bytes: 1024 * 1024 * 1024,
            file_link_ttl: Duration::days(7),
            allow_private_targets: false,
            outbound_proxy: None,
            outbound: OutboundSettings::default(),
            monitoring: MonitoringSettings::default(),
        }
    }
}
