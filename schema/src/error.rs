//! The service layer's error type and its explicit mapping to GraphQL errors.
//!
//! `AppError` deliberately does not implement `Display`: async-graphql has a blanket
//! `From<T: Display>` for its error type that would forward the text verbatim (SQL included).
//! Without `Display`, the only way into a GraphQL error is the explicit `From` below, which
//! attaches the contract's `extensions.code` and never exposes internal detail.
use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// The codes of the API contract, carried in every GraphQL error's `extensions.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
        }
    }
}

#[derive(Debug)]
pub enum AppError {
    Unauthenticated(String),
    Forbidden(String),
    NotFound(String),
    /// Bad input, naming the offending field (as the client spelled it).
    BadInput {
        field: String,
        message: String,
    },
    Conflict(String),
    /// Too many attempts: the client may try again after `retry_after_secs`
    /// (`extensions.retryAfter`).
    RateLimited {
        message: String,
        retry_after_secs: i64,
    },
    /// Detail is logged, never sent to the client.
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        Self::Internal(detail.into())
    }

    pub fn rate_limited(message: impl Into<String>, retry_after_secs: i64) -> Self {
        Self::RateLimited {
            message: message.into(),
            retry_after_secs: retry_after_secs.max(1),
        }
    }

    /// Seconds after which a rate-limited client may try again.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            Self::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::BadInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The whole message, internal detail included: for logs and operators, never clients.
    pub fn detail(&self) -> String {
        match self {
            Self::Internal(d) => d.clone(),
            other => other.public_message(),
        }
    }

    /// The message a client may see.
    pub fn public_message(&self) -> String {
        match self {
            Self::Unauthenticated(m) | Self::Forbidden(m) | Self::Conflict(m) => m.clone(),
            Self::RateLimited { message, .. } => message.clone(),
            Self::NotFound(what) => format!("{what} not found"),
            Self::BadInput { field, message } => format!("{field}: {message}"),
            Self::Internal(_) => "internal error".to_owned(),
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                tracing::debug!(error = %err, "unique violation");
                AppError::Conflict("a record with the same unique value already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                tracing::debug!(error = %err, "foreign key violation");
                AppError::bad_input("id", "refers to a record that does not exist")
            }
            _ => {
                tracing::error!(error = %err, "database error");
                AppError::Internal(err.to_string())
            }
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(detail) = &err {
            tracing::error!(%detail, "internal error answered as INTERNAL");
        }
        let code = err.code().as_str();
        let field = match &err {
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
}
