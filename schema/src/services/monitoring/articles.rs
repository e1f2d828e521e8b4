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
use crate::services::text::folded_words;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashSet;
use uuid::Uuid;

/// Words of a search that are used, at most.
const MAX_WORDS: usize = 10;

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

/// The folded words of a search (letters and digits only, so nothing in them is text search
/// syntax), at most `MAX_WORDS`.
fn words(search: &str) -> Vec<String> {
    let mut w = folded_words(search);
    w.truncate(MAX_WORDS);
    w
}

/// The articles whose folded text holds every word (`phrase`: the words in order), through
/// the database's text index; the last word may be a prefix when `prefix`.
pub fn text_match(
    backend: DatabaseBackend,
    words: &[String],
    phrase: bool,
    prefix: bool,
) -> Condition {
    match backend {
        DatabaseBackend::Postgres => {
            let sep = if phrase { " <-> " } else { " & " };
            let mut q = words.join(sep);
            if prefix {
                q.push_str(":*");
            }
            Condition::all().add(Expr::cust_with_values(
                "to_tsvector('simple', \"articles\".\"search_text\") @@ to_tsquery('simple', $1)",
                [q],
            ))
        }
        _ => {
            let mut q = if phrase {
                format!("\"{}\"", words.join(" "))
            } else {
                words
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            if prefix {
                q.push('*');
            }
            Condition::all().add(Expr::cust_with_values(
                "\"articles\".\"id\" IN (SELECT article_id FROM articles_fts WHERE articles_fts MATCH ?)",
                [q],
            ))
        }
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
    if !matches!(a.role, Role::Admin | Role::Auditor | Role::Spokesperson) {
        return Err(AppError::forbidden(
            "articles are read by the authority and spokespersons",
        ));
    }
    let limit = crate::services::releases::page_size(first)?;
    let backend = ctx.db.get_database_backend();
    let mut cond = Condition::all();
    if let Some(s) = search {
        if s.chars().count() > 200 {
            return Err(AppError::bad_input("search", "at most 200 characters"));
        }
        let w = words(s);
        if !w.is_empty() {
            cond = cond.add(text_match(backend, &w, false, true));
        }
    }
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
        let name = words(&unit.name);
        let mut about = Condition::any().add(carried);
        if !name.is_empty() {
            about = about.add(text_match(backend, &name, true, false));
        }
        cond = cond.add(about);
    }
    Ok(article::Entity::find()
        .filter(cond)
        .order_by_desc(article::Column::FetchedAt)
        .order_by_desc(article::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?)
}
