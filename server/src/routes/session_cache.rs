//! Resolved sessions of `POST /graphql`, kept under the same rules as the response cache
//! (`read_cache`): an entry is used only while the hub's change counter has not moved since
//! it was stored (a sign-out, a role or accreditation change is a mutation, and moves it) and
//! for at most `TTL` on the application's clock (another instance's sign-out, a token's
//! expiry). Unknown tokens are never kept: each attempt with one still reaches the database.
use chrono::{DateTime, Utc};
use pressnet_domain::auth::{token, Viewer, ViewerAccount};
use pressnet_domain::services::accounts;
use pressnet_domain::{AppContext, AppError};
use quick_cache::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

const TTL: Duration = Duration::from_secs(1);
const CAPACITY: usize = 10_000;

#[derive(Clone)]
struct Entry {
    account: Arc<ViewerAccount>,
    generation: u64,
    stored_at: DateTime<Utc>,
}

pub struct SessionCache {
    /// By the token's SHA-256 digest, never the token itself.
    entries: Cache<String, Entry>,
}

impl Default for SessionCache {
    fn default() -> Self {
        Self {
            entries: Cache::new(CAPACITY),
        }
    }
}

impl SessionCache {
    /// The viewer for an optional token: anonymous without one, an error for an unknown or
    /// expired one; answered from the cache when it may.
    #[tracing::instrument(skip_all, err(Debug, level = "debug"))]
    pub async fn viewer(
        &self,
        ctx: &AppContext,
        bearer: Option<&str>,
        client_addr: Option<String>,
    ) -> Result<Viewer, AppError> {
        let Some(bearer) = bearer else {
            return Ok(Viewer::anonymous(client_addr));
        };
        let key = token::digest(bearer);
        let generation = ctx.hub.generation();
        let now = ctx.clock.now();
        if let Some(e) = self.entries.get(&key) {
            let fresh = (now - e.stored_at).to_std().is_ok_and(|age| age < TTL);
            if fresh && e.generation == generation {
                return Ok(Viewer {
                    account: Some(e.account),
                    client_addr,
                });
            }
        }
        match accounts::resolve_bearer(ctx, bearer).await? {
            Some(acct) => {
                let account = Arc::new(acct);
                self.entries.insert(
                    key,
                    Entry {
                        account: account.clone(),
                        generation,
                        stored_at: now,
                    },
                );
                Ok(Viewer {
                    account: Some(account),
                    client_addr,
                })
            }
            None => {
                self.entries.remove(&key);
                Err(super::viewer::unknown_token())
            }
        }
    }
}
