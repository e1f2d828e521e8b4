//! Assembling the application: database, migrations, bootstrap, router, workers, shutdown.
use crate::config::Config;
use crate::routes::{self, AppState};
use crate::workers;
use anyhow::Context as _;
use pressnet_domain::clock::Clock;
use pressnet_domain::enums::Role;
use pressnet_domain::error::Failure;
use pressnet_domain::services::accounts;
use pressnet_domain::settings::Settings;
use pressnet_domain::{db, demo, AppContext};
use pressnet_schema::graphql::build_schema;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

#[derive(Default, Clone)]
pub struct BuildOptions {
    /// Load the demo province before serving.
    pub demo: bool,
    /// The clock to use (tests pass one they can move).
    pub clock: Clock,
}

pub struct Application {
    listener: TcpListener,
    database_url: String,
    addr: SocketAddr,
    ctx: AppContext,
    state: AppState,
}

impl Application {
    /// Connects, migrates, bootstraps the admin account, optionally loads the demo, and binds.
    pub async fn build(config: &Config, opts: BuildOptions) -> anyhow::Result<Self> {
        let conn = db::connect(&config.database_url)
            .await
            .with_context(|| "cannot open the database (check DATABASE_URL)")?;
        db::migrate(&conn).await.context("migrations failed")?;
        // Lists without `first` are priced by their real size: learn the sizes before the
        // first request.
        pressnet_schema::graphql::cost::learn(&conn)
            .await
            .context("reading the registry's size")?;
        let listener = TcpListener::bind(&config.bind)
            .await
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let addr = listener.local_addr()?;
        let settings = Settings {
            public_url: config.public_url(addr),
            mail: config.mail_settings(),
            inquiry_due: {
                let mut m = pressnet_domain::settings::per_level(chrono::Duration::hours(
                    i64::from(config.inquiry_due_hours),
                ));
                for (level, hours) in crate::config::parse_levels(
                    config.inquiry_due_hours_by_level.as_deref().unwrap_or(""),
                )? {
                    m.insert(level, chrono::Duration::hours(i64::from(hours)));
                }
                m
            },
            conferences_per_quarter: crate::config::parse_levels(&config.conferences_per_quarter)?,
            information_per_month: crate::config::parse_levels(&config.information_per_month)
                .context("PRESSNET_INFORMATION_PER_MONTH")?,
            first_statement_hours: config.incident_first_statement_hours.clamp(1, 24 * 365),
            spokesperson_vacancy_days: config.spokesperson_vacancy_days.clamp(1, 3650),
            authority_name: Some(config.authority_name.trim())
                .filter(|n| !n.is_empty())
                .unwrap_or("Sở Văn hóa, Thể thao và Du lịch")
                .to_owned(),
            metrics_token: config.metrics_token.clone().filter(|t| !t.is_empty()),
            max_upload_bytes: config.max_upload_mb.max(1).saturating_mul(1024 * 1024),
            allow_private_targets: config.allow_private_targets,
            outbound_proxy: config
                .outbound_proxy
                .clone()
                .filter(|p| !p.trim().is_empty()),
            file_link_ttl: chrono::Duration::days(i64::from(config.file_link_days.clamp(1, 90))),
            outbound: pressnet_domain::settings::OutboundSettings {
                webhook_retry_base: chrono::Duration::seconds(
                    config.webhook_retry_base_secs.clamp(1, 3600) as i64,
                ),
                webhook_disable_after: config.webhook_disable_after.clamp(1, 1000) as i32,
                escalate_after: crate::config::parse_kinds(&config.escalate_after_minutes)
                    .context("PRESSNET_ESCALATE_AFTER_MINUTES")?,
                ..Default::default()
            },
            monitoring: pressnet_domain::settings::MonitoringSettings {
                feed_poll: chrono::Duration::seconds(config.feed_poll_secs.clamp(1, 86_400) as i64),
                feed_timeout: std::time::Duration::from_secs(config.feed_timeout_secs.clamp(1, 60)),
                press_report_due: chrono::Duration::days(i64::from(
                    config.press_report_due_days.clamp(1, 365),
                )),
                ..Default::default()
            },
            ..Settings::default()
        };
        let mut ctx = AppContext::new(conn, settings, opts.clock);
        let key_path = config.audit_key_path();
        let key = pressnet_domain::keys::ServerKey::load_or_create(&key_path)
            .map_err(Failure)
            .context("PRESSNET_AUDIT_KEY_FILE")?;
        ctx.server_key = Some(std::sync::Arc::new(key));
        let storage = pressnet_domain::storage::Storage::from_url(&config.storage_url())
            .context("PRESSNET_STORAGE_URL")?;
        tracing::info!(kind = storage.kind, "attachment storage ready");
        ctx.storage = Some(std::sync::Arc::new(storage));
        pressnet_domain::services::rules::seed_first(&ctx)
            .await
            .map_err(Failure)
            .context("writing the first rule set")?;

        if let (Some(email), Some(pass)) = (&config.admin_email, &config.admin_password) {
            accounts::ensure_staff_account(&ctx, email, pass, Role::Admin)
                .await
                .map_err(Failure)
                .context("PRESSNET_ADMIN_EMAIL/PASSWORD")?;
            tracing::info!(%email, "administrator account ready");
        }
        if opts.demo {
            demo::load(&ctx)
                .await
                .map_err(Failure)
                .context("loading the demo province")?;
        }
        // The hub's feed watermark: subscribers read anything older from the database.
        pressnet_domain::services::fanout::init(&ctx)
            .await
            .map_err(Failure)
            .context("reading the feed watermark")?;
        let schema = build_schema(ctx.clone());
        let mut state = AppState::new(ctx.clone(), schema);
        state.trusted_proxies = std::sync::Arc::new(crate::routes::client_addr::parse_trusted(
            config.trusted_proxies.as_deref().unwrap_or(""),
        )?);
        Ok(Self {
            listener,
            database_url: config.database_url.clone(),
            addr,
            ctx,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn context(&self) -> &AppContext {
        &self.ctx
    }

    /// Serves until `shutdown` resolves, then stops accepting, lets in-flight requests finish,
    /// closes websockets, stops the workers and returns.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let stop = self.state.shutdown.clone();
        let worker_handles = workers::spawn_all(
            &self.ctx,
            &self.database_url,
            &self.state.live_sessions,
            &stop,
        );
        let router = routes::router(self.state);
        tracing::info!(addr = %self.addr, "pressnet listening");
        let stop_for_signal = stop.clone();
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down");
            stop_for_signal.cancel();
        })
        .await
        .context("server error")?;
        stop.cancel();
        for h in worker_handles {
            let _ = h.await;
        }
        self.ctx.db.clone().close().await.ok();
        tracing::info!("stopped");
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
