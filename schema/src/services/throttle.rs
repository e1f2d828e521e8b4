//! Counting failed sign-ins per account and per client address, in the database so the count
//! survives restarts and is shared by instances. Past the threshold a key is locked for a time
//! that doubles with each further failure (30 s, 1 min, 2 min, ... up to an hour).
use crate::context::AppContext;
use crate::entities::login_throttle;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

pub fn account_key(email: &str) -> String {
    format!("acct:{}", email.to_lowercase())
}

pub fn address_key(addr: &str) -> String {
    format!("addr:{addr}")
}

/// Refuses when any of the keys is locked now.
pub async fn check(ctx: &AppContext, keys: &[String]) -> AppResult<()> {
    let now = ctx.clock.now();
    for key in keys {
        if let Some(row) = login_throttle::Entity::find_by_id(key.clone())
            .one(&ctx.db)
            .await?
        {
            if let Some(until) = row.locked_until.filter(|u| *u > now) {
                let secs = (until - now).num_seconds().max(1);
                return Err(AppError::Unauthenticated(format!(
                    "too many failed sign-in attempts; try again in {secs} s"
                )));
            }
        }
    }
    Ok(())
}

/// Records one failure against each key with its threshold.
pub async fn record_failure(ctx: &AppContext, keys: &[(String, i32)]) -> AppResult<()> {
    let now = ctx.clock.now();
    let window = ctx.settings.throttle_window;
    for (key, threshold) in keys {
        let existing = login_throttle::Entity::find_by_id(key.clone())
            .one(&ctx.db)
            .await?;
        let (failures, start) = match &existing {
            Some(r)
                if now - r.window_start < window
                    || r.locked_until.is_some_and(|u| u > now - window) =>
            {
                (r.failures + 1, r.window_start)
            }
            _ => (1, now),
        };
        let locked_until = lock_until(now, failures, *threshold);
        let model = login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(failures),
            window_start: Set(start),
            locked_until: Set(locked_until),
        };
        if existing.is_some() {
            model.update(&ctx.db).await?;
        } else {
            model.insert(&ctx.db).await?;
        }
    }
    Ok(())
}

fn lock_until(now: DateTime<Utc>, failures: i32, threshold: i32) -> Option<DateTime<Utc>> {
    if failures < threshold {
        return None;
    }
    let over = (failures - threshold).clamp(0, 7) as u32;
    let secs = (30_i64 << over).min(3600);
    Some(now + Duration::seconds(secs))
}

pub async fn clear(ctx: &AppContext, key: &str) -> AppResult<()> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(&ctx.db)
        .await?;
    Ok(())
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
}
