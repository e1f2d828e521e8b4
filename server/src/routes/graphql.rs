//! POST /graphql (queries and mutations, batches bounded) and GET /graphql (GraphiQL).
use super::auth::bearer;
use super::client_addr::ClientAddr;
use super::read_cache::{classify, Kind, Stored};
use super::{AppState, MAX_BATCH};
use async_graphql::http::GraphiQLSource;
use async_graphql::{BatchRequest, BatchResponse, Response as GqlResponse, ServerError};
use async_graphql_axum::GraphQLResponse;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use bytes::Bytes;
use pressnet_schema::graphql::errors::ensure_code;
use pressnet_schema::graphql::mutation::BearerToken;

/// GraphiQL's page loads its scripts from a CDN and starts them inline: its own policy, still
/// never framed.
const GRAPHIQL_CSP: &str =
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://unpkg.com; \
    style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data:; connect-src 'self'; \
    frame-ancestors 'none'";

pub async fn graphiql() -> impl IntoResponse {
    (
        [(header::CONTENT_SECURITY_POLICY, GRAPHIQL_CSP)],
        Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        ),
    )
}

fn error_response(code: &str, message: &str) -> Response {
    let mut err = ServerError::new(message, None);
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    ensure_code(&mut err);
    GraphQLResponse::from(GqlResponse::from_errors(vec![err])).into_response()
}

pub async fn execute(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            let msg = format!("the request body is not a GraphQL request: {e}");
            return error_response("BAD_USER_INPUT", &msg);
        }
    };
    if let BatchRequest::Batch(list) = &batch {
        if list.len() > MAX_BATCH {
            let msg = format!("a batch may hold at most {MAX_BATCH} operations");
            return error_response("BAD_USER_INPUT", &msg);
        }
        if list.is_empty() {
            return error_response("BAD_USER_INPUT", "the batch is empty");
        }
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        .map(str::to_owned);
    let addr = Some(client);
    let viewer = match state
        .sessions
        .viewer(&state.ctx, token.as_deref(), addr)
        .await
    {
        Ok(v) => v,
        Err(e) => {
            let code = e.code().as_str();
            return error_response(code, &e.public_message());
        }
    };
    // The counter is read before anything executes: a change committed meanwhile makes
    // what this request stores stale at once.
    let generation = state.ctx.hub.generation();
    let now = state.ctx.clock.now();
    if let Some(hit) = state.read_cache.get(&viewer, &body, generation, now) {
        state.ctx.metrics.read_cache_hits.inc();
        return hit.into_response();
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
    let resp: BatchResponse = state.schema.execute_batch(batch).await;
    if kind == Kind::MayWrite {
        state.ctx.hub.note_change();
    }
    match Stored::from_batch(&resp) {
        Ok(stored) => {
            if kind == Kind::Cacheable && resp.is_ok() {
                state
                    .read_cache
                    .put(&for_cache, &body, generation, now, &stored);
            }
            stored.into_response()
        }
        // async-graphql-axum would panic here; answer with the contract's code instead.
        Err(e) => {
            tracing::error!(error = %e, "a GraphQL response could not be serialised");
            error_response("INTERNAL", "the response could not be produced")
        }
    }
}
