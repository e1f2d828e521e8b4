//! Authentication primitives and the per-request viewer.
pub mod password;
pub mod token;
pub mod viewer;

pub use viewer::{Viewer, ViewerAccount};
