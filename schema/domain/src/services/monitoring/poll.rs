//! Polling outlets' feeds. Due feeds are claimed with short leases (the same statement as the
//! e-mail and HTTP queues: `FOR UPDATE SKIP LOCKED` on PostgreSQL), so several instances share
//! the polling and each feed is fetched once a period; each fetch is conditional and bounded
//! ([`super::fetch`]), at most [`MonitoringSettings::feed_per_host`] at once per host; each
//! outcome (new articles, their pickups and alerts, the feed's validators and schedule)
//! commits in one transaction. A failing feed is retried later and later: the period doubled per failure in
//! a row, up to a day.
use super::alerts;
use super::fetch::{self, Fetched, Limits};
use super::parse::{self, Draft};
use super::pickups::{self, Window};
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::outlet_feed;
use crate::error::{AppError, AppResult};
use crate::queue::lease::Claim;
use crate::services::channels::http::host_of;
use crate::settings::MonitoringSettings;
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use url::Url;

/// Feeds claimed at once.
const BATCH: u64 = 64;
/// Feeds fetched at once, over all hosts.
const CONCURRENCY: usize = 32;
/// What a polling pass reads once: the releases articles are matched to, and the units'
/// names alerts count.
struct Pass {
    window: Window,
    names: alerts::Names,
}

impl Pass {
    async fn load(ctx: &AppContext) -> AppResult<Self> {
        Ok(Self {
            window: Window::load(&ctx.db, &ctx.settings.public_url, ctx.clock.now()).await?,
            names: alerts::Names::load(&ctx.db).await?,
        })
    }
}

/// What became of one feed's poll.
enum Outcome {
    NotModified,
    Fresh {
        drafts: Vec<Draft>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    Failed(String),
}

/// Polls feeds: one HTTP client, and the per-host gates that keep it polite.
pub struct Poller {
    client: reqwest::Client,
    limits: Limits,
    settings: MonitoringSettings,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Poller {
    pub fn new(ctx: &AppContext) -> AppResult<Self> {
        let m = ctx.settings.monitoring.clone();
        let client = crate::outbound::client(&ctx.settings)
            .map_err(|e| AppError::caused("the feed client", e))?;
        Ok(Self {
            client,
            limits: Limits {
                timeout: m.feed_timeout,
                max_bytes: m.feed_max_bytes,
                allow_private: ctx.settings.allow_private_targets,
            },
            settings: m,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    fn gate(&self, host: String) -> Arc<Semaphore> {
        let mut hosts = self
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        hosts
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(self.settings.feed_per_host.max(1))))
            .clone()
    }

    /// Polls every due feed (claiming them in batches until none is left); returns how many
    /// new articles were stored.
    #[tracing::instrument(name = "worker.feeds", skip_all, err(Debug, level = "debug"))]
    pub async fn run_due(&self, ctx: &AppContext) -> AppResult<usize> {
        let mut pass: Option<Pass> = None;
        let mut fresh = 0;
        loop {
            let feeds = claim(ctx, self.claim_ttl()).await?;
            if feeds.is_empty() {
                break;
            }
            fresh += self.process(ctx, feeds, &mut pass).await?;
        }
        Ok(fresh)
    }

    /// Polls every feed no instance holds now, whatever its schedule: all are claimed in one
    /// statement (so a worker cannot take one in between), then polled in batches.
    pub(crate) async fn run_all(&self, ctx: &AppContext) -> AppResult<usize> {
        let mut feeds = Claim {
            limit: None,
            scheduled: false,
            ..SOURCES
        }
        .run::<outlet_feed::Entity>(ctx, self.claim_ttl())
        .await?;
        let mut pass = None;
        let mut fresh = 0;
        while !feeds.is_empty() {
            let rest = feeds.split_off(feeds.len().min(BATCH as usize));
            fresh += self.process(ctx, feeds, &mut pass).await?;
            feeds = rest;
        }
        Ok(fresh)
    }

    /// Fetches claimed feeds and records each outcome; the releases they are matched to and
    /// the units' names are read once per pass.
    async fn process(
        &self,
        ctx: &AppContext,
        feeds: Vec<outlet_feed::Model>,
        pass: &mut Option<Pass>,
    ) -> AppResult<usize> {
        let outcomes: Vec<(outlet_feed::Model, Outcome)> = futures::stream::iter(feeds)
            .map(|f| async move {
                let o = self.poll_one(&f).await;
                (f, o)
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        if pass.is_none() {
            *pass = Some(Pass::load(ctx).await?);
        }
        let Some(p) = pass.as_ref() else {
            return Ok(0);
        };
        let mut fresh = 0;
        for (f, o) in outcomes {
            fresh += self.record(ctx, p, &f, o).await?;
        }
        Ok(fresh)
    }

    /// Long enough for a fetch at its slowest, and its recording.
    fn claim_ttl(&self) -> Duration {
        Duration::from_std(self.limits.timeout * 3).unwrap_or(Duration::seconds(30))
            + Duration::seconds(30)
    }

    async fn poll_one(&self, f: &outlet_feed::Model) -> Outcome {
        let Ok(url) = Url::parse(&f.url) else {
            return Outcome::Failed("not a valid URL".into());
        };
        let gate = self.gate(host_of(&url));
        let Ok(_permit) = gate.acquire_owned().await else {
            return Outcome::Failed("shutting down".into());
        };
        match fetch::fetch(
            &self.client,
            &url,
            f.etag.as_deref(),
            f.last_modified.as_deref(),
            &self.limits,
        )
        .await
        {
            Ok(Fetched::NotModified) => Outcome::NotModified,
            Ok(Fetched::Body {
                bytes,
                etag,
                last_modified,
            }) => {
                // Parsing a feed of megabytes is CPU work: off the async threads.
                let parsed = tokio::task::spawn_blocking(move || parse::parse(&bytes, &url)).await;
                match parsed {
                    Ok(Ok(drafts)) => Outcome::Fresh {
                        drafts,
                        etag,
                        last_modified,
                    },
                    Ok(Err(e)) => Outcome::Failed(e.to_string()),
                    Err(_) => Outcome::Failed("the parser stopped".into()),
                }
            }
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }

    async fn record(
        &self,
        ctx: &AppContext,
        pass: &Pass,
        f: &outlet_feed::Model,
        outcome: Outcome,
    ) -> AppResult<usize> {
        let now = ctx.clock.now();
        let txn = crate::db::begin_write(&ctx.db).await?;
        let mut update = outlet_feed::Entity::update_many()
            .col_expr(
                outlet_feed::Column::ClaimedUntil,
                Expr::value(None::<DateTime<Utc>>),
            )
            .col_expr(outlet_feed::Column::LastPolledAt, Expr::value(now))
            .filter(outlet_feed::Column::Id.eq(f.id));
        let mut fresh = 0;
        match outcome {
            Outcome::NotModified => {
                update = ok(update, now + self.settings.feed_poll);
            }
            Outcome::Fresh {
                drafts,
                etag,
                last_modified,
            } => {
                let stored =
                    super::articles::store(&txn, f.outlet_id, Some(f.id), drafts, now).await?;
                fresh = stored.len();
                if !stored.is_empty() {
                    pickups::record(&txn, &pass.window, &stored, now).await?;
                    alerts::check(&txn, &pass.names, &stored, &ctx.settings.public_url, now)
                        .await?;
                }
                update = ok(update, now + self.settings.feed_poll)
                    .col_expr(outlet_feed::Column::Etag, Expr::value(etag))
                    .col_expr(
                        outlet_feed::Column::LastModified,
                        Expr::value(last_modified),
                    );
            }
            Outcome::Failed(error) => {
                let failures = f.failures.saturating_add(1);
                tracing::info!(feed = %f.id, failures, error = %error, "feed poll failed");
                update = update
                    .col_expr(outlet_feed::Column::Failures, Expr::value(failures))
                    .col_expr(outlet_feed::Column::LastError, Expr::value(error))
                    .col_expr(
                        outlet_feed::Column::NextAttemptAt,
                        Expr::value(
                            now + crate::queue::backoff::backoff(self.settings.feed_poll, failures),
                        ),
                    );
            }
        }
        update.exec(&txn).await?;
        txn.commit().await?;
        Ok(fresh)
    }
}

fn ok(
    update: sea_orm::UpdateMany<outlet_feed::Entity>,
    next: DateTime<Utc>,
) -> sea_orm::UpdateMany<outlet_feed::Entity> {
    update
        .col_expr(outlet_feed::Column::Failures, Expr::value(0))
        .col_expr(outlet_feed::Column::LastError, Expr::value(None::<String>))
        .col_expr(outlet_feed::Column::NextAttemptAt, Expr::value(next))
}

/// Outlets' sources as a queue: each is due at its `next_attempt_at`.
const SOURCES: Claim<'static> = Claim {
    table: "outlet_feeds",
    work: "1 = 1",
    scheduled: true,
    order_by: "next_attempt_at",
    limit: Some(BATCH),
};

async fn claim(ctx: &AppContext, ttl: Duration) -> AppResult<Vec<outlet_feed::Model>> {
    SOURCES.run::<outlet_feed::Entity>(ctx, ttl).await
}

/// Polls every feed now, whatever its schedule (ADMIN); returns how many new articles were
/// stored. A feed another poller (this instance's worker, or another instance) holds at that
/// moment is left to it, but its poll is under way: the answer waits for it (at most the feed
/// timeout and a margin) and counts what it stored, so "poll now" never says "0 new" while the
/// articles it asked for arrive a second later.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn poll_now(ctx: &AppContext, viewer: &Viewer) -> AppResult<usize> {
    viewer.require_admin()?;
    let started = ctx.clock.now();
    let busy: Vec<uuid::Uuid> = outlet_feed::Entity::find()
        .select_only()
        .column(outlet_feed::Column::Id)
        .filter(outlet_feed::Column::ClaimedUntil.gt(started))
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mine = Poller::new(ctx)?.run_all(ctx).await?;
    if busy.is_empty() {
        return Ok(mine);
    }
    let deadline = tokio::time::Instant::now()
        + ctx.settings.monitoring.feed_timeout
        + std::time::Duration::from_secs(5);
    loop {
        let held = outlet_feed::Entity::find()
            .filter(outlet_feed::Column::Id.is_in(busy.clone()))
            .filter(outlet_feed::Column::ClaimedUntil.gt(ctx.clock.now()))
            .count(&ctx.db)
            .await?;
        if held == 0 || tokio::time::Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let theirs = crate::entities::article::Entity::find()
        .filter(crate::entities::article::Column::FeedId.is_in(busy))
        .filter(crate::entities::article::Column::FetchedAt.gte(started))
        .count(&ctx.db)
        .await?;
    Ok(mine + usize::try_from(theirs).unwrap_or(usize::MAX))
}
