//! A graphql-transport-ws client over tokio-tungstenite, for tests and the benchmark.
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct WsClient {
    pub socket: Socket,
}

/// Opens the socket with the graphql-transport-ws subprotocol, without sending anything.
pub async fn open(url: &str) -> Socket {
    let mut req = url.into_client_request().expect("ws request");
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (socket, resp) = tokio_tungstenite::connect_async(req)
        .await
        .expect("ws connect");
    assert_eq!(
        resp.headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok()),
        Some("graphql-transport-ws")
    );
    socket
}

/// Opens a socket on the older `graphql-ws` protocol (subscriptions-transport-ws) and sends
/// `connection_init` with a bearer token.
pub async fn open_legacy(url: &str, token: &str) -> Socket {
    let mut req = url.into_client_request().expect("ws request");
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-ws"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("ws connect");
    let init =
        json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}});
    socket
        .send(Message::Text(init.to_string().into()))
        .await
        .expect("connection_init");
    socket
}

impl WsClient {
    /// Connects and initialises with a bearer token; Err carries the close frame or message.
    pub async fn connect(url: &str, token: &str) -> Result<WsClient, String> {
        let mut socket = open(url).await;
        let init = json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}});
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .map_err(|e| e.to_string())?;
        let mut c = WsClient { socket };
        match c.next(Duration::from_secs(10)).await {
            Some(v) if v["type"] == "connection_ack" => Ok(c),
            other => Err(format!("{other:?}")),
        }
    }

    pub async fn send(&mut self, v: Value) {
        self.socket
            .send(Message::Text(v.to_string().into()))
            .await
            .expect("ws send");
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}))
            .await;
    }

    /// The next protocol message (answering pings); `None` on timeout or close.
    /// A close frame comes back as `{"type":"close","code":N,"reason":"..."}`.
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(wait, self.socket.next())
                .await
                .ok()??;
            match msg {
                Ok(Message::Text(t)) => {
                    let v: Value = serde_json::from_str(&t).ok()?;
                    if v["type"] == "ping" {
                        self.send(json!({"type": "pong"})).await;
                        continue;
                    }
                    return Some(v);
                }
                Ok(Message::Close(frame)) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.to_string()))
                        .unwrap_or((1005, String::new()));
                    return Some(json!({"type": "close", "code": code, "reason": reason}));
                }
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// The payload of the next `next` message, asserting one arrives in time.
    pub async fn next_data(&mut self, wait: Duration) -> Value {
        let v = self.next(wait).await.expect("a message in time");
        assert_eq!(v["type"], "next", "expected next, got {v}");
        v["payload"].clone()
    }
}
