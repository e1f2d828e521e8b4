//! Puts feed batches into the hub in sequence order, whichever instance committed them.
//!
//! Feed subscribers skip "seq <= last sent" (see `services::live_feed`), so the hub must never show
//! an item after a higher one. On one instance the publication lock gives that order. With
//! several instances, a publication committed elsewhere reaches this one late (through
//! `relay`), possibly after a local one with higher numbers. So the hub keeps a watermark —
//! the highest number it has shown — and before showing a batch it first reads from the
//! database whatever was committed in between. That read is exact: publications take a
//! database-wide lock (`db::lock_publication`) until they commit, so once a number is committed
//! every lower one is committed or never will be.
use crate::context::AppContext;
use crate::entities::{feed_item, release};
use crate::enums::FeedEvent;
use crate::error::AppResult;
use crate::events::hub::{FeedBatch, FeedSignal};
use crate::services::live_feed;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Feed items read per query when catching up.
const PAGE: u64 = 10_000;

/// Sets the watermark to the newest committed item: subscribers read anything older from the
/// database themselves. Call before serving.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn init(ctx: &AppContext) -> AppResult<()> {
    let mut mark = ctx.hub.feed_mark.lock().await;
    *mark = Some(live_feed::max_seq(ctx).await?);
    Ok(())
}

/// Shows a batch this instance just committed, after anything committed before it elsewhere.
#[tracing::instrument(skip_all)]
pub async fn emit(ctx: &AppContext, batch: FeedBatch) {
    let Some((lo, hi)) = batch.seq_range() else {
        return;
    };
    let mut guard = ctx.hub.feed_mark.lock().await;
    let mark = guard.get_or_insert(lo - 1);
    if hi <= *mark {
        // Already shown by a catch-up that read it from the database.
        return;
    }
    if lo > *mark + 1 {
        if let Err(e) = show_from_db(ctx, mark, Some(lo - 1)).await {
            tracing::warn!(error = %e.detail(), "feed catch-up failed; subscribers resynchronise");
            ctx.hub.send_feed(FeedSignal::Resync);
        }
    }
    ctx.hub.send_feed(FeedSignal::Batch(Arc::new(batch)));
    *mark = hi;
}

/// Shows everything committed after the watermark (publications of other instances; after
/// the relay reconnected).
#[tracing::instrument(skip_all)]
pub(crate) async fn catch_up(ctx: &AppContext) {
    let mut guard = ctx.hub.feed_mark.lock().await;
    let Some(mark) = guard.as_mut() else {
        // Not initialised yet: nobody can be waiting for anything older.
        return;
    };
    if let Err(e) = show_from_db(ctx, mark, None).await {
        tracing::warn!(error = %e.detail(), "feed catch-up failed; subscribers resynchronise");
        ctx.hub.send_feed(FeedSignal::Resync);
    }
}

async fn show_from_db(ctx: &AppContext, mark: &mut i64, upto: Option<i64>) -> AppResult<()> {
    loop {
        let mut q = feed_item::Entity::find().filter(feed_item::Column::Seq.gt(*mark));
        if let Some(u) = upto {
            q = q.filter(feed_item::Column::Seq.lte(u));
        }
        let rows = q
            .order_by_asc(feed_item::Column::Seq)
            .limit(PAGE)
            .all(&ctx.db)
            .await?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            return Ok(());
        };
        let full = rows.len() as u64 == PAGE;
        let releases = live_feed::releases_of(ctx, &rows).await?;
        for batch in group(rows, &releases) {
            ctx.hub.send_feed(FeedSignal::Batch(Arc::new(batch)));
        }
        *mark = last;
        if !full {
            return Ok(());
        }
    }
}

/// Consecutive items of one (release, event) make one batch.
fn group(rows: Vec<feed_item::Model>, releases: &HashMap<Uuid, release::Model>) -> Vec<FeedBatch> {
    let mut out: Vec<FeedBatch> = Vec::new();
    for row in rows {
        let Some(r) = releases.get(&row.release_id) else {
            continue;
        };
        let same = out
            .last()
            .is_some_and(|b| b.release.id == row.release_id && b.event == row.event);
        if !same {
            out.push(FeedBatch::new(
                r.clone(),
                row.event,
                HashMap::new(),
                HashMap::new(),
            ));
        }
        if let Some(b) = out.last_mut() {
            b.items.insert(row.outlet_id, row.seq);
            if row.event == FeedEvent::Published {
                b.live_deliveries.insert(row.outlet_id, row.delivery_id);
            }
        }
    }
    out
}
