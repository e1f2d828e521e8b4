//! The signed-in person's own sessions: listed (`mySessions`) with when each was last used and
//! from which browser, ended one by one (`revokeSession`), and kept on a device ("keep me
//! signed in"): a remembered session lasts `remembered_session_ttl` from its last use instead
//! of `session_ttl` from sign-in.
use crate::auth::{token, Viewer};
use crate::context::AppContext;
use crate::entities::auth_token;
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// A session is marked used at most this often: resolving a token must not write every time.
const TOUCH_EVERY: Duration = Duration::seconds(60);
/// `User-Agent` kept at most this long (characters).
const MAX_AGENT: usize = 300;

/// One live session of an account.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    /// The session this request was signed with.
    pub current: bool,
}

/// Records the browser a session was opened from.
pub(crate) async fn note_agent<C: ConnectionTrait>(
    conn: &C,
    secret: &str,
    agent: &str,
) -> AppResult<()> {
    let agent: String = agent
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_AGENT)
        .collect();
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::UserAgent, Expr::value(agent))
        .filter(auth_token::Column::TokenHash.eq(token::digest(secret)))
        .exec(conn)
        .await?;
    Ok(())
}

/// Marks a session used now, at most once a minute; a remembered session (one that outlives
/// the ordinary TTL) is extended to `remembered_session_ttl` from now.
pub(crate) async fn touch(ctx: &AppContext, s: &auth_token::Model) -> AppResult<()> {
    let now = ctx.clock.now();
    if s.last_seen_at.is_some_and(|t| now - t < TOUCH_EVERY) {
        return Ok(());
    }
    let mut q = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::LastSeenAt, Expr::value(now))
        .filter(auth_token::Column::Id.eq(s.id));
    if is_remembered(ctx, s) {
        q = q.col_expr(
            auth_token::Column::ExpiresAt,
            Expr::value(now + ctx.settings.remembered_session_ttl),
        );
    }
    q.exec(&ctx.db).await?;
    Ok(())
}

fn is_remembered(ctx: &AppContext, s: &auth_token::Model) -> bool {
    s.expires_at - s.created_at > ctx.settings.session_ttl
}

/// The viewer's live sessions, most recently used first.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn mine(
    ctx: &AppContext,
    viewer: &Viewer,
    current: Option<&str>,
) -> AppResult<Vec<Session>> {
    let a = viewer.signed_in()?;
    let now = ctx.clock.now();
    let current = current.map(token::digest);
    let rows = auth_token::Entity::find()
        .filter(auth_token::Column::AccountId.eq(a.id))
        .filter(auth_token::Column::Purpose.eq(token::PURPOSE_SESSION))
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .order_by_desc(auth_token::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let mut out: Vec<Session> = rows
        .into_iter()
        .map(|t| Session {
            id: t.id,
            created_at: t.created_at,
            last_seen_at: t.last_seen_at.unwrap_or(t.created_at),
            current: current.as_deref() == Some(t.token_hash.as_str()),
            user_agent: t.user_agent,
        })
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.last_seen_at));
    Ok(out)
}

/// Ends one of the viewer's own sessions. Another account's session id is NOT_FOUND, as an
/// unknown one is: nobody learns which ids exist, and nobody ends another's session.
#[tracing::instrument(skip(ctx, viewer), err(Debug, level = "debug"))]
pub async fn revoke(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<()> {
    let a = viewer.signed_in()?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    let gone = auth_token::Entity::delete_many()
        .filter(auth_token::Column::Id.eq(id))
        .filter(auth_token::Column::AccountId.eq(a.id))
        .filter(auth_token::Column::Purpose.eq(token::PURPOSE_SESSION))
        .exec(&txn)
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::not_found("session"));
    }
    let change = Change::new(Some(a.id), "account.revoke_session", "account", Some(a.id))
        .details(serde_json::json!({"session": id}));
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(())
}

/// Keeps the session of `secret` on its device: it now lasts `remembered_session_ttl` from its
/// last use. `None` when the token is not a live session.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn remember(ctx: &AppContext, secret: &str) -> AppResult<Option<DateTime<Utc>>> {
    let now = ctx.clock.now();
    let until = now + ctx.settings.remembered_session_ttl;
    let r = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::ExpiresAt, Expr::value(until))
        .col_expr(auth_token::Column::LastSeenAt, Expr::value(now))
        .filter(auth_token::Column::TokenHash.eq(token::digest(secret)))
        .filter(auth_token::Column::Purpose.eq(token::PURPOSE_SESSION))
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .exec(&ctx.db)
        .await?;
    Ok((r.rows_affected > 0).then_some(until))
}
