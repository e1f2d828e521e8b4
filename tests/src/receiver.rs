//! A local HTTP receiver for the outbound channels' tests: a newsroom system's webhook
//! endpoint or a push service. It records every request and answers with the statuses it is
//! told to (queued ones first, then a default).
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct State {
    got: Vec<Received>,
    queued: VecDeque<u16>,
    default: u16,
}

#[derive(Clone)]
pub struct Receiver {
    /// The base URL (`http://127.0.0.1:port`); any path is accepted.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let state = Arc::new(Mutex::new(State {
            default: 200,
            ..Default::default()
        }));
        let s = state.clone();
        let app = Router::new().route(
            "/{*path}",
            post(
                move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                    let s = s.clone();
                    async move {
                        let mut st = s.lock().expect("receiver state");
                        st.got.push(Received {
                            path: uri.path().to_owned(),
                            headers,
                            body,
                        });
                        let code = st.queued.pop_front().unwrap_or(st.default);
                        (StatusCode::from_u16(code).expect("a status"), "đã nhận")
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, state }
    }

    /// The next answers, in order; after them, the default.
    pub fn answer(&self, statuses: &[u16]) {
        self.state
            .lock()
            .expect("receiver state")
            .queued
            .extend(statuses);
    }

    pub fn set_default(&self, status: u16) {
        self.state.lock().expect("receiver state").default = status;
    }

    pub fn got(&self) -> Vec<Received> {
        self.state.lock().expect("receiver state").got.clone()
    }

    /// Waits until at least `n` requests have arrived (at most `secs` seconds).
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.got();
            if got.len() >= n {
                return got;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "expected {n} requests within {secs} s, got {}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
