//! The plain HTTP routes' error (exports, feeds, unsubscribe, SSE's refusals): one
//! `IntoResponse` that answers an `AppError` with the status its code implies and the same
//! body shape as a GraphQL error, so a client reads every pressnet error one way:
//! `{"errors":[{"message":…,"extensions":{"code":…}}]}`. Internal failures are logged here,
//! with their cause chain, and answered "internal error".
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pressnet_domain::error::Failure;
use pressnet_domain::{AppError, ErrorCode};

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct HttpError(#[from] Failure);

impl From<AppError> for HttpError {
    fn from(e: AppError) -> Self {
        Self(Failure(e))
    }
}

impl From<sea_orm::DbErr> for HttpError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::from(e).into()
    }
}

impl HttpError {
    /// The status a code answers with over plain HTTP.
    pub fn status(code: ErrorCode) -> StatusCode {
        match code {
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::BadUserInput => StatusCode::BAD_REQUEST,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let e = &self.0 .0;
        let code = e.code();
        if code == ErrorCode::Internal {
            tracing::error!(error = %e.detail(), "internal error answered with 500");
        }
        let mut ext = serde_json::json!({ "code": code.as_str() });
        if let Some(fields) = ext.as_object_mut() {
            if let AppError::BadInput { field, .. } = e {
                fields.insert("field".into(), field.as_str().into());
            }
            if let Some(secs) = e.retry_after() {
                fields.insert("retryAfter".into(), secs.into());
            }
        }
        let body = serde_json::json!({
            "errors": [{ "message": e.public_message(), "extensions": ext }]
        });
        let mut resp = (
            Self::status(code),
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
        let headers = resp.headers_mut();
        if let Some(secs) = e.retry_after() {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                headers.insert(header::RETRY_AFTER, v);
            }
        }
        if code == ErrorCode::Unauthenticated {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}
