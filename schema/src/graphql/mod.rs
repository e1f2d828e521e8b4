//! The async-graphql schema: thin resolvers over the service layer.
pub mod context;
pub mod cost;
pub mod errors;
pub mod live;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod subscription;
pub mod types;

use crate::context::AppContext;
use async_graphql::Schema;

pub use mutation::Mutation;
pub use query::Query;
pub use subscription::Subscription;

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Limits that keep one request from costing the server more than a page's worth of work.
pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5_000;
pub const MAX_RECURSIVE_DEPTH: usize = 32;
pub const MAX_DIRECTIVES: usize = 16;

pub fn build_schema(app: AppContext) -> AppSchema {
    let loaders = loaders::Loaders::new(&app.db, &app.clock);
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(app)
        .data(loaders)
        .extension(errors::ErrorCodes)
        .extension(cost::BatchBudget)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
        .limit_directives(MAX_DIRECTIVES)
        .finish()
}

/// The schema's SDL, as committed in `schema/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}
