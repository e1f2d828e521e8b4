//! The service layer's error type.
//!
//! `AppError` deliberately does not implement `Display`: async-graphql has a blanket
//! `From<T: Display>` for its error type that would forward the text verbatim (SQL included).
//! The API crate maps it explicitly (`pressnet_schema::graphql::api_error`), attaching the
//! contract's `extensions.code` and never exposing internal detail.
//!
//! What went wrong inside is an [`Internal`] (a `thiserror` error holding its cause), so the
//! whole chain reaches the log ([`AppError::detail`]) and layers above the API that chain
//! errors (start-up, the CLI, workers) get it as a `std::error::Error` through [`Failure`].
use sea_orm::{DbErr, SqlErr};
use std::borrow::Cow;
use std::error::Error as StdError;

/// Any error, boxed, as a cause.
pub(crate) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A failure inside the service (database, encoding, a missing invariant): what was being
/// done, and why it failed. Logged with its chain; a client only ever sees "internal error".
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
pub struct Internal {
    context: Cow<'static, str>,
    #[source]
    source: Option<BoxError>,
    /// What the client may be told instead of "internal error": a fixed sentence written
    /// here in the code, never taken from the cause.
    public: Option<&'static str>,
}

impl Internal {
    /// The context and every cause, `: `-separated (anyhow's `{:#}` style).
    pub fn chain(&self) -> String {
        let mut out = self.context.to_string();
        let mut next = self
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static));
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }
}

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
    Internal(Internal),
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

    /// An internal failure with no underlying error (a broken invariant).
    pub fn internal(context: impl Into<Cow<'static, str>>) -> Self {
        Self::Internal(Internal {
            context: context.into(),
            source: None,
            public: None,
        })
    }

    /// An internal failure caused by `source`, which is kept (not flattened to text).
    pub fn caused(context: impl Into<Cow<'static, str>>, source: impl Into<BoxError>) -> Self {
        Self::Internal(Internal {
            context: context.into(),
            source: Some(source.into()),
            public: None,
        })
    }

    /// An internal failure of something the service depends on (storage, a relay), which the
    /// client is told of in `public` (code INTERNAL: nothing the client can change); the cause
    /// goes to the log only.
    pub fn unavailable(public: &'static str, source: impl Into<BoxError>) -> Self {
        Self::Internal(Internal {
            context: public.into(),
            source: Some(source.into()),
            public: Some(public),
        })
    }

    /// The underlying error of an internal failure.
    pub fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Internal(i) => Some(i as &(dyn StdError + 'static)),
            _ => None,
        }
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

    /// The whole message, internal detail and its causes included: for logs and operators,
    /// never clients.
    pub fn detail(&self) -> String {
        match self {
            Self::Internal(i) => i.chain(),
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
            Self::Internal(i) => i.public.unwrap_or("internal error").to_owned(),
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
            // Logged where it is answered (one line per failure, with the chain).
            _ => AppError::caused("database", err),
        }
    }
}

/// Results whose error becomes an internal failure, its cause kept:
/// `csv.write_record(r).internal("csv row")?`.
pub trait ResultExt<T> {
    fn internal(self, context: impl Into<Cow<'static, str>>) -> AppResult<T>;
}

impl<T, E: Into<BoxError>> ResultExt<T> for Result<T, E> {
    fn internal(self, context: impl Into<Cow<'static, str>>) -> AppResult<T> {
        self.map_err(|e| AppError::caused(context, e))
    }
}

/// An `AppError` as a `std::error::Error`, for the layers above the API that chain errors
/// (start-up, the CLI, the workers): its `Display` is the error's own line (the context of
/// an internal failure) and `source()` the cause, so `{:#}` prints the chain. Not for
/// clients: GraphQL answers go through the API crate's `api_error`.
#[derive(Debug)]
pub struct Failure(pub AppError);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            AppError::Internal(i) => write!(f, "{i}"),
            other => f.write_str(&other.public_message()),
        }
    }
}

impl StdError for Failure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.0 {
            AppError::Internal(i) => i.source(),
            _ => None,
        }
    }
}

impl Failure {
    pub fn into_inner(self) -> AppError {
        self.0
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_is_kept_and_never_shown() {
        let io = std::io::Error::other("disk on fire");
        let e: AppResult<()> = Err(io).internal("writing the audit key");
        let e = e.unwrap_err();
        assert_eq!(e.public_message(), "internal error");
        assert_eq!(e.detail(), "writing the audit key: disk on fire");
        let f = Failure(e);
        assert_eq!(f.to_string(), "writing the audit key");
        assert_eq!(
            f.source().map(std::string::ToString::to_string).as_deref(),
            Some("disk on fire")
        );
        assert_eq!(Failure::into_inner(f).public_message(), "internal error");
    }
}
