//! The subscription root: the journalists' live feed and the delivery log as it changes.
use super::context::{app, viewer};
use super::live::{FeedMode, Opened};
use super::types::{Delivery, FeedItem, Inquiry, Release};
use crate::graphql::api_error::ApiError;
use crate::graphql::api_error::Result;
use async_graphql::{Context, Subscription as GqlSubscription};
use futures::stream::BoxStream;
use futures::{Stream, StreamExt};
use pressnet_domain::db::any_of;
use pressnet_domain::entities::{delivery, release};
use pressnet_domain::enums::Role;
use pressnet_domain::error::AppError;
use pressnet_domain::services::live_feed;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

#[derive(Default)]
pub struct Subscription;

/// Where a live feed resumes when the transport says so (an SSE client's `Last-Event-ID`) and
/// the subscription names no `since`.
#[derive(Clone)]
pub struct FeedResume(pub String);

#[GqlSubscription]
impl Subscription {
    /// JOURNALIST: releases delivered to the journalist's outlet. Without `since`: first the
    /// outlet's items whose LIVE delivery is still PENDING, then live ones. With `since`: every
    /// item after that cursor, in order, then live ones. No gap, no duplicate, no reordering.
    async fn release_published(
        &self,
        ctx: &Context<'_>,
        since: Option<String>,
    ) -> Result<BoxStream<'static, Result<FeedItem>>> {
        let v = viewer(ctx);
        v.require_role(Role::Journalist)?;
        // The feed is the outlet's: it stops when the outlet is no longer accredited, or the
        // journalist's press card expires.
        let now = app(ctx)?.clock.now();
        if v.press_card_expired(now) {
            return Err(AppError::forbidden(
                "your press card has expired; the authority renews it",
            )
            .into());
        }
        let outlet_id = v
            .press_outlet(now)
            .ok_or_else(|| AppError::forbidden("your outlet is not accredited"))?;
        let since = since
            .or_else(|| ctx.data_opt::<FeedResume>().map(|r| r.0.clone()))
            .as_deref()
            .map(live_feed::decode_cursor)
            .transpose()?;
        // The websocket handler's shared renderer (see `graphql::live`): the same checks above,
        // then no stream of its own.
        match ctx.data_opt::<FeedMode>() {
            Some(FeedMode::Probe(slot)) => {
                *slot
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some(Opened { outlet_id, since });
                return Ok(futures::stream::empty().boxed());
            }
            Some(FeedMode::Render { release, cursor }) => {
                let item = FeedItem {
                    cursor: cursor.clone(),
                    release: Release((**release).clone()),
                };
                return Ok(futures::stream::once(async move { Ok(item) }).boxed());
            }
            None => {}
        }
        // async-graphql writes these frames itself (the older graphql-ws protocol, SSE): the
        // transport holds the delivery until the frame is written (`live_feed::Unwritten`).
        let app = app(ctx)?.clone();
        let unwritten = ctx.data_opt::<live_feed::Unwritten>().cloned();
        let stream = live_feed::stream(app.clone(), outlet_id, since).map(move |r| {
            r.inspect(|item| match &unwritten {
                Some(u) => u.hold(item),
                None => item.mark_delivered(&app),
            })
            .map(|item| FeedItem {
                cursor: live_feed::encode_cursor(item.seq),
                release: Release(Arc::unwrap_or_clone(item.release)),
            })
            .map_err(ApiError::from)
        });
        Ok(stream.boxed())
    }

    /// The unit's spokespersons, ADMIN, AUDITOR: each change of a delivery of that release.
    async fn delivery_updated(
        &self,
        ctx: &Context<'_>,
        release_id: Uuid,
    ) -> Result<impl Stream<Item = Result<Delivery>>> {
        let v = viewer(ctx);
        v.signed_in()?;
        let app = app(ctx)?.clone();
        let r = release::Entity::find_by_id(release_id)
            .one(&app.db)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::not_found("release"))?;
        if !v.sees_unit(r.unit_id, app.clock.now()) {
            return Err(AppError::forbidden(
                "only the unit's spokespersons and the authority watch its deliveries",
            )
            .into());
        }
        let mut rx = app.hub.subscribe_deliveries();
        Ok(async_stream::try_stream! {
            loop {
                let ids = match rx.recv().await {
                    // No ids: the release's whole log.
                    Ok(change) if change.release_id == release_id && !change.delivery_ids.is_empty() => {
                        Some(change.delivery_ids.to_vec())
                    }
                    Ok(change) if change.release_id == release_id || change.release_id.is_nil() => None,
                    Ok(_) => continue,
                    // Fell behind: resend the release's whole log, current state.
                    Err(RecvError::Lagged(_)) => None,
                    Err(RecvError::Closed) => break,
                };
                let q = delivery::Entity::find()
                    .filter(delivery::Column::ReleaseId.eq(release_id))
                    .order_by_asc(delivery::Column::Id);
                // A change can name thousands of deliveries (a fan-out's batch): one array on
                // PostgreSQL, bounded IN lists on SQLite, in id order either way.
                let parts = match ids {
                    Some(mut ids) => {
                        ids.sort_unstable();
                        any_of(app.db.get_database_backend(), delivery::Column::Id, &ids)
                            .into_iter()
                            .map(|cond| q.clone().filter(cond))
                            .collect()
                    }
                    None => vec![q],
                };
                for part in parts {
                    let rows = part.all(&app.db).await.map_err(AppError::from)?;
                    for d in rows {
                        yield Delivery(d);
                    }
                }
            }
        })
    }

    /// New questions, answers, declines and ratings: a unit's spokespersons and the authority
    /// see the unit's (all units when `unitId` is omitted, for the authority); a journalist
    /// sees their own questions.
    async fn inquiry_updated(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
    ) -> Result<impl Stream<Item = Result<Inquiry>>> {
        let v = viewer(ctx).clone();
        v.signed_in()?;
        if let Some(u) = unit_id {
            let now = app(ctx)?.clock.now();
            if !v.sees_unit(u, now) && v.role() != Some(Role::Journalist) {
                return Err(AppError::forbidden(
                    "only the unit's spokespersons and the authority watch its questions",
                )
                .into());
            }
        }
        let app = app(ctx)?.clone();
        let mut rx = app.hub.subscribe_inquiries();
        Ok(async_stream::try_stream! {
            loop {
                let change = match rx.recv().await {
                    Ok(c) => c,
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                };
                if unit_id.is_some_and(|u| u != change.unit_id) {
                    continue;
                }
                let Some(q) = pressnet_domain::entities::inquiry::Entity::find_by_id(change.inquiry_id)
                    .one(&app.db)
                    .await
                    .map_err(AppError::from)?
                else {
                    continue;
                };
                if pressnet_domain::services::inquiries::visible(&v, &q, app.clock.now()) {
                    yield Inquiry(q);
                }
            }
        })
    }
}
