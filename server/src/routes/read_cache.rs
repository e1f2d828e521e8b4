//! A short-lived cache of GraphQL query responses, per viewer.
//!
//! Release lists and registry pages are read far more often than they change. A response is
//! kept only while nothing may have changed: each entry remembers the hub's change counter
//! when its execution began (every publication, retraction, delivery and inquiry event moves
//! it, on this instance and, through the relay, from the others; so does every mutation sent
//! here), and it expires after `TTL` regardless, which bounds what no event describes: a
//! mutation on another instance, or the clock passing an accreditation's end (ages are
//! measured on the application's clock, the one those rules read). The viewer is
//! still signed in on every request (an expired or revoked token never reads the cache), and
//! the key holds everything the viewer's rights depend on.
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use pressnet_domain::auth::Viewer;
use quick_cache::sync::Cache;
use quick_cache::Weighter;
use std::time::Duration;

/// How long an entry may be served at most.
const TTL: Duration = Duration::from_secs(1);
/// Memory bound of the whole cache (request and response bytes).
const MAX_BYTES: u64 = 32 * 1024 * 1024;
/// Larger requests or responses are not kept.
const MAX_REQUEST: usize = 8 * 1024;
const MAX_RESPONSE: usize = 512 * 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    /// Everything about the viewer that decides what they may see.
    viewer: String,
    request: Bytes,
}

/// A serialised response, ready to send again.
#[derive(Clone)]
pub struct Stored {
    headers: HeaderMap,
    body: Bytes,
    /// A single request that failed as a whole (no data: it did not parse or validate).
    pub request_failed: bool,
}

impl IntoResponse for Stored {
    fn into_response(self) -> Response {
        let mut resp = Response::new(self.body.into());
        *resp.headers_mut() = self.headers;
        resp
    }
}

impl Stored {
    /// The same answer without its top-level `data` entry (a request that was never executed).
    pub fn without_data(self) -> Self {
        let body = match serde_json::from_slice::<serde_json::Value>(&self.body) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.remove("data");
                serde_json::to_vec(&map)
                    .map(Bytes::from)
                    .unwrap_or(self.body)
            }
            _ => self.body,
        };
        Self { body, ..self }
    }

    /// The same bytes and headers `async_graphql_axum::GraphQLResponse` would send.
    pub fn from_batch(resp: &async_graphql::BatchResponse) -> Result<Self, serde_json::Error> {
        let body = Bytes::from(serde_json::to_vec(resp)?);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/graphql-response+json"),
        );
        if resp.is_ok() {
            if let Some(v) = resp
                .cache_control()
                .value()
                .and_then(|c| HeaderValue::from_str(&c).ok())
            {
                headers.insert(header::CACHE_CONTROL, v);
            }
        }
        headers.extend(resp.http_headers());
        let request_failed = match resp {
            async_graphql::BatchResponse::Single(r) => {
                r.data == async_graphql::Value::Null
                    && !r.errors.is_empty()
                    && r.errors.iter().all(|e| e.path.is_empty())
            }
            async_graphql::BatchResponse::Batch(_) => false,
        };
        Ok(Self {
            headers,
            body,
            request_failed,
        })
    }
}

#[derive(Clone)]
struct Entry {
    generation: u64,
    /// The application's clock (the one visibility rules read), not the machine's.
    stored_at: DateTime<Utc>,
    response: Stored,
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<Key, Entry> for ByBytes {
    fn weight(&self, key: &Key, val: &Entry) -> u64 {
        (key.request.len() + key.viewer.len() + val.response.body.len() + 256) as u64
    }
}

pub struct ReadCache {
    entries: Cache<Key, Entry, ByBytes>,
}

impl Default for ReadCache {
    fn default() -> Self {
        Self {
            entries: Cache::with_weighter(4_096, MAX_BYTES, ByBytes),
        }
    }
}

fn key(viewer: &Viewer, request: &Bytes) -> Option<Key> {
    if request.len() > MAX_REQUEST {
        return None;
    }
    Some(Key {
        viewer: format!("{:?}", viewer.account),
        request: request.clone(),
    })
}

impl ReadCache {
    /// A response stored for this viewer and request while the counter stood at `generation`.
    pub fn get(
        &self,
        viewer: &Viewer,
        request: &Bytes,
        generation: u64,
        now: DateTime<Utc>,
    ) -> Option<Stored> {
        let k = key(viewer, request)?;
        let e = self.entries.get(&k)?;
        let age = (now - e.stored_at).to_std().ok()?;
        (e.generation == generation && age < TTL).then_some(e.response)
    }

    /// Keeps the response of a query that began executing at `generation` and succeeded.
    pub fn put(
        &self,
        viewer: &Viewer,
        request: &Bytes,
        generation: u64,
        now: DateTime<Utc>,
        response: &Stored,
    ) {
        if response.body.len() > MAX_RESPONSE {
            return;
        }
        if let Some(k) = key(viewer, request) {
            self.entries.insert(
                k,
                Entry {
                    generation,
                    stored_at: now,
                    response: response.clone(),
                },
            );
        }
    }
}

/// Fields whose answer must be computed afresh on every request: the audit check exists to
/// find edits made behind the application's back, which no event announces.
/// `mySessions` says which session is asking (`current`): two sessions of one account must not
/// share its answer.
const NEVER_CACHED: &[&str] = &[
    "verifyAuditLog",
    "verifyAuditLogAgainst",
    "auditCheckpoint",
    "mySessions",
];

/// What a request may do, as far as the cache is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Queries only, none asking for a field that must be fresh: the answer may be kept.
    Cacheable,
    /// Queries only, but not to be kept.
    ReadOnly,
    /// A mutation (or something unparsable): may change data, so the change counter moves.
    MayWrite,
}

pub fn classify(batch: &async_graphql::BatchRequest) -> Kind {
    use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
    let requests: &[async_graphql::Request] = match batch {
        async_graphql::BatchRequest::Single(r) => std::slice::from_ref(r),
        async_graphql::BatchRequest::Batch(list) => list,
    };
    let mut kind = Kind::Cacheable;
    for r in requests {
        let Ok(doc) = async_graphql::parser::parse_query(&r.query) else {
            return Kind::MayWrite;
        };
        let op = match (&doc.operations, r.operation_name.as_deref()) {
            (DocumentOperations::Single(op), _) => Some(op),
            (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
            (DocumentOperations::Multiple(_), None) => None,
        };
        let Some(op) = op else {
            return Kind::MayWrite;
        };
        if op.node.ty != OperationType::Query {
            return Kind::MayWrite;
        }
        // Top-level fields are checked by name; a fragment there could hide one, so a
        // query with one is answered but not kept.
        let fresh_only = op
            .node
            .selection_set
            .node
            .items
            .iter()
            .any(|s| match &s.node {
                Selection::Field(f) => NEVER_CACHED.contains(&f.node.name.node.as_str()),
                Selection::FragmentSpread(_) | Selection::InlineFragment(_) => true,
            });
        if fresh_only {
            kind = Kind::ReadOnly;
        }
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{BatchRequest, Request};

    fn kind(q: &str) -> Kind {
        classify(&BatchRequest::Single(Request::new(q)))
    }

    #[test]
    fn what_may_be_kept() {
        assert_eq!(
            kind("{ releases(first: 5) { totalCount } }"),
            Kind::Cacheable
        );
        assert_eq!(kind("query Q { units { id } }"), Kind::Cacheable);
        assert_eq!(kind("{ verifyAuditLog { ok } }"), Kind::ReadOnly);
        assert_eq!(
            kind("{ units { id } ...F } fragment F on Query { verifyAuditLog { ok } }"),
            Kind::ReadOnly
        );
        assert_eq!(kind("mutation { logout }"), Kind::MayWrite);
        assert_eq!(
            kind("query A { units { id } } mutation B { logout }"),
            Kind::MayWrite
        );
        assert_eq!(kind("{ not valid"), Kind::MayWrite);
        let named =
            Request::new("query A { units { id } } mutation B { logout }").operation_name("A");
        assert_eq!(classify(&BatchRequest::Single(named)), Kind::Cacheable);
        let batch = BatchRequest::Batch(vec![
            Request::new("{ units { id } }"),
            Request::new("mutation { logout }"),
        ]);
        assert_eq!(classify(&batch), Kind::MayWrite);
    }
}
