#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub release_id: Uuid,
    pub outlet_id: Uuid,
    pub channel: Channel,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// The e-mail address of an EMAIL delivery; empty for LIVE.
    pub recipient: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub acknowledged_by: Option<Uuid>,
    /// EMAIL: when the next attempt is due. The e-mail worker's queue is the EMAIL deliveries
    /// PENDING and due (migration m20261126_000009).
    pub next_attempt_at: Option<DateTimeUtc>,
    pub message_id: Option<String>,
    /// EMAIL: a worker's lease on the delivery while it sends; an expired one is taken again.
    pub claimed_until: Option<DateTimeUtc>,
    /// LIVE: when the outlet, not having acknowledged in time, was last sent the release again
    /// on its next channel (escalation).
    pub escalated_at: Option<DateTimeUtc>,
    /// LIVE: how far escalation went: 0 not yet, 1 its journalists' devices, 2 the newsroom's
    /// e-mail (the last step).
    pub escalation_step: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
