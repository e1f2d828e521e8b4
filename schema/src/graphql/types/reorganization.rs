//! Reorganization and its input: units merged, split, renamed or dissolved by a decision.
use crate::graphql::api_error::Result;
use crate::graphql::cost::{seen, Size};
use crate::graphql::enums::ReorganizationKind;
use crate::graphql::types::{CreateUnitInput, Unit};
use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::services::reorganizations::{self, Decision};
use uuid::Uuid;

pub struct Reorganization(pub reorganizations::Reorganization);

impl Reorganization {
    async fn units(&self, ctx: &Context<'_>, ids: &[Uuid]) -> Result<Vec<Unit>> {
        let ids = seen(Size::ReorganizationUnits, ids.to_vec());
        Unit::many(ctx, &ids).await
    }
}

#[Object]
impl Reorganization {
    async fn id(&self) -> Uuid {
        self.0.model.id
    }
    async fn kind(&self) -> ReorganizationKind {
        self.0.model.kind.into()
    }
    async fn effective_at(&self) -> DateTime<Utc> {
        self.0.model.effective_at
    }
    async fn decision_ref(&self) -> &str {
        &self.0.model.decision_ref
    }
    /// The units it ended (a rename: the unit itself).
    #[graphql(
        complexity = "crate::graphql::cost::list(Size::ReorganizationUnits, child_complexity)"
    )]
    async fn from(&self, ctx: &Context<'_>) -> Result<Vec<Unit>> {
        self.units(ctx, &self.0.from).await
    }
    /// The units that took over, the first of them the open items' new owner.
    #[graphql(
        complexity = "crate::graphql::cost::list(Size::ReorganizationUnits, child_complexity)"
    )]
    async fn into(&self, ctx: &Context<'_>) -> Result<Vec<Unit>> {
        self.units(ctx, &self.0.into).await
    }
    /// A rename: the name and code the unit had before.
    async fn previous_name(&self) -> Option<&str> {
        self.0.model.previous_name.as_deref()
    }
    async fn previous_code(&self) -> Option<&str> {
        self.0.model.previous_code.as_deref()
    }
}

#[derive(InputObject)]
pub struct ReorganizeUnitsInput {
    pub kind: ReorganizationKind,
    pub effective_at: DateTime<Utc>,
    pub decision_ref: String,
    pub from_unit_ids: Vec<Uuid>,
    /// Existing units that take the duties over.
    pub into_unit_ids: Option<Vec<Uuid>>,
    /// Or units that the reorganization creates.
    pub new_units: Option<Vec<CreateUnitInput>>,
}

impl ReorganizeUnitsInput {
    pub fn decision(self) -> Decision {
        Decision {
            kind: self.kind.into(),
            effective_at: self.effective_at,
            decision_ref: self.decision_ref,
            from_unit_ids: self.from_unit_ids,
            into_unit_ids: self.into_unit_ids.unwrap_or_default(),
            new_units: self
                .new_units
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}
