//! What a query may cost. async-graphql counts each field once; here a list field costs its
//! page size times what one item costs, rendering a body costs more than reading a column, and
//! a batched request's operations share one budget (`MAX_COMPLEXITY` in all), so neither
//! aliases, nor `first`, nor batching multiplies the work a request may ask for. Depth is
//! counted here too, without introspection (see `data_depth`).
use super::MAX_COMPLEXITY;
use crate::error::AppError;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, ServerError, ServerResult};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The cost of rendering Markdown to HTML (`Release.bodyHtml`).
pub const RENDER: usize = 10;

/// A page of `first` items (the default when omitted), at least one.
pub fn page(first: Option<i32>, default: i32, child_complexity: usize) -> usize {
    let n = first
        .unwrap_or(default)
        .clamp(1, crate::services::releases::MAX_PAGE) as usize;
    n.saturating_mul(child_complexity).saturating_add(1)
}

/// The budget one HTTP request's operations share; attach it to each of them.
#[derive(Clone, Default)]
pub struct RequestBudget(Arc<AtomicUsize>);

/// How deep a document's selections go, not counting introspection (`__schema`, `__type`):
/// the standard introspection query that GraphiQL, codegen and API tools send is deeper than
/// any page of data needs, and costs no database work.
pub fn data_depth(doc: &ExecutableDocument) -> usize {
    fn walk(
        set: &Positioned<SelectionSet>,
        doc: &ExecutableDocument,
        inside: &mut HashSet<String>,
    ) -> usize {
        set.node
            .items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => {
                    let name = f.node.name.node.as_str();
                    if name == "__schema" || name == "__type" {
                        0
                    } else {
                        1 + walk(&f.node.selection_set, doc, inside)
                    }
                }
                Selection::InlineFragment(i) => walk(&i.node.selection_set, doc, inside),
                Selection::FragmentSpread(s) => {
                    let name = s.node.fragment_name.node.to_string();
                    // A fragment cycle is refused by validation; here it just stops.
                    match doc.fragments.get(s.node.fragment_name.node.as_str()) {
                        Some(frag) if inside.insert(name.clone()) => {
                            let d = walk(&frag.node.selection_set, doc, inside);
                            inside.remove(&name);
                            d
                        }
                        _ => 0,
                    }
                }
            })
            .max()
            .unwrap_or(0)
    }
    doc.operations
        .iter()
        .map(|(_, op)| walk(&op.node.selection_set, doc, &mut HashSet::new()))
        .max()
        .unwrap_or(0)
}

/// Refuses a document nested deeper than `MAX_DEPTH` (introspection aside).
pub fn check_depth(doc: &ExecutableDocument) -> ServerResult<()> {
    if data_depth(doc) > super::MAX_DEPTH {
        return Err(ServerError::new("Query is nested too deep.", None));
    }
    Ok(())
}

/// Spends one operation's complexity from its request's budget, refusing past the budget.
pub fn spend(budget: Option<&RequestBudget>, complexity: usize) -> Result<(), Vec<ServerError>> {
    let Some(budget) = budget else { return Ok(()) };
    let spent = budget.0.fetch_add(complexity, Ordering::SeqCst) + complexity;
    if spent > MAX_COMPLEXITY {
        let e: async_graphql::Error = AppError::bad_input(
            "query",
            format!("the request's operations together exceed the complexity budget of {MAX_COMPLEXITY}"),
        )
        .into();
        return Err(vec![e.into_server_error(Default::default())]);
    }
    Ok(())
}
