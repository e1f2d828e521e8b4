//! The service layer: the rules of pressnet, independent of GraphQL and HTTP.
pub mod accounts;
pub mod audit;
pub mod compliance;
pub mod conferences;
pub mod deliveries;
pub mod digest;
pub mod feed;
pub mod feeds;
pub mod inquiries;
pub mod outbox;
pub mod publishing;
pub mod registry;
pub mod releases;
pub mod subscriptions;
pub mod text;
pub mod throttle;
