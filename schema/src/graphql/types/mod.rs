//! GraphQL object and input types, wrapping entity models.
pub mod attachment;
pub mod authority;
pub mod email;
pub mod monitoring;
pub mod plan;
pub mod registry;
pub mod release;
pub mod reorganization;
pub mod rules;
pub mod webhook;

pub use attachment::*;
pub use authority::*;
pub use email::*;
pub use monitoring::*;
pub use plan::*;
pub use registry::*;
pub use release::*;
pub use reorganization::*;
pub use rules::*;
pub use webhook::*;
