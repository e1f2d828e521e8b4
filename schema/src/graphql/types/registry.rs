//! Unit, Spokesperson, Outlet, Journalist, Account and their inputs.
use crate::graphql::api_error::Result;
use crate::graphql::context::{app, loaders, viewer};
use crate::graphql::enums::{AccreditationStatus, OutletKind, OutletScope, Role, UnitLevel};
use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{account, journalist, outlet, spokesperson, unit};
use pressnet_domain::error::AppError;
use pressnet_domain::services::press_cards;
use pressnet_domain::services::registry::{effective_accreditation, is_accredited};
use uuid::Uuid;

pub struct Unit(pub unit::Model);

impl Unit {
    /// The unit a row points at, through the request's loader; its absence is a broken
    /// invariant (`missing` says whose).
    pub async fn required(ctx: &Context<'_>, id: Uuid, missing: &'static str) -> Result<Unit> {
        let u = loaders(ctx)?
            .unit
            .load_one(id)
            .await
            .map_err(AppError::from)?;
        Ok(Unit(u.ok_or_else(|| AppError::internal(missing))?))
    }
}

#[Object]
impl Unit {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn level(&self) -> UnitLevel {
        self.0.level.into()
    }
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(pid) = self.0.parent_id else {
            return Ok(None);
        };
        let u = loaders(ctx)?
            .unit
            .load_one(pid)
            .await
            .map_err(AppError::from)?;
        Ok(u.map(Unit))
    }
    /// Active spokespersons, primary first.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::UnitSpokespersons, child_complexity)"
    )]
    async fn spokespersons(&self, ctx: &Context<'_>) -> Result<Vec<Spokesperson>> {
        let list = loaders(ctx)?
            .unit_spokespersons
            .load_one(self.0.id)
            .await
            .map_err(AppError::from)?
            .unwrap_or_default();
        let list = crate::graphql::cost::seen(crate::graphql::cost::Size::UnitSpokespersons, list);
        Ok(list.into_iter().map(Spokesperson).collect())
    }
    /// False from the moment a reorganization ended the unit.
    async fn active(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.0.active_at(app(ctx)?.clock.now()))
    }
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
    /// When a reorganization created the unit (null: before pressnet's records).
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    /// Units that took its duties over, in the order of the reorganizations.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Lineage, child_complexity)"
    )]
    async fn successors(&self, ctx: &Context<'_>) -> Result<Vec<Unit>> {
        self.lineage(ctx, true).await
    }
    /// Units whose duties it took over.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::Lineage, child_complexity)"
    )]
    async fn predecessors(&self, ctx: &Context<'_>) -> Result<Vec<Unit>> {
        self.lineage(ctx, false).await
    }
}

impl Unit {
    async fn lineage(&self, ctx: &Context<'_>, successors: bool) -> Result<Vec<Unit>> {
        let l = loaders(ctx)?;
        let loader = if successors {
            &l.successors
        } else {
            &l.predecessors
        };
        let ids = loader
            .load_one(self.0.id)
            .await
            .map_err(AppError::from)?
            .unwrap_or_default();
        let ids = crate::graphql::cost::seen(crate::graphql::cost::Size::Lineage, ids);
        Unit::many(ctx, &ids).await
    }

    /// The units `ids` names, in that order, through the request's loader (one query).
    pub async fn many(ctx: &Context<'_>, ids: &[Uuid]) -> Result<Vec<Unit>> {
        let found = loaders(ctx)?
            .unit
            .load_many(ids.iter().copied())
            .await
            .map_err(AppError::from)?;
        Ok(ids
            .iter()
            .filter_map(|id| found.get(id).cloned())
            .map(Unit)
            .collect())
    }
}

pub struct Spokesperson(pub spokesperson::Model);

#[Object]
impl Spokesperson {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn unit(&self, ctx: &Context<'_>) -> Result<Unit> {
        Unit::required(ctx, self.0.unit_id, "spokesperson without unit").await
    }
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    async fn position(&self) -> &str {
        &self.0.position
    }
    async fn phone(&self) -> &str {
        &self.0.phone
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn appointment_ref(&self) -> Option<&str> {
        self.0.appointment_ref.as_deref()
    }
    async fn is_primary(&self) -> bool {
        self.0.is_primary
    }
    async fn active_from(&self) -> DateTime<Utc> {
        self.0.active_from
    }
    async fn active_until(&self) -> Option<DateTime<Utc>> {
        self.0.active_until
    }
}

pub struct Outlet(pub outlet::Model);

impl Outlet {
    /// The outlet a row points at, through the request's loader; its absence is a broken
    /// invariant (`missing` says whose).
    pub async fn required(ctx: &Context<'_>, id: Uuid, missing: &'static str) -> Result<Outlet> {
        let o = loaders(ctx)?
            .outlet
            .load_one(id)
            .await
            .map_err(AppError::from)?;
        Ok(Outlet(o.ok_or_else(|| AppError::internal(missing))?))
    }
}

#[Object]
impl Outlet {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> OutletKind {
        self.0.kind.into()
    }
    async fn scope(&self) -> OutletScope {
        self.0.scope.into()
    }
    async fn licence_number(&self) -> &str {
        &self.0.licence_number
    }
    /// The newsroom's address.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Effective status: an accreditation whose `accreditedUntil` has passed reads PENDING.
    async fn accreditation(&self, ctx: &Context<'_>) -> Result<AccreditationStatus> {
        Ok((effective_accreditation(&self.0, app(ctx)?.clock.now())).into())
    }
    async fn accredited_until(&self) -> Option<DateTime<Utc>> {
        self.0.accredited_until
    }
    /// True when the outlet may receive releases now.
    async fn is_accredited(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(is_accredited(&self.0, app(ctx)?.clock.now()))
    }
    /// Every kind the outlet is (a merged provincial outlet is several), `kind` first.
    async fn media_types(&self) -> Vec<OutletKind> {
        self.0.media().into_iter().map(Into::into).collect()
    }
    /// False from the moment a merger ended it.
    async fn active(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(self.0.active_at(app(ctx)?.clock.now()))
    }
    async fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.0.ended_at
    }
    /// The outlet it was merged into.
    async fn successor(&self, ctx: &Context<'_>) -> Result<Option<Outlet>> {
        let Some(id) = self.0.successor_id else {
            return Ok(None);
        };
        let o = loaders(ctx)?
            .outlet
            .load_one(id)
            .await
            .map_err(AppError::from)?;
        Ok(o.map(Outlet))
    }
    /// The outlet's journalists: the authority and spokespersons see all; a journalist sees
    /// their own outlet's colleagues only.
    #[graphql(
        complexity = "crate::graphql::cost::list(crate::graphql::cost::Size::OutletJournalists, child_complexity)"
    )]
    async fn journalists(&self, ctx: &Context<'_>) -> Result<Vec<Journalist>> {
        let v = viewer(ctx);
        // An active spokesperson (who invites and answers the press) sees them; a former one
        // does not.
        let allowed = v.reads_all()
            || v.voice(app(ctx)?.clock.now()).is_some()
            || v.outlet_id() == Some(self.0.id);
        if !allowed {
            return Ok(Vec::new());
        }
        let list = loaders(ctx)?
            .outlet_journalists
            .load_one(self.0.id)
            .await
            .map_err(AppError::from)?
            .unwrap_or_default();
        let list = crate::graphql::cost::seen(crate::graphql::cost::Size::OutletJournalists, list);
        Ok(list.into_iter().map(Journalist).collect())
    }
    /// The outlet's own public feeds pressnet watches for its articles.
    async fn feed_urls(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(loaders(ctx)?
            .feed_urls
            .load_one(self.0.id)
            .await
            .map_err(AppError::from)?
            .unwrap_or_default())
    }
}

pub struct Journalist(pub journalist::Model);

#[Object]
impl Journalist {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn press_card_number(&self) -> Option<&str> {
        self.0.press_card_number.as_deref()
    }
    /// When the press card stops being valid; null when never recorded (counted as valid).
    async fn press_card_expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.press_card_expires_at
    }
    /// Whether the card is valid now: a journalist without one reads what the public reads.
    async fn press_card_valid(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(press_cards::valid(&self.0, app(ctx)?.clock.now()))
    }
    async fn outlet(&self, ctx: &Context<'_>) -> Result<Outlet> {
        Outlet::required(ctx, self.0.outlet_id, "journalist without outlet").await
    }
}

pub struct Account(pub account::Model);

#[Object]
impl Account {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The person's name: a spokesperson's or journalist's full name; null for the authority's
    /// own accounts, which the registry knows by e-mail only.
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let l = loaders(ctx)?;
        if let Some(sid) = self.0.spokesperson_id {
            let s = l.spokesperson.load_one(sid).await.map_err(AppError::from)?;
            return Ok(s.map(|s| s.full_name));
        }
        if let Some(jid) = self.0.journalist_id {
            let j = l.journalist.load_one(jid).await.map_err(AppError::from)?;
            return Ok(j.map(|j| j.full_name));
        }
        Ok(None)
    }
    /// A spokesperson's unit.
    async fn unit(&self, ctx: &Context<'_>) -> Result<Option<Unit>> {
        let Some(sid) = self.0.spokesperson_id else {
            return Ok(None);
        };
        let l = loaders(ctx)?;
        let Some(s) = l.spokesperson.load_one(sid).await.map_err(AppError::from)? else {
            return Ok(None);
        };
        Ok(l.unit
            .load_one(s.unit_id)
            .await
            .map_err(AppError::from)?
            .map(Unit))
    }
    /// A journalist's outlet.
    async fn outlet(&self, ctx: &Context<'_>) -> Result<Option<Outlet>> {
        let Some(jid) = self.0.journalist_id else {
            return Ok(None);
        };
        let l = loaders(ctx)?;
        let Some(j) = l.journalist.load_one(jid).await.map_err(AppError::from)? else {
            return Ok(None);
        };
        Ok(l.outlet
            .load_one(j.outlet_id)
            .await
            .map_err(AppError::from)?
            .map(Outlet))
    }
    /// The spokesperson record behind a SPOKESPERSON account.
    async fn spokesperson(&self, ctx: &Context<'_>) -> Result<Option<Spokesperson>> {
        let Some(sid) = self.0.spokesperson_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .spokesperson
            .load_one(sid)
            .await
            .map_err(AppError::from)?
            .map(Spokesperson))
    }
    /// The journalist record behind a JOURNALIST account.
    async fn journalist(&self, ctx: &Context<'_>) -> Result<Option<Journalist>> {
        let Some(jid) = self.0.journalist_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .journalist
            .load_one(jid)
            .await
            .map_err(AppError::from)?
            .map(Journalist))
    }
}

pub struct AuthPayload {
    pub token: String,
    pub account: account::Model,
}

#[Object]
impl AuthPayload {
    async fn token(&self) -> &str {
        &self.token
    }
    async fn account(&self) -> Account {
        Account(self.account.clone())
    }
}

#[derive(InputObject)]
pub struct CreateUnitInput {
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub parent_id: Option<Uuid>,
}

impl From<CreateUnitInput> for pressnet_domain::services::registry::NewUnit {
    fn from(i: CreateUnitInput) -> Self {
        Self {
            code: i.code,
            name: i.name,
            level: i.level.into(),
            parent_id: i.parent_id,
        }
    }
}

#[derive(InputObject)]
pub struct RegisterSpokespersonInput {
    pub unit_id: Uuid,
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
    pub appointment_ref: Option<String>,
    /// Primary (true, the default) or deputy; an explicit null counts as the default.
    #[graphql(default_with = "Some(true)")]
    pub is_primary: Option<bool>,
    /// Omitted: an invitation to set one is sent.
    pub password: Option<String>,
}

#[derive(InputObject)]
pub struct RegisterOutletInput {
    pub name: String,
    pub kind: OutletKind,
    pub scope: OutletScope,
    pub licence_number: String,
    pub email: String,
    /// A merged provincial "Báo và Phát thanh, Truyền hình" is several kinds at once.
    pub media_types: Option<Vec<OutletKind>>,
}

impl From<RegisterOutletInput> for pressnet_domain::services::registry::NewOutlet {
    fn from(i: RegisterOutletInput) -> Self {
        Self {
            name: i.name,
            kind: i.kind.into(),
            scope: i.scope.into(),
            licence_number: i.licence_number,
            email: i.email,
            media_types: i
                .media_types
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

#[derive(InputObject)]
pub struct RegisterJournalistInput {
    pub outlet_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub press_card_number: Option<String>,
    /// When the press card stops being valid (Press Law 2025: five years from issue).
    pub press_card_expires_at: Option<DateTime<Utc>>,
    /// Omitted: an invitation to set one is sent.
    pub password: Option<String>,
}
