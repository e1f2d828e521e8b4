//! Keeps a batch's leases alive while its worker works on it.
use crate::error::AppResult;
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Renews every third of the lease, never more often than this.
const MIN_BEAT: Duration = Duration::from_millis(500);

/// Renews a batch's leases every third of `ttl` until dropped: a short lease never lapses under a
/// live worker, and a dead worker's lapse in seconds.
pub struct Heartbeat(JoinHandle<()>);

impl Heartbeat {
    /// `renew` extends the batch's leases (`lease::renew`); `what` names the batch in the log.
    pub fn start<F, Fut>(ttl: chrono::Duration, what: &'static str, renew: F) -> Self
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: Future<Output = AppResult<()>> + Send,
    {
        let every = (ttl / 3)
            .to_std()
            .unwrap_or(Duration::from_secs(5))
            .max(MIN_BEAT);
        Self(tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if let Err(e) = renew().await {
                    tracing::warn!(error = %e.detail(), batch = what, "renewing leases failed; retrying");
                }
            }
        }))
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}
