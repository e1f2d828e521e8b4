//! A property of the query budget: whatever query a journalist sends, either it is refused
//! before it runs (BAD_USER_INPUT), or what it returns is within the budget. Queries are
//! generated (a fixed seed, so a failure is reproducible): random nesting through the lists
//! without `first` (the roster, units, a unit's spokespersons, outlets, an outlet's
//! journalists), pages of releases with their files and rendered bodies, and random numbers
//! of aliases, over a registry of 40 units and 12 outlets.
use pressnet_schema::graphql::MAX_COMPLEXITY;
use pressnet_tests::*;
use serde_json::{json, Value};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Copy)]
enum Ty {
    Unit,
    Spokesperson,
    Outlet,
    Journalist,
    Release,
}

/// (scalar fields, (object or list field, its type)) per type.
fn fields(t: Ty) -> (&'static [&'static str], &'static [(&'static str, Ty)]) {
    match t {
        Ty::Unit => (
            &["id", "code", "name", "level"],
            &[("parent", Ty::Unit), ("spokespersons", Ty::Spokesperson)],
        ),
        Ty::Spokesperson => (
            &["id", "fullName", "position", "phone"],
            &[("unit", Ty::Unit)],
        ),
        Ty::Outlet => (
            &["id", "name", "kind", "feedUrls"],
            &[("journalists", Ty::Journalist)],
        ),
        Ty::Journalist => (&["id", "fullName"], &[("outlet", Ty::Outlet)]),
        Ty::Release => (
            &[
                "id",
                "title",
                "bodyHtml",
                "topics",
                "attachments { id filename url }",
            ],
            &[("unit", Ty::Unit)],
        ),
    }
}

fn selection(rng: &mut Rng, t: Ty, depth: usize) -> String {
    let (scalars, links) = fields(t);
    let mut parts: Vec<String> = (0..1 + rng.below(3))
        .map(|_| scalars[rng.below(scalars.len())].to_owned())
        .collect();
    let nest = if depth >= 7 { 0 } else { rng.below(3) };
    for _ in 0..nest {
        let (name, ty) = links[rng.below(links.len())];
        let alias = format!("n{}", rng.below(1000));
        parts.push(format!(
            "{alias}: {name} {{ {} }}",
            selection(rng, ty, depth + 1)
        ));
    }
    parts.join(" ")
}

fn query(rng: &mut Rng) -> String {
    let roots: Vec<String> = (0..1 + rng.below(3))
        .map(|_| {
            let (root, ty) = match rng.below(4) {
                0 => ("spokespersonRoster".to_owned(), Ty::Spokesperson),
                1 => ("units".to_owned(), Ty::Unit),
                2 => ("outlets".to_owned(), Ty::Outlet),
                _ => (
                    format!("releases(first: {}) {{ edges {{ node", 1 + rng.below(100)),
                    Ty::Release,
                ),
            };
            let sel = selection(rng, ty, 1);
            let copies = if rng.chance(30) { 1 + rng.below(60) } else { 1 };
            (0..copies)
                .map(|i| {
                    let close = if root.starts_with("releases") {
                        " } }"
                    } else {
                        ""
                    };
                    format!("r{}x{i}: {root} {{ {sel} }}{close}", rng.below(1_000_000))
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    format!("{{ {} }}", roots.join(" "))
}

/// The values a response carries (every scalar, null included): what the budget counts, one
/// point a field, a list's fields once per item.
fn values(v: &Value) -> usize {
    match v {
        Value::Object(m) => m.values().map(values).sum::<usize>(),
        Value::Array(a) => a.iter().map(values).sum(),
        _ => 1,
    }
}

each!(backends;
    async fn no_query_a_journalist_can_send_costs_more_than_the_budget(app) {
        let w = World::build(&app, 12).await;
        let a = app.gql_as(&w.admin);
        communes_with_spokespersons(&a, 40).await;
        for (i, (outlet, _)) in w.outlets.iter().enumerate().take(4) {
            for k in 0..5 {
                register_journalist(&a, outlet, &format!("PV {i}-{k}"), &format!("pv{i}-{k}@bao.vn")).await;
            }
        }
        let sp = app.gql_as(&w.spokesperson);
        for i in 0..30 {
            publish_now(&sp, &w.unit_id, &format!("Thông cáo {i}"), json!({"allAccredited": true})).await;
        }
        let app = app.restart().await;
        let j = app.gql_as(&w.outlets[0].1);
        let mut rng = Rng(0x5eed_0030_c0de_cafe);
        let (mut accepted, mut refused, mut largest) = (0, 0, 0);
        for _ in 0..150 {
            let q = query(&mut rng);
            let r = j.run(&q, json!({})).await;
            if r.body["errors"].is_array() {
                let code = r.code();
                assert_eq!(code, "BAD_USER_INPUT", "{q}\n{}", r.body);
                refused += 1;
                continue;
            }
            let n = values(&r.body["data"]);
            assert!(n <= MAX_COMPLEXITY, "{n} values returned for a query within the budget:\n{q}");
            largest = largest.max(n);
            accepted += 1;
        }
        eprintln!("query cost: {accepted} accepted (the largest returned {largest} values), {refused} refused");
        assert!(accepted > 20 && refused > 20, "{accepted} accepted, {refused} refused");
    }
);
