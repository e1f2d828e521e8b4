//! The articles found in outlets' feeds: stored once per outlet and key, and searched through
//! each database's own text index (SQLite FTS5 over the folded text; PostgreSQL's GIN
//! `tsvector` index), never a `LIKE` scan.
use super::parse::Draft;
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{article, pickup, release, unit};
use crate::enums::Role;
use crate::error::{AppError, AppResult};
use crate::services::text_index::{self, Indexed};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};
use std::collections::HashSet;
use uuid::Uuid;

/// Stores the drafts of one poll that are new for the outlet (by key) and returns them with
/// the raw text each carried (for finding links to releases).
#[tracing::instrument(skip_all, fields(outlet = %outlet_id, drafts = drafts.len()), err(Debug, level = "debug"))]
pub async fn store<C: ConnectionTrait>(
    conn: &C,
    outlet_id: Uuid,
    feed_id: Option<Uuid>,
    drafts: Vec<Draft>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(article::Model, String)>> {
    let mut seen = HashSet::new();
    let drafts: Vec<Draft> = drafts
        .into_iter()
        .filter(|d| seen.insert(d.key.clone()))
        .collect();
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = drafts.iter().map(|d| d.key.clone()).collect();
    let mut known = HashSet::new();
    for part in any_of(conn.get_database_backend(), article::Column::Key, &keys) {
        let rows: Vec<String> = article::Entity::find()
            .select_only()
            .column(article::Column::Key)
            .filter(article::Column::OutletId.eq(outlet_id))
            .filter(part)
            .into_tuple()
            .all(conn)
            .await?;
        known.extend(rows);
    }
    let fresh: Vec<(article::Model, String)> = drafts
        .into_iter()
        .filter(|d| !known.contains(&d.key))
        .map(|d| {
            let search_text = d.search_text();
            (
                article::Model {
                    id: Uuid::now_v7(),
                    outlet_id,
                    feed_id,
                    key: d.key,
                    url: d.url,
                    title: d.title,
                    summary: d.summary,
                    published_at: d.published_at,
                    fetched_at: now,
                    search_text,
                },
                d.raw,
            )
        })
        .collect();
    let rows: Vec<article::ActiveModel> = fresh.iter().map(|(a, _)| active(a)).collect();
    crate::bulk::insert(conn, rows, 300).await?;
    Ok(fresh)
}

fn active(a: &article::Model) -> article::ActiveModel {
    article::ActiveModel {
        id: Set(a.id),
        outlet_id: Set(a.outlet_id),
        feed_id: Set(a.feed_id),
        key: Set(a.key.clone()),
        url: Set(a.url.clone()),
        title: Set(a.title.clone()),
        summary: Set(a.summary.clone()),
        published_at: Set(a.published_at),
        fetched_at: Set(a.fetched_at),
        search_text: Set(a.search_text.clone()),
    }
}

/// Articles, newest fetched first (ADMIN, AUDITOR, SPOKESPERSON): matching `search`
/// (accent-insensitive, every word, the last as a prefix), of one outlet, or about one unit
/// (mentioning its name, or carrying one of its releases).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn list(
    ctx: &AppContext,
    viewer: &Viewer,
    search: Option<&str>,
    outlet_id: Option<Uuid>,
    unit_id: Option<Uuid>,
    first: i32,
) -> AppResult<Vec<article::Model>> {
    let a = viewer.signed_in()?;
    if !matches!(a.role, Role::Admin | Role::Auditor) {
        // A spokesperson reads articles while in office, and about their own unit only:
        // which articles carried another unit's releases is that unit's to know.
        let own = viewer.voice(ctx.clock.now()).ok_or_else(|| {
            AppError::forbidden("articles are read by the authority and active spokespersons")
        })?;
        if unit_id.is_some_and(|u| u != own) {
            return Err(AppError::forbidden(
                "a spokesperson reads the articles about their own unit",
            ));
        }
    }
    let limit = crate::services::page::page_size(first)?;
    let backend = ctx.db.get_database_backend();
    let mut cond = Condition::all();
    let words = match search {
        Some(s) => text_index::search_words(s)?,
        None => Vec::new(),
    };
    if let Some(o) = outlet_id {
        cond = cond.add(article::Column::OutletId.eq(o));
    }
    if let Some(u) = unit_id {
        let unit = unit::Entity::find_by_id(u)
            .one(&ctx.db)
            .await?
            .ok_or_else(|| AppError::not_found("unit"))?;
        let carried = article::Column::Id.in_subquery(
            Query::select()
                .column(pickup::Column::ArticleId)
                .from(pickup::Entity)
                .inner_join(
                    release::Entity,
                    Expr::col((release::Entity, release::Column::Id))
                        .equals((pickup::Entity, pickup::Column::ReleaseId)),
                )
                .and_where(Expr::col((release::Entity, release::Column::UnitId)).eq(u))
                .to_owned(),
        );
        let name = text_index::words(&unit.name);
        let mut about = Condition::any().add(carried);
        if !name.is_empty() {
            about = about.add(text_index::text_match(
                backend,
                Indexed::Articles,
                &name,
                true,
                false,
            ));
        }
        cond = cond.add(about);
    }
    let mut q = article::Entity::find();
    if words.is_empty() {
        q = q
            .filter(cond)
            .order_by_desc(article::Column::FetchedAt)
            .order_by_desc(article::Column::Id);
    } else if backend == DatabaseBackend::Sqlite {
        // Walk the text index's matches newest first and stop at the page: FTS5 hands out
        // its rows in rowid order (the order articles were stored, which is the order they
        // were fetched) and reads a DESC order straight off its doclists, where `id IN
        // (matches)` would collect every match of a common word and sort them all.
        let (fts_table, key) = Indexed::Articles.fts();
        let fts = text_index::fts_query(&words, false, true);
        // CROSS JOIN keeps the FTS table the outer loop (SQLite never reorders it); sea-query
        // writes no ON for it, so the join's condition is in the WHERE.
        let on = Expr::col((article::Entity, article::Column::Id))
            .equals((Alias::new("hits"), Alias::new(key)));
        QueryTrait::query(&mut q)
            .from_clear()
            .from_as(Alias::new(fts_table), Alias::new("hits"))
            .join(JoinType::CrossJoin, article::Entity, Condition::all())
            .cond_where(cond.add(on).add(Expr::cust_with_values(
                format!("\"hits\".\"{fts_table}\" MATCH ?"),
                [fts],
            )))
            .order_by_expr(Expr::cust("\"hits\".\"rowid\""), Order::Desc);
    } else {
        // PostgreSQL walks the newest articles and tests each one's stored tsvector when the
        // words are common, or reads the GIN index when they are rare: its planner chooses.
        q = q
            .filter(cond.add(text_index::text_match(
                backend,
                Indexed::Articles,
                &words,
                false,
                true,
            )))
            .order_by_desc(article::Column::FetchedAt)
            .order_by_desc(article::Column::Id);
    }
    Ok(q.limit(limit).all(&ctx.db).await?)
}
