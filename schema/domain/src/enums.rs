//! Enumerations stored as text under the contract's names (the API mirrors them in
//! `pressnet_schema::graphql::enums`).
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum,
            Serialize, Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $(#[sea_orm(string_value = $value)] $variant,)+
        }

        impl $name {
            /// The stored (and contract) name of the value.
            pub fn as_str(&self) -> &'static str {
                match self { $(Self::$variant => $value,)+ }
            }
        }
    };
}

text_enum!(Role { Admin = "ADMIN", Spokesperson = "SPOKESPERSON", Journalist = "JOURNALIST", Auditor = "AUDITOR" });
text_enum!(UnitLevel { Province = "PROVINCE", Department = "DEPARTMENT", Branch = "BRANCH", Commune = "COMMUNE" });
text_enum!(OutletKind {
    Print = "PRINT", Online = "ONLINE", Radio = "RADIO", Television = "TELEVISION",
    NewsAgency = "NEWS_AGENCY", Magazine = "MAGAZINE",
});
text_enum!(OutletScope { Central = "CENTRAL", Local = "LOCAL" });
text_enum!(AccreditationStatus { Pending = "PENDING", Accredited = "ACCREDITED", Suspended = "SUSPENDED", Revoked = "REVOKED" });
text_enum!(ReleaseKind {
    PressRelease = "PRESS_RELEASE", PressConference = "PRESS_CONFERENCE",
    Statement = "STATEMENT", Correction = "CORRECTION",
});
text_enum!(ReleaseStatus { Draft = "DRAFT", Scheduled = "SCHEDULED", Published = "PUBLISHED", Retracted = "RETRACTED" });
text_enum!(Channel { Live = "LIVE", Email = "EMAIL", Feed = "FEED", Webhook = "WEBHOOK", Push = "PUSH" });
text_enum!(DeliveryStatus {
    Pending = "PENDING", Sent = "SENT", Delivered = "DELIVERED",
    Acknowledged = "ACKNOWLEDGED", Failed = "FAILED",
});
text_enum!(
    /// Who may read a published release beyond the press it reached: PUBLIC, anyone;
    /// PRESS_ONLY, the journalists of the outlets it reached (and the unit and the authority).
    /// Stored as `releases.is_public`.
    Visibility { Public = "PUBLIC", PressOnly = "PRESS_ONLY" }
);
text_enum!(FeedEvent { Published = "PUBLISHED", Retracted = "RETRACTED" });
text_enum!(
    /// What an HTTP channel's message carries: a publication (a correction is one), a
    /// retraction, an endpoint's test event, or an escalation's second copy.
    OutboundEvent { Published = "PUBLISHED", Retracted = "RETRACTED", Test = "TEST", Escalated = "ESCALATED" }
);
text_enum!(
    /// How a journalist wants e-mail: each release, a daily digest, or none.
    EmailMode { EachRelease = "EACH_RELEASE", DailyDigest = "DAILY_DIGEST", None = "NONE" }
);
text_enum!(
    /// What an outbox message is.
    MailKind {
        Release = "RELEASE", Retraction = "RETRACTION", ConferenceUpdate = "CONFERENCE_UPDATE",
        Reminder = "REMINDER", Digest = "DIGEST", Invitation = "INVITATION", Inquiry = "INQUIRY",
        Notice = "NOTICE",
    }
);
text_enum!(InquiryStatus { Open = "OPEN", Answered = "ANSWERED", Declined = "DECLINED" });
text_enum!(PressReportStatus { Open = "OPEN", Answered = "ANSWERED" });
text_enum!(AnswerRating { Satisfied = "SATISFIED", Acceptable = "ACCEPTABLE", Unsatisfied = "UNSATISFIED" });
text_enum!(
    /// What a reorganization did: several units into one (an existing or a new one), one
    /// into several, a new name for the same unit, or an end with the duties handed on.
    ReorganizationKind { Merge = "MERGE", Split = "SPLIT", Rename = "RENAME", Dissolve = "DISSOLVE" }
);
text_enum!(
    /// What an item of a unit's annual communication plan is.
    PlanItemKind { PressRelease = "PRESS_RELEASE", PressConference = "PRESS_CONFERENCE", Campaign = "CAMPAIGN" }
);
