//! The older `graphql-ws` protocol (subscriptions-transport-ws), through async-graphql's own
//! implementation.
//!
//! async-graphql's websocket has no init timeout, so a watchdog closes a connection that has
//! not sent `connection_init` in time (4408, as the protocol says). Outgoing messages pass a
//! small bounded channel: a client that stops reading stalls only its own subscription
//! streams, whose hub receivers then lag and resynchronise from the database.
use super::sessions::{
    Registration, MAX_CONNECTIONS_PER_ACCOUNT, MAX_SUBSCRIPTIONS_PER_CONNECTION,
};
use super::{close_reason, token_from_payload};
use crate::routes::{AppState, WS_INIT_TIMEOUT};
use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::{SinkExt, StreamExt};
use pressnet_domain::services::live_feed::Unwritten;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

const OUTGOING_BUFFER: usize = 32;

/// Tracks the operations a graphql-ws client started; `Some(error message)` for one past the
/// limit. The message is read by async-graphql's own parser (`ClientMessage`), so every message
/// that starts an operation counts, whatever its spelling: `start`, and `subscribe`, which
/// async-graphql accepts on this protocol too; `stop` and `complete` end one.
fn limit(active: &mut std::collections::HashSet<String>, bytes: &[u8]) -> Option<String> {
    use async_graphql::http::ClientMessage;
    match ClientMessage::from_bytes(bytes).ok()? {
        ClientMessage::Start { id, .. }
            if !active.contains(&id) && active.len() >= MAX_SUBSCRIPTIONS_PER_CONNECTION =>
        {
            Some(
                serde_json::json!({"type": "error", "id": id, "payload": {
                    "message": format!("a connection may hold at most {MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions"),
                    "extensions": {"code": "RATE_LIMITED"},
                }})
                .to_string(),
            )
        }
        ClientMessage::Start { id, .. } => {
            active.insert(id);
            None
        }
        ClientMessage::Stop { id } => {
            active.remove(&id);
            None
        }
        _ => None,
    }
}

/// LIVE deliveries (release, delivery) a frame carries.
type Held = Vec<(uuid::Uuid, uuid::Uuid)>;

pub(super) async fn serve(
    socket: WebSocket,
    state: AppState,
    protocol: GraphQLProtocol,
    peer: String,
) {
    let (mut sink, stream) = socket.split();
    // Each frame travels with the LIVE deliveries it carries, marked DELIVERED only once the
    // frame is written (`feed::Unwritten`).
    let (tx, mut rx) = futures::channel::mpsc::channel::<(Message, Held)>(OUTGOING_BUFFER);
    let mut close_tx = tx.clone();
    let writer_ctx = state.ctx.clone();
    let writer = tokio::spawn(async move {
        while let Some((msg, held)) = rx.next().await {
            let closing = matches!(msg, Message::Close(_));
            if sink.send(msg).await.is_err() || closing {
                break;
            }
            Unwritten::mark_written(&writer_ctx, held);
        }
        let _ = sink.close().await;
    });
    let unwritten = Unwritten::default();
    let unwritten_in_init = unwritten.clone();

    let (init_seen_tx, init_seen_rx) = oneshot::channel::<()>();
    let ctx = state.ctx.clone();
    let sessions = state.sessions.clone();
    let addr = peer;
    // Set when connection_init is refused (see the close-code mapping below).
    let refused = Arc::new(AtomicBool::new(false));
    let refused_in_init = refused.clone();
    // The session sweep ends the connection when its session ends (see `sessions`).
    let session_end = CancellationToken::new();
    let end_in_init = session_end.clone();
    let registration: Arc<std::sync::Mutex<Option<Registration>>> = Default::default();
    let reg_in_init = registration.clone();
    let live = state.live_sessions.clone();
    // The read cache must hear of mutations sent here; this protocol's messages are not looked
    // into, so every message sent counts as a possible change (old clients only).
    let hub = state.ctx.hub.clone();
    let outgoing = tx
        .sink_map_err(|_| axum::Error::new("websocket writer closed"))
        .with(move |msg: Message| {
            // The deliveries of the item this frame renders (held while it was produced).
            let held = if matches!(msg, Message::Text(_)) {
                hub.note_change();
                unwritten.take()
            } else {
                Vec::new()
            };
            let msg = match msg {
                // async-graphql closes protocol failures with 1002 or 1011; graphql-transport-ws
                // names them: 4403 refused connection_init, 4400 invalid message, 4401 subscribe
                // before connection_init (async-graphql's only 1011).
                Message::Close(Some(f)) => {
                    let code = match f.code {
                        1002 if refused.load(Ordering::Relaxed) => 4403,
                        1002 => 4400,
                        // "The handshake is not completed": subscribe before connection_init.
                        1011 => 4401,
                        c => c,
                    };
                    Message::Close(Some(CloseFrame {
                        code,
                        reason: close_reason(&f.reason).into(),
                    }))
                }
                other => other,
            };
            futures::future::ready(Ok::<_, axum::Error>((msg, held)))
        });
    // At most MAX_SUBSCRIPTIONS_PER_CONNECTION operations at once, as on graphql-transport-ws: a
    // `start` past that is answered with an `error` for its id and goes no further.
    let refusals = close_tx.clone();
    let mut active: std::collections::HashSet<String> = Default::default();
    let stream = stream.filter_map(move |msg| {
        let verdict = match &msg {
            Ok(Message::Text(t)) => limit(&mut active, t.as_bytes()),
            Ok(Message::Binary(b)) => limit(&mut active, &b[..]),
            _ => None,
        };
        let mut refusals = refusals.clone();
        async move {
            match verdict {
                Some(error) => {
                    let _ = refusals
                        .send((Message::Text(error.into()), Vec::new()))
                        .await;
                    None
                }
                None => Some(msg),
            }
        }
    });
    let gql = GraphQLWebSocket::new_with_pair(outgoing, stream, state.schema.clone(), protocol)
        .on_connection_init(move |payload| async move {
            let _ = init_seen_tx.send(());
            let viewer = match token_from_payload(&payload) {
                Some(token) => match sessions.viewer(&ctx, Some(&token), Some(addr)).await {
                    Ok(v) => match v.account.as_deref() {
                        Some(a) => match live.register(a, &token, end_in_init) {
                            Some(reg) => {
                                *reg_in_init.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(reg);
                                Ok(v)
                            }
                            None => Err(format!(
                                "an account may hold at most {MAX_CONNECTIONS_PER_ACCOUNT} websockets"
                            )),
                        },
                        None => Ok(v),
                    },
                    Err(e) => Err(e.public_message()),
                },
                None => Err("connection_init must carry authorization: Bearer <token>".to_owned()),
            };
            match viewer {
                Ok(v) => {
                    let mut data = Data::default();
                    data.insert(v);
                    data.insert(unwritten_in_init.clone());
                    Ok(data)
                }
                Err(reason) => {
                    refused_in_init.store(true, Ordering::Relaxed);
                    Err(async_graphql::Error::new(reason))
                }
            }
        });

    let watchdog = async {
        if tokio::time::timeout(WS_INIT_TIMEOUT, init_seen_rx)
            .await
            .is_err()
        {
            return 4408u16;
        }
        std::future::pending::<u16>().await
    };

    let close = tokio::select! {
        _ = gql.serve() => None,
        code = watchdog => Some((code, "Connection initialisation timeout")),
        _ = session_end.cancelled() => Some((4403, "the session has ended; sign in again")),
        _ = state.shutdown.cancelled() => Some((1001, "server shutting down")),
    };
    drop(registration);
    if let Some((code, reason)) = close {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = close_tx
            .send((Message::Close(Some(frame)), Vec::new()))
            .await;
    }
    drop(close_tx);
    let _ = writer.await;
}
