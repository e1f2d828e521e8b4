//! The registry kept by the authority: units, spokespersons, outlets and journalists.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::entities::{journalist, outlet, spokesperson, unit};
use crate::enums::{AccreditationStatus, OutletKind, OutletScope, Role};
use crate::error::{AppError, AppResult};
use crate::services::accounts::{self, AccountLink};
use crate::services::audit::{self, Change};
use crate::services::conditions::{accredited_condition, active_spokesperson_condition};
use crate::validate;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

pub use crate::entities::unit::NewUnit;

pub struct NewSpokesperson {
    pub unit_id: Uuid,
    pub full_name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
    pub appointment_ref: Option<String>,
    pub is_primary: bool,
    pub password: Option<String>,
}

pub struct NewOutlet {
    pub name: String,
    pub kind: OutletKind,
    pub scope: OutletScope,
    pub licence_number: String,
    pub email: String,
    /// Kinds beyond `kind` (a merged outlet is several at once).
    pub media_types: Vec<OutletKind>,
}

pub struct NewJournalist {
    pub outlet_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub press_card_number: Option<String>,
    pub press_card_expires_at: Option<DateTime<Utc>>,
    pub password: Option<String>,
}

/// True when the outlet may receive releases at `now`.
pub fn is_accredited(o: &outlet::Model, now: DateTime<Utc>) -> bool {
    o.accreditation == AccreditationStatus::Accredited
        && o.accredited_until.is_none_or(|u| u > now)
        && o.active_at(now)
}

/// The accreditation a client sees: an ACCREDITED outlet whose accreditation has lapsed
/// shows as PENDING (awaiting renewal), so it never reads as accredited.
pub fn effective_accreditation(o: &outlet::Model, now: DateTime<Utc>) -> AccreditationStatus {
    if o.accreditation == AccreditationStatus::Accredited && !is_accredited(o, now) {
        AccreditationStatus::Pending
    } else {
        o.accreditation
    }
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn units(ctx: &AppContext) -> AppResult<Vec<unit::Model>> {
    Ok(unit::Entity::find()
        .order_by_asc(unit::Column::Level)
        .order_by_asc(unit::Column::Name)
        .all(&ctx.db)
        .await?)
}

#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn unit(ctx: &AppContext, id: Uuid) -> AppResult<Option<unit::Model>> {
    Ok(unit::Entity::find_by_id(id).one(&ctx.db).await?)
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn unit_by_code(ctx: &AppContext, code: &str) -> AppResult<Option<unit::Model>> {
    Ok(unit::Entity::find()
        .filter(unit::Column::Code.eq(code))
        .one(&ctx.db)
        .await?)
}

/// The public roster: every spokesperson whose term is active now, primary first.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn roster(ctx: &AppContext) -> AppResult<Vec<spokesperson::Model>> {
    let now = ctx.clock.now();
    Ok(spokesperson::Entity::find()
        .filter(active_spokesperson_condition(now))
        .order_by_asc(spokesperson::Column::UnitId)
        .order_by_desc(spokesperson::Column::IsPrimary)
        .order_by_asc(spokesperson::Column::FullName)
        .all(&ctx.db)
        .await?)
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn outlets(
    ctx: &AppContext,
    viewer: &Viewer,
    accreditation: Option<AccreditationStatus>,
) -> AppResult<Vec<outlet::Model>> {
    viewer.signed_in()?;
    let now = ctx.clock.now();
    let mut q = outlet::Entity::find().order_by_asc(outlet::Column::Name);
    if let Some(status) = accreditation {
        q = match status {
            AccreditationStatus::Accredited => q.filter(accredited_condition(now)),
            AccreditationStatus::Pending => q.filter(
                Condition::any()
                    .add(outlet::Column::Accreditation.eq(AccreditationStatus::Pending))
                    .add(
                        Condition::all()
                            .add(outlet::Column::Accreditation.eq(AccreditationStatus::Accredited))
                            .add(outlet::Column::AccreditedUntil.lte(now)),
                    ),
            ),
            other => q.filter(outlet::Column::Accreditation.eq(other)),
        };
    }
    Ok(q.all(&ctx.db).await?)
}

#[tracing::instrument(skip_all, fields(code = %input.code))]
pub async fn create_unit(
    ctx: &AppContext,
    viewer: &Viewer,
    input: NewUnit,
) -> AppResult<unit::Model> {
    viewer.require_admin()?;
    let code = validate::code("code", &input.code)?;
    let name = validate::text("name", &input.name, 300)?;
    if let Some(pid) = input.parent_id {
        if unit::Entity::find_by_id(pid).one(&ctx.db).await?.is_none() {
            return Err(AppError::bad_input("parentId", "no unit has this id"));
        }
    }
    if unit_by_code(ctx, &code).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "a unit with code {code} already exists"
        )));
    }
    let txn = begin_write(&ctx.db).await?;
    let model = unit::insert(&txn, code, name, &input, ctx.clock.now(), None).await?;
    let change = Change::new(viewer.actor(), "unit.create", "unit", Some(model.id))
        .details(json!({"code": model.code, "name": model.name, "level": model.level.as_str()}));
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(model)
}

#[tracing::instrument(skip_all, fields(unit = %input.unit_id))]
pub async fn register_spokesperson(
    ctx: &AppContext,
    viewer: &Viewer,
    input: NewSpokesperson,
) -> AppResult<spokesperson::Model> {
    viewer.require_admin()?;
    let full_name = validate::text("fullName", &input.full_name, 200)?;
    let position = validate::text("position", &input.position, 300)?;
    let phone = validate::phone("phone", &input.phone)?;
    let email = validate::email("email", &input.email)?;
    let appointment_ref =
        validate::opt_text("appointmentRef", input.appointment_ref.as_deref(), 100)?;
    let Some(u) = unit::Entity::find_by_id(input.unit_id).one(&ctx.db).await? else {
        return Err(AppError::bad_input("unitId", "no unit has this id"));
    };
    crate::services::reorganizations::refuse_if_ended(ctx, &u, "unitId").await?;
    let hash = accounts::optional_hash("password", input.password.as_deref()).await?;
    let now = ctx.clock.now();
    let txn = begin_write(&ctx.db).await?;
    let model = spokesperson::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(input.unit_id),
        full_name: Set(full_name),
        position: Set(position),
        phone: Set(phone),
        email: Set(email.clone()),
        appointment_ref: Set(appointment_ref),
        is_primary: Set(input.is_primary),
        active_from: Set(now),
        active_until: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let link = AccountLink {
        spokesperson_id: Some(model.id),
        journalist_id: None,
    };
    accounts::create_linked(ctx, &txn, &email, Role::Spokesperson, link, hash).await?;
    let change = Change::new(viewer.actor(), "spokesperson.register", "spokesperson", Some(model.id))
        .details(json!({"unitId": model.unit_id, "fullName": model.full_name, "email": model.email, "isPrimary": model.is_primary}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(model)
}

#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn end_spokesperson_term(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<spokesperson::Model> {
    viewer.require_admin()?;
    let s = spokesperson::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("spokesperson"))?;
    let now = ctx.clock.now();
    if s.active_until.is_some_and(|u| u <= now) {
        return Err(AppError::Conflict(
            "this spokesperson's term has already ended".into(),
        ));
    }
    let txn = begin_write(&ctx.db).await?;
    let mut am: spokesperson::ActiveModel = s.into();
    am.active_until = Set(Some(now));
    let model = am.update(&txn).await?;
    audit::append(
        &txn,
        now,
        Change::new(
            viewer.actor(),
            "spokesperson.end_term",
            "spokesperson",
            Some(id),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn register_outlet(
    ctx: &AppContext,
    viewer: &Viewer,
    input: NewOutlet,
) -> AppResult<outlet::Model> {
    viewer.require_admin()?;
    let txn = begin_write(&ctx.db).await?;
    let model = insert_outlet(ctx, &txn, input, AccreditationStatus::Pending, None).await?;
    let change = Change::new(viewer.actor(), "outlet.register", "outlet", Some(model.id))
        .details(json!({"name": model.name, "licenceNumber": model.licence_number}));
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(model)
}

/// Checks and writes a new outlet (its licence is unique) in `txn`.
pub(crate) async fn insert_outlet(
    ctx: &AppContext,
    txn: &sea_orm::DatabaseTransaction,
    input: NewOutlet,
    accreditation: AccreditationStatus,
    accredited_until: Option<DateTime<Utc>>,
) -> AppResult<outlet::Model> {
    let name = validate::text("name", &input.name, 300)?;
    let licence = validate::text("licenceNumber", &input.licence_number, 100)?;
    let email = validate::email("email", &input.email)?;
    let dup = outlet::Entity::find()
        .filter(outlet::Column::LicenceNumber.eq(licence.as_str()))
        .one(txn)
        .await?;
    if dup.is_some() {
        return Err(AppError::Conflict(format!(
            "an outlet with licence {licence} already exists"
        )));
    }
    let mut media: Vec<OutletKind> = Vec::new();
    for k in input.media_types {
        if k != input.kind && !media.contains(&k) {
            media.push(k);
        }
    }
    let media_types = if media.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&media).map_err(|e| AppError::caused("media types", e))?)
    };
    Ok(outlet::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        kind: Set(input.kind),
        scope: Set(input.scope),
        licence_number: Set(licence),
        email: Set(email),
        accreditation: Set(accreditation),
        accredited_until: Set(accredited_until),
        created_at: Set(ctx.clock.now()),
        media_types: Set(media_types),
        ended_at: Set(None),
        successor_id: Set(None),
    }
    .insert(txn)
    .await?)
}

#[tracing::instrument(skip_all, fields(outlet_id = %outlet_id), err(Debug, level = "debug"))]
pub async fn set_accreditation(
    ctx: &AppContext,
    viewer: &Viewer,
    outlet_id: Uuid,
    status: AccreditationStatus,
    until: Option<DateTime<Utc>>,
) -> AppResult<outlet::Model> {
    viewer.require_admin()?;
    let o = outlet::Entity::find_by_id(outlet_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("outlet"))?;
    if status == AccreditationStatus::Accredited && until.is_some_and(|u| u <= ctx.clock.now()) {
        return Err(AppError::bad_input("until", "must be in the future"));
    }
    let txn = begin_write(&ctx.db).await?;
    let mut am: outlet::ActiveModel = o.into();
    am.accreditation = Set(status);
    am.accredited_until = Set(until);
    let model = am.update(&txn).await?;
    let change = Change::new(
        viewer.actor(),
        "outlet.set_accreditation",
        "outlet",
        Some(outlet_id),
    )
    .details(json!({"status": status.as_str(), "until": until}));
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(model)
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn register_journalist(
    ctx: &AppContext,
    viewer: &Viewer,
    input: NewJournalist,
) -> AppResult<journalist::Model> {
    viewer.require_admin()?;
    let full_name = validate::text("fullName", &input.full_name, 200)?;
    let email = validate::email("email", &input.email)?;
    let card = validate::opt_text("pressCardNumber", input.press_card_number.as_deref(), 64)?;
    if outlet::Entity::find_by_id(input.outlet_id)
        .one(&ctx.db)
        .await?
        .is_none()
    {
        return Err(AppError::bad_input("outletId", "no outlet has this id"));
    }
    if let Some(c) = &card {
        let dup = journalist::Entity::find()
            .filter(journalist::Column::PressCardNumber.eq(c.as_str()))
            .one(&ctx.db)
            .await?;
        if dup.is_some() {
            return Err(AppError::Conflict(format!(
                "press card {c} is already registered"
            )));
        }
    }
    let hash = accounts::optional_hash("password", input.password.as_deref()).await?;
    let txn = begin_write(&ctx.db).await?;
    let model = journalist::ActiveModel {
        id: Set(Uuid::now_v7()),
        outlet_id: Set(input.outlet_id),
        full_name: Set(full_name),
        email: Set(email.clone()),
        press_card_number: Set(card),
        created_at: Set(ctx.clock.now()),
        press_card_expires_at: Set(input.press_card_expires_at),
        press_card_reminded_days: Set(None),
    }
    .insert(&txn)
    .await?;
    let link = AccountLink {
        spokesperson_id: None,
        journalist_id: Some(model.id),
    };
    accounts::create_linked(ctx, &txn, &email, Role::Journalist, link, hash).await?;
    let change = Change::new(
        viewer.actor(),
        "journalist.register",
        "journalist",
        Some(model.id),
    )
    .details(
        json!({"outletId": model.outlet_id, "fullName": model.full_name, "email": model.email}),
    );
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(model)
}
