//! Sign-in protection that cannot be turned against the user.
//!
//! Sign-in attempts are counted in the database (shared by instances, kept across restarts)
//! before the password is checked, under three keys, each counted exactly under concurrency by
//! one atomic upsert that also says whether the key was locked (`reserve`); a successful
//! sign-in takes its count back (`succeeded`), so what stays counted are the failures:
//! - the pair (account, client address): past `max_failures_per_account` that pair is refused
//!   for a time that doubles with each further failure (30 s, 1 min, ... up to an hour). The
//!   right password from another address is not refused, so nobody can lock a user out.
//! - the client address: past `max_failures_per_address` (across any accounts) the address is
//!   refused likewise, which stops one machine guessing many accounts.
//! - the account alone: past `max_failures_per_account` every sign-in to it, from anywhere, is
//!   slowed by a delay that doubles up to `MAX_ACCOUNT_DELAY`, never refused. A spread-out
//!   guessing attack is slowed; its target still signs in.
//!
//! Refusals answer RATE_LIMITED with `extensions.retryAfter` (seconds).
use crate::context::AppContext;
use crate::db::raw;
use crate::entities::login_throttle;
use crate::error::{AppError, AppResult, ResultExt};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The longest delay a sign-in to a much-attacked account waits.
pub(crate) const MAX_ACCOUNT_DELAY: std::time::Duration = std::time::Duration::from_secs(5);

/// The keys one sign-in attempt is counted under.
pub struct Keys {
    pair: String,
    address: Option<String>,
    account: String,
}

impl Keys {
    pub fn new(email: &str, client_addr: Option<&str>) -> Self {
        let email = email.to_lowercase();
        Self {
            pair: format!("pair:{email}|{}", client_addr.unwrap_or("-")),
            address: client_addr.map(|a| format!("addr:{a}")),
            account: format!("acct:{email}"),
        }
    }
}

/// Counts this attempt under every key before its password is checked, and refuses it
/// (RATE_LIMITED) when the pair or the address was locked. Counting first, in one transaction
/// that holds each key's row until its lock is written, is what makes the limit exact:
/// parallel attempts from one address are counted one after another, and the one that reaches
/// the limit writes the lock every later one sees, so at most the limit of them reach the
/// password check, however many arrive at once. Returns
/// the delay the attempt must wait because its account is under attack (zero normally). A
/// successful sign-in takes its count back (`succeeded`); a failure keeps it.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn reserve(ctx: &AppContext, keys: &Keys) -> AppResult<std::time::Duration> {
    let s = &ctx.settings;
    let now = ctx.clock.now();
    let mut limits = vec![(&keys.pair, s.max_failures_per_account)];
    if let Some(addr) = &keys.address {
        limits.push((addr, s.max_failures_per_address));
    }
    // One write transaction: each key's row stays locked from its count to its lock, so a
    // parallel attempt counts after this one's lock is written and sees it (SQLite takes the
    // write lock at BEGIN; PostgreSQL holds the upserted row's lock to the commit). The keys
    // are always taken in the same order, so two attempts cannot deadlock.
    let txn = crate::db::begin_write(&ctx.db).await?;
    let mut refused: Option<DateTime<Utc>> = None;
    for (key, threshold) in limits {
        let (_, locked) = bump(
            &txn,
            now,
            ctx.settings.throttle_window,
            key,
            Some(threshold),
        )
        .await?;
        if let Some(u) = locked.filter(|u| *u > now) {
            refused = Some(refused.map_or(u, |r| r.max(u)));
        }
    }
    let (account_failures, _) =
        bump(&txn, now, ctx.settings.throttle_window, &keys.account, None).await?;
    txn.commit().await?;
    if let Some(until) = refused {
        let secs = (until - now).num_seconds().max(1);
        return Err(AppError::rate_limited(
            format!("too many failed sign-in attempts; try again in {secs} s"),
            secs,
        ));
    }
    // This attempt's own count is not an attack on the account.
    Ok(account_delay(
        account_failures - 1,
        s.max_failures_per_account,
    ))
}

/// One atomic upsert counts the attempt (a window that has run out, with no lock in force,
/// starts again at 1) and returns the count and the lock in force before it; then, at or past
/// `threshold`, the key's lock is extended to what this count calls for.
async fn bump<C: ConnectionTrait>(
    conn: &C,
    now: DateTime<Utc>,
    window: Duration,
    key: &str,
    threshold: Option<i32>,
) -> AppResult<(i32, Option<DateTime<Utc>>)> {
    let stale = now - window;
    let backend = conn.get_database_backend();
    let upsert = raw(
        backend,
        "INSERT INTO login_throttle (\"key\", failures, window_start, locked_until) VALUES (?, 1, ?, NULL) \
         ON CONFLICT (\"key\") DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start < ? AND (login_throttle.locked_until IS NULL OR login_throttle.locked_until < ?) \
                      THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start < ? AND (login_throttle.locked_until IS NULL OR login_throttle.locked_until < ?) \
                      THEN excluded.window_start ELSE login_throttle.window_start END \
         RETURNING failures, locked_until",
        vec![
            key.into(),
            now.into(),
            stale.into(),
            now.into(),
            stale.into(),
            now.into(),
        ],
    );
    let row = conn
        .query_one_raw(upsert)
        .await?
        .ok_or_else(|| AppError::internal("throttle upsert returned no row"))?;
    let failures: i32 = row.try_get_by_index(0).internal("throttle count")?;
    let locked: Option<DateTime<Utc>> = row.try_get_by_index(1).internal("throttle lock")?;
    if let Some(until) = threshold.and_then(|t| lock_until(now, failures, t)) {
        conn.execute_raw(raw(
                backend,
                "UPDATE login_throttle SET locked_until = ? WHERE \"key\" = ? AND (locked_until IS NULL OR locked_until < ?)",
                vec![until.into(), key.into(), until.into()],
            ))
            .await?;
    }
    Ok((failures, locked))
}

fn lock_until(now: DateTime<Utc>, failures: i32, threshold: i32) -> Option<DateTime<Utc>> {
    if failures < threshold {
        return None;
    }
    let over = (failures - threshold).clamp(0, 7) as u32;
    let secs = (30_i64 << over).min(3600);
    Some(now + Duration::seconds(secs))
}

/// 250 ms at the threshold, doubling with each further failure, up to `MAX_ACCOUNT_DELAY`.
fn account_delay(failures: i32, threshold: i32) -> std::time::Duration {
    if failures < threshold {
        return std::time::Duration::ZERO;
    }
    let over = (failures - threshold).clamp(0, 10) as u32;
    std::time::Duration::from_millis(250u64 << over).min(MAX_ACCOUNT_DELAY)
}

/// After a successful sign-in: that pair and the account start afresh, and the address gets
/// back the count `reserve` took for this attempt (its other counts, which may be other
/// accounts' failures, run out with its window).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn succeeded(ctx: &AppContext, keys: &Keys) -> AppResult<()> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.is_in([keys.pair.clone(), keys.account.clone()]))
        .exec(&ctx.db)
        .await?;
    if let Some(addr) = &keys.address {
        ctx.db
            .execute_raw(raw(
                ctx.db.get_database_backend(),
                "UPDATE login_throttle SET failures = failures - 1 WHERE \"key\" = ? AND failures > 0",
                vec![addr.into()],
            ))
            .await?;
    }
    Ok(())
}

/// Deletes counts whose window ran out and whose lock is over (housekeeping).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn prune(ctx: &AppContext) -> AppResult<u64> {
    let now = ctx.clock.now();
    let stale = now - ctx.settings.throttle_window;
    let r = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::WindowStart.lt(stale))
        .filter(
            sea_orm::Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lt(now)),
        )
        .exec(&ctx.db)
        .await?;
    Ok(r.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_grows_and_caps() {
        let now = Utc::now();
        assert_eq!(lock_until(now, 4, 5), None);
        assert_eq!(lock_until(now, 5, 5), Some(now + Duration::seconds(30)));
        assert_eq!(lock_until(now, 6, 5), Some(now + Duration::seconds(60)));
        assert_eq!(lock_until(now, 40, 5), Some(now + Duration::seconds(3600)));
    }

    #[test]
    fn account_delay_grows_and_caps() {
        assert_eq!(account_delay(4, 5), std::time::Duration::ZERO);
        assert_eq!(account_delay(5, 5), std::time::Duration::from_millis(250));
        assert_eq!(account_delay(6, 5), std::time::Duration::from_millis(500));
        assert_eq!(account_delay(100, 5), MAX_ACCOUNT_DELAY);
    }
}
