//! Argon2id password hashing with the library's recommended (OWASP) parameters.
//! Hashing runs on the blocking pool: it is deliberately slow and must not stall the runtime.
use crate::error::{AppError, AppResult};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 256;

pub fn validate(field: &str, password: &str) -> AppResult<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            field,
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            field,
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

pub async fn hash(password: &str) -> AppResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal(format!("argon2 hash: {e}")))
    })
    .await
    .map_err(|e| AppError::internal(format!("hash task: {e}")))?
}

/// Verifies a password; `None` (no password set yet) verifies against a dummy hash so the
/// time taken does not reveal whether the account exists.
pub async fn verify(password: &str, stored: Option<String>) -> AppResult<bool> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wJ8Z3mQJqZ0cY9Yb1Gk8m7D1Vn5sQh3kH6o0pXzQ2aA";
        let has_real = stored.is_some();
        let hash_text = stored.unwrap_or_else(|| dummy.to_owned());
        let parsed = match PasswordHash::new(&hash_text) {
            Ok(p) => p,
            Err(e) => return Err(AppError::internal(format!("stored hash unreadable: {e}"))),
        };
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(ok && has_real)
    })
    .await
    .map_err(|e| AppError::internal(format!("verify task: {e}")))?
}
