//! Journalists' e-mail preferences: each release, a daily digest, or none; the units and
//! topics they follow beyond what is addressed to their outlet; one-click unsubscribe.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{follow, journalist, journalist_prefs, outlet, unit};
use crate::enums::{EmailMode, Role};
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use crate::services::conditions::accredited_condition;
use crate::services::releases::topics_of;
use crate::validate;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Journalists receive no e-mail of their own until they choose a mode (the newsroom
/// address always does).
pub(crate) const DEFAULT_MODE: EmailMode = EmailMode::None;

pub struct Subscription {
    pub prefs: journalist_prefs::Model,
    pub follows: Vec<follow::Model>,
}

fn journalist_of(viewer: &Viewer) -> AppResult<Uuid> {
    let a = viewer.require_role(Role::Journalist)?;
    a.journalist_id
        .ok_or_else(|| AppError::forbidden("this account is not a journalist"))
}

#[tracing::instrument(skip_all, fields(journalist_id = %journalist_id), err(Debug, level = "debug"))]
pub(crate) async fn prefs_of<C: ConnectionTrait>(
    conn: &C,
    journalist_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<journalist_prefs::Model> {
    if let Some(p) = journalist_prefs::Entity::find_by_id(journalist_id)
        .one(conn)
        .await?
    {
        return Ok(p);
    }
    Ok(journalist_prefs::ActiveModel {
        journalist_id: Set(journalist_id),
        email_mode: Set(DEFAULT_MODE),
        unsubscribe_token: Set(crate::auth::token::generate()),
        last_digest_at: Set(None),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?)
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn mine(ctx: &AppContext, viewer: &Viewer) -> AppResult<Subscription> {
    let jid = journalist_of(viewer)?;
    let prefs = prefs_of(&ctx.db, jid, ctx.clock.now()).await?;
    let follows = follow::Entity::find()
        .filter(follow::Column::JournalistId.eq(jid))
        .all(&ctx.db)
        .await?;
    Ok(Subscription { prefs, follows })
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn set_mode(
    ctx: &AppContext,
    viewer: &Viewer,
    mode: EmailMode,
) -> AppResult<Subscription> {
    let jid = journalist_of(viewer)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let p = prefs_of(&txn, jid, now).await?;
    let mut am: journalist_prefs::ActiveModel = p.into();
    am.email_mode = Set(mode);
    am.updated_at = Set(now);
    am.update(&txn).await?;
    let change = Change::new(
        viewer.actor(),
        "journalist.email_mode",
        "journalist",
        Some(jid),
    )
    .details(serde_json::json!({"mode": mode.as_str()}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    mine(ctx, viewer).await
}

/// Follows (or, with `follow = false`, stops following) a unit and/or a topic.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn set_follow(
    ctx: &AppContext,
    viewer: &Viewer,
    unit_id: Option<Uuid>,
    topic: Option<String>,
    on: bool,
) -> AppResult<Subscription> {
    let jid = journalist_of(viewer)?;
    let topic = validate::opt_text("topic", topic.as_deref(), 100)?.map(|t| t.to_lowercase());
    if unit_id.is_none() && topic.is_none() {
        return Err(AppError::bad_input("unitId", "name a unit or a topic"));
    }
    if let Some(u) = unit_id {
        if unit::Entity::find_by_id(u).one(&ctx.db).await?.is_none() {
            return Err(AppError::bad_input("unitId", "no unit has this id"));
        }
    }
    let mut q = follow::Entity::find().filter(follow::Column::JournalistId.eq(jid));
    q = match unit_id {
        Some(u) => q.filter(follow::Column::UnitId.eq(u)),
        None => q.filter(follow::Column::UnitId.is_null()),
    };
    q = match &topic {
        Some(t) => q.filter(follow::Column::Topic.eq(t.as_str())),
        None => q.filter(follow::Column::Topic.is_null()),
    };
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let existing = q.one(&txn).await?;
    let details = serde_json::json!({"unitId": unit_id, "topic": topic});
    let action = match (on, existing) {
        (true, None) => {
            follow::ActiveModel {
                id: Set(Uuid::now_v7()),
                journalist_id: Set(jid),
                unit_id: Set(unit_id),
                topic: Set(topic),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
            Some("journalist.follow")
        }
        (false, Some(f)) => {
            follow::Entity::delete_by_id(f.id).exec(&txn).await?;
            Some("journalist.unfollow")
        }
        _ => None,
    };
    if let Some(action) = action {
        let change = Change::new(viewer.actor(), action, "journalist", Some(jid)).details(details);
        audit::append(&txn, now, change).await?;
    }
    txn.commit().await?;
    mine(ctx, viewer).await
}

/// One-click unsubscribe (RFC 8058): sets the journalist's mode to NONE.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn unsubscribe(ctx: &AppContext, token: &str) -> AppResult<bool> {
    let Some(p) = journalist_prefs::Entity::find()
        .filter(journalist_prefs::Column::UnsubscribeToken.eq(token))
        .one(&ctx.db)
        .await?
    else {
        return Ok(false);
    };
    let now = ctx.clock.now();
    let jid = p.journalist_id;
    let txn = crate::db::begin_write(&ctx.db).await?;
    let mut am: journalist_prefs::ActiveModel = p.into();
    am.email_mode = Set(EmailMode::None);
    am.updated_at = Set(now);
    am.update(&txn).await?;
    let change = Change::new(None, "journalist.unsubscribe", "journalist", Some(jid))
        .details(serde_json::json!({"by": "one-click link"}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(true)
}

/// A journalist who gets a release by e-mail: (journalist id, outlet id, address, unsubscribe token).
pub type Recipient = (Uuid, Uuid, String, String);

/// Journalists in `mode` who should get `release`: those of the addressed outlets, and —
/// for a public release — those following its unit or one of its topics; always only
/// journalists of outlets accredited at `now` (the one visibility rule: a suspended outlet's
/// journalists get nothing through the press channels, followed units included).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn recipients<C: ConnectionTrait>(
    conn: &C,
    release: &crate::entities::release::Model,
    addressed: &HashSet<Uuid>,
    mode: EmailMode,
    now: DateTime<Utc>,
) -> AppResult<Vec<Recipient>> {
    let prefs = journalist_prefs::Entity::find()
        .filter(journalist_prefs::Column::EmailMode.eq(mode))
        .all(conn)
        .await?;
    if prefs.is_empty() {
        return Ok(Vec::new());
    }
    let tokens: HashMap<Uuid, String> = prefs
        .into_iter()
        .map(|p| (p.journalist_id, p.unsubscribe_token))
        .collect();
    // The journalists in `mode`, as a subquery rather than a list of their ids: a province
    // where thousands choose e-mail binds nothing more (and SQLite's parameter limit is never
    // reached).
    let in_mode = || {
        Query::select()
            .column(journalist_prefs::Column::JournalistId)
            .from(journalist_prefs::Entity)
            .and_where(journalist_prefs::Column::EmailMode.eq(mode))
            .to_owned()
    };
    let mut followers = HashSet::new();
    if release.is_public {
        let topics: Vec<String> = topics_of(release)
            .into_iter()
            .map(|t| t.to_lowercase())
            .collect();
        let follows = follow::Entity::find()
            .filter(follow::Column::JournalistId.in_subquery(in_mode()))
            .filter(
                follow::Column::UnitId
                    .eq(release.unit_id)
                    .or(follow::Column::Topic.is_not_null()),
            )
            .all(conn)
            .await?;
        for f in follows {
            let by_unit = f.unit_id == Some(release.unit_id);
            let by_topic = f.topic.as_ref().is_some_and(|t| topics.contains(t));
            if by_unit || by_topic {
                followers.insert(f.journalist_id);
            }
        }
    }
    let accredited = Query::select()
        .column(outlet::Column::Id)
        .from(outlet::Entity)
        .cond_where(accredited_condition(now))
        .to_owned();
    let js = journalist::Entity::find()
        .filter(journalist::Column::Id.in_subquery(in_mode()))
        .filter(journalist::Column::OutletId.in_subquery(accredited))
        .all(conn)
        .await?;
    Ok(js
        .into_iter()
        .filter(|j| addressed.contains(&j.outlet_id) || followers.contains(&j.id))
        // A PRESS_ONLY release is the press's: a journalist whose card expired reads it no more.
        .filter(|j| crate::services::visibility::card_admits(release, j.press_card_expires_at, now))
        .filter_map(|j| {
            tokens
                .get(&j.id)
                .map(|t| (j.id, j.outlet_id, j.email.to_lowercase(), t.clone()))
        })
        .collect())
}
