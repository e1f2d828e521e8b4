//! Turning a bearer token into a viewer.
use pressnet_schema::auth::Viewer;
use pressnet_schema::services::accounts;
use pressnet_schema::{AppContext, AppError};
use std::sync::Arc;

/// Extracts the token from an `Authorization: Bearer <token>` value.
pub fn bearer(value: &str) -> Option<&str> {
    let v = value.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The viewer for an optional token: anonymous without one; an error for an unknown or
/// expired one (clients must learn to sign in again rather than silently lose access).
pub async fn viewer_for(
    ctx: &AppContext,
    token: Option<&str>,
    client_addr: Option<String>,
) -> Result<Viewer, AppError> {
    let Some(token) = token else {
        return Ok(Viewer::anonymous(client_addr));
    };
    match accounts::resolve_bearer(ctx, token).await? {
        Some(acct) => Ok(Viewer {
            account: Some(Arc::new(acct)),
            client_addr,
        }),
        None => Err(unknown_token()),
    }
}

pub fn unknown_token() -> AppError {
    AppError::Unauthenticated("the token is invalid or has expired; sign in again".into())
}
