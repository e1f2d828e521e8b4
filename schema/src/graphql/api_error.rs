//! The API layer's error: a domain [`AppError`] as the contract shows it to a client.
//!
//! The domain crate knows nothing of GraphQL, so the mapping lives here. `ApiError` deliberately
//! does not implement `Display`: async-graphql has a blanket `From<T: Display>` for its error
//! type that would forward the text verbatim (SQL included). Without `Display`, the only way
//! into a GraphQL error is [`to_graphql`], which attaches the contract's `extensions.code`
//! and never exposes internal detail (an internal failure's chain goes to the log).
use pressnet_domain::AppError;

/// What resolvers return on failure: a domain error already mapped, or one of async-graphql's
/// own (a missing context entry, an upload that cannot be read).
#[derive(Debug, Clone)]
pub struct ApiError(async_graphql::Error);

/// Resolvers' result: `?` takes both domain and async-graphql errors.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self(to_graphql(&err))
    }
}

impl From<async_graphql::Error> for ApiError {
    fn from(err: async_graphql::Error) -> Self {
        Self(err)
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        err.0
    }
}

/// The GraphQL error for `err`: its public message, `extensions.code`, and `field` or
/// `retryAfter` where the contract defines them.
pub fn to_graphql(err: &AppError) -> async_graphql::Error {
    use async_graphql::ErrorExtensions;
    if let AppError::Internal(i) = err {
        tracing::error!(error = %i.chain(), "internal error answered as INTERNAL");
    }
    let code = err.code().as_str();
    let field = match err {
        AppError::BadInput { field, .. } => Some(field.clone()),
        _ => None,
    };
    let retry_after = err.retry_after();
    async_graphql::Error::new(err.public_message()).extend_with(|_, e| {
        e.set("code", code);
        if let Some(f) = &field {
            e.set("field", f.as_str());
        }
        if let Some(secs) = retry_after {
            e.set("retryAfter", secs);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pressnet_domain::ResultExt;

    #[test]
    fn an_internal_failure_reaches_the_client_as_internal_error_only() {
        let io = std::io::Error::other("disk on fire");
        let e: pressnet_domain::AppResult<()> = Err(io).internal("writing the audit key");
        let gql = to_graphql(&e.unwrap_err());
        assert_eq!(gql.message, "internal error");
        let code = gql.extensions.and_then(|x| x.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("INTERNAL")));
    }
}
