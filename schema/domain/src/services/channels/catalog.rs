//! Which channels exist: the path from a publication to every channel ([`all`]) and the ones
//! the outbound worker serves ([`http`]).
use super::channel::Channel;
use super::http::HttpChannel;
use std::sync::Arc;

/// Every channel, in the order a publication reaches them.
pub fn all() -> Vec<Arc<dyn Channel>> {
    vec![
        Arc::new(super::live::Live),
        Arc::new(super::email::Email),
        Arc::new(super::atom::Feed),
        Arc::new(super::webhook::Webhook),
        Arc::new(super::push::Push),
    ]
}

/// The channels the outbound worker serves.
pub fn http() -> Vec<Arc<dyn HttpChannel>> {
    vec![
        Arc::new(super::webhook::Webhook),
        Arc::new(super::push::Push),
    ]
}
