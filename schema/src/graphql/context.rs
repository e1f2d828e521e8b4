//! Reaching the application context, the viewer and the loaders from a resolver.
use super::loaders::Loaders;
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::error::AppError;
use async_graphql::Context;

static ANONYMOUS: Viewer = Viewer {
    account: None,
    client_addr: None,
};

pub fn app<'a>(ctx: &Context<'a>) -> Result<&'a AppContext, AppError> {
    ctx.data::<AppContext>()
        .map_err(|_| AppError::internal("AppContext missing from schema data"))
}

pub fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, AppError> {
    ctx.data::<Loaders>()
        .map_err(|_| AppError::internal("Loaders missing from schema data"))
}

/// The caller; anonymous when the request carried no token.
pub fn viewer<'a>(ctx: &Context<'a>) -> &'a Viewer {
    ctx.data_opt::<Viewer>().unwrap_or(&ANONYMOUS)
}
