//! What a query may cost. async-graphql counts each field once; here a list field costs its
//! page size times what one item costs, rendering a body costs more than reading a column, and
//! a batched request's operations share one budget (`MAX_COMPLEXITY` in all), so neither
//! aliases, nor `first`, nor batching multiplies the work a request may ask for.
use super::MAX_COMPLEXITY;
use crate::error::AppError;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult};
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

pub struct BatchBudget;

impl ExtensionFactory for BatchBudget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(BatchBudgetExtension)
    }
}

struct BatchBudgetExtension;

#[async_trait::async_trait]
impl Extension for BatchBudgetExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let Some(budget) = ctx.data_opt::<RequestBudget>() {
            let spent = budget.0.fetch_add(result.complexity, Ordering::SeqCst) + result.complexity;
            if spent > MAX_COMPLEXITY {
                let e: async_graphql::Error = AppError::bad_input(
                    "query",
                    format!("the request's operations together exceed the complexity budget of {MAX_COMPLEXITY}"),
                )
                .into();
                return Err(vec![e.into_server_error(Default::default())]);
            }
        }
        Ok(result)
    }
}
