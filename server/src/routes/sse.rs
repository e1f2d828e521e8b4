//! `POST /graphql/stream` and `GET /graphql/stream`: GraphQL over Server-Sent Events
//! ("GraphQL over SSE", distinct-connections mode), for networks whose proxies pass plain HTTP
//! but not websockets.
//!
//! Each request is one operation on its own connection: its results come as `next` events,
//! then one `complete` event. The same subscriptions as over the websocket, with the same
//! guarantees (the live feed is the same `services::live_feed::stream`: no gap, no duplicate, no
//! reordering), the same authorization (`Authorization: Bearer …`), the same limits (the
//! account's quota of live connections, closed within a second when the session ends) and the
//! same metrics. A `releasePublished` event carries the feed cursor as its SSE `id`, so a client
//! that reconnects with `Last-Event-ID` resumes after it, as with `since`.
use super::error::HttpError;
use super::graphql::{from_params, GetParams};
use super::viewer::Signed;
use super::AppState;
use async_graphql::Request;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::stream::{self, StreamExt};
use pressnet_domain::services::live_feed::Unwritten;
use pressnet_domain::AppError;
use pressnet_schema::graphql::subscription::FeedResume;
use std::convert::Infallible;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

fn bad(message: impl Into<String>) -> Response {
    HttpError::from(AppError::bad_input("request", message)).into_response()
}

#[tracing::instrument(skip_all)]
pub async fn get(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match params
        .map_err(|e| e.to_string())
        .and_then(|p| from_params(p.0))
    {
        Ok(r) => serve(state, signed, headers, r).await,
        Err(msg) => bad(msg),
    }
}

#[tracing::instrument(skip_all)]
pub async fn post(
    State(state): State<AppState>,
    signed: Signed,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match serde_json::from_slice::<Request>(&body) {
        Ok(r) => serve(state, signed, headers, r).await,
        Err(e) => bad(format!("the request body is not a GraphQL request: {e}")),
    }
}

async fn serve(state: AppState, signed: Signed, headers: HeaderMap, request: Request) -> Response {
    if request.query.is_empty() && !request.extensions.contains_key("persistedQuery") {
        return bad("a query is required");
    }
    let Signed { viewer, token } = signed;
    // The account's quota of live connections, and the end of its session, as for websockets.
    let session_end = CancellationToken::new();
    let registration = match (viewer.account.as_deref(), token.as_deref()) {
        (Some(a), Some(t)) => match state.live_sessions.register(a, t, session_end.clone()) {
            Some(r) => Some(r),
            None => {
                return HttpError::from(AppError::rate_limited(
                    format!(
                        "an account may hold at most {} live connections",
                        super::ws::sessions::MAX_CONNECTIONS_PER_ACCOUNT
                    ),
                    5,
                ))
                .into_response()
            }
        },
        _ => None,
    };
    let mut request = request.data(viewer);
    if let Some(last) = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
    {
        request = request.data(FeedResume(last.to_owned()));
    }
    // A mutation sent here is a change the read cache must hear of.
    let mutation = async_graphql::parser::parse_query(&request.query)
        .ok()
        .is_some_and(|d| {
            pressnet_schema::graphql::live::operation(&d, request.operation_name.as_deref())
                .is_some_and(|op| {
                    op.node.ty == async_graphql::parser::types::OperationType::Mutation
                })
        });
    let hub = mutation.then(|| state.ctx.hub.clone());
    // The LIVE deliveries an event carries are marked once the event has been taken for the
    // connection (see `written` below), not when it is produced.
    let unwritten = Unwritten::default();
    let request = request.data(unwritten.clone());
    let events = state.schema.execute_stream(request).map(move |resp| {
        let held = unwritten.take();
        if let Some(hub) = &hub {
            hub.note_change();
        }
        let mut event = Event::default().event("next");
        if let Some(cursor) = resp
            .data
            .clone()
            .into_json()
            .ok()
            .and_then(|d| {
                d.get("releasePublished")?
                    .get("cursor")?
                    .as_str()
                    .map(str::to_owned)
            })
        {
            event = event.id(cursor);
        }
        let data = serde_json::to_string(&resp).unwrap_or_else(|_| {
            r#"{"errors":[{"message":"the response could not be produced","extensions":{"code":"INTERNAL"}}]}"#.to_owned()
        });
        (Ok::<Event, Infallible>(event.data(data)), held)
    });
    // Each event's deliveries are marked when the connection asks for the next event: by then
    // the body has handed the previous one to the socket.
    let ctx = state.ctx.clone();
    let events = stream::unfold(
        (Box::pin(events), Vec::new()),
        move |(mut events, previous)| {
            let ctx = ctx.clone();
            async move {
                Unwritten::mark_written(&ctx, previous);
                let (event, held) = events.next().await?;
                Some((event, (events, held)))
            }
        },
    );
    let shutdown = state.shutdown.clone();
    let ended = async move {
        tokio::select! {
            _ = session_end.cancelled() => {}
            _ = shutdown.cancelled() => {}
        }
    };
    let complete = stream::once(async { Ok(Event::default().event("complete").data("")) });
    // Holding the registration for as long as the stream lives.
    let body = events.take_until(ended).chain(complete).map(move |e| {
        let _held = &registration;
        e
    });
    Sse::new(body)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
