//! What a query may cost. async-graphql counts each field once; here a list field costs its
//! page size times what one item costs, rendering a body costs more than reading a column, and
//! a batched request's operations share one budget (`MAX_COMPLEXITY` in all), so neither
//! aliases, nor `first`, nor batching multiplies the work a request may ask for. Depth is
//! counted here too, without introspection (see `data_depth`).
use super::MAX_COMPLEXITY;
use crate::graphql::api_error::to_graphql;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, ServerError, ServerResult};
use pressnet_domain::error::AppError;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The cost of rendering Markdown to HTML (`Release.bodyHtml`).
pub const RENDER: usize = 10;

/// Bytes of Markdown that cost one more point to render (`renderMarkdown`): rendering and
/// sanitising take time in proportion to the text, so a long text costs more than a short one.
const RENDER_BYTES_PER_POINT: usize = 1_024;

/// What rendering `text` costs: the base, and a point per KiB.
pub fn render(text: &str) -> usize {
    RENDER.saturating_add(text.len() / RENDER_BYTES_PER_POINT)
}

/// The lists that take no `first`: each is priced by its real size (`Size`), learned at start
/// and raised whenever a resolver returns a longer one, so a list costs what it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Size {
    /// `units`, `complianceReport` (one row per unit).
    Units,
    /// `spokespersonRoster`.
    Roster,
    /// `outlets`.
    Outlets,
    /// `Unit.spokespersons`: the most any unit has.
    UnitSpokespersons,
    /// `Outlet.journalists`: the most any outlet has.
    OutletJournalists,
    /// `PressConference.attendees`: the most any conference has.
    Attendees,
    /// `Release.attachments`: the most any release has.
    Attachments,
    /// `inquiries`: the most one request has returned.
    Inquiries,
    /// `pressReports`.
    PressReports,
    /// `downloads(releaseId)`: the most any release has.
    Downloads,
    /// `emailSuppressions`.
    Suppressions,
    /// `webhookEndpoints(outletId)`: the most any outlet has.
    Endpoints,
    /// `ReleaseSpread.pickups`: the most any release has.
    Pickups,
    /// `JournalistSubscription.follows`.
    Follows,
    /// `mySessions`: the most live sessions one account has.
    Sessions,
    /// `pressCardsExpiring`: every journalist, at most.
    Journalists,
    /// `ruleSets`.
    RuleSets,
    /// `Unit.successors` and `Unit.predecessors`: the most any unit has.
    Lineage,
    /// `reorganizations`.
    Reorganizations,
    /// `Reorganization.from` and `.into`: the most units one names.
    ReorganizationUnits,
    /// `PlanItem.releases`: the most releases linked to one plan item.
    PlanItemReleases,
}

const SIZES: usize = Size::PlanItemReleases as usize + 1;

/// The sizes, shared by every schema of the process (a test process runs several servers;
/// a larger size only prices a list higher). Sizes only grow: a list that shrank keeps its
/// old price until restart, which errs on the side of refusing.
static LIST_SIZES: [AtomicUsize; SIZES] = [const { AtomicUsize::new(1) }; SIZES];

/// Notes that a list of `kind` has `n` items.
pub fn observe(kind: Size, n: usize) {
    if let Some(s) = LIST_SIZES.get(kind as usize) {
        s.fetch_max(n, Ordering::Relaxed);
    }
}

/// The largest list of `kind` seen (at least 1).
pub fn size(kind: Size) -> usize {
    LIST_SIZES
        .get(kind as usize)
        .map_or(1, |s| s.load(Ordering::Relaxed).max(1))
}

/// What a list of `kind` costs: its size times what one item costs.
pub fn list(kind: Size, child_complexity: usize) -> usize {
    size(kind)
        .saturating_mul(child_complexity)
        .saturating_add(1)
}

/// A page of `first` items (the default when omitted), at least one.
pub fn page(first: Option<i32>, default: i32, child_complexity: usize) -> usize {
    let n = first
        .unwrap_or(default)
        .clamp(1, pressnet_domain::services::page::MAX_PAGE) as usize;
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
        let e = to_graphql(&AppError::bad_input(
            "query",
            format!("the request's operations together exceed the complexity budget of {MAX_COMPLEXITY}"),
        ));
        return Err(vec![e.into_server_error(Default::default())]);
    }
    Ok(())
}

/// Learns every list's size from the database, so the first request after a start is priced
/// like the later ones (each count is of all rows, active or not: a bound, not a figure).
#[tracing::instrument(skip_all, err(Debug))]
pub async fn learn(db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, Statement};
    let total = |t: &str| format!("SELECT COUNT(*) AS n FROM {t}");
    let most = |t: &str, by: &str| {
        format!(
            "SELECT COALESCE(MAX(c), 0) AS n FROM (SELECT COUNT(*) AS c FROM {t} GROUP BY {by}) g"
        )
    };
    let queries = [
        (Size::Units, total("units")),
        (Size::Roster, total("spokespersons")),
        (Size::Outlets, total("outlets")),
        (Size::UnitSpokespersons, most("spokespersons", "unit_id")),
        (Size::OutletJournalists, most("journalists", "outlet_id")),
        (Size::Attendees, most("rsvps", "release_id")),
        (Size::Attachments, most("attachments", "release_id")),
        (Size::Inquiries, total("inquiries")),
        (Size::PressReports, total("press_reports")),
        (Size::Downloads, most("downloads", "release_id")),
        (Size::Suppressions, total("email_suppressions")),
        (Size::Endpoints, most("webhook_endpoints", "outlet_id")),
        (Size::Pickups, most("pickups", "release_id")),
        (Size::Follows, most("follows", "journalist_id")),
        (Size::Sessions, most("auth_tokens", "account_id")),
        (Size::Journalists, total("journalists")),
        (Size::RuleSets, total("rule_sets")),
    ];
    let backend = db.get_database_backend();
    for (kind, sql) in queries {
        let row = db
            .query_one_raw(Statement::from_string(backend, sql))
            .await?;
        let n: i64 = match row {
            Some(r) => r.try_get("", "n")?,
            None => 0,
        };
        observe(kind, usize::try_from(n).unwrap_or(usize::MAX));
    }
    Ok(())
}

/// Passes a list through, noting its size (see `Size`).
pub fn seen<T>(kind: Size, list: Vec<T>) -> Vec<T> {
    observe(kind, list.len());
    list
}
