//! Gives every GraphQL error an `extensions.code`.
//!
//! Resolver errors carry theirs (see `crate::error`). Errors raised by async-graphql itself
//! before any resolver runs (syntax, validation, variable coercion such as a malformed UUID,
//! depth and complexity limits) are the client's: they get BAD_USER_INPUT here.
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe,
};
use async_graphql::{Response, ServerError, Value};
use futures::stream::BoxStream;
use futures::StreamExt;
use std::sync::Arc;

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

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
}
