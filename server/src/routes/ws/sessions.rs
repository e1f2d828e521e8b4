//! Open websockets and the sessions behind them.
//!
//! A websocket outlives the request that opened it, so its rights are checked again every
//! second (`sweep`): a connection whose token was signed out or expired, whose spokesperson's
//! term ended, whose journalist's outlet is no longer accredited or whose press card expired
//! is closed (4403). What still
//! stands is the domain's answer (`session_rights`); a sign-out on another instance is seen as
//! soon as this one's.
//!
//! Each account may hold `MAX_CONNECTIONS_PER_ACCOUNT` connections at once.
use pressnet_domain::auth::{token, ViewerAccount};
use pressnet_domain::services::session_rights::{self, Asked};
use pressnet_domain::{AppContext, AppError};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// Websockets one account may hold open at once (a journalist's phone, laptop and newsroom
/// screen, with room to spare).
pub const MAX_CONNECTIONS_PER_ACCOUNT: usize = 16;
/// Subscriptions one websocket may hold at once.
pub const MAX_SUBSCRIPTIONS_PER_CONNECTION: usize = 16;

struct Entry {
    account: Uuid,
    digest: String,
    spokesperson: Option<Uuid>,
    outlet: Option<Uuid>,
    journalist: Option<Uuid>,
    end: CancellationToken,
}

#[derive(Default)]
pub struct LiveSessions {
    next: AtomicU64,
    entries: Mutex<HashMap<u64, Entry>>,
}

/// A registered connection; dropping it unregisters.
pub struct Registration {
    id: u64,
    sessions: Arc<LiveSessions>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.sessions.lock().remove(&self.id);
    }
}

impl LiveSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a connection signed in with `bearer`; `end` is cancelled when its session
    /// ends. `None` when the account already holds its quota of connections.
    pub fn register(
        self: &Arc<Self>,
        account: &ViewerAccount,
        bearer: &str,
        end: CancellationToken,
    ) -> Option<Registration> {
        let mut entries = self.lock();
        let held = entries.values().filter(|e| e.account == account.id).count();
        if held >= MAX_CONNECTIONS_PER_ACCOUNT {
            return None;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        entries.insert(
            id,
            Entry {
                account: account.id,
                digest: token::digest(bearer),
                spokesperson: account.spokesperson_id,
                outlet: account.outlet_id,
                journalist: account.journalist_id,
                end,
            },
        );
        Some(Registration {
            id,
            sessions: self.clone(),
        })
    }

    /// Ends every connection whose session or rights ended; returns how many.
    #[tracing::instrument(skip_all, err(Debug))]
    pub async fn sweep(&self, ctx: &AppContext) -> Result<usize, AppError> {
        // Only the connections of this snapshot are judged: one registered while the queries
        // run is not in their answers, and is checked at the next sweep.
        let (seen, digests, speakers, outlets, journalists) = {
            let entries = self.lock();
            if entries.is_empty() {
                return Ok(0);
            }
            let seen: HashSet<u64> = entries.keys().copied().collect();
            let mut d: Vec<String> = entries.values().map(|e| e.digest.clone()).collect();
            let mut s: Vec<Uuid> = entries.values().filter_map(|e| e.spokesperson).collect();
            let mut o: Vec<Uuid> = entries.values().filter_map(|e| e.outlet).collect();
            let mut j: Vec<Uuid> = entries.values().filter_map(|e| e.journalist).collect();
            for v in [&mut s, &mut o, &mut j] {
                v.sort_unstable();
                v.dedup();
            }
            d.sort_unstable();
            d.dedup();
            (seen, d, s, o, j)
        };
        let standing = session_rights::standing(
            ctx,
            &Asked {
                digests: &digests,
                spokespersons: &speakers,
                outlets: &outlets,
                journalists: &journalists,
            },
        )
        .await?;
        let mut ended = 0;
        for (id, e) in self.lock().iter() {
            if !seen.contains(id) {
                continue;
            }
            let ok = standing.digests.contains(&e.digest)
                && e.spokesperson
                    .is_none_or(|s| standing.spokespersons.contains(&s))
                && e.outlet.is_none_or(|o| standing.outlets.contains(&o))
                && e.journalist
                    .is_none_or(|j| standing.journalists.contains(&j));
            if !ok && !e.end.is_cancelled() {
                e.end.cancel();
                ended += 1;
            }
        }
        Ok(ended)
    }
}

/// Sweeps every second until `stop`.
#[tracing::instrument(skip_all)]
pub async fn sweeper(ctx: AppContext, sessions: Arc<LiveSessions>, stop: CancellationToken) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.cancelled() => return,
        }
        match sessions.sweep(&ctx).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "websockets of ended sessions closed"),
            Err(e) => {
                tracing::warn!(error = %e.detail(), "websocket session sweep failed; retrying");
            }
        }
    }
}
