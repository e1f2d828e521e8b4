//! A local HTTP server of outlets' feeds for the monitoring tests and pressnet-bench: each
//! path serves what it is told (a body with its type and validators, a 304 when the client's
//! validators match, a status, a redirect, a delay), and every request is recorded.
use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What one path answers.
#[derive(Debug, Clone, Default)]
pub struct Route {
    pub body: Vec<u8>,
    pub content_type: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub status: Option<u16>,
    pub redirect: Option<String>,
    pub delay: Option<Duration>,
}

impl Route {
    pub fn feed(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            body: body.into(),
            content_type: content_type.to_owned(),
            ..Default::default()
        }
    }

    pub fn with_etag(mut self, etag: &str) -> Route {
        self.etag = Some(etag.to_owned());
        self
    }

    pub fn with_last_modified(mut self, at: &str) -> Route {
        self.last_modified = Some(at.to_owned());
        self
    }

    pub fn redirect(to: &str) -> Route {
        Route {
            redirect: Some(to.to_owned()),
            ..Default::default()
        }
    }

    pub fn slow(mut self, delay: Duration) -> Route {
        self.delay = Some(delay);
        self
    }
}

/// A request the server saw.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub headers: HeaderMap,
    /// 304 or 200 (or the route's status).
    pub answered: u16,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    hits: Vec<Hit>,
}

#[derive(Clone)]
pub struct FeedServer {
    /// `http://127.0.0.1:port`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FeedServer {
    pub async fn start() -> FeedServer {
        let state: Arc<Mutex<State>> = Arc::default();
        let s = state.clone();
        let app = Router::new().route(
            "/{*path}",
            get(move |uri: Uri, headers: HeaderMap| {
                let s = s.clone();
                async move { answer(&s, uri.path().to_owned(), headers).await }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the feed server");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FeedServer { url, state }
    }

    /// Serves `route` at `path` (from now on, replacing what was there).
    pub fn serve(&self, path: &str, route: Route) {
        self.state
            .lock()
            .expect("feed server state")
            .routes
            .insert(path.to_owned(), route);
    }

    pub fn hits(&self, path: &str) -> Vec<Hit> {
        self.state
            .lock()
            .expect("feed server state")
            .hits
            .iter()
            .filter(|h| h.path == path)
            .cloned()
            .collect()
    }

    pub fn total_hits(&self) -> usize {
        self.state.lock().expect("feed server state").hits.len()
    }
}

async fn answer(state: &Arc<Mutex<State>>, path: String, headers: HeaderMap) -> Response {
    let route = state
        .lock()
        .expect("feed server state")
        .routes
        .get(&path)
        .cloned();
    let Some(route) = route else {
        record(state, path, headers, 404);
        return status(404);
    };
    if let Some(d) = route.delay {
        tokio::time::sleep(d).await;
    }
    if let Some(to) = &route.redirect {
        record(state, path, headers, 302);
        return Response::builder()
            .status(StatusCode::FOUND)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .expect("a response");
    }
    if let Some(code) = route.status {
        record(state, path, headers, code);
        return status(code);
    }
    let sent = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let unchanged = match (&route.etag, sent(header::IF_NONE_MATCH)) {
        (Some(e), Some(s)) => e == s,
        _ => {
            matches!((&route.last_modified, sent(header::IF_MODIFIED_SINCE)), (Some(l), Some(s)) if l == s)
        }
    };
    if unchanged {
        record(state, path, headers, 304);
        return status(304);
    }
    record(state, path, headers, 200);
    let mut b = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, route.content_type.clone());
    if let Some(e) = &route.etag {
        b = b.header(header::ETAG, e);
    }
    if let Some(l) = &route.last_modified {
        b = b.header(header::LAST_MODIFIED, l);
    }
    b.body(Body::from(route.body)).expect("a response")
}

fn record(state: &Arc<Mutex<State>>, path: String, headers: HeaderMap, answered: u16) {
    state.lock().expect("feed server state").hits.push(Hit {
        path,
        headers,
        answered,
    });
}

fn status(code: u16) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .body(Body::empty())
        .expect("a response")
}
