//! Background workers, started with the server and stopped on shutdown: every one of them is
//! started here (`spawn_all`), under the shutdown token; no constructor starts a task.
use futures::StreamExt;
use pressnet_domain::enums::MailKind;
use pressnet_domain::mail::message::Rendered;
use pressnet_domain::mail::sender::Mailer;
use pressnet_domain::mail::{load, render};
use pressnet_domain::queue::heartbeat::Heartbeat;
use pressnet_domain::services::channels::email::Email;
use pressnet_domain::services::channels::verdict::Verdict;
use pressnet_domain::services::outbox::{self, Job};
use pressnet_domain::services::{
    accounts, attachments, channels, conferences, deliveries, digest, inquiries, press_cards,
    publishing, throttle, vacancies,
};
use pressnet_domain::AppContext;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// How often the scheduler looks for due releases: well inside the promised second.
const SCHEDULER_TICK: Duration = Duration::from_millis(250);
/// How often reminders and digests are looked for.
const DAILY_TICK: Duration = Duration::from_secs(5);
/// How often an idle outbound worker looks for retries that fell due.
const OUTBOUND_POLL: Duration = Duration::from_millis(500);
const OUTBOUND_BATCH: u64 = 256;
/// How often unacknowledged releases are looked at for escalation.
const ESCALATION_TICK: Duration = Duration::from_secs(1);
/// How often due outlet feeds are looked for (each is polled once a `feed_poll` period).
const FEED_TICK: Duration = Duration::from_secs(1);
/// How often stored blobs nothing references are looked for.
const BLOB_SWEEP_TICK: Duration = Duration::from_secs(600);
/// How often an idle e-mail worker looks at the outbox.
const OUTBOX_POLL: Duration = Duration::from_millis(300);
const OUTBOX_BATCH: u64 = 256;
/// Outcomes recorded per transaction, at most (one per connection waits at a time, so this is
/// only a bound).
const RECORD_BATCH: usize = 64;

/// How often SQLite's write-ahead log is copied into the database file.
const CHECKPOINT_TICK: Duration = Duration::from_secs(1);

/// Starts every worker (the one place any is started); each stops when `stop` is cancelled.
pub fn spawn_all(
    ctx: &AppContext,
    database_url: &str,
    live_sessions: &std::sync::Arc<crate::routes::ws::sessions::LiveSessions>,
    stop: &CancellationToken,
) -> Vec<JoinHandle<()>> {
    let mut handles = vec![
        tokio::spawn(deliveries::record_marks(ctx.clone(), stop.clone())),
        tokio::spawn(crate::routes::ws::sessions::sweeper(
            ctx.clone(),
            live_sessions.clone(),
            stop.clone(),
        )),
        tokio::spawn(scheduler(ctx.clone(), stop.clone())),
        tokio::spawn(blob_collector(ctx.clone(), stop.clone())),
        tokio::spawn(feed_poller(ctx.clone(), stop.clone())),
    ];
    match pressnet_domain::outbound::client(&ctx.settings) {
        Ok(client) => handles.push(tokio::spawn(outbound(ctx.clone(), client, stop.clone()))),
        Err(e) => tracing::error!(error = %e, "no outbound HTTP client: WEBHOOK and PUSH wait"),
    }
    // Other instances' events, and this one's announced to them.
    handles.extend(pressnet_domain::events::relay::start(
        ctx,
        database_url,
        stop,
    ));
    if ctx.db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        handles.push(tokio::spawn(checkpointer(ctx.clone(), stop.clone())));
    }
    match Mailer::from_settings(&ctx.settings.mail) {
        Ok(Some(mailer)) => handles.push(tokio::spawn(email(ctx.clone(), mailer, stop.clone()))),
        Ok(None) => {
            tracing::warn!("PRESSNET_SMTP_URL is not set: EMAIL deliveries and the outbox wait");
        }
        Err(e) => {
            tracing::error!(error = %e.detail(), "e-mail channel misconfigured; EMAIL deliveries and the outbox wait");
        }
    }
    handles
}

/// Publishes SCHEDULED releases when their time comes, and queues conference reminders and
/// digests. State lives in the database, so a release that fell due while the server was
/// down publishes on the first tick after start; several instances may run this loop, the
/// publication transaction publishes each release exactly once.
#[tracing::instrument(name = "worker.scheduler", skip_all)]
async fn scheduler(ctx: AppContext, stop: CancellationToken) {
    let mut last_daily = tokio::time::Instant::now() - DAILY_TICK;
    let mut last_escalation = tokio::time::Instant::now() - ESCALATION_TICK;
    loop {
        match publishing::publish_due(&ctx).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(published = n, "scheduled releases published"),
            Err(e) => tracing::error!(error = %e.detail(), "scheduler pass failed; retrying"),
        }
        if last_escalation.elapsed() >= ESCALATION_TICK {
            last_escalation = tokio::time::Instant::now();
            match channels::escalation::run(&ctx).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(escalated = n, "unacknowledged deliveries escalated"),
                Err(e) => tracing::error!(error = %e.detail(), "escalation failed; retrying"),
            }
        }
        if last_daily.elapsed() >= DAILY_TICK {
            last_daily = tokio::time::Instant::now();
            if let Err(e) = conferences::send_due_reminders(&ctx).await {
                tracing::error!(error = %e.detail(), "conference reminders failed; retrying");
            }
            if let Err(e) = digest::send_due_digests(&ctx).await {
                tracing::error!(error = %e.detail(), "digests failed; retrying");
            }
            if let Err(e) = inquiries::remind_overdue(&ctx).await {
                tracing::error!(error = %e.detail(), "overdue reminders failed; retrying");
            }
            if let Err(e) =
                pressnet_domain::services::monitoring::press_reports::remind_overdue(&ctx).await
            {
                tracing::error!(error = %e.detail(), "press report reminders failed; retrying");
            }
            if let Err(e) = press_cards::remind_expiring(&ctx).await {
                tracing::error!(error = %e.detail(), "press card reminders failed; retrying");
            }
            if let Err(e) = vacancies::remind(&ctx).await {
                tracing::error!(error = %e.detail(), "vacancy reminders failed; retrying");
            }
            if let Err(e) = accounts::prune_expired_tokens(&ctx).await {
                tracing::warn!(error = %e.detail(), "pruning expired tokens failed; retrying");
            }
            if let Err(e) = throttle::prune(&ctx).await {
                tracing::warn!(error = %e.detail(), "pruning sign-in counts failed; retrying");
            }
        }

        tokio::select! {
            _ = stop.cancelled() => break,
            _ = tokio::time::sleep(SCHEDULER_TICK) => {}
        }
    }
}

/// The HTTP channels (WEBHOOK, PUSH): sends due messages in batches, woken at once when a
/// publication queues some, and looks again every `OUTBOUND_POLL` for retries that fell due.
#[tracing::instrument(name = "worker.outbound", skip_all)]
async fn outbound(ctx: AppContext, client: reqwest::Client, stop: CancellationToken) {
    let channels = channels::catalog::http();
    loop {
        let n = match channels::http_worker::run_batch(&ctx, &client, &channels, OUTBOUND_BATCH)
            .await
        {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e.detail(), "outbound batch failed; retrying");
                0
            }
        };
        if n > 0 {
            if stop.is_cancelled() {
                break;
            }
            continue;
        }
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = ctx.outbound_ready.notified() => {}
            _ = tokio::time::sleep(OUTBOUND_POLL) => {}
        }
    }
}

/// Deletes stored blobs nothing references (`attachments::sweep`), off the scheduler's loop:
/// listing a large bucket must not delay a publication.
#[tracing::instrument(name = "worker.blob_collector", skip_all)]
async fn blob_collector(ctx: AppContext, stop: CancellationToken) {
    loop {
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = tokio::time::sleep(BLOB_SWEEP_TICK) => {}
        }
        match attachments::sweep(&ctx).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "unreferenced blobs collected"),
            Err(e) => tracing::warn!(error = %e.detail(), "collecting blobs failed; retrying"),
        }
    }
}

/// SQLite: checkpoints the write-ahead log every second, off the request path (see
/// `db::checkpoint`). A failed pass is logged and tried again at the next tick.
#[tracing::instrument(name = "worker.checkpointer", skip_all)]
async fn checkpointer(ctx: AppContext, stop: CancellationToken) {
    loop {
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = tokio::time::sleep(CHECKPOINT_TICK) => {}
        }
        if let Err(e) = pressnet_domain::db::checkpoint(&ctx.db).await {
            tracing::warn!(error = %e, "WAL checkpoint failed; retrying");
        }
    }
}

/// Sends the e-mail queues (the outbox and the EMAIL deliveries). A batch in flight is
/// finished before shutdown, so a restart neither loses nor repeats a message.
#[tracing::instrument(name = "worker.email", skip_all)]
async fn email(ctx: AppContext, mailer: Mailer, stop: CancellationToken) {
    let connections = ctx.settings.mail.connections.max(1);
    while !stop.is_cancelled() {
        let jobs = match outbox::claim(&ctx, OUTBOX_BATCH).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::error!(error = %e.detail(), "claiming e-mail to send failed; retrying");
                Vec::new()
            }
        };
        if jobs.is_empty() {
            // The poll also finds mail queued by other instances and retries falling due.
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = ctx.outbox_ready.notified() => {}
                _ = tokio::time::sleep(OUTBOX_POLL) => {}
            }
            continue;
        }
        // The heartbeat: the batch's claims are renewed while it is being sent, so a short
        // lease never lapses under a live worker, and a dead one's lapses in seconds.
        let heartbeat = {
            let ctx = ctx.clone();
            let ids: Vec<(outbox::Queue, Uuid)> =
                jobs.iter().map(|j| (j.queue, j.mail.id)).collect();
            Heartbeat::start(ctx.settings.mail.claim_ttl, "e-mail", move || {
                let (ctx, ids) = (ctx.clone(), ids.clone());
                async move { outbox::renew_claims(&ctx, &ids).await }
            })
        };
        // A release's newsrooms get the same message: render each distinct one once (the
        // distinct ones, journalists' copies with their own unsubscribe links, side by side).
        let mut distinct: HashMap<RenderKey, Job> = HashMap::new();
        for job in &jobs {
            distinct
                .entry(render_key(job))
                .or_insert_with(|| job.clone());
        }
        let rendered: HashMap<RenderKey, Result<Rendered, String>> =
            futures::stream::iter(distinct)
                .map(|(key, job)| {
                    let ctx = ctx.clone();
                    async move {
                        // Loaded from the database, then rendered from that alone.
                        let letter = load::load(&ctx, &job.mail).await;
                        let r = letter.and_then(|l| render::render(&l)).map_err(|e| {
                            // The log gets the cause; the delivery log the public text.
                            tracing::error!(error = %e.detail(), "rendering an e-mail");
                            e.public_message()
                        });
                        (key, r)
                    }
                })
                .buffer_unordered(connections)
                .collect()
                .await;
        // Each connection sends a message, then waits until its outcome is committed before it
        // takes the next: a crash can then repeat at most one message per connection (the one
        // whose acceptance was not recorded yet), where recording a batch later repeated the
        // whole batch. The recorder commits whatever outcomes are waiting in one transaction,
        // so the connections share their commits.
        let (tx, rx) = mpsc::channel(connections);
        let recorder = tokio::spawn(record_outcomes(ctx.clone(), rx));
        let rendered = &rendered;
        // Connections kept from an earlier batch get TCP_NODELAY now; ones this batch opens,
        // once each of the first round of messages has gone (`Mailer::no_delay`).
        mailer.no_delay().await;
        let sent = std::sync::atomic::AtomicUsize::new(0);
        let sent = &sent;
        futures::stream::iter(jobs)
            .for_each_concurrent(connections, |job| {
                let tx = tx.clone();
                let mailer = &mailer;
                async move {
                    let outcome = Email
                        .send(mailer, &job, rendered.get(&render_key(&job)))
                        .await;
                    if sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1 == connections {
                        mailer.no_delay().await;
                    }
                    let (recorded, done) = oneshot::channel();
                    // The recorder outlives this loop (it ends when every sender is gone).
                    if tx.send((job, outcome, recorded)).await.is_ok() {
                        let _ = done.await;
                    }
                }
            })
            .await;
        drop(tx);
        if let Err(e) = recorder.await {
            tracing::error!(error = %e, "the e-mail recorder stopped");
        }
        drop(heartbeat);
    }
}

/// An attempt's outcome, and whom to tell once it is committed.
type Outcome = (Job, Verdict, oneshot::Sender<()>);

/// Commits outcomes as they come, up to `RECORD_BATCH` per transaction, and tells each sender
/// when its outcome is recorded (or could not be: then its claim expires and it is retried).
#[tracing::instrument(name = "worker.email.record", skip_all)]
async fn record_outcomes(ctx: AppContext, mut rx: mpsc::Receiver<Outcome>) {
    let mut buf = Vec::with_capacity(RECORD_BATCH);
    while rx.recv_many(&mut buf, RECORD_BATCH).await > 0 {
        let (batch, acks): (Vec<(Job, Verdict)>, Vec<oneshot::Sender<()>>) = buf
            .drain(..)
            .map(|(job, verdict, ack)| ((job, verdict), ack))
            .unzip();
        if let Err(e) = outbox::record_many(&ctx, batch.clone()).await {
            // One bad row (or a deadlock) must not send the whole batch again when the claims
            // expire: record the messages one by one.
            tracing::warn!(error = %e.detail(), messages = batch.len(), "recording a batch of e-mail attempts failed; recording them one by one");
            for (job, outcome) in batch {
                let (id, queue) = (job.mail.id, job.queue);
                if let Err(e) = outbox::record_many(&ctx, vec![(job, outcome)]).await {
                    tracing::error!(error = %e.detail(), %id, ?queue, "recording an e-mail attempt failed; the claim expires and it is retried");
                }
            }
        }
        for ack in acks {
            let _ = ack.send(());
        }
    }
}

/// What a message's content depends on: its kind, release and payload (notice, unsubscribe
/// token), never the recipient's address.
type RenderKey = (MailKind, Option<Uuid>, String);

fn render_key(job: &Job) -> RenderKey {
    (job.mail.kind, job.mail.release_id, job.mail.payload.clone())
}

/// Polls outlets' feeds as they fall due (`services::monitoring::poll`); several instances
/// share the feeds through claims.
#[tracing::instrument(name = "worker.feed_poller", skip_all)]
async fn feed_poller(ctx: AppContext, stop: CancellationToken) {
    let poller = match pressnet_domain::services::monitoring::poll::Poller::new(&ctx) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e.detail(), "no feed client: outlets' feeds are not polled");
            return;
        }
    };
    loop {
        match poller.run_due(&ctx).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(articles = n, "new articles in outlets' feeds"),
            Err(e) => tracing::error!(error = %e.detail(), "feed poll failed; retrying"),
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(FEED_TICK) => {}
            _ = ctx.sources_ready.notified() => {}
        }
    }
}
