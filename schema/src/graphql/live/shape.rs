//! The shape of a `releasePublished` subscription: its document, parsed once and shared by every
//! subscriber who sent the same one, and what its output depends on besides the release.
//!
//! Journalists subscribe with the same few documents (the web application's, a newsroom
//! tool's). Everything a journalist's feed frame holds is the same for every journalist except
//! the cursor (their outlet's sequence number) and a few fields named below, so a publication
//! is rendered once per shape and *scope* (see `Scope`) instead of once per subscriber.
//!
//! The analysis knows which fields are the same for every journalist; any field it does not
//! know makes the shape render per account, which is exactly what async-graphql's own
//! per-subscription execution would do. A wrong "unknown" costs speed, never correctness.
use async_graphql::parser::types::{
    ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::parser::Positioned;
use async_graphql::{Name, Request, Value, Variables};
use pressnet_domain::entities::release;
use pressnet_domain::enums::ReleaseKind;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use uuid::Uuid;

/// The root field served by the shared renderer.
pub const FEED_FIELD: &str = "releasePublished";

/// What a shape's output depends on besides the release itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dependence {
    /// `Release.deliveryStats`: a journalist sees their own outlet's part.
    pub delivery_stats: bool,
    /// `Release.supersedes`: visible when it reached the journalist's outlet.
    pub supersedes: bool,
    /// `PressConference.myRsvp`: the journalist's own answer.
    pub my_rsvp: bool,
    /// A field this analysis does not know (or a document too deep to walk).
    pub unknown: bool,
}

/// Which subscribers may share one rendering of a feed item (kept with the batch on the bus).
pub use pressnet_domain::events::hub::FrameScope as Scope;

impl Dependence {
    /// The scope of `release`'s frame: what the selected fields actually depend on for this
    /// release (a release that corrects nothing has no `supersedes` to differ on; only a press
    /// conference has an RSVP).
    pub fn scope(&self, release: &release::Model, outlet_id: Uuid, account_id: Uuid) -> Scope {
        let corrects = release.supersedes_id.is_some();
        if self.unknown
            || (self.my_rsvp && (release.kind == ReleaseKind::PressConference || corrects))
        {
            Scope::Account(account_id)
        } else if self.delivery_stats || (self.supersedes && corrects) {
            Scope::Outlet(outlet_id)
        } else {
            Scope::Shared
        }
    }
}

/// A parsed feed subscription, shared by its subscribers.
#[derive(Debug)]
pub struct Shape {
    /// Unique within the process (keys the frames of a batch).
    pub id: u64,
    pub query: String,
    pub operation_name: Option<String>,
    /// The first subscriber's variables: the `since` variable is ignored when rendering.
    pub variables: Variables,
    pub document: ExecutableDocument,
    pub depends: Dependence,
}

/// A subscription request the shared renderer can serve, before interning.
pub struct Candidate {
    key: String,
    query: String,
    operation_name: Option<String>,
    variables: Variables,
    document: ExecutableDocument,
    depends: Dependence,
}

/// The operation a request runs: the one named, or the document's only one (as async-graphql
/// chooses; `None` where it would refuse).
pub fn operation<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    let mut ops = document.operations.iter();
    match name {
        None => {
            let (_, op) = ops.next()?;
            ops.next().is_none().then_some(op)
        }
        Some(wanted) => ops
            .find(|(n, _)| n.is_some_and(|n| n.as_str() == wanted))
            .map(|(_, op)| op),
    }
}

/// Whether `request` (whose query parsed to `document`) is a subscription whose only root
/// field is `releasePublished` (through no fragment); `None` for anything else, which
/// async-graphql executes as usual.
pub fn candidate(request: &Request, document: ExecutableDocument) -> Option<Candidate> {
    let op = operation(&document, request.operation_name.as_deref())?;
    if op.node.ty != OperationType::Subscription {
        return None;
    }
    let [root] = op.node.selection_set.node.items.as_slice() else {
        return None;
    };
    let Selection::Field(field) = &root.node else {
        return None;
    };
    if field.node.name.node.as_str() != FEED_FIELD || !field.node.directives.is_empty() {
        return None;
    }
    // `since` only decides where a subscriber's catch-up starts; it does not change a frame.
    // Subscribers resuming from different cursors share a shape unless its variable is used
    // somewhere else too (then it stays in the key, and such subscribers render apart).
    let mut key_vars = request.variables.clone();
    if let Some(since) = field.node.get_argument("since") {
        // A variable is the one value that cannot be made constant without the request.
        if let Err(name) = since.node.clone().into_const_with(Err::<Value, Name>) {
            if mentions(&request.query, name.as_str()) <= 2 {
                key_vars.remove(&name);
            }
        }
    }
    let mut depends = Dependence::default();
    walk(
        &field.node.selection_set.node,
        Ty::FeedItem,
        &document,
        &mut depends,
        0,
    );
    let key = format!(
        "{}\u{0}{}\u{0}{}",
        request.query,
        request.operation_name.as_deref().unwrap_or(""),
        serde_json::to_string(&key_vars).ok()?
    );
    Some(Candidate {
        key,
        query: request.query.clone(),
        operation_name: request.operation_name.clone(),
        variables: request.variables.clone(),
        document,
        depends,
    })
}

/// How often `$name` occurs in the document (its definition counts once).
fn mentions(query: &str, name: &str) -> usize {
    let needle = format!("${name}");
    query
        .match_indices(&needle)
        .filter(|(at, _)| {
            query[at + needle.len()..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
        })
        .count()
}

/// The object types below `releasePublished`, as far as the analysis follows them.
#[derive(Debug, Clone, Copy)]
enum Ty {
    FeedItem,
    Release,
    Unit,
    Spokesperson,
    PressConference,
    DeliveryStats,
    Audience,
    /// `PressConference.attendees`: always empty for journalists (the only subscribers).
    Attendees,
    Leaf,
}

/// Fragments nest: a document deeper than this is treated as unknown.
const MAX_WALK_DEPTH: usize = 32;

fn walk(set: &SelectionSet, ty: Ty, doc: &ExecutableDocument, dep: &mut Dependence, depth: usize) {
    if depth > MAX_WALK_DEPTH {
        dep.unknown = true;
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let name = f.node.name.node.as_str();
                match child(ty, name, dep) {
                    Some(Ty::Leaf) => {}
                    Some(next) => walk(&f.node.selection_set.node, next, doc, dep, depth + 1),
                    None => dep.unknown = true,
                }
            }
            // Every type below the feed is an object type, so a fragment applies to the type
            // it is spread in (or fails validation, which the subscriber's own check reports).
            Selection::InlineFragment(f) => {
                walk(&f.node.selection_set.node, ty, doc, dep, depth + 1);
            }
            Selection::FragmentSpread(s) => match doc.fragments.get(&s.node.fragment_name.node) {
                Some(def) => walk(&def.node.selection_set.node, ty, doc, dep, depth + 1),
                None => dep.unknown = true,
            },
        }
    }
}

/// The type of `ty.name`, noting what it depends on; `None` when the analysis does not know it.
fn child(ty: Ty, name: &str, dep: &mut Dependence) -> Option<Ty> {
    if name == "__typename" {
        return Some(Ty::Leaf);
    }
    let leaf = Some(Ty::Leaf);
    match (ty, name) {
        (Ty::FeedItem, "cursor") => leaf,
        (Ty::FeedItem, "release") => Some(Ty::Release),
        (
            Ty::Release,
            "id" | "kind" | "status" | "title" | "summary" | "body" | "bodyHtml" | "topics"
            | "publishAt" | "publishedAt" | "version" | "retractedAt" | "retractReason",
        ) => leaf,
        (Ty::Release, "unit") => Some(Ty::Unit),
        (Ty::Release, "pressConference") => Some(Ty::PressConference),
        // Null for journalists: only the unit and the authority see it.
        (Ty::Release, "audience") => Some(Ty::Audience),
        (Ty::Release, "deliveryStats") => {
            dep.delivery_stats = true;
            Some(Ty::DeliveryStats)
        }
        (Ty::Release, "supersedes") => {
            dep.supersedes = true;
            Some(Ty::Release)
        }
        (Ty::Unit, "id" | "code" | "name" | "level") => leaf,
        (Ty::Unit, "parent") => Some(Ty::Unit),
        (Ty::Unit, "spokespersons") => Some(Ty::Spokesperson),
        (
            Ty::Spokesperson,
            "id" | "fullName" | "position" | "phone" | "email" | "appointmentRef" | "isPrimary"
            | "activeFrom" | "activeUntil",
        ) => leaf,
        (Ty::Spokesperson, "unit") => Some(Ty::Unit),
        (
            Ty::PressConference,
            "startsAt" | "endsAt" | "location" | "rsvpDeadline" | "capacity" | "attendeeCount"
            | "sequence",
        ) => leaf,
        (Ty::PressConference, "attendees") => Some(Ty::Attendees),
        (Ty::PressConference, "myRsvp") => {
            dep.my_rsvp = true;
            leaf
        }
        (
            Ty::DeliveryStats,
            "targeted" | "pending" | "delivered" | "acknowledged" | "failed" | "spreadMs",
        ) => leaf,
        (Ty::Audience, "allAccredited" | "outletIds" | "kinds" | "scopes") => leaf,
        (Ty::Attendees, _) => Some(Ty::Attendees),
        _ => None,
    }
}

/// Interns shapes, so subscribers with the same document share one parse and one rendering.
#[derive(Default)]
pub struct Shapes {
    inner: Mutex<Interned>,
}

#[derive(Default)]
struct Interned {
    next_id: u64,
    by_key: HashMap<String, Weak<Shape>>,
    /// `by_key`'s size after the last sweep of dead entries.
    swept_at: usize,
}

impl Shapes {
    pub fn intern(&self, c: Candidate) -> Arc<Shape> {
        let mut g = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(s) = g.by_key.get(&c.key).and_then(Weak::upgrade) {
            return s;
        }
        g.next_id += 1;
        let shape = Arc::new(Shape {
            id: g.next_id,
            query: c.query,
            operation_name: c.operation_name,
            variables: c.variables,
            document: c.document,
            depends: c.depends,
        });
        g.by_key.insert(c.key, Arc::downgrade(&shape));
        // Forget shapes nobody subscribes with any more, whenever the map has doubled.
        if g.by_key.len() > 2 * g.swept_at.max(32) {
            g.by_key.retain(|_, w| w.strong_count() > 0);
            g.swept_at = g.by_key.len();
        }
        shape
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(r: &Request) -> Option<Candidate> {
        candidate(r, async_graphql::parser::parse_query(&r.query).ok()?)
    }

    fn dep(q: &str) -> Option<Dependence> {
        cand(&Request::new(q)).map(|c| c.depends)
    }

    #[test]
    fn what_a_feed_subscription_depends_on() {
        let shared = Dependence::default();
        assert_eq!(
            dep("subscription { releasePublished { cursor release { id title unit { name spokespersons { fullName phone } } } } }"),
            Some(shared)
        );
        // The web application's subscription: RSVP per account (for press conferences only).
        let web = dep("subscription($s:String){ releasePublished(since:$s){ cursor release { id title summary status kind publishedAt unit { name } pressConference { startsAt location myRsvp } } } }").expect("feed");
        assert!(web.my_rsvp && !web.unknown && !web.delivery_stats);
        let stats =
            dep("subscription { releasePublished { release { deliveryStats { delivered } } } }")
                .expect("feed");
        assert!(stats.delivery_stats && !stats.unknown);
        // Fragments are followed; an unknown field falls back to per-account rendering.
        let frag = dep("subscription { releasePublished { ...F } } fragment F on FeedItem { cursor release { ... on Release { supersedes { id } } } }").expect("feed");
        assert!(frag.supersedes && !frag.unknown);
        assert!(
            dep("subscription { releasePublished { release { noSuchField } } }")
                .expect("feed")
                .unknown
        );
        assert!(
            dep("subscription { releasePublished { ...Missing } }")
                .expect("feed")
                .unknown
        );
        // Not the feed: other subscriptions, queries, two root fields, a directive on the root.
        assert!(dep("subscription { deliveryUpdated(releaseId: \"x\") { id } }").is_none());
        assert!(dep("{ releases { totalCount } }").is_none());
        assert!(dep(
            "subscription { releasePublished { cursor } other: releasePublished { cursor } }"
        )
        .is_none());
        assert!(
            dep("subscription($x: Boolean!) { releasePublished @include(if: $x) { cursor } }")
                .is_none()
        );
        assert!(dep(
            "subscription { ...R } fragment R on Subscription { releasePublished { cursor } }"
        )
        .is_none());
    }

    #[test]
    fn the_since_variable_does_not_split_subscribers() {
        let q = "subscription($s:String){ releasePublished(since:$s){ cursor release { id } } }";
        let a = Request::new(q).variables(Variables::from_json(
            serde_json::json!({"s": "0000000000000001"}),
        ));
        let b = Request::new(q).variables(Variables::from_json(serde_json::json!({"s": null})));
        let shapes = Shapes::default();
        let (sa, sb) = (
            shapes.intern(cand(&a).expect("feed")),
            shapes.intern(cand(&b).expect("feed")),
        );
        assert_eq!(sa.id, sb.id);
        // Used elsewhere too: the value stays in the key.
        let q2 = "subscription($s:String){ releasePublished(since:$s){ cursor release { id title @include(if: true) } } x: __typename @skip(if: false) }";
        assert!(cand(&Request::new(q2)).is_none(), "two root fields");
        let q3 = "subscription($s:String, $t:String){ releasePublished(since:$s){ cursor } }";
        assert_eq!(mentions(q3, "s"), 2);
        assert_eq!(
            mentions("query($s: Int, $st: Int) { a(x: $s, y: $st, z: $s) }", "s"),
            3
        );
    }

    #[test]
    fn scope_follows_the_release() {
        let now = chrono::Utc::now();
        let mut r = release::Model {
            id: Uuid::new_v4(),
            unit_id: Uuid::new_v4(),
            kind: ReleaseKind::PressRelease,
            status: pressnet_domain::enums::ReleaseStatus::Published,
            title: String::new(),
            summary: String::new(),
            body: String::new(),
            topics: "[]".into(),
            audience: "{}".into(),
            is_public: true,
            search_text: String::new(),
            listed_at: now,
            publish_at: None,
            published_at: Some(now),
            supersedes_id: None,
            version: 1,
            retracted_at: None,
            retract_reason: None,
            created_by: None,
            created_at: now,
            updated_at: now,
            plan_item_id: None,
        };
        let (o, a) = (Uuid::new_v4(), Uuid::new_v4());
        let rsvp = Dependence {
            my_rsvp: true,
            ..Default::default()
        };
        assert_eq!(rsvp.scope(&r, o, a), Scope::Shared);
        let corr = Dependence {
            supersedes: true,
            ..Default::default()
        };
        assert_eq!(corr.scope(&r, o, a), Scope::Shared);
        r.kind = ReleaseKind::PressConference;
        assert_eq!(rsvp.scope(&r, o, a), Scope::Account(a));
        r.supersedes_id = Some(Uuid::new_v4());
        assert_eq!(corr.scope(&r, o, a), Scope::Outlet(o));
        let stats = Dependence {
            delivery_stats: true,
            ..Default::default()
        };
        assert_eq!(stats.scope(&r, o, a), Scope::Outlet(o));
        let unknown = Dependence {
            unknown: true,
            ..Default::default()
        };
        assert_eq!(unknown.scope(&r, o, a), Scope::Account(a));
    }
}
