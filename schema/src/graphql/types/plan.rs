//! The annual communication plan: CommunicationPlan, PlanItem and its input.
use crate::graphql::api_error::Result;
use crate::graphql::context::{app, viewer};
use crate::graphql::cost::{seen, Size};
use crate::graphql::enums::PlanItemKind;
use crate::graphql::types::{Release, Unit};
use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{plan_item, release};
use pressnet_domain::services::plans::{self, NewItem, Plan};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A plan with what was done of it, read once for all its items.
pub struct CommunicationPlan {
    plan: Plan,
    done: HashSet<Uuid>,
    releases: HashMap<Uuid, Vec<release::Model>>,
}

impl CommunicationPlan {
    pub async fn load(ctx: &Context<'_>, plan: Plan) -> Result<Self> {
        let app = app(ctx)?;
        let ids: Vec<Uuid> = plan.items.iter().map(|i| i.id).collect();
        let done = plans::done(&app.db, &ids).await?;
        let releases = plans::releases_of(app, viewer(ctx), &ids).await?;
        Ok(Self {
            plan,
            done,
            releases,
        })
    }
}

#[Object]
impl CommunicationPlan {
    async fn unit(&self) -> Unit {
        Unit(self.plan.unit.clone())
    }
    async fn year(&self) -> i32 {
        self.plan.year
    }
    /// In the plan's order (at most 300).
    #[graphql(complexity = "300 * child_complexity + 1")]
    async fn items(&self) -> Vec<PlanItem> {
        self.plan
            .items
            .iter()
            .map(|i| PlanItem {
                done: self.done.contains(&i.id),
                releases: seen(
                    Size::PlanItemReleases,
                    self.releases.get(&i.id).cloned().unwrap_or_default(),
                ),
                item: i.clone(),
            })
            .collect()
    }
}

pub struct PlanItem {
    item: plan_item::Model,
    done: bool,
    releases: Vec<release::Model>,
}

#[Object]
impl PlanItem {
    async fn id(&self) -> Uuid {
        self.item.id
    }
    async fn title(&self) -> &str {
        &self.item.title
    }
    async fn kind(&self) -> PlanItemKind {
        self.item.kind.into()
    }
    async fn due_at(&self) -> DateTime<Utc> {
        self.item.due_at
    }
    /// A release linked to it was published.
    async fn done(&self) -> bool {
        self.done
    }
    /// The linked releases the viewer may see.
    #[graphql(complexity = "crate::graphql::cost::list(Size::PlanItemReleases, child_complexity)")]
    async fn releases(&self) -> Vec<Release> {
        self.releases.iter().cloned().map(Release).collect()
    }
}

#[derive(InputObject)]
pub struct PlanItemInput {
    pub title: String,
    pub kind: PlanItemKind,
    pub due_at: DateTime<Utc>,
}

impl From<PlanItemInput> for NewItem {
    fn from(i: PlanItemInput) -> Self {
        NewItem {
            title: i.title,
            kind: i.kind.into(),
            due_at: i.due_at,
        }
    }
}
