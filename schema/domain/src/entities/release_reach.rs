//! Per-release summary of the delivery log (see migration m20261122_000005).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "release_reach")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub release_id: Uuid,
    /// Distinct outlets with a delivery row of this release (any channel).
    pub targeted: i64,
    /// Of those, outlets with a delivery SENT, DELIVERED or ACKNOWLEDGED.
    pub reached: i64,
    pub live_first_at: Option<DateTimeUtc>,
    pub live_last_at: Option<DateTimeUtc>,
    /// LIVE deliveries by status.
    pub live_pending: i64,
    pub live_sent: i64,
    pub live_delivered: i64,
    pub live_acknowledged: i64,
    pub live_failed: i64,
    /// EMAIL deliveries by status (migration m20261126_000008): what `/metrics` sums.
    pub email_pending: i64,
    pub email_sent: i64,
    pub email_delivered: i64,
    pub email_acknowledged: i64,
    pub email_failed: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
