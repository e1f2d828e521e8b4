#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One request an HTTP channel (WEBHOOK, PUSH) owes a target: the channels' work queue.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbound_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub channel: Channel,
    /// A webhook endpoint (WEBHOOK) or a push subscription (PUSH).
    pub target_id: Uuid,
    pub event: OutboundEvent,
    pub release_id: Option<Uuid>,
    /// The delivery row this message moves (a publication's); none for a retraction notice,
    /// a test event or an escalation's extra copy.
    pub delivery_id: Option<Uuid>,
    /// PENDING until answered: DELIVERED (2xx) or FAILED (given up, refused, target gone).
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    /// The receiver's last HTTP status, if it answered.
    pub last_status: Option<i32>,
    /// A short excerpt of the last failure (never the whole response body).
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
