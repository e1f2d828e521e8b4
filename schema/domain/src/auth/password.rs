//! Argon2id password hashing with the library's recommended (OWASP) parameters.
//! Hashing runs on the blocking pool: it is deliberately slow and must not stall the runtime.
use crate::error::{AppError, AppResult, ResultExt};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// Argon2 computations at once: each holds 19 MiB and a core for about 20 ms, so a flood of
/// sign-ins queues here instead of exhausting memory.
fn argon2_permits() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
}

/// Sign-ins that may wait for a permit; past that a request is answered RATE_LIMITED at once
/// (waiting requests hold their connection, not Argon2 memory).
pub(crate) const MAX_WAITING: usize = 256;

static GATE: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(argon2_permits()));
static WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs one Argon2 computation on the blocking pool under the gate.
async fn gated<T: Send + 'static>(
    work: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    use std::sync::atomic::Ordering;
    if WAITING.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        WAITING.fetch_sub(1, Ordering::SeqCst);
        return Err(AppError::rate_limited(
            "the server is busy with sign-ins; try again shortly",
            1,
        ));
    }
    let permit = GATE.acquire().await;
    WAITING.fetch_sub(1, Ordering::SeqCst);
    let _permit = permit.internal("argon2 gate")?;
    tokio::task::spawn_blocking(work)
        .await
        .internal("argon2 task")?
}

pub(crate) const MIN_PASSWORD_CHARS: usize = 8;
pub(crate) const MAX_PASSWORD_CHARS: usize = 256;

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
    gated(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .internal("argon2 hash")
    })
    .await
}

/// Verifies a password; `None` (no password set yet) verifies against a dummy hash so the
/// time taken does not reveal whether the account exists.
pub async fn verify(password: &str, stored: Option<String>) -> AppResult<bool> {
    let password = password.to_owned();
    gated(move || {
        let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wJ8Z3mQJqZ0cY9Yb1Gk8m7D1Vn5sQh3kH6o0pXzQ2aA";
        let has_real = stored.is_some();
        let hash_text = stored.unwrap_or_else(|| dummy.to_owned());
        let parsed = match PasswordHash::new(&hash_text) {
            Ok(p) => p,
            Err(e) => return Err(AppError::caused("stored hash unreadable", e.to_string())),
        };
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(ok && has_real)
    })
    .await
}
