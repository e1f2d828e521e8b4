//! graphql-transport-ws (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md),
//! served by one task per connection.
//!
//! Why not async-graphql's implementation: it executes every subscription item on its own, and
//! it needs a second task and a channel per connection to write. Here one task reads client
//! messages and writes the frames its subscriptions produce; `releasePublished` frames come
//! ready-made from the shared renderer (`pressnet_schema::graphql::live`), anything else is
//! executed by async-graphql as before.
//!
//! A client that stops reading blocks only its own task on the socket write; its subscriptions
//! stop being polled, their hub receivers lag, and they resynchronise from the database when
//! the client reads again. Memory stays bounded (`max_write_buffer_size`) and nobody else waits.
//!
//! Close codes, as the protocol names them: 4400 invalid message, 4401 subscribe before the
//! connection is acknowledged, 4403 connection_init refused, 4408 no connection_init in time,
//! 4409 a subscription id already in use, 4429 a second connection_init; 1001 at shutdown;
//! 4403 too when the session ends (sign-out, expiry, term end, suspension), and 1008 past an
//! account's quota of connections.
use super::sessions::{
    Registration, MAX_CONNECTIONS_PER_ACCOUNT, MAX_SUBSCRIPTIONS_PER_CONNECTION,
};
use super::{close_reason, token_from_payload};
use crate::routes::{AppState, WS_INIT_TIMEOUT};
use async_graphql::http::ClientMessage;
use async_graphql::parser::types::OperationType;
use async_graphql::Request;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::Bytes;
use futures::stream::{self, BoxStream};
use futures::{SinkExt, StreamExt};
use pressnet_domain::auth::Viewer;
use pressnet_schema::graphql::live;
use std::sync::Arc;
use tokio_stream::StreamMap;
use tokio_util::sync::CancellationToken;

/// What a subscription sends.
enum Out {
    /// A finished `next` message.
    Next(String),
    /// A live-feed frame: its LIVE delivery is marked DELIVERED once the write succeeded.
    Feed(live::Frame),
    /// The subscription ended.
    Complete,
}

/// Why the connection ends: a close frame to send, or none (the client went away).
type Ending = Option<(u16, String)>;

struct Connection {
    state: AppState,
    /// The client's address.
    peer: String,
    /// Set when connection_init arrived (the init timeout stops).
    init_seen: bool,
    /// Set when connection_init was accepted.
    viewer: Option<Viewer>,
    subscriptions: StreamMap<String, BoxStream<'static, Out>>,
    /// Cancelled when the session behind the connection ends (see `sessions`).
    session_end: CancellationToken,
    /// Held while the connection is open: the account's quota and the session sweep.
    registration: Option<Registration>,
}

pub(super) async fn serve(mut socket: WebSocket, state: AppState, peer: String) {
    let shutdown = state.shutdown.clone();
    let mut conn = Connection {
        state,
        peer,
        init_seen: false,
        viewer: None,
        subscriptions: StreamMap::new(),
        session_end: CancellationToken::new(),
        registration: None,
    };
    let session_end = conn.session_end.clone();
    let init_deadline = tokio::time::sleep(WS_INIT_TIMEOUT);
    tokio::pin!(init_deadline);
    let ending: Ending = loop {
        tokio::select! {
            msg = socket.recv() => {
                let raw: Bytes = match msg {
                    Some(Ok(Message::Text(t))) => t.into(),
                    Some(Ok(Message::Binary(b))) => b,
                    // tungstenite answers pings itself.
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break None,
                };
                // Boxed: handling a message (sign-in, a subscription's checks) takes far more
                // state than waiting does, and the task's size is every idle connection's cost.
                match Box::pin(conn.on_message(&raw)).await {
                    Ok(replies) => {
                        if send_all(&mut socket, replies).await.is_err() {
                            break None;
                        }
                    }
                    Err(ending) => break ending,
                }
            }
            Some((id, out)) = conn.subscriptions.next(), if !conn.subscriptions.is_empty() => {
                let (text, item) = match out {
                    Out::Next(frame) => (frame, None),
                    Out::Feed(frame) => (frame.text, frame.item),
                    Out::Complete => (complete(&id), None),
                };
                // Written and flushed first: only then did the frame reach the journalist.
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break None;
                }
                if let Some(item) = item {
                    item.mark_delivered(&conn.state.ctx);
                }
            }
            _ = &mut init_deadline, if !conn.init_seen => {
                break Some((4408, "Connection initialisation timeout".to_owned()));
            }
            _ = session_end.cancelled() => {
                break Some((4403, "the session has ended; sign in again".to_owned()));
            }
            _ = shutdown.cancelled() => break Some((1001, "server shutting down".to_owned())),
        }
    };
    // Dropping the subscriptions first releases their hub receivers at once.
    drop(conn);
    if let Some((code, reason)) = ending {
        let frame = CloseFrame {
            code,
            reason: close_reason(&reason).into(),
        };
        let _ = socket.send(Message::Close(Some(frame))).await;
    }
    let _ = socket.close().await;
}

async fn send_all(socket: &mut WebSocket, texts: Vec<String>) -> Result<(), axum::Error> {
    for t in texts {
        socket.send(Message::Text(t.into())).await?;
    }
    Ok(())
}

fn complete(id: &str) -> String {
    serde_json::json!({"id": id, "type": "complete"}).to_string()
}

impl Connection {
    /// Handles one client message: the messages to send back, or how the connection ends.
    async fn on_message(&mut self, raw: &[u8]) -> Result<Vec<String>, Ending> {
        let msg = ClientMessage::from_bytes(raw).map_err(|e| Some((4400, e.to_string())))?;
        match msg {
            ClientMessage::ConnectionInit { payload } => {
                if self.init_seen {
                    return Err(Some((4429, "Too many initialisation requests.".into())));
                }
                self.init_seen = true;
                let payload = payload.unwrap_or_default();
                let Some(token) = token_from_payload(&payload) else {
                    return Err(Some((
                        4403,
                        "connection_init must carry authorization: Bearer <token>".to_owned(),
                    )));
                };
                let v = self
                    .state
                    .sessions
                    .viewer(&self.state.ctx, Some(&token), Some(self.peer.clone()))
                    .await
                    .map_err(|e| Some((4403, e.public_message())))?;
                if let Some(account) = v.account.as_deref() {
                    let reg = self
                        .state
                        .live_sessions
                        .register(account, &token, self.session_end.clone())
                        .ok_or_else(|| {
                            Some((
                                1008,
                                format!(
                                    "an account may hold at most {MAX_CONNECTIONS_PER_ACCOUNT} websockets"
                                ),
                            ))
                        })?;
                    self.registration = Some(reg);
                }
                self.viewer = Some(v);
                Ok(vec![r#"{"type":"connection_ack"}"#.to_owned()])
            }
            ClientMessage::Start { id, payload } => {
                let Some(viewer) = self.viewer.clone() else {
                    return Err(Some((4401, "Unauthorized".into())));
                };
                if self.subscriptions.contains_key(&id) {
                    return Err(Some((4409, format!("Subscriber for {id} already exists"))));
                }
                if self.subscriptions.len() >= MAX_SUBSCRIPTIONS_PER_CONNECTION {
                    // Refused on its own: the connection's other subscriptions go on.
                    let payload = serde_json::json!([{
                        "message": format!("a connection may hold at most {MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions"),
                        "extensions": {"code": "RATE_LIMITED"},
                    }]);
                    return Ok(vec![
                        serde_json::json!({"id": id, "type": "error", "payload": payload})
                            .to_string(),
                    ]);
                }
                let stream = open(&self.state, &id, payload, viewer).await;
                self.subscriptions.insert(id, stream);
                Ok(Vec::new())
            }
            ClientMessage::Stop { id } => Ok(match self.subscriptions.remove(&id) {
                Some(_) => vec![complete(&id)],
                None => Vec::new(),
            }),
            ClientMessage::Ping { .. } => Ok(vec![r#"{"type":"pong"}"#.to_owned()]),
            ClientMessage::Pong { .. } => Ok(Vec::new()),
            ClientMessage::ConnectionTerminate => Err(None),
        }
    }
}

/// A subscription's messages, ending with `complete`.
async fn open(
    state: &AppState,
    id: &str,
    request: Request,
    viewer: Viewer,
) -> BoxStream<'static, Out> {
    let done = stream::once(async { Out::Complete });
    // Parsed once here for both questions; a document that does not parse goes to async-graphql,
    // which reports the syntax error.
    let document = async_graphql::parser::parse_query(&request.query).ok();
    // A mutation's commit is a change the read cache must hear of, as over POST /graphql.
    let mutation = document.as_ref().is_some_and(|d| {
        live::operation(d, request.operation_name.as_deref())
            .is_some_and(|op| op.node.ty == OperationType::Mutation)
    });
    if let Some(candidate) = document.and_then(|d| live::candidate(&request, d)) {
        // The feed: checked with the subscriber's own rights, then served from the shared
        // renderer. A refusal is exactly what async-graphql would have sent.
        return match live::probe(&state.schema, request, viewer.clone()).await {
            Ok(opened) => {
                let shape = state.shapes.intern(candidate);
                let sub = live::Subscriber::new(
                    &state.ctx,
                    state.schema.clone(),
                    shape,
                    viewer,
                    opened.outlet_id,
                    id,
                );
                live::frames(state.ctx.clone(), Arc::new(sub), opened.since)
                    .map(Out::Feed)
                    .chain(done)
                    .boxed()
            }
            Err(responses) => {
                let id = id.to_owned();
                stream::iter(responses)
                    .map(move |r| Out::Next(live::next_message(&id, &r)))
                    .chain(done)
                    .boxed()
            }
        };
    }
    let id = id.to_owned();
    let hub = mutation.then(|| state.ctx.hub.clone());
    state
        .schema
        .execute_stream(request.data(viewer))
        .map(move |r| {
            if let Some(hub) = &hub {
                hub.note_change();
            }
            Out::Next(live::next_message(&id, &r))
        })
        .chain(done)
        .boxed()
}
