//! GET /graphql/ws: subscriptions over websockets.
//!
//! `graphql-transport-ws` (the protocol the contract names, and what every current client
//! speaks) is served by `transport`, this crate's own implementation, so that the journalists'
//! live feed is rendered once per publication rather than once per subscriber (see
//! `pressnet_schema::graphql::live`). The older `graphql-ws` protocol still goes through
//! async-graphql's implementation (`legacy`).
mod legacy;
pub mod sessions;
mod transport;

use super::client_addr::ClientAddr;
use super::viewer::bearer;
use super::{AppState, MAX_WS_MESSAGE_BYTES};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::GraphQLProtocol;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::response::Response;

#[tracing::instrument(skip_all)]
pub async fn upgrade(
    State(state): State<AppState>,
    ClientAddr(peer): ClientAddr,
    protocol: GraphQLProtocol,
    ws: WebSocketUpgrade,
) -> Response {
    let ws = ws
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(MAX_WS_MESSAGE_BYTES)
        .max_frame_size(MAX_WS_MESSAGE_BYTES)
        // tungstenite allocates its read buffer up front (128 KiB by default): with thousands
        // of mostly idle journalists that is most of the server's memory. Clients send little
        // (init, subscribe, complete), so 1 KiB suffices; it grows for a larger message.
        .read_buffer_size(1024)
        // Frames are written as they come (the feed is latency-bound, not throughput-bound);
        // a connection's unsent data is bounded.
        .write_buffer_size(0)
        .max_write_buffer_size(1024 * 1024);
    let modern = ws
        .selected_protocol()
        .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"graphql-transport-ws"));
    if modern {
        ws.on_upgrade(move |socket| transport::serve(socket, state, peer))
    } else {
        ws.on_upgrade(move |socket| legacy::serve(socket, state, protocol, peer))
    }
}

/// A close frame's reason may hold at most 123 bytes (RFC 6455); longer ones (serde's
/// "unknown variant ..., expected one of ..." for instance) would make the frame unsendable.
fn close_reason(reason: &str) -> String {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}

fn token_from_payload(payload: &serde_json::Value) -> Option<String> {
    let obj = payload.as_object()?;
    let raw = ["authorization", "Authorization"]
        .iter()
        .find_map(|k| obj.get(*k))
        .and_then(|v| v.as_str())?;
    Some(bearer(raw).unwrap_or(raw).to_owned())
}
