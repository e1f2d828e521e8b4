//! Publication: the moment a release goes out.
//!
//! One transaction changes the status and writes the delivery log (one row per addressed
//! outlet and channel, a multi-row insert) and the outlets' feed items. Only after it commits
//! does the hub hear of it. `AppContext::publish_lock` (and on PostgreSQL an advisory lock)
//! is held from before the transaction until the hub has the event, so feed sequence numbers
//! commit and reach subscribers in order: a subscriber can trust "seq > last seen".
use crate::auth::Viewer;
use crate::bulk;
use crate::context::AppContext;
use crate::db::{begin_write, lock_publication, ROWS_PER_INSERT};
use crate::entities::{delivery, feed_item, outlet, press_conference, release, unit};
use crate::enums::{Channel, DeliveryStatus, FeedEvent, MailKind, ReleaseKind, ReleaseStatus};
use crate::error::{AppError, AppResult};
use crate::events::hub::FeedBatch;
use crate::mail::message::{Notice, Payload};
use crate::services::audit::{self, Change};
use crate::services::channels::catalog;
use crate::services::channels::channel::{Planned, Publication};
use crate::services::conditions::accredited_condition;
use crate::services::delivery_rows::insert_deliveries;
use crate::services::releases::{self, audience_of};
use crate::services::{channels, fanout, outbox, reach, release_status};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;
use std::collections::HashSet;
use uuid::Uuid;

/// Publishes now, or schedules for `publish_at` when that is in the future (the embargo).
#[tracing::instrument(skip(ctx, viewer))]
pub async fn publish(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    publish_at: Option<DateTime<Utc>>,
) -> AppResult<release::Model> {
    let now = ctx.clock.now();
    let r = releases::for_unit_voice(ctx, viewer, id).await?;
    if let Some(u) = unit::Entity::find_by_id(r.unit_id).one(&ctx.db).await? {
        crate::services::reorganizations::refuse_if_ended(ctx, &u, "id").await?;
    }
    if !matches!(r.status, ReleaseStatus::Draft | ReleaseStatus::Scheduled) {
        return Err(AppError::Conflict(format!(
            "the release is already {}",
            r.status.as_str()
        )));
    }
    // A time already past is a mistake (a date read the wrong way round, a form left open),
    // not a request to publish now: publishing is asked for with no time at all.
    if publish_at.is_some_and(|t| t <= now) {
        return Err(AppError::bad_input(
            "publishAt",
            "the time has passed: choose a time in the future, or publish now without one",
        ));
    }
    match publish_at {
        Some(at) => schedule(ctx, viewer, r, at).await,
        None => publish_now(ctx, id, false, viewer.actor())
            .await?
            .ok_or_else(|| {
                AppError::Conflict("the release was published or changed meanwhile".into())
            }),
    }
}

async fn schedule(
    ctx: &AppContext,
    viewer: &Viewer,
    r: release::Model,
    at: DateTime<Utc>,
) -> AppResult<release::Model> {
    let txn = begin_write(&ctx.db).await?;
    let updated_at = ctx.clock.now();
    let model = release_status::change(&txn, r, ReleaseStatus::Scheduled, |am| {
        am.publish_at = Set(Some(at));
        am.updated_at = Set(updated_at);
    })
    .await?;
    let change = Change::new(
        viewer.actor(),
        "release.schedule",
        "release",
        Some(model.id),
    )
    .details(serde_json::json!({"publishAt": at}));
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(model)
}

/// Publishes a DRAFT or SCHEDULED release now. With `only_if_due`, only a SCHEDULED release
/// whose time has come (the scheduler's call). Returns `None` when the release was not in a
/// publishable state once the lock was held (another caller or instance got there first).
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn publish_now(
    ctx: &AppContext,
    id: Uuid,
    only_if_due: bool,
    actor: Option<Uuid>,
) -> AppResult<Option<release::Model>> {
    let _order = ctx.publish_lock.lock().await;
    let started = std::time::Instant::now();
    let txn = begin_write(&ctx.db).await?;
    lock_publication(&txn).await?;
    let now = ctx.clock.now();
    let Some(r) = release::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(None);
    };
    let publishable = match r.status {
        ReleaseStatus::Scheduled => !only_if_due || r.publish_at.is_none_or(|t| t <= now),
        ReleaseStatus::Draft => !only_if_due,
        _ => false,
    };
    if !publishable {
        return Ok(None);
    }
    // Nothing goes out in the name of a unit a reorganization ended (its scheduled releases
    // went back to DRAFT then; this closes the race with a reorganization committing now).
    let ended = unit::Entity::find_by_id(r.unit_id)
        .one(&txn)
        .await?
        .is_none_or(|u| !u.active_at(now));
    if ended {
        return Ok(None);
    }
    let outlets: Vec<(Uuid, String)> = outlet::Entity::find()
        .select_only()
        .column(outlet::Column::Id)
        .column(outlet::Column::Email)
        .filter(accredited_condition(now))
        .filter(audience_of(&r).condition())
        .order_by_asc(outlet::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    let outlet_ids: Vec<Uuid> = outlets.iter().map(|(id, _)| *id).collect();

    let published = release_status::change(&txn, r, ReleaseStatus::Published, |am| {
        am.published_at = Set(Some(now));
        am.listed_at = Set(now);
        am.updated_at = Set(now);
    })
    .await?;

    // Every channel that is planned in this transaction (LIVE, EMAIL, FEED); WEBHOOK and PUSH
    // are planned by the outbound worker right after the commit, from this job.
    let p = Publication {
        ctx,
        txn: &txn,
        release: &published,
        outlets: &outlets,
        now,
    };
    let mut planned = Planned::default();
    for ch in catalog::all().iter().filter(|c| !c.after_commit()) {
        planned.extend(ch.plan(&p).await?);
    }
    crate::entities::channel_job::Entity::insert(channels::plan::job(published.id, now))
        .exec_without_returning(&txn)
        .await?;
    // The summary's start, and the (outlet, LIVE delivery) pairs the feed items point at.
    let mut delivery_ids: Vec<(Uuid, Uuid)> = Vec::new();
    let mut targeted: HashSet<Uuid> = HashSet::new();
    let (mut email_pending, mut email_failed) = (0i64, 0i64);
    for d in &planned.deliveries {
        let (Set(id), Set(o), Set(ch), Set(status)) = (&d.id, &d.outlet_id, &d.channel, &d.status)
        else {
            continue;
        };
        // Outlets with any delivery row: the addressed ones, and those only some
        // journalist's follow reaches by e-mail.
        targeted.insert(*o);
        match (ch, status) {
            (Channel::Live, _) => delivery_ids.push((*o, *id)),
            (Channel::Email, DeliveryStatus::Failed) => email_failed += 1,
            (Channel::Email, _) => email_pending += 1,
            _ => {}
        }
    }
    reach::start(
        &txn,
        published.id,
        reach::Start {
            targeted: targeted.len() as i64,
            live: delivery_ids.len() as i64,
            email_pending,
            email_failed,
        },
    )
    .await?;
    // One multi-row INSERT per channel (the rows of one channel set the same columns).
    let (live_rows, other_rows): (Vec<_>, Vec<_>) = planned
        .deliveries
        .into_iter()
        .partition(|d| matches!(d.channel, Set(Channel::Live)));
    insert_deliveries(&txn, live_rows).await?;
    let items =
        insert_feed_items(&txn, published.id, FeedEvent::Published, &delivery_ids, now).await?;
    insert_deliveries(&txn, other_rows).await?;
    outbox::enqueue(&txn, planned.mails).await?;
    let by = if actor.is_none() {
        "scheduler"
    } else {
        "account"
    };
    let change = Change::new(actor, "release.publish", "release", Some(published.id)).details(
        serde_json::json!({"outlets": outlet_ids.len(), "by": by, "version": published.version}),
    );
    audit::append(&txn, now, change).await?;
    // Other instances hear of it when (and only if) it commits.
    crate::events::relay::announce_feed(&txn, ctx.hub.instance(), &items).await?;
    txn.commit().await?;
    ctx.outbox_ready.notify_one();
    ctx.outbound_ready.notify_one();
    let elapsed = started.elapsed().as_secs_f64();
    ctx.metrics.publish_seconds.observe(elapsed);
    ctx.metrics.publications.inc();
    tracing::info!(
        release = %published.id,
        outlets = outlet_ids.len(),
        ms = elapsed * 1000.0,
        "published"
    );
    fanout::emit(
        ctx,
        FeedBatch::new(
            published.clone(),
            FeedEvent::Published,
            items,
            delivery_ids.into_iter().collect(),
        ),
    )
    .await;
    Ok(Some(published))
}

/// One feed item per (outlet, LIVE delivery); returns outlet -> its item's sequence number.
async fn insert_feed_items(
    txn: &DatabaseTransaction,
    release_id: Uuid,
    event: FeedEvent,
    outlet_deliveries: &[(Uuid, Uuid)],
    now: DateTime<Utc>,
) -> AppResult<HashMap<Uuid, i64>> {
    // RETURNING gives the assigned sequence numbers without reading the table back (the
    // table grows by one row per outlet and publication; there is no index on release_id).
    let rows: Vec<feed_item::ActiveModel> = outlet_deliveries
        .iter()
        .map(|(o, d)| feed_item::ActiveModel {
            seq: sea_orm::ActiveValue::NotSet,
            outlet_id: Set(*o),
            release_id: Set(release_id),
            delivery_id: Set(*d),
            event: Set(event),
            created_at: Set(now),
        })
        .collect();
    Ok(bulk::insert_returning(txn, rows, ROWS_PER_INSERT)
        .await?
        .into_iter()
        .map(|item| (item.outlet_id, item.seq))
        .collect())
}

/// Retracts a published release (pushed to every outlet it was addressed to), or cancels a
/// scheduled one before its embargo lifts (nobody received it).
#[tracing::instrument(skip(ctx, viewer, reason))]
pub async fn retract(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    reason: &str,
) -> AppResult<release::Model> {
    let reason = crate::validate::text("reason", reason, 2_000)?;
    let now = ctx.clock.now();
    releases::for_unit_voice(ctx, viewer, id).await?;

    let _order = ctx.publish_lock.lock().await;
    let txn = begin_write(&ctx.db).await?;
    lock_publication(&txn).await?;
    let r = release::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    if !matches!(
        r.status,
        ReleaseStatus::Published | ReleaseStatus::Scheduled
    ) {
        return Err(AppError::Conflict(format!(
            "a {} release cannot be retracted",
            r.status.as_str()
        )));
    }
    let retracted = release_status::change(&txn, r, ReleaseStatus::Retracted, |am| {
        am.retracted_at = Set(Some(now));
        am.retract_reason = Set(Some(reason));
        am.updated_at = Set(now);
    })
    .await?;
    let live: Vec<(Uuid, Uuid)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::OutletId)
        .column(delivery::Column::Id)
        .filter(delivery::Column::ReleaseId.eq(id))
        .filter(delivery::Column::Channel.eq(Channel::Live))
        .into_tuple()
        .all(&txn)
        .await?;
    let items = insert_feed_items(&txn, id, FeedEvent::Retracted, &live, now).await?;
    let change = Change::new(viewer.actor(), "release.retract", "release", Some(id))
        .details(serde_json::json!({"reason": retracted.retract_reason}));
    audit::append(&txn, now, change).await?;
    notify_earlier_recipients(
        &txn,
        &retracted,
        MailKind::Retraction,
        Notice::Retraction {
            reason: retracted.retract_reason.clone().unwrap_or_default(),
        },
        now,
    )
    .await?;
    let notices = channels::plan::retraction(&txn, &retracted, now).await?;
    // Other instances hear of it when (and only if) it commits.
    crate::events::relay::announce_feed(&txn, ctx.hub.instance(), &items).await?;
    txn.commit().await?;
    ctx.outbox_ready.notify_one();
    if notices > 0 {
        ctx.outbound_ready.notify_one();
    }
    fanout::emit(
        ctx,
        FeedBatch::new(
            retracted.clone(),
            FeedEvent::Retracted,
            items,
            HashMap::new(),
        ),
    )
    .await;
    Ok(retracted)
}

/// E-mails everyone whose EMAIL delivery of `r` was accepted: a retraction, or an update of a
/// press conference (the calendar event keeps its UID; its SEQUENCE is bumped first).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn notify_earlier_recipients(
    txn: &DatabaseTransaction,
    r: &release::Model,
    kind: MailKind,
    notice: Notice,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let recipients: Vec<String> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Recipient)
        .filter(delivery::Column::ReleaseId.eq(r.id))
        .filter(delivery::Column::Channel.eq(Channel::Email))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Sent))
        .into_tuple()
        .all(txn)
        .await?;
    if r.kind == ReleaseKind::PressConference {
        press_conference::Entity::update_many()
            .col_expr(
                press_conference::Column::Sequence,
                Expr::col(press_conference::Column::Sequence).add(1),
            )
            .filter(press_conference::Column::ReleaseId.eq(r.id))
            .exec(txn)
            .await?;
    }
    let method = (kind == MailKind::Retraction).then(|| "CANCEL".to_owned());
    let payload = Payload {
        notice_of: Some(notice),
        method,
        ..Default::default()
    };
    let n = recipients.len();
    let rows = recipients
        .iter()
        .map(|e| outbox::new_row(kind, e, Some(r.id), None, &payload, now))
        .collect();
    outbox::enqueue(txn, rows).await?;
    Ok(n)
}

/// Publishes every SCHEDULED release whose time has come; returns how many.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn publish_due(ctx: &AppContext) -> AppResult<usize> {
    let now = ctx.clock.now();
    let due: Vec<Uuid> = release::Entity::find()
        .select_only()
        .column(release::Column::Id)
        .filter(release::Column::Status.eq(ReleaseStatus::Scheduled))
        .filter(release::Column::PublishAt.lte(now))
        .order_by_asc(release::Column::PublishAt)
        .limit(100)
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let mut n = 0;
    for id in due {
        if publish_now(ctx, id, true, None).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}
