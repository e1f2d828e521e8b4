//! Releases: drafting, who may see what, and listing.
//!
//! Who may see what is decided in `services::visibility`, which every read here goes through.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{outlet, press_conference, release, unit};
use crate::enums::{OutletKind, OutletScope, ReleaseKind, ReleaseStatus, Visibility};
use crate::error::{AppError, AppResult, ResultExt};
use crate::services::audit::{self, Change};
use crate::services::page::{page_size, Page};
use crate::services::text::fold;
use crate::services::text_index::{self, Indexed};
use crate::services::visibility;
use crate::validate;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who a release is addressed to; resolved against the outlets accredited at publication.
/// `allAccredited` means every one; otherwise the union of the listed outlets and of the
/// outlets matching the kind and scope filters (both must match when both are given).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Audience {
    #[serde(default)]
    pub all_accredited: bool,
    #[serde(default)]
    pub outlet_ids: Vec<Uuid>,
    #[serde(default)]
    pub kinds: Vec<OutletKind>,
    #[serde(default)]
    pub scopes: Vec<OutletScope>,
}

impl Audience {
    pub fn is_empty(&self) -> bool {
        !self.all_accredited
            && self.outlet_ids.is_empty()
            && self.kinds.is_empty()
            && self.scopes.is_empty()
    }

    /// The outlet condition (to be combined with "accredited now").
    pub fn condition(&self) -> Condition {
        if self.all_accredited {
            return Condition::all();
        }
        let mut any = Condition::any();
        if !self.outlet_ids.is_empty() {
            any = any.add(outlet::Column::Id.is_in(self.outlet_ids.iter().copied()));
        }
        if !self.kinds.is_empty() || !self.scopes.is_empty() {
            let mut filter = Condition::all();
            if !self.kinds.is_empty() {
                filter = filter.add(outlet::Column::Kind.is_in(self.kinds.iter().copied()));
            }
            if !self.scopes.is_empty() {
                filter = filter.add(outlet::Column::Scope.is_in(self.scopes.iter().copied()));
            }
            any = any.add(filter);
        }
        any
    }
}

pub struct NewPressConference {
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub location: String,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub capacity: Option<i32>,
}

pub struct NewRelease {
    pub unit_id: Uuid,
    pub kind: ReleaseKind,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub topics: Vec<String>,
    pub audience: Audience,
    pub press_conference: Option<NewPressConference>,
    pub supersedes_id: Option<Uuid>,
    /// `None`: PUBLIC when addressed to every accredited outlet, else PRESS_ONLY.
    pub visibility: Option<Visibility>,
    /// The item of the unit's annual plan it carries out.
    pub plan_item_id: Option<Uuid>,
}

pub(crate) const MAX_BODY_CHARS: usize = 200_000;

pub fn topics_of(r: &release::Model) -> Vec<String> {
    serde_json::from_str(&r.topics).unwrap_or_default()
}

pub fn audience_of(r: &release::Model) -> Audience {
    serde_json::from_str(&r.audience).unwrap_or_default()
}

pub(crate) fn search_text(title: &str, summary: &str, body: &str, topics: &[String]) -> String {
    fold(&format!("{title}\n{summary}\n{body}\n{}", topics.join(" ")))
}

/// At most 20 topics of at most 100 characters each, trimmed.
pub(crate) fn check_topics(topics: &[String]) -> AppResult<Vec<String>> {
    if topics.len() > 20 {
        return Err(AppError::bad_input("topics", "at most 20 topics"));
    }
    topics
        .iter()
        .map(|t| validate::text("topics", t, 100))
        .collect()
}

/// An audience names someone, and only outlets that exist.
pub(crate) async fn check_audience(ctx: &AppContext, audience: &Audience) -> AppResult<()> {
    if audience.is_empty() {
        return Err(AppError::bad_input(
            "audience",
            "name allAccredited, outletIds, kinds or scopes",
        ));
    }
    if audience.outlet_ids.len() > 10_000 {
        return Err(AppError::bad_input(
            "audience.outletIds",
            "at most 10,000 outlets",
        ));
    }
    if !audience.outlet_ids.is_empty() {
        let mut ids = audience.outlet_ids.clone();
        ids.sort();
        ids.dedup();
        let known = outlet::Entity::find()
            .filter(outlet::Column::Id.is_in(ids.iter().copied()))
            .count(&ctx.db)
            .await?;
        if known as usize != ids.len() {
            return Err(AppError::bad_input(
                "audience.outletIds",
                "names an outlet that does not exist",
            ));
        }
    }
    Ok(())
}

/// A release's conference details, first written (sequence 0: no invitation sent yet).
pub(crate) async fn insert_conference<C: sea_orm::ConnectionTrait>(
    conn: &C,
    release_id: Uuid,
    pc: &NewPressConference,
    location: String,
) -> AppResult<()> {
    press_conference::ActiveModel {
        release_id: Set(release_id),
        starts_at: Set(pc.starts_at),
        ends_at: Set(pc.ends_at),
        location: Set(location),
        rsvp_deadline: Set(pc.rsvp_deadline),
        capacity: Set(pc.capacity),
        sequence: Set(0),
        reminder_sent_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub(crate) fn validate_conference(pc: &NewPressConference) -> AppResult<String> {
    let location = validate::text("pressConference.location", &pc.location, 500)?;
    if pc.ends_at.is_some_and(|e| e <= pc.starts_at) {
        return Err(AppError::bad_input(
            "pressConference.endsAt",
            "must be after startsAt",
        ));
    }
    if pc.rsvp_deadline.is_some_and(|d| d > pc.starts_at) {
        return Err(AppError::bad_input(
            "pressConference.rsvpDeadline",
            "must not be after startsAt",
        ));
    }
    if pc.capacity.is_some_and(|c| c < 1) {
        return Err(AppError::bad_input(
            "pressConference.capacity",
            "must be at least 1",
        ));
    }
    Ok(location)
}

#[tracing::instrument(skip_all, fields(unit = %input.unit_id))]
pub async fn create(
    ctx: &AppContext,
    viewer: &Viewer,
    input: NewRelease,
) -> AppResult<release::Model> {
    let now = ctx.clock.now();
    let Some(u) = unit::Entity::find_by_id(input.unit_id).one(&ctx.db).await? else {
        return Err(AppError::bad_input("unitId", "no unit has this id"));
    };
    let author = viewer.require_unit_voice(input.unit_id, now)?;
    crate::services::reorganizations::refuse_if_ended(ctx, &u, "unitId").await?;
    let title = validate::text("title", &input.title, 500)?;
    let summary = validate::text("summary", &input.summary, 5_000)?;
    let body = validate::text("body", &input.body, MAX_BODY_CHARS)?;
    let topics = check_topics(&input.topics)?;
    check_audience(ctx, &input.audience).await?;
    let conference = match (input.kind, &input.press_conference) {
        (ReleaseKind::PressConference, Some(pc)) => Some((pc, validate_conference(pc)?)),
        (ReleaseKind::PressConference, None) => {
            return Err(AppError::bad_input(
                "pressConference",
                "a PRESS_CONFERENCE needs its details",
            ))
        }
        (_, Some(_)) => {
            return Err(AppError::bad_input(
                "pressConference",
                "only a PRESS_CONFERENCE has conference details",
            ))
        }
        (_, None) => None,
    };
    let mut version = 1;
    match (input.kind, input.supersedes_id) {
        (ReleaseKind::Correction, None) => {
            return Err(AppError::bad_input(
                "supersedesId",
                "a CORRECTION names the release it corrects",
            ))
        }
        (_, Some(sid)) => {
            let prev = release::Entity::find_by_id(sid)
                .one(&ctx.db)
                .await?
                .ok_or_else(|| AppError::bad_input("supersedesId", "no release has this id"))?;
            if prev.unit_id != input.unit_id {
                return Err(AppError::bad_input(
                    "supersedesId",
                    "must be a release of the same unit",
                ));
            }
            if !matches!(
                prev.status,
                ReleaseStatus::Published | ReleaseStatus::Retracted
            ) {
                return Err(AppError::bad_input(
                    "supersedesId",
                    "only a published release can be corrected",
                ));
            }
            version = prev.version + 1;
        }
        _ => {}
    }
    if let Some(item) = input.plan_item_id {
        crate::services::plans::check_item_of(ctx, item, input.unit_id).await?;
    }
    let audience_json = serde_json::to_string(&input.audience).internal("audience json")?;
    let topics_json = serde_json::to_string(&topics).internal("topics json")?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    let model = release::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(input.unit_id),
        kind: Set(input.kind),
        status: Set(ReleaseStatus::Draft),
        search_text: Set(search_text(&title, &summary, &body, &topics)),
        title: Set(title),
        summary: Set(summary),
        body: Set(body),
        topics: Set(topics_json),
        audience: Set(audience_json),
        is_public: Set(match input.visibility {
            Some(v) => v == Visibility::Public,
            None => input.audience.all_accredited,
        }),
        listed_at: Set(now),
        publish_at: Set(None),
        published_at: Set(None),
        version: Set(version),
        supersedes_id: Set(input.supersedes_id),
        retracted_at: Set(None),
        retract_reason: Set(None),
        created_by: Set(Some(author.id)),
        created_at: Set(now),
        updated_at: Set(now),
        plan_item_id: Set(input.plan_item_id),
    }
    .insert(&txn)
    .await?;
    if let Some((pc, location)) = conference {
        insert_conference(&txn, model.id, pc, location).await?;
    }
    if let Some(sid) = input.supersedes_id {
        // A correction starts with the original's files; the spokesperson removes or adds.
        crate::entities::attachment::copy_rows(&txn, sid, model.id, author.id, now).await?;
    }
    let change = Change::new(Some(author.id), "release.create", "release", Some(model.id))
        .details(serde_json::json!({"unitId": model.unit_id, "kind": model.kind.as_str(), "title": model.title, "version": model.version}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(model)
}

/// One release if the viewer may see it (`None` otherwise: its existence is not revealed).
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn get(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<Option<release::Model>> {
    Ok(release::Entity::find_by_id(id)
        .filter(visibility::releases(viewer, ctx.clock.now()))
        .one(&ctx.db)
        .await?)
}

/// A release the viewer may act on for its unit (an active spokesperson of the unit, or
/// ADMIN). Someone outside the unit is told it does not exist, as for any invisible release.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub(crate) async fn for_unit_voice(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<release::Model> {
    viewer.signed_in()?;
    let now = ctx.clock.now();
    let r = release::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|r| viewer.sees_unit(r.unit_id, now))
        .ok_or_else(|| AppError::not_found("release"))?;
    viewer.require_unit_voice(r.unit_id, now)?;
    Ok(r)
}

/// Like `get`, but NOT_FOUND when invisible.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn get_visible(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<release::Model> {
    get(ctx, viewer, id)
        .await?
        .ok_or_else(|| AppError::not_found("release"))
}

#[derive(Default)]
pub struct ReleaseFilter {
    pub unit_id: Option<Uuid>,
    pub kind: Option<ReleaseKind>,
    pub status: Option<ReleaseStatus>,
    pub search: Option<String>,
}

fn encode_cursor(r: &release::Model) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{}", r.listed_at.timestamp_micros(), r.id))
}

fn decode_cursor(c: &str) -> AppResult<(DateTime<Utc>, Uuid)> {
    let bad = || AppError::bad_input("after", "not a cursor from this list");
    let raw = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (micros, id) = text.split_once('|').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let at = DateTime::<Utc>::from_timestamp_micros(micros).ok_or_else(bad)?;
    Ok((at, Uuid::parse_str(id).map_err(|_| bad())?))
}

/// Newest first (by publication time, else creation), keyset-paged.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    filter: ReleaseFilter,
    first: i32,
    after: Option<&str>,
) -> AppResult<Page<release::Model>> {
    let limit = page_size(first)?;
    let mut cond = Condition::all().add(visibility::releases(viewer, ctx.clock.now()));
    if let Some(u) = filter.unit_id {
        cond = cond.add(release::Column::UnitId.eq(u));
    }
    if let Some(k) = filter.kind {
        cond = cond.add(release::Column::Kind.eq(k));
    }
    if let Some(s) = filter.status {
        cond = cond.add(release::Column::Status.eq(s));
    }
    if let Some(search) = filter.search.as_deref() {
        let words = text_index::search_words(search)?;
        if !words.is_empty() {
            cond = cond.add(text_index::text_match(
                ctx.db.get_database_backend(),
                Indexed::Releases,
                &words,
                false,
                true,
            ));
        }
    }
    let total = release::Entity::find()
        .filter(cond.clone())
        .count(&ctx.db)
        .await?;
    let mut q = release::Entity::find().filter(cond);
    if let Some(c) = after {
        let (at, id) = decode_cursor(c)?;
        q = q.filter(
            Condition::any().add(release::Column::ListedAt.lt(at)).add(
                Condition::all()
                    .add(release::Column::ListedAt.eq(at))
                    .add(release::Column::Id.lt(id)),
            ),
        );
    }
    let mut rows = q
        .order_by_desc(release::Column::ListedAt)
        .order_by_desc(release::Column::Id)
        .limit(limit + 1)
        .all(&ctx.db)
        .await?;
    let has_next = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok(Page {
        items: rows.into_iter().map(|r| (encode_cursor(&r), r)).collect(),
        has_next,
        total,
    })
}

#[cfg(test)]
mod audience_tests {
    use super::*;
    use sea_orm::{DbBackend, QueryTrait};

    fn sql(a: &Audience) -> String {
        outlet::Entity::find()
            .filter(a.condition())
            .build(DbBackend::Sqlite)
            .to_string()
    }

    #[test]
    fn every_accredited_outlet_is_no_filter_at_all() {
        let a = Audience {
            all_accredited: true,
            outlet_ids: vec![Uuid::nil()],
            ..Default::default()
        };
        assert!(sql(&a).ends_with("WHERE TRUE"), "{}", sql(&a));
    }

    #[test]
    fn listed_outlets_or_those_matching_kind_and_scope() {
        let a = Audience {
            outlet_ids: vec![Uuid::nil()],
            kinds: vec![OutletKind::Print, OutletKind::Online],
            scopes: vec![OutletScope::Local],
            ..Default::default()
        };
        let q = sql(&a);
        // (listed) OR (kind AND scope): a listed outlet is addressed whatever its kind.
        assert!(q.contains(r#""outlets"."id" IN ("#), "{q}");
        assert!(q.contains(" OR "), "{q}");
        assert!(
            q.contains(
                r#""outlets"."kind" IN ('PRINT', 'ONLINE') AND "outlets"."scope" IN ('LOCAL')"#
            ),
            "{q}"
        );
    }

    #[test]
    fn an_empty_audience_addresses_nobody() {
        let a = Audience::default();
        assert!(a.is_empty());
        let q = sql(&a);
        assert!(
            q.contains("WHERE"),
            "an empty audience must not match every outlet: {q}"
        );
    }
}
