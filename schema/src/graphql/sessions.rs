//! `mySessions` and `revokeSession`: the signed-in person's own sessions.
use super::context::BearerToken;
use super::context::{app, viewer};
use crate::graphql::api_error::Result;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use pressnet_domain::services::sessions;
use uuid::Uuid;

/// One live session of the signed-in account (a browser or device it is signed in on).
#[derive(SimpleObject)]
pub struct Session {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    /// The session this request was made with.
    pub current: bool,
}

impl From<sessions::Session> for Session {
    fn from(s: sessions::Session) -> Self {
        Self {
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            user_agent: s.user_agent,
            current: s.current,
        }
    }
}

#[derive(Default)]
pub struct SessionQuery;

#[Object]
impl SessionQuery {
    /// The signed-in account's live sessions, most recently used first.
    #[graphql(complexity = "super::cost::list(super::cost::Size::Sessions, child_complexity)")]
    async fn my_sessions(&self, ctx: &Context<'_>) -> Result<Vec<Session>> {
        let current = ctx.data_opt::<BearerToken>().map(|t| t.0.as_str());
        let list = sessions::mine(app(ctx)?, viewer(ctx), current).await?;
        super::cost::observe(super::cost::Size::Sessions, list.len());
        Ok(list.into_iter().map(Session::from).collect())
    }
}

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Ends one of the account's own sessions (signs that browser or device out).
    async fn revoke_session(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        sessions::revoke(app(ctx)?, viewer(ctx), id).await?;
        Ok(true)
    }
}
