//! A GraphQL-over-HTTP client for tests.
use serde_json::{json, Value};

pub struct Gql {
    url: String,
    token: Option<String>,
    http: reqwest::Client,
    forwarded_for: Option<String>,
}

/// One GraphQL response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// `data`, asserting there were no errors.
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none_or(Value::is_null),
            "unexpected errors: {}",
            self.body
        );
        &self.body["data"]
    }

    /// The first error's `extensions.code`, asserting there was one.
    pub fn code(&self) -> String {
        let errs = self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("expected errors: {}", self.body));
        for e in errs {
            assert!(
                e["extensions"]["code"].is_string(),
                "error without code: {e}"
            );
        }
        errs[0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn message(&self) -> String {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Gql {
    pub fn new(base: &str, token: Option<String>) -> Self {
        Self {
            url: format!("{base}/graphql"),
            token,
            http: reqwest::Client::new(),
            forwarded_for: None,
        }
    }

    /// Sends every request with `X-Forwarded-For: addr` (a client behind a proxy).
    pub fn forwarded_for(mut self, addr: &str) -> Self {
        self.forwarded_for = Some(addr.to_owned());
        self
    }

    pub async fn run(&self, query: &str, variables: Value) -> Reply {
        self.post_json(&json!({"query": query, "variables": variables}))
            .await
    }

    pub async fn post_json(&self, body: &Value) -> Reply {
        self.post_raw(body.to_string()).await
    }

    pub async fn post_raw(&self, body: String) -> Reply {
        let mut req = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(a) = &self.forwarded_for {
            req = req.header("x-forwarded-for", a);
        }
        let resp = req.send().await.expect("http request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, body }
    }

    /// Sends an oversized request over a raw TCP connection and returns the status code.
    ///
    /// Why raw: a server that refuses a body early closes the connection with the rest of the
    /// body unread, and the kernel then answers the client's pending bytes with a reset that can
    /// discard the response before an HTTP client reads it. Sending only what the server will
    /// read (the headers, or just over the limit of a chunked body) makes the answer observable
    /// every time.
    pub async fn post_oversized(
        &self,
        declared_length: Option<usize>,
        chunked_bytes: usize,
    ) -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let rest = self.url.trim_start_matches("http://");
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let mut sock = tokio::net::TcpStream::connect(authority)
            .await
            .expect("connect");
        let framing = match declared_length {
            Some(n) => format!("content-length: {n}\r\n"),
            None => "transfer-encoding: chunked\r\n".to_owned(),
        };
        let head = format!(
            "POST /{path} HTTP/1.1\r\nhost: {authority}\r\ncontent-type: application/json\r\n{framing}\r\n"
        );
        sock.write_all(head.as_bytes()).await.expect("write head");
        if declared_length.is_none() {
            // One chunk that alone exceeds the limit; no terminating chunk follows.
            let mut chunk = format!("{chunked_bytes:x}\r\n").into_bytes();
            chunk.extend(std::iter::repeat_n(b'x', chunked_bytes));
            chunk.extend_from_slice(b"\r\n");
            sock.write_all(&chunk).await.expect("write chunk");
        }
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), sock.read(&mut buf))
            .await
            .expect("answer within 10 s")
            .expect("read answer");
        let text = String::from_utf8_lossy(&buf[..n]);
        text.split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {text:?}"))
    }
}
