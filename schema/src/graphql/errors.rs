//! The schema's one extension: every GraphQL error gets an `extensions.code`, and the checks
//! that bound a request run here (persisted queries, depth, the batch's complexity budget).
//!
//! One extension, not one per concern: async-graphql wraps every field's resolution in every
//! extension's `resolve` hook, so each extra extension costs a boxed future per field (three
//! extensions cost a busy read path about a quarter of its throughput on PostgreSQL).
//!
//! Resolver errors carry their code (see `pressnet_domain::error`). Errors raised by async-graphql itself
//! before any resolver runs (syntax, validation, variable coercion such as a malformed UUID,
//! depth and complexity limits) are the client's: they get BAD_USER_INPUT here.
//!
//! Automatic persisted queries follow Apollo's protocol (`extensions.persistedQuery`): a
//! document is stored under its SHA-256 only when sent with a query that hashes to it, in a
//! bounded LRU store.
use super::cost;
use async_graphql::extensions::apollo_persisted_queries::{CacheStorage, LruCacheStorage};
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
    NextSubscribe, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    Request, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
};
use futures::stream::BoxStream;
use futures::StreamExt;
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub struct ErrorCodes {
    persisted: LruCacheStorage,
}

impl ErrorCodes {
    pub fn new(max_persisted_queries: usize) -> Self {
        Self {
            persisted: LruCacheStorage::new(max_persisted_queries),
        }
    }
}

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension {
            persisted: self.persisted.clone(),
        })
    }
}

struct ErrorCodesExtension {
    persisted: LruCacheStorage,
}

pub fn ensure_code(err: &mut ServerError) {
    let ext = err.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", Value::from("BAD_USER_INPUT"));
    }
}

fn fix(mut resp: Response) -> Response {
    resp.errors.iter_mut().for_each(ensure_code);
    resp
}

#[derive(serde::Deserialize)]
struct PersistedQuery {
    version: i32,
    #[serde(rename = "sha256Hash")]
    sha256_hash: String,
}

impl ErrorCodesExtension {
    async fn persisted_query(&self, mut request: Request) -> ServerResult<Request> {
        let Some(value) = request.extensions.remove("persistedQuery") else {
            return Ok(request);
        };
        let pq: PersistedQuery = async_graphql::from_value(value).map_err(|_| {
            ServerError::new("Invalid \"PersistedQuery\" extension configuration.", None)
        })?;
        if pq.version != 1 {
            return Err(ServerError::new(
                "Only version 1 of the \"PersistedQuery\" extension is supported.",
                None,
            ));
        }
        if request.query.is_empty() {
            return match self.persisted.get(pq.sha256_hash).await {
                Some(doc) => {
                    request.set_parsed_query(doc);
                    Ok(request)
                }
                None => Err(ServerError::new("PersistedQueryNotFound", None)),
            };
        }
        let hash = format!("{:x}", Sha256::digest(request.query.as_bytes()));
        if pq.sha256_hash != hash {
            return Err(ServerError::new("provided sha does not match query", None));
        }
        let doc = async_graphql::parser::parse_query(&request.query)?;
        self.persisted.set(hash, doc.clone()).await;
        request.set_parsed_query(doc);
        Ok(request)
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        fix(next.run(ctx).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream).map(fix).boxed()
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let request = self.persisted_query(request).await?;
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        cost::check_depth(&doc)?;
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        cost::spend(ctx.data_opt::<cost::RequestBudget>(), result.complexity)?;
        Ok(result)
    }
}
