//! Reaching the application context, the viewer and the loaders from a resolver.
use super::loaders::Loaders;
use async_graphql::Context;
use pressnet_domain::auth::Viewer;
use pressnet_domain::context::AppContext;
use pressnet_domain::error::AppError;

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

/// The raw bearer token of the request, for `logout`.
#[derive(Clone)]
pub struct BearerToken(pub String);

/// The request's `User-Agent`, kept with a session opened by `login` (`mySessions`).
#[derive(Clone)]
pub struct UserAgent(pub String);
