//! The feeds ADMIN sets per outlet (its own public RSS, Atom or JSON Feed).
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{outlet, outlet_feed};
use crate::error::{AppError, AppResult};
use crate::services::audit;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

/// Feeds one outlet may have (a section feed or two beside the front page's).
pub(crate) const MAX_FEEDS: usize = 10;

/// Replaces an outlet's feed URLs (ADMIN). Each is checked like a webhook target (http or
/// https, no credentials, a public address unless private targets are allowed); a feed kept
/// keeps its validators and schedule, a new one is polled at once.
#[tracing::instrument(skip_all, fields(outlet = %outlet_id), err(Debug, level = "debug"))]
pub async fn set(
    ctx: &AppContext,
    viewer: &Viewer,
    outlet_id: Uuid,
    urls: &[String],
) -> AppResult<outlet::Model> {
    let admin = viewer.require_admin()?;
    if urls.len() > MAX_FEEDS {
        return Err(AppError::bad_input(
            "urls",
            format!("at most {MAX_FEEDS} feeds per outlet"),
        ));
    }
    let mut wanted: Vec<String> = Vec::with_capacity(urls.len());
    for raw in urls {
        let url = crate::outbound::check("urls", raw, ctx.settings.allow_private_targets).await?;
        let url = url.to_string();
        if !wanted.contains(&url) {
            wanted.push(url);
        }
    }
    let o = outlet::Entity::find_by_id(outlet_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("outlet"))?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let existing = outlet_feed::Entity::find()
        .filter(outlet_feed::Column::OutletId.eq(outlet_id))
        .all(&txn)
        .await?;
    let gone: Vec<Uuid> = existing
        .iter()
        .filter(|f| !wanted.contains(&f.url))
        .map(|f| f.id)
        .collect();
    if !gone.is_empty() {
        outlet_feed::Entity::delete_many()
            .filter(outlet_feed::Column::Id.is_in(gone))
            .exec(&txn)
            .await?;
    }
    let new: Vec<outlet_feed::ActiveModel> = wanted
        .iter()
        .filter(|u| !existing.iter().any(|f| &f.url == *u))
        .enumerate()
        .map(|(i, u)| outlet_feed::ActiveModel {
            id: Set(Uuid::now_v7()),
            outlet_id: Set(outlet_id),
            url: Set(u.clone()),
            etag: Set(None),
            last_modified: Set(None),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            failures: Set(0),
            last_error: Set(None),
            last_polled_at: Set(None),
            // Distinct times keep the order they were given in.
            created_at: Set(now + chrono::Duration::microseconds(i as i64)),
        })
        .collect();
    crate::bulk::insert(&txn, new, 100).await?;
    audit::append(
        &txn,
        now,
        audit::Change::new(Some(admin.id), "outlet.feeds", "outlet", Some(outlet_id))
            .details(json!({ "urls": wanted })),
    )
    .await?;
    txn.commit().await?;
    ctx.sources_ready.notify_one();
    Ok(o)
}
