//! Who is asking: the bearer token of a request and the viewer it signs in, as extractors, so
//! every route reads `Authorization` the same way (the scheme case-insensitive, RFC 9110).
use super::client_addr::ClientAddr;
use super::error::HttpError;
use super::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use pressnet_domain::auth::Viewer;
use pressnet_domain::AppError;
use std::convert::Infallible;

/// Extracts the token from an `Authorization: Bearer <token>` value.
pub fn bearer(value: &str) -> Option<&str> {
    let v = value.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The request's bearer token, if it has one.
pub struct Token(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Token {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(bearer)
                .map(str::to_owned),
        ))
    }
}

/// The viewer of a request: anonymous without a token; refused (401) for an unknown or
/// expired one. Resolved through the session cache, as `POST /graphql` does.
pub struct Signed {
    pub viewer: Viewer,
    pub token: Option<String>,
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(ClientAddr(client)) = ClientAddr::from_request_parts(parts, state).await;
        let Ok(Token(token)) = Token::from_request_parts(parts, state).await;
        let viewer = state
            .sessions
            .viewer(&state.ctx, token.as_deref(), Some(client))
            .await?;
        Ok(Self { viewer, token })
    }
}

/// A viewer who must be signed in (401 otherwise).
pub struct SignedIn(pub Viewer);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Signed { viewer, .. } = Signed::from_request_parts(parts, state).await?;
        viewer.signed_in()?;
        Ok(Self(viewer))
    }
}

/// An unknown or expired token: clients must learn to sign in again rather than silently lose
/// access.
pub fn unknown_token() -> AppError {
    AppError::Unauthenticated("the token is invalid or has expired; sign in again".into())
}
