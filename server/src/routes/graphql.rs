//! `POST /graphql` and `GET /graphql`, as the GraphQL-over-HTTP specification (the GraphQL
//! Foundation's) says:
//!
//! - The response is `application/graphql-response+json` when the client accepts it, else
//!   `application/json` (also when no `Accept` is sent); a client accepting neither gets 406.
//! - POST takes `application/json` (415 otherwise); a body that is not a GraphQL request (not
//!   JSON, `query` not a string, `variables` not an object) is 400.
//! - GET takes `query`, `variables`, `operationName` and `extensions` in the URL, for queries
//!   only: a mutation over GET is 405 (`Allow: POST`). A browser asking for HTML gets GraphiQL.
//! - With `application/graphql-response+json`, a request that fails as a whole (it does not
//!   parse or validate: no data) is 400; with `application/json` it is 200, as older clients
//!   expect. Every error carries `extensions.code`.
//!
//! Automatic persisted queries (Apollo's protocol: `extensions.persistedQuery.sha256Hash`) are
//! served by async-graphql's extension with a bounded store; a hash that does not match its
//! query is refused, so nobody can store a document under another's hash.
use super::client_addr::ClientAddr;
use super::multipart::MultipartError;
use super::read_cache::{classify, Kind, Stored};
use super::{AppState, MAX_BATCH};
use crate::routes::viewer::Token;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, Request, ServerError};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use pressnet_schema::graphql::context::{BearerToken, UserAgent};
use pressnet_schema::graphql::errors::ensure_code;
use serde::Deserialize;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// GraphiQL, served from the binary (`web/graphiql`, libraries in `web/vendor`): nothing from
/// another host, under the web app's policy except that GraphiQL's editor sets styles inline
/// and its stylesheet embeds its fonts.
const GRAPHIQL_CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    font-src 'self' data:; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; frame-ancestors 'none'";

fn graphiql() -> Response {
    let mut resp = super::web::serve("graphiql/index.html");
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(GRAPHIQL_CSP),
    );
    resp
}

/// The media type of the answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Media {
    GraphqlResponse,
    Json,
}

impl Media {
    fn as_str(self) -> &'static str {
        match self {
            Media::GraphqlResponse => GRAPHQL_RESPONSE,
            Media::Json => JSON,
        }
    }
}

/// The media types the client accepts, as (type, q) without parameters.
fn accepted(headers: &HeaderMap) -> Vec<(String, f32)> {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| {
            let mut bits = part.split(';').map(str::trim);
            let ty = bits.next()?.to_ascii_lowercase();
            let q = bits
                .find_map(|b| b.strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!ty.is_empty()).then_some((ty, q))
        })
        .collect()
}

fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let list = accepted(headers);
    if list.is_empty() {
        return Some(Media::Json);
    }
    let q = |want: &[&str]| {
        list.iter()
            .filter(|(t, _)| want.contains(&t.as_str()))
            .map(|(_, q)| *q)
            .fold(0.0_f32, f32::max)
    };
    let gr = q(&[GRAPHQL_RESPONSE]);
    let json = q(&[JSON]);
    let any = q(&["*/*", "application/*"]);
    if gr > 0.0 && gr >= json {
        Some(Media::GraphqlResponse)
    } else if json > 0.0 || any > 0.0 {
        Some(Media::Json)
    } else {
        None
    }
}

fn not_acceptable() -> Response {
    request_error(
        StatusCode::NOT_ACCEPTABLE,
        Media::Json,
        "BAD_USER_INPUT",
        "accept application/graphql-response+json or application/json",
    )
}

fn wants_html(headers: &HeaderMap) -> bool {
    accepted(headers)
        .iter()
        .any(|(t, q)| t == "text/html" && *q > 0.0)
}

/// An error answered before anything executes, with its status.
fn request_error(status: StatusCode, media: Media, code: &str, message: &str) -> Response {
    let mut err = ServerError::new(message, None);
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    ensure_code(&mut err);
    let body = serde_json::json!({ "errors": [err] }).to_string();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(media.as_str()),
        )],
        body,
    )
        .into_response()
}

/// A GraphQL request in a URL's query string (GET /graphql, GET /graphql/stream).
#[derive(Deserialize)]
pub struct GetParams {
    query: Option<String>,
    variables: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    extensions: Option<String>,
}

/// The request a GET's parameters describe, or why they do not describe one.
pub fn from_params(p: GetParams) -> Result<Request, String> {
    let mut r = Request::new(p.query.unwrap_or_default());
    if let Some(v) = p.variables.filter(|v| !v.is_empty()) {
        let value: serde_json::Value =
            serde_json::from_str(&v).map_err(|e| format!("variables is not JSON: {e}"))?;
        if !value.is_object() && !value.is_null() {
            return Err("variables must be a JSON object".into());
        }
        r.variables = serde_json::from_value(value).map_err(|e| format!("variables: {e}"))?;
    }
    r.operation_name = p.operation_name.filter(|n| !n.is_empty());
    if let Some(e) = p.extensions.filter(|e| !e.is_empty()) {
        r.extensions = serde_json::from_str(&e)
            .map_err(|e| format!("extensions is not a JSON object: {e}"))?;
    }
    if r.query.is_empty() && !r.extensions.contains_key("persistedQuery") {
        return Err("the query parameter is required".into());
    }
    Ok(r)
}

/// Whether a request's operation (as far as its text shows) is a mutation or subscription.
fn not_a_query(r: &Request) -> bool {
    match async_graphql::parser::parse_query(&r.query) {
        Ok(doc) => pressnet_schema::graphql::live::operation(&doc, r.operation_name.as_deref())
            .is_some_and(|op| op.node.ty != OperationType::Query),
        Err(_) => false,
    }
}

#[tracing::instrument(skip_all, fields(client = %client))]
pub async fn get(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Token(token): Token,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let has_query = params
        .as_ref()
        .is_ok_and(|p| p.query.is_some() || p.extensions.is_some());
    if !has_query && wants_html(&headers) {
        return graphiql();
    }
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let request = match params
        .map_err(|e| e.to_string())
        .and_then(|p| from_params(p.0))
    {
        Ok(r) => r,
        Err(msg) => {
            return request_error(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", &msg);
        }
    };
    if not_a_query(&request) {
        let mut resp = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            "BAD_USER_INPUT",
            "only queries may be sent with GET; send mutations with POST",
        );
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return resp;
    }
    // The cache key: the request as it would have been posted.
    let key = serde_json::to_vec(&serde_json::json!({
        "query": request.query,
        "variables": request.variables,
        "operationName": request.operation_name,
        "extensions": request.extensions,
    }))
    .map(Bytes::from)
    .unwrap_or_default();
    let agent = user_agent(&headers);
    run(
        state,
        Caller {
            client,
            token,
            agent,
        },
        media,
        BatchRequest::Single(request),
        key,
    )
    .await
}

#[tracing::instrument(skip_all, fields(client = %client))]
pub async fn post(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    Token(token): Token,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let full_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let content_type = full_type
        .split(';')
        .next()
        .map(|v| v.trim().to_ascii_lowercase());
    if content_type.as_deref() == Some("multipart/form-data") {
        return upload(state, client, token, media, &full_type, body).await;
    }
    let Ok(body) = axum::body::to_bytes(body, super::MAX_BODY_BYTES).await else {
        let msg = format!(
            "the request body is larger than {} bytes",
            super::MAX_BODY_BYTES
        );
        return request_error(StatusCode::PAYLOAD_TOO_LARGE, media, "BAD_USER_INPUT", &msg);
    };
    if content_type.as_deref() != Some(JSON) {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "BAD_USER_INPUT",
            "send the request as application/json",
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            let msg = format!("the request body is not a GraphQL request: {e}");
            return request_error(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", &msg);
        }
    };
    if let BatchRequest::Batch(list) = &batch {
        if list.len() > MAX_BATCH {
            let msg = format!("a batch may hold at most {MAX_BATCH} operations");
            return request_error(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", &msg);
        }
        if list.is_empty() {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_USER_INPUT",
                "the batch is empty",
            );
        }
    }
    let agent = user_agent(&headers);
    let caller = Caller {
        client,
        token,
        agent,
    };
    run(state, caller, media, batch, body).await
}

/// Files sent by the GraphQL multipart request specification. The viewer is known before a
/// byte of the body is read: an anonymous request, or one from an account that uploads
/// nothing, is answered at once, so nobody can make the server hold or spool a body for them.
/// Then each part is read under its own bound (`multipart`), files streamed to temporary
/// files, and the request runs as any other.
async fn upload(
    state: AppState,
    client: String,
    token: Option<String>,
    media: Media,
    content_type: &str,
    body: axum::body::Body,
) -> Response {
    let viewer = match state
        .sessions
        .viewer(&state.ctx, token.as_deref(), Some(client))
        .await
    {
        Ok(v) => v,
        Err(e) => return super::error::HttpError::from(e).into_response(),
    };
    if let Err(e) = viewer.may_upload(state.ctx.clock.now()) {
        return super::error::HttpError::from(e).into_response();
    }
    let limits = super::multipart::Limits {
        operations: super::MAX_BODY_BYTES as u64,
        file: state.ctx.settings.max_upload_bytes,
        files: super::MAX_FILES_PER_UPLOAD,
    };
    let batch = match super::multipart::read(content_type, body, limits).await {
        Ok(b) => b,
        Err(
            e @ (MultipartError::PartTooLarge { .. }
            | MultipartError::FileTooLarge { .. }
            | MultipartError::RequestTooLarge { .. }),
        ) => {
            let msg = e.to_string();
            return request_error(StatusCode::PAYLOAD_TOO_LARGE, media, "BAD_USER_INPUT", &msg);
        }
        Err(MultipartError::Io(e)) => {
            tracing::error!(error = %e, "an upload could not be spooled to a temporary file");
            return request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                media,
                "INTERNAL",
                "the upload could not be received; try again in a moment",
            );
        }
        Err(e) => {
            tracing::debug!(error = %e, "an upload that is not a GraphQL multipart request");
            let msg = format!(
                "the request is not a GraphQL multipart request (operations, map, files): {e}"
            );
            return request_error(StatusCode::BAD_REQUEST, media, "BAD_USER_INPUT", &msg);
        }
    };
    if let BatchRequest::Batch(list) = &batch {
        if list.len() > MAX_BATCH || list.is_empty() {
            return request_error(
                StatusCode::BAD_REQUEST,
                media,
                "BAD_USER_INPUT",
                "one to ten operations per request",
            );
        }
    }
    // Never cached (it is a mutation); the key only has to be unique.
    let key = Bytes::from(uuid::Uuid::new_v4().as_bytes().to_vec());
    // The viewer was resolved before the body was read; it is not resolved again.
    execute(state, viewer, (token, None), media, batch, key).await
}

/// Who sent a request: address, bearer token and browser.
struct Caller {
    client: String,
    token: Option<String>,
    agent: Option<String>,
}

/// The request's `User-Agent`, for the session `login` opens (`mySessions`).
fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(300).collect())
}

/// Signs the viewer in, then `execute`s.
async fn run(
    state: AppState,
    caller: Caller,
    media: Media,
    batch: BatchRequest,
    key: Bytes,
) -> Response {
    let Caller {
        client,
        token,
        agent,
    } = caller;
    let viewer = match state
        .sessions
        .viewer(&state.ctx, token.as_deref(), Some(client))
        .await
    {
        Ok(v) => v,
        Err(e) => {
            let status = if media == Media::GraphqlResponse {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::OK
            };
            return request_error(status, media, e.code().as_str(), &e.public_message());
        }
    };
    execute(state, viewer, (token, agent), media, batch, key).await
}

/// Answers from the read cache or executes, and shapes the answer.
async fn execute(
    state: AppState,
    viewer: pressnet_domain::auth::Viewer,
    (token, agent): (Option<String>, Option<String>),
    media: Media,
    batch: BatchRequest,
    key: Bytes,
) -> Response {
    // The counter is read before anything executes: a change committed meanwhile makes
    // what this request stores stale at once.
    let generation = state.ctx.hub.generation();
    let now = state.ctx.clock.now();
    if let Some(hit) = state.read_cache.get(&viewer, &key, generation, now) {
        state.ctx.metrics.read_cache_hits.inc();
        return shaped(hit, media);
    }
    let kind = classify(&batch);
    if kind != Kind::MayWrite {
        state.ctx.metrics.read_cache_misses.inc();
    }
    let for_cache = viewer.clone();
    // One complexity budget for all of the batch's operations.
    let mut batch = batch
        .data(viewer)
        .data(pressnet_schema::graphql::cost::RequestBudget::default());
    if let Some(t) = token {
        batch = batch.data(BearerToken(t));
    }
    if let Some(a) = agent {
        batch = batch.data(UserAgent(a));
    }
    let resp: BatchResponse = state.schema.execute_batch(batch).await;
    if kind == Kind::MayWrite {
        state.ctx.hub.note_change();
    }
    match Stored::from_batch(&resp) {
        Ok(stored) => {
            if kind == Kind::Cacheable && resp.is_ok() {
                state
                    .read_cache
                    .put(&for_cache, &key, generation, now, &stored);
            }
            shaped(stored, media)
        }
        // async-graphql-axum would panic here; answer with the contract's code instead.
        Err(e) => {
            tracing::error!(error = %e, "a GraphQL response could not be serialised");
            request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                media,
                "INTERNAL",
                "the response could not be produced",
            )
        }
    }
}

/// The stored answer with the negotiated media type, and 400 for a request that failed as a
/// whole when the client speaks `application/graphql-response+json`.
fn shaped(stored: Stored, media: Media) -> Response {
    // GraphQL over HTTP: a request that did not parse, validate or bind its variables was
    // never executed, so under graphql-response+json its answer is a 400 with no `data` entry
    // at all (not `"data": null`).
    let whole_failure = media == Media::GraphqlResponse && stored.request_failed;
    let stored = if whole_failure {
        stored.without_data()
    } else {
        stored
    };
    let mut resp = stored.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.as_str()),
    );
    if whole_failure {
        *resp.status_mut() = StatusCode::BAD_REQUEST;
    }
    resp
}

/// `GET /graphql/schema.graphql`: the schema's SDL.
#[tracing::instrument(skip_all)]
pub async fn sdl(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        pressnet_schema::graphql::sdl_of(&state.schema),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).expect("value"));
        h
    }

    #[test]
    fn media_types_are_negotiated() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Media::Json));
        assert_eq!(
            negotiate(&with_accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&with_accept("application/json")),
            Some(Media::Json)
        );
        assert_eq!(negotiate(&with_accept("*/*")), Some(Media::Json));
        assert_eq!(negotiate(&with_accept("text/plain")), None);
        assert!(wants_html(&with_accept("text/html,application/xhtml+xml")));
    }
}
