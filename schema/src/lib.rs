//! pressnet's GraphQL API over the domain (`pressnet-domain`): the contract's query, mutation
//! and subscription roots, their types, loaders and cost rules, and the live feed's frames.
pub mod graphql;
