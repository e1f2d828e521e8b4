//! Work on a release before it is published: editing a DRAFT or SCHEDULED release, taking a
//! schedule back, discarding a draft, and previewing how far an audience reaches.
//!
//! Each change takes the publication lock (as `publishing::publish_now` and `retract` do) and
//! reads the release again under it: an edit, a cancelled schedule or a discard either happens
//! wholly before a scheduled publication or is refused after it, never half of each.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::{begin_write, lock_publication};
use crate::entities::{journalist, journalist_prefs, outlet, press_conference, release};
use crate::enums::{EmailMode, ReleaseKind, ReleaseStatus, Visibility};
use crate::error::{AppError, AppResult, ResultExt};
use crate::services::audit::{self, Change};
use crate::services::conditions::accredited_condition;
use crate::services::outbox;
use crate::services::release_status;
use crate::services::releases::{
    self, check_audience, check_topics, search_text, topics_of, validate_conference, Audience,
    NewPressConference, MAX_BODY_CHARS,
};
use crate::validate;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ModelTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::HashSet;
use uuid::Uuid;

/// What `updateRelease` changes: each `None` is left as it is.
#[derive(Default)]
pub struct ReleaseChanges {
    pub kind: Option<ReleaseKind>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub topics: Option<Vec<String>>,
    pub audience: Option<Audience>,
    pub visibility: Option<Visibility>,
    pub press_conference: Option<NewPressConference>,
}

/// How far an audience reaches now (`audiencePreview`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preview {
    pub outlets: u64,
    pub journalists: u64,
    pub email_recipients: u64,
}

/// The release, read again under the publication lock, if it is still in one of `states`.
async fn locked(
    txn: &DatabaseTransaction,
    id: Uuid,
    states: &[ReleaseStatus],
    doing: &str,
) -> AppResult<release::Model> {
    lock_publication(txn).await?;
    let r = crate::db::for_update(release::Entity::find_by_id(id), txn.get_database_backend())
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    if !states.contains(&r.status) {
        return Err(AppError::Conflict(format!(
            "a {} release cannot be {doing}",
            r.status.as_str()
        )));
    }
    Ok(r)
}

/// Edits a DRAFT or SCHEDULED release (its unit's active spokespersons): the version goes up,
/// and the audit log names who changed which fields. A SCHEDULED release keeps its time.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn update(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    changes: ReleaseChanges,
) -> AppResult<release::Model> {
    let current = releases::for_unit_voice(ctx, viewer, id).await?;
    // Validated before anything is locked.
    let title = changes
        .title
        .as_deref()
        .map(|t| validate::text("title", t, 500))
        .transpose()?;
    let summary = changes
        .summary
        .as_deref()
        .map(|t| validate::text("summary", t, 5_000))
        .transpose()?;
    let body = changes
        .body
        .as_deref()
        .map(|t| validate::text("body", t, MAX_BODY_CHARS))
        .transpose()?;
    let topics = changes.topics.as_deref().map(check_topics).transpose()?;
    if let Some(a) = &changes.audience {
        check_audience(ctx, a).await?;
    }
    let conference = changes
        .press_conference
        .as_ref()
        .map(|pc| validate_conference(pc).map(|loc| (pc, loc)))
        .transpose()?;
    let kind = changes.kind.unwrap_or(current.kind);
    if kind == ReleaseKind::Correction && current.supersedes_id.is_none() {
        return Err(AppError::bad_input(
            "kind",
            "a CORRECTION is written with createRelease, naming the release it corrects",
        ));
    }
    if kind != ReleaseKind::Correction && current.kind == ReleaseKind::Correction {
        return Err(AppError::bad_input(
            "kind",
            "a CORRECTION stays a CORRECTION",
        ));
    }
    if conference.is_some() && kind != ReleaseKind::PressConference {
        return Err(AppError::bad_input(
            "pressConference",
            "only a PRESS_CONFERENCE has conference details",
        ));
    }

    let now = ctx.clock.now();
    let _order = ctx.publish_lock.lock().await;
    let txn = begin_write(&ctx.db).await?;
    let r = locked(
        &txn,
        id,
        &[ReleaseStatus::Draft, ReleaseStatus::Scheduled],
        "edited",
    )
    .await?;
    let existing_pc = press_conference::Entity::find_by_id(id).one(&txn).await?;
    if kind == ReleaseKind::PressConference && existing_pc.is_none() && conference.is_none() {
        return Err(AppError::bad_input(
            "pressConference",
            "a PRESS_CONFERENCE needs its details",
        ));
    }

    let mut changed: Vec<&str> = Vec::new();
    let mut am: release::ActiveModel = r.clone().into();
    if kind != r.kind {
        am.kind = Set(kind);
        changed.push("kind");
    }
    // The text after the change, for the search index.
    let mut text = (
        r.title.clone(),
        r.summary.clone(),
        r.body.clone(),
        topics_of(&r),
    );
    if let Some(t) = title.filter(|t| *t != r.title) {
        text.0 = t.clone();
        am.title = Set(t);
        changed.push("title");
    }
    if let Some(t) = summary.filter(|t| *t != r.summary) {
        text.1 = t.clone();
        am.summary = Set(t);
        changed.push("summary");
    }
    if let Some(t) = body.filter(|t| *t != r.body) {
        text.2 = t.clone();
        am.body = Set(t);
        changed.push("body");
    }
    if let Some(t) = topics.filter(|t| *t != text.3) {
        am.topics = Set(serde_json::to_string(&t).internal("topics json")?);
        text.3 = t;
        changed.push("topics");
    }
    if let Some(a) = changes.audience.filter(|a| *a != releases::audience_of(&r)) {
        am.audience = Set(serde_json::to_string(&a).internal("audience json")?);
        changed.push("audience");
    }
    if let Some(v) = changes
        .visibility
        .filter(|v| (*v == Visibility::Public) != r.is_public)
    {
        am.is_public = Set(v == Visibility::Public);
        changed.push("visibility");
    }
    match (kind, existing_pc, conference) {
        (ReleaseKind::PressConference, Some(old), Some((pc, location))) => {
            let mut pam: press_conference::ActiveModel = old.into();
            pam.starts_at = Set(pc.starts_at);
            pam.ends_at = Set(pc.ends_at);
            pam.location = Set(location);
            pam.rsvp_deadline = Set(pc.rsvp_deadline);
            pam.capacity = Set(pc.capacity);
            pam.update(&txn).await?;
            changed.push("pressConference");
        }
        (ReleaseKind::PressConference, None, Some((pc, location))) => {
            releases::insert_conference(&txn, id, pc, location).await?;
            changed.push("pressConference");
        }
        // No longer a conference: nobody could have answered it (it was never published).
        (k, Some(old), _) if k != ReleaseKind::PressConference => {
            old.delete(&txn).await?;
            changed.push("pressConference");
        }
        _ => {}
    }
    if changed.is_empty() {
        // Nothing to change: the release as it is, no new version, nothing logged.
        txn.rollback().await?;
        return Ok(r);
    }
    am.search_text = Set(search_text(&text.0, &text.1, &text.2, &text.3));
    am.version = Set(r.version + 1);
    am.updated_at = Set(now);
    let model = am.update(&txn).await?;
    let change = Change::new(viewer.actor(), "release.update", "release", Some(id)).details(
        serde_json::json!({"changed": changed, "version": model.version, "status": model.status.as_str()}),
    );
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(model)
}

/// Takes a SCHEDULED release back to DRAFT. Nothing of it was ever visible outside its unit,
/// so nothing is sent: it simply will not be published at its time.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn cancel_schedule(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<release::Model> {
    releases::for_unit_voice(ctx, viewer, id).await?;
    let now = ctx.clock.now();
    let _order = ctx.publish_lock.lock().await;
    let txn = begin_write(&ctx.db).await?;
    let r = locked(&txn, id, &[ReleaseStatus::Scheduled], "taken back to DRAFT").await?;
    let was = r.publish_at;
    let model = release_status::change(&txn, r, ReleaseStatus::Draft, |am| {
        am.publish_at = Set(None);
        am.updated_at = Set(now);
    })
    .await?;
    let change = Change::new(
        viewer.actor(),
        "release.cancel_schedule",
        "release",
        Some(id),
    )
    .details(serde_json::json!({"publishAt": was}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(model)
}

/// Deletes a DRAFT (never published: a draft has no deliveries, feed items or answers).
/// The audit log keeps what it was.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn discard(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<bool> {
    releases::for_unit_voice(ctx, viewer, id).await?;
    let now = ctx.clock.now();
    let _order = ctx.publish_lock.lock().await;
    let txn = begin_write(&ctx.db).await?;
    let r = locked(&txn, id, &[ReleaseStatus::Draft], "discarded").await?;
    if r.published_at.is_some() {
        return Err(AppError::Conflict(
            "a release that was published cannot be discarded".into(),
        ));
    }
    press_conference::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    let details = serde_json::json!({"unitId": r.unit_id, "kind": r.kind.as_str(), "title": r.title, "version": r.version});
    r.delete(&txn).await?;
    let change =
        Change::new(viewer.actor(), "release.discard", "release", Some(id)).details(details);
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(true)
}

/// How many outlets, journalists and e-mail recipients `audience` reaches if published now:
/// the accredited outlets it names, their journalists, and the addresses publication would
/// e-mail (the newsrooms and the journalists who chose e-mail for each release, suppressed
/// addresses left out). Followers of the unit are not counted: they depend on the release.
#[tracing::instrument(skip_all, fields(unit_id = %unit_id), err(Debug, level = "debug"))]
pub async fn preview(
    ctx: &AppContext,
    viewer: &Viewer,
    unit_id: Uuid,
    audience: &Audience,
) -> AppResult<Preview> {
    let now = ctx.clock.now();
    viewer.require_unit_voice(unit_id, now)?;
    check_audience(ctx, audience).await?;
    let addressed = || {
        Query::select()
            .column(outlet::Column::Id)
            .from(outlet::Entity)
            .cond_where(accredited_condition(now))
            .cond_where(audience.condition())
            .to_owned()
    };
    let newsrooms: Vec<(Uuid, String)> = outlet::Entity::find()
        .select_only()
        .column(outlet::Column::Id)
        .column(outlet::Column::Email)
        .filter(accredited_condition(now))
        .filter(audience.condition())
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let journalists = journalist::Entity::find()
        .filter(journalist::Column::OutletId.in_subquery(addressed()))
        .count(&ctx.db)
        .await?;
    let by_email: Vec<(Uuid, String)> = journalist::Entity::find()
        .select_only()
        .column(journalist::Column::OutletId)
        .column(journalist::Column::Email)
        .filter(journalist::Column::OutletId.in_subquery(addressed()))
        .filter(
            journalist::Column::Id.in_subquery(
                Query::select()
                    .column(journalist_prefs::Column::JournalistId)
                    .from(journalist_prefs::Entity)
                    .and_where(journalist_prefs::Column::EmailMode.eq(EmailMode::EachRelease))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(&ctx.db)
        .await?;
    let outlets = newsrooms.len() as u64;
    // One e-mail per (outlet, address), as publication plans them.
    let targets: HashSet<(Uuid, String)> = newsrooms
        .into_iter()
        .chain(by_email)
        .map(|(o, e)| (o, e.to_lowercase()))
        .collect();
    let list: Vec<String> = targets.iter().map(|(_, e)| e.clone()).collect();
    let suppressed = outbox::suppressed(&ctx.db, &list).await?;
    Ok(Preview {
        outlets,
        journalists,
        email_recipients: targets
            .iter()
            .filter(|(_, e)| !suppressed.contains(e))
            .count() as u64,
    })
}

/// A body's Markdown as the release page will show it, while it is being written: the same
/// renderer and sanitiser as `bodyHtml`, so the preview is what readers get. Any signed-in
/// account; as long as a body may be.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub fn render_preview(viewer: &Viewer, markdown: &str) -> AppResult<String> {
    viewer.signed_in()?;
    if markdown.chars().count() > super::releases::MAX_BODY_CHARS {
        return Err(AppError::bad_input(
            "markdown",
            "is longer than a release body may be",
        ));
    }
    Ok(crate::services::text::markdown_to_safe_html(markdown))
}
