//! Typed configuration from the environment (see `shared/api/operations.md`); every variable
//! also has a command-line flag of the same meaning.
use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Listen address.
    #[arg(
        long,
        env = "PRESSNET_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// SQLite file (created) or postgres://...
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/pressnet.db?mode=rwc",
        global = true
    )]
    pub database_url: String,
    /// SMTP server for the e-mail channel, e.g. smtp://127.0.0.1:2525; unset: e-mail off.
    #[arg(long, env = "PRESSNET_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    #[arg(
        long,
        env = "PRESSNET_MAIL_FROM",
        default_value = "pressnet@localhost",
        global = true
    )]
    pub mail_from: String,
    /// Base for links in e-mails and feeds; default http://<bind>.
    #[arg(long, env = "PRESSNET_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    #[arg(long, env = "PRESSNET_ADMIN_EMAIL", global = true)]
    pub admin_email: Option<String>,
    #[arg(
        long,
        env = "PRESSNET_ADMIN_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub admin_password: Option<String>,
    #[arg(
        long,
        env = "PRESSNET_EMAIL_RETRY_BASE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub email_retry_base_secs: u64,
    #[arg(
        long,
        env = "PRESSNET_EMAIL_MAX_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub email_max_attempts: u32,
    /// How long a claim on e-mails lasts unless the sending worker renews it (it does, every
    /// third of this): after a crash, another instance or a restart sends them this long after.
    #[arg(
        long,
        env = "PRESSNET_EMAIL_CLAIM_SECS",
        default_value_t = 15,
        global = true
    )]
    pub email_claim_secs: u64,
    /// SMTP connections (messages in flight) at once. Each message's outcome is committed
    /// before its connection takes the next, so a crash repeats at most this many messages.
    #[arg(
        long,
        env = "PRESSNET_SMTP_CONNECTIONS",
        default_value_t = 4,
        global = true
    )]
    pub smtp_connections: u32,
    #[arg(
        long,
        env = "PRESSNET_INQUIRY_DUE_HOURS",
        default_value_t = 72,
        global = true
    )]
    pub inquiry_due_hours: u32,
    /// Per unit level, overriding PRESSNET_INQUIRY_DUE_HOURS, e.g. "PROVINCE=48,COMMUNE=120".
    #[arg(long, env = "PRESSNET_INQUIRY_DUE_HOURS_BY_LEVEL", global = true)]
    pub inquiry_due_hours_by_level: Option<String>,
    /// Press conferences required per quarter, by unit level.
    #[arg(
        long,
        env = "PRESSNET_CONFERENCES_PER_QUARTER",
        default_value = "PROVINCE=1",
        global = true
    )]
    pub conferences_per_quarter: String,
    /// When set, `GET /metrics` requires `Authorization: Bearer <this>`.
    #[arg(
        long,
        env = "PRESSNET_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,
    /// Reverse proxies (CIDR list) whose X-Forwarded-For is believed; otherwise the peer counts.
    #[arg(long, env = "PRESSNET_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
    /// Ed25519 key that signs audit checkpoints; created on first start.
    /// Default: audit-ed25519.key beside the SQLite file (or in ./data).
    #[arg(long, env = "PRESSNET_AUDIT_KEY_FILE", global = true)]
    pub audit_key_file: Option<String>,
    /// Where attachments live: file:///dir or s3://bucket?endpoint=…&region=… (credentials from
    /// the AWS_* variables). Default: files/ in the data directory.
    #[arg(long, env = "PRESSNET_STORAGE_URL", global = true)]
    pub storage_url: Option<String>,
    /// Largest attachment accepted, in MB.
    #[arg(
        long,
        env = "PRESSNET_MAX_UPLOAD_MB",
        default_value_t = 1024,
        global = true
    )]
    pub max_upload_mb: u64,
    /// How long the file links in release e-mails stay valid, in days.
    #[arg(
        long,
        env = "PRESSNET_FILE_LINK_DAYS",
        default_value_t = 7,
        global = true
    )]
    pub file_link_days: u32,
    /// When 1, webhooks, push endpoints and outlet feeds may point at loopback or private
    /// addresses (tests, intranets); otherwise such targets are refused.
    #[arg(
        long,
        env = "PRESSNET_ALLOW_PRIVATE_TARGETS",
        default_value_t = false,
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::Set,
        global = true
    )]
    pub allow_private_targets: bool,
    /// A proxy for every outbound request (webhooks, push, outlets' feeds), e.g.
    /// `http://proxy.internal:3128`. Outbound requests never use `HTTP(S)_PROXY` from the
    /// environment: a proxy resolves names itself, past pressnet's check of private addresses,
    /// so only one configured here on purpose is used.
    #[arg(long, env = "PRESSNET_OUTBOUND_PROXY", global = true)]
    pub outbound_proxy: Option<String>,
    /// First retry delay of a failed webhook, in seconds; each next one doubles, for up to
    /// 72 hours.
    #[arg(
        long,
        env = "PRESSNET_WEBHOOK_RETRY_BASE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub webhook_retry_base_secs: u64,
    /// Failed webhook attempts in a row after which the endpoint is disabled and its outlet
    /// e-mailed.
    #[arg(
        long,
        env = "PRESSNET_WEBHOOK_DISABLE_AFTER",
        default_value_t = 10,
        global = true
    )]
    pub webhook_disable_after: u32,
    /// Escalation: "KIND=minutes,…" — an outlet that has not acknowledged a release of that
    /// kind within the minutes is sent it again on its next channel (push, then the newsroom's
    /// e-mail). Kinds not listed are not escalated; an empty value turns escalation off.
    #[arg(
        long,
        env = "PRESSNET_ESCALATE_AFTER_MINUTES",
        default_value = "STATEMENT=30",
        global = true
    )]
    pub escalate_after_minutes: String,
    /// How often each outlet's feeds are polled, in seconds.
    #[arg(
        long,
        env = "PRESSNET_FEED_POLL_SECS",
        default_value_t = 300,
        global = true
    )]
    pub feed_poll_secs: u64,
    /// How long one feed's fetch may take, in seconds (redirects and body included).
    #[arg(
        long,
        env = "PRESSNET_FEED_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub feed_timeout_secs: u64,
    /// Time a unit has to respond to a press report, in days.
    #[arg(
        long,
        env = "PRESSNET_PRESS_REPORT_DUE_DAYS",
        default_value_t = 10,
        global = true
    )]
    pub press_report_due_days: u32,
    /// The first rule set's hours from an incident to the unit's first statement.
    #[arg(
        long,
        env = "PRESSNET_INCIDENT_FIRST_STATEMENT_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub incident_first_statement_hours: u32,
    /// The first rule set's releases or statements required each month, by unit level.
    #[arg(
        long,
        env = "PRESSNET_INFORMATION_PER_MONTH",
        default_value = "PROVINCE=1,DEPARTMENT=1",
        global = true
    )]
    pub information_per_month: String,
    /// The first rule set's days a unit may be without an active spokesperson.
    #[arg(
        long,
        env = "PRESSNET_SPOKESPERSON_VACANCY_DAYS",
        default_value_t = 5,
        global = true
    )]
    pub spokesperson_vacancy_days: u32,
    /// The press-management authority's name as shown and mailed (it differs by province).
    #[arg(
        long,
        env = "PRESSNET_AUTHORITY_NAME",
        default_value = "Sở Văn hóa, Thể thao và Du lịch",
        global = true
    )]
    pub authority_name: String,
}

/// Parses "KIND=minutes,KIND=minutes" (release kinds); unknown kinds or numbers are errors.
pub fn parse_kinds(
    spec: &str,
) -> anyhow::Result<std::collections::HashMap<pressnet_domain::enums::ReleaseKind, chrono::Duration>>
{
    use pressnet_domain::enums::ReleaseKind;
    let mut out = std::collections::HashMap::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kind, minutes) = part
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("expected KIND=minutes, got {part:?}"))?;
        let kind = match kind.trim().to_ascii_uppercase().as_str() {
            "PRESS_RELEASE" => ReleaseKind::PressRelease,
            "PRESS_CONFERENCE" => ReleaseKind::PressConference,
            "STATEMENT" => ReleaseKind::Statement,
            "CORRECTION" => ReleaseKind::Correction,
            other => anyhow::bail!("unknown release kind {other:?}"),
        };
        let minutes: u32 = minutes
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{part:?}: minutes must be a whole number"))?;
        if minutes > 0 {
            out.insert(kind, chrono::Duration::minutes(i64::from(minutes)));
        }
    }
    Ok(out)
}

/// Parses "LEVEL=n,LEVEL=n" into a map; unknown levels or numbers are errors.
pub fn parse_levels(
    spec: &str,
) -> anyhow::Result<std::collections::HashMap<pressnet_domain::enums::UnitLevel, u32>> {
    use pressnet_domain::enums::UnitLevel;
    let mut out = std::collections::HashMap::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("expected LEVEL=number, got {part:?}"))?;
        let level = match k.trim().to_uppercase().as_str() {
            "PROVINCE" => UnitLevel::Province,
            "DEPARTMENT" => UnitLevel::Department,
            "BRANCH" => UnitLevel::Branch,
            "COMMUNE" => UnitLevel::Commune,
            other => anyhow::bail!("unknown unit level {other:?}"),
        };
        out.insert(level, v.trim().parse()?);
    }
    Ok(out)
}

impl Config {
    /// A configuration with every default, for a given database (tests, benchmarks).
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Self {
            bind: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            smtp_url: None,
            mail_from: "pressnet@localhost".into(),
            public_url: None,
            admin_email: None,
            admin_password: None,
            email_retry_base_secs: 30,
            email_max_attempts: 8,
            email_claim_secs: 15,
            smtp_connections: 4,
            inquiry_due_hours: 72,
            inquiry_due_hours_by_level: None,
            conferences_per_quarter: "PROVINCE=1".into(),
            metrics_token: None,
            trusted_proxies: None,
            audit_key_file: None,
            storage_url: None,
            max_upload_mb: 1024,
            file_link_days: 7,
            allow_private_targets: false,
            outbound_proxy: None,
            webhook_retry_base_secs: 30,
            webhook_disable_after: 10,
            escalate_after_minutes: "STATEMENT=30".into(),
            feed_poll_secs: 300,
            feed_timeout_secs: 10,
            press_report_due_days: 10,
            incident_first_statement_hours: 24,
            information_per_month: "PROVINCE=1,DEPARTMENT=1".into(),
            spokesperson_vacancy_days: 5,
            authority_name: "Sở Văn hóa, Thể thao và Du lịch".into(),
        }
    }

    pub fn mail_settings(&self) -> pressnet_domain::settings::MailSettings {
        pressnet_domain::settings::MailSettings {
            smtp_url: self.smtp_url.clone().filter(|u| !u.trim().is_empty()),
            from: self.mail_from.clone(),
            retry_base: chrono::Duration::seconds(self.email_retry_base_secs.max(1) as i64),
            retry_cap: chrono::Duration::hours(6),
            max_attempts: self.email_max_attempts.max(1) as i32,
            // Renewed by the sender's heartbeat, so it need not outlast an SMTP attempt.
            claim_ttl: chrono::Duration::seconds(self.email_claim_secs.max(3) as i64),
            connections: self.smtp_connections.clamp(1, 64) as usize,
        }
    }

    /// `PRESSNET_AUDIT_KEY_FILE`, or `audit-ed25519.key` in the data directory: the SQLite
    /// file's folder, or `data/` when the database is PostgreSQL.
    pub fn audit_key_path(&self) -> std::path::PathBuf {
        if let Some(p) = self.audit_key_file.as_deref().filter(|p| !p.is_empty()) {
            return p.into();
        }
        self.data_dir().join("audit-ed25519.key")
    }

    /// `PRESSNET_STORAGE_URL`, or `file://<data dir>/files`.
    pub fn storage_url(&self) -> String {
        match self.storage_url.as_deref().filter(|u| !u.is_empty()) {
            Some(u) => u.to_owned(),
            None => {
                let dir = self.data_dir().join("files");
                let abs = std::path::absolute(&dir).unwrap_or(dir);
                format!("file://{}", abs.display())
            }
        }
    }

    /// The SQLite file's folder, or `data/` when the database is PostgreSQL.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .and_then(|file| {
                std::path::Path::new(file)
                    .parent()
                    .map(std::path::Path::to_path_buf)
            })
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| "data".into())
    }

    pub fn public_url(&self, bound: std::net::SocketAddr) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }
}
