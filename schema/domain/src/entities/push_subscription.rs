#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One browser or phone of a journalist that accepts Web Push (RFC 8030), with the keys its
/// messages are encrypted for (RFC 8291).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "push_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    /// The push service's URL for this device (checked as an outbound target).
    pub endpoint: String,
    /// The device's P-256 public key, base64url (65 bytes, uncompressed).
    pub p256dh: String,
    /// The device's authentication secret, base64url (16 bytes).
    pub auth: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
