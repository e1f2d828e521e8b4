//! Live frames that went out, waiting to be recorded as DELIVERED.
//!
//! A transport marks a frame the moment it is written; the one worker that records marks
//! (`services::deliveries::record_marks`, started with the other workers) writes them in
//! batches, one transaction every few milliseconds instead of one write per frame, so a
//! fan-out to thousands of journalists stays cheap. Only the sending half lives in
//! `AppContext`: building a context starts nothing.
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use uuid::Uuid;

/// (release, delivery, when the frame went out).
pub(crate) type Mark = (Uuid, Uuid, DateTime<Utc>);

/// Marks waiting to be written, at most (a fan-out to 10,000 journalists is 10,000). Past that
/// a mark is dropped: its delivery stays PENDING and is sent again on the next catch-up, so
/// memory stays bounded when the database cannot keep up, and nothing is lost.
pub(crate) const MARK_QUEUE: usize = 200_000;

#[derive(Clone)]
pub struct DeliveredMarks {
    tx: mpsc::Sender<Mark>,
    /// The receiving end until the recording worker takes it.
    rx: Arc<Mutex<Option<mpsc::Receiver<Mark>>>>,
}

impl Default for DeliveredMarks {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(MARK_QUEUE);
        Self {
            tx,
            rx: Arc::new(Mutex::new(Some(rx))),
        }
    }
}

impl DeliveredMarks {
    /// The live frame of `delivery_id` (of `release_id`) went out at `at`.
    pub fn mark(&self, release_id: Uuid, delivery_id: Uuid, at: DateTime<Utc>) {
        if let Err(mpsc::error::TrySendError::Full(_)) =
            self.tx.try_send((release_id, delivery_id, at))
        {
            tracing::warn!(%delivery_id, "delivered-mark queue full; the delivery stays PENDING");
        }
    }

    /// The receiving end, for the one worker that records marks; `None` once taken.
    pub(crate) fn take_receiver(&self) -> Option<mpsc::Receiver<Mark>> {
        self.rx
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}
