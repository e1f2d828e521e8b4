//! The queued message, as plain data: what an outbox row carries (`Payload`, stored as JSON)
//! and what rendering makes of it (`Rendered`). Nothing here reads the database or renders.
use crate::mail::ical::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a message needs beyond the release it is about.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Payload {
    /// What the line above the release says, by name (its sentence is `templates/notice.txt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_of: Option<Notice>,
    /// The line as text, from messages queued before notices were templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// For simple messages (invitations, notifications).
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    /// Calendar method for press conferences ("REQUEST" or "CANCEL").
    #[serde(default)]
    pub method: Option<String>,
    /// Releases of a digest.
    #[serde(default)]
    pub releases: Vec<Uuid>,
    /// A journalist's one-click unsubscribe token (List-Unsubscribe).
    #[serde(default)]
    pub unsubscribe_token: Option<String>,
    /// The outlet a release e-mail goes to, when its files' links are signed for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<Uuid>,
}

impl Payload {
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// Why a release e-mail goes (again): each reads as its template says, beside the bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Notice {
    /// To those who received the release a correction corrects.
    Correction,
    /// To those who received a release now retracted.
    Retraction { reason: String },
    /// To those who received a press conference's notice, now changed.
    ConferenceUpdate,
    /// To the journalists who said they would attend, a day before.
    Reminder,
    /// To a newsroom that has not acknowledged the release after `minutes`.
    Escalation { minutes: i64 },
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// (method, VCALENDAR text)
    pub calendar: Option<(Method, String)>,
    /// One-click unsubscribe URL (journalists' subscription e-mails).
    pub unsubscribe: Option<String>,
}
