//! One conditional GET of an outlet's feed: `If-None-Match` / `If-Modified-Since` from the
//! last full answer, a per-request timeout, a size limit enforced while the body streams in
//! (a `Content-Length` above it is refused before reading), and redirects followed by hand, at
//! most [`MAX_REDIRECTS`], each target checked like the first (the shared client follows none,
//! so a feed cannot redirect pressnet onto a private address).
use crate::outbound;
use reqwest::header::{self, HeaderMap};
use reqwest::StatusCode;
use std::time::Duration;
use url::Url;

/// Redirects followed before a feed is treated as broken (a loop ends here).
pub(crate) const MAX_REDIRECTS: usize = 5;

/// How a feed is fetched.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    pub max_bytes: u64,
    pub allow_private: bool,
}

/// What a fetch brought back.
#[derive(Debug)]
pub enum Fetched {
    /// 304: nothing changed since the validators we sent.
    NotModified,
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// Why a fetch failed; the text is what the registry page shows as the feed's last error.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("answered {0}")]
    Status(u16),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("redirected to an unusable location")]
    BadRedirect,
    #[error("points at a loopback or private address")]
    Private,
    #[error("larger than {0} bytes")]
    TooLarge(u64),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("unreachable: {0}")]
    Unreachable(String),
}

fn header_text(h: &HeaderMap, name: header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect())
}

fn transport(e: reqwest::Error, limits: &Limits) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout(limits.timeout)
    } else {
        // The chain names the cause (refused, reset, no public address) without the URL.
        let e = e.without_url();
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text = format!("{text}: {s}");
            source = s.source();
        }
        FetchError::Unreachable(text.chars().take(200).collect())
    }
}

/// Fetches `url` conditionally. The whole exchange, redirects and body included, is bounded
/// by `limits.timeout`.
#[tracing::instrument(name = "feed.fetch", skip_all, fields(url = %url))]
pub async fn fetch(
    client: &reqwest::Client,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
    limits: &Limits,
) -> Result<Fetched, FetchError> {
    match tokio::time::timeout(
        limits.timeout,
        exchange(client, url, etag, last_modified, limits),
    )
    .await
    {
        Ok(r) => r,
        Err(_) => Err(FetchError::Timeout(limits.timeout)),
    }
}

async fn exchange(
    client: &reqwest::Client,
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
    limits: &Limits,
) -> Result<Fetched, FetchError> {
    let mut target = url.clone();
    let mut redirects = 0;
    let response = loop {
        outbound::check_literal(&target, limits.allow_private).map_err(|_| FetchError::Private)?;
        let mut req = client.get(target.clone()).timeout(limits.timeout).header(
            header::ACCEPT,
            "application/rss+xml, application/atom+xml, application/feed+json, \
                 application/xml;q=0.9, */*;q=0.5",
        );
        if let Some(e) = etag {
            req = req.header(header::IF_NONE_MATCH, e);
        }
        if let Some(m) = last_modified {
            req = req.header(header::IF_MODIFIED_SINCE, m);
        }
        let resp = req.send().await.map_err(|e| transport(e, limits))?;
        if !resp.status().is_redirection() || resp.status() == StatusCode::NOT_MODIFIED {
            break resp;
        }
        redirects += 1;
        if redirects > MAX_REDIRECTS {
            return Err(FetchError::TooManyRedirects);
        }
        let next = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| target.join(l).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or(FetchError::BadRedirect)?;
        target = next;
    };
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !status.is_success() {
        return Err(FetchError::Status(status.as_u16()));
    }
    if response
        .content_length()
        .is_some_and(|n| n > limits.max_bytes)
    {
        return Err(FetchError::TooLarge(limits.max_bytes));
    }
    let etag = header_text(response.headers(), header::ETAG);
    let last_modified = header_text(response.headers(), header::LAST_MODIFIED);
    let mut bytes = Vec::new();
    let mut response = response;
    while let Some(chunk) = response.chunk().await.map_err(|e| transport(e, limits))? {
        if bytes.len() as u64 + chunk.len() as u64 > limits.max_bytes {
            return Err(FetchError::TooLarge(limits.max_bytes));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Fetched::Body {
        bytes,
        etag,
        last_modified,
    })
}
