//! Which long-lived connections' rights still stand: their session is signed in and unexpired,
//! their spokesperson's term runs, their outlet is accredited, their press card is valid. A
//! websocket outlives the request that opened it, so the server asks this again every second
//! for all of them at once: four queries whatever the number of connections.
use crate::auth::token;
use crate::context::AppContext;
use crate::db::any_of;
use crate::entities::{auth_token, journalist, outlet, spokesperson};
use crate::error::AppResult;
use crate::services::conditions::{accredited_condition, active_spokesperson_condition};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashSet;
use uuid::Uuid;

/// What the open connections stand on (each list deduplicated by the caller or not: sets come
/// back).
pub struct Asked<'a> {
    /// Session token digests (`token::digest`).
    pub digests: &'a [String],
    pub spokespersons: &'a [Uuid],
    pub outlets: &'a [Uuid],
    pub journalists: &'a [Uuid],
}

/// The part of [`Asked`] that still stands now.
pub struct Standing {
    pub digests: HashSet<String>,
    pub spokespersons: HashSet<Uuid>,
    pub outlets: HashSet<Uuid>,
    /// Journalists whose press card is valid.
    pub journalists: HashSet<Uuid>,
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn standing(ctx: &AppContext, asked: &Asked<'_>) -> AppResult<Standing> {
    let now = ctx.clock.now();
    let session = Condition::all()
        .add(auth_token::Column::Purpose.eq(token::PURPOSE_SESSION))
        .add(auth_token::Column::ExpiresAt.gt(now));
    Ok(Standing {
        digests: present::<auth_token::Entity, _, String>(
            ctx,
            auth_token::Column::TokenHash,
            asked.digests,
            session,
        )
        .await?,
        spokespersons: present::<spokesperson::Entity, _, Uuid>(
            ctx,
            spokesperson::Column::Id,
            asked.spokespersons,
            active_spokesperson_condition(now),
        )
        .await?,
        outlets: present::<outlet::Entity, _, Uuid>(
            ctx,
            outlet::Column::Id,
            asked.outlets,
            accredited_condition(now),
        )
        .await?,
        journalists: present::<journalist::Entity, _, Uuid>(
            ctx,
            journalist::Column::Id,
            asked.journalists,
            crate::services::press_cards::valid_condition(now),
        )
        .await?,
    })
}

/// Which of `values` (of `col`) name rows of `E` meeting `condition`.
async fn present<E, C, V>(
    ctx: &AppContext,
    col: C,
    values: &[V],
    condition: Condition,
) -> AppResult<HashSet<V>>
where
    E: EntityTrait,
    C: ColumnTrait,
    V: Into<sea_orm::Value> + Clone + Eq + std::hash::Hash + sea_orm::TryGetable,
    Vec<V>: Into<sea_orm::Value>,
{
    let mut found = HashSet::new();
    if values.is_empty() {
        return Ok(found);
    }
    for part in any_of(ctx.db.get_database_backend(), col, values) {
        let rows: Vec<V> = E::find()
            .select_only()
            .column(col)
            .filter(part)
            .filter(condition.clone())
            .into_tuple()
            .all(&ctx.db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}
