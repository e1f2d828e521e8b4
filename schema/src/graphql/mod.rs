//! The async-graphql schema: thin resolvers over the service layer.
pub mod api_error;
pub mod context;
pub mod cost;
pub mod enums;
pub mod errors;
pub mod live;
pub mod loaders;
pub mod monitoring;
pub mod mutation;
pub mod province;
pub mod query;
pub mod received;
pub mod sessions;
pub mod subscription;
pub mod types;

use async_graphql::Schema;
use pressnet_domain::context::AppContext;

pub use mutation::Mutation;
pub use query::Query;
pub use subscription::Subscription;

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Limits that keep one request from costing the server more than a page's worth of work.
/// `MAX_DEPTH` applies to data (checked in `cost`); introspection may go to
/// `MAX_INTROSPECTION_DEPTH` (the standard introspection query needs 13).
pub const MAX_DEPTH: usize = 12;
pub const MAX_INTROSPECTION_DEPTH: usize = 20;
pub const MAX_COMPLEXITY: usize = 5_000;
pub const MAX_RECURSIVE_DEPTH: usize = 32;
pub const MAX_DIRECTIVES: usize = 16;
/// Persisted query documents kept (least recently used go first).
pub const MAX_PERSISTED_QUERIES: usize = 1_024;

pub fn build_schema(app: AppContext) -> AppSchema {
    let loaders = loaders::Loaders::new(&app.db, &app.clock);
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(app)
        .data(loaders)
        // The one extension (error codes, persisted queries, depth, the batch's budget).
        .extension(errors::ErrorCodes::new(MAX_PERSISTED_QUERIES))
        .limit_depth(MAX_INTROSPECTION_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
        .limit_directives(MAX_DIRECTIVES)
        .finish()
}

/// What async-graphql's introspection answers for `__schema { description }`, whatever the
/// schema: the SDL says the same, so that a schema built from introspection
/// (`buildClientSchema`) equals the SDL.
const SCHEMA_DESCRIPTION: &str = "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.";

/// A schema's SDL as introspection describes it (`@specifiedBy` on scalars, the schema's
/// description); served at `GET /graphql/schema.graphql`.
pub fn sdl_of(schema: &AppSchema) -> String {
    let text =
        schema.sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by());
    match text.rfind("\nschema {") {
        Some(at) => format!(
            "{}\n\"\"\"\n{SCHEMA_DESCRIPTION}\n\"\"\"{}",
            &text[..at],
            &text[at..]
        ),
        None => text,
    }
}

/// The schema's SDL, as committed in `schema/schema.graphql`.
pub fn sdl() -> String {
    sdl_of(&Schema::build(Query::default(), Mutation::default(), Subscription).finish())
}
