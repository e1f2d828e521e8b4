//! The journalists' live feed rendered once per publication, not once per subscriber.
//!
//! async-graphql executes a subscription's selection set for every item of every subscriber.
//! For `releasePublished` that is the same work thousands of times over: every journalist of a
//! province gets the same release at the same moment, asked for with the same few documents.
//! The websocket handler therefore serves these subscriptions itself: `shape` decides whether
//! subscribers may share a rendering (and at what scope), `render` renders each publication
//! once per shape and scope through the schema and gives every subscriber its frame with its
//! own cursor. Ordering, catch-up and resynchronisation stay in `services::live_feed`.
mod render;
mod shape;

pub use render::{frames, next_message, probe, FeedMode, Frame, Opened, Subscriber, Template};
pub use shape::{candidate, operation, Candidate, Dependence, Scope, Shape, Shapes, FEED_FIELD};
