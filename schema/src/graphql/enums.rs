//! The contract's enumerations: GraphQL mirrors of the domain's (`pressnet_domain::enums`),
//! converted both ways by `From` (async-graphql's `remote`). The domain's stay free of GraphQL;
//! these carry the names and descriptions the SDL shows.
use async_graphql::Enum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::Role",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum Role {
    Admin,
    Spokesperson,
    Journalist,
    Auditor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::UnitLevel",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum UnitLevel {
    Province,
    Department,
    Branch,
    Commune,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::OutletKind",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum OutletKind {
    Print,
    Online,
    Radio,
    Television,
    NewsAgency,
    Magazine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::OutletScope",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum OutletScope {
    Central,
    Local,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::AccreditationStatus",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum AccreditationStatus {
    Pending,
    Accredited,
    Suspended,
    Revoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::ReleaseKind",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum ReleaseKind {
    PressRelease,
    PressConference,
    Statement,
    Correction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::ReleaseStatus",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum ReleaseStatus {
    Draft,
    Scheduled,
    Published,
    Retracted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::Channel",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum Channel {
    Live,
    Email,
    Feed,
    Webhook,
    Push,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::DeliveryStatus",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum DeliveryStatus {
    Pending,
    Sent,
    Delivered,
    Acknowledged,
    Failed,
}

/// Who may read a published release beyond the press it reached: PUBLIC, anyone;
/// PRESS_ONLY, the journalists of the outlets it reached (and the unit and the authority).
/// Stored as `releases.is_public`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::Visibility",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum Visibility {
    Public,
    PressOnly,
}

/// How a journalist wants e-mail: each release, a daily digest, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::EmailMode",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum EmailMode {
    EachRelease,
    DailyDigest,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::InquiryStatus",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum InquiryStatus {
    Open,
    Answered,
    Declined,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::PressReportStatus",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum PressReportStatus {
    Open,
    Answered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::AnswerRating",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum AnswerRating {
    Satisfied,
    Acceptable,
    Unsatisfied,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::ReorganizationKind",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum ReorganizationKind {
    Merge,
    Split,
    Rename,
    Dissolve,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
#[graphql(
    remote = "pressnet_domain::enums::PlanItemKind",
    rename_items = "SCREAMING_SNAKE_CASE"
)]
pub enum PlanItemKind {
    PressRelease,
    PressConference,
    Campaign,
}
