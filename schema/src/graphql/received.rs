//! `received`: the journalist's feed with its acknowledgement state, from the server.
use super::context::{app, viewer};
use super::types::{PageInfo, Release};
use crate::graphql::api_error::Result;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use pressnet_domain::services::received;

/// A release that reached the journalist's outlet, with its acknowledgement.
#[derive(SimpleObject)]
pub struct ReceivedRelease {
    pub release: Release,
    /// When it reached the outlet live (null while it has not yet).
    pub delivered_at: Option<DateTime<Utc>>,
    pub acknowledged: bool,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct ReceivedEdge {
    pub cursor: String,
    pub node: ReceivedRelease,
}

#[derive(SimpleObject)]
pub struct ReceivedConnection {
    pub edges: Vec<ReceivedEdge>,
    pub page_info: PageInfo,
    pub total_count: i32,
    /// How many of the outlet's received releases nobody there has acknowledged.
    pub unread: i32,
}

#[derive(Default)]
pub struct ReceivedQuery;

#[Object]
impl ReceivedQuery {
    /// What reached the journalist's outlet, newest first, with its acknowledgement: the
    /// feed's unread state after any navigation, tab or device (JOURNALIST).
    #[graphql(complexity = "super::cost::page(first, 20, child_complexity)")]
    async fn received(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(20)")] first: Option<i32>,
        after: Option<String>,
        #[graphql(default_with = "Some(false)")] unread_only: Option<bool>,
    ) -> Result<ReceivedConnection> {
        let r = received::list(
            app(ctx)?,
            viewer(ctx),
            first.unwrap_or(20),
            after.as_deref(),
            unread_only.unwrap_or(false),
        )
        .await?;
        let page_info = PageInfo {
            has_next_page: r.page.has_next,
            end_cursor: r.page.items.last().map(|(c, _)| c.clone()),
        };
        Ok(ReceivedConnection {
            total_count: r.page.total as i32,
            unread: r.unread as i32,
            page_info,
            edges: r
                .page
                .items
                .into_iter()
                .map(|(cursor, x)| ReceivedEdge {
                    cursor,
                    node: ReceivedRelease {
                        delivered_at: x.delivery.delivered_at,
                        acknowledged: x.delivery.acknowledged_at.is_some(),
                        acknowledged_at: x.delivery.acknowledged_at,
                        release: Release(x.release),
                    },
                })
                .collect(),
        })
    }
}
