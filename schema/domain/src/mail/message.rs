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
    /// A message that is not about a release, by name (`templates/messages/`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    /// A simple message's subject and text as written, from messages queued before they were
    /// named (`message`).
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

/// A message that is not about a release. Each reads as its two templates say,
/// `templates/messages/<name>.subject` and `<name>.txt`, given the fields below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Tagged "template": a message's own fields may be called `name`.
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Message {
    /// To a new account: set a password within `days`.
    Invitation { email: String, days: i64 },
    /// To a unit's spokespersons: a journalist asked.
    QuestionAsked { question: String },
    /// To a unit's spokespersons: a question is past its due time.
    QuestionOverdue { question: String },
    /// To the journalist who asked.
    QuestionAnswered { answer: String },
    /// To the journalist who asked.
    QuestionDeclined { reason: String },
    /// To a unit's spokespersons: an article was marked as a press report for it.
    PressReportRaised(PressReportLines),
    /// To a unit's spokespersons: a press report is past its due time.
    PressReportOverdue(PressReportLines),
    /// To the administrators: a unit is mentioned far more than usual today.
    MentionAlert {
        unit: String,
        /// Vietnam's day, as `dd/mm/yyyy`.
        day: String,
        mentions: usize,
        factor: f64,
        /// Mentions a day over the baseline, to one decimal.
        daily_mean: f64,
        baseline_days: i64,
    },
    /// To an outlet's newsroom: its webhook was paused.
    WebhookPaused { url: String, reason: String },
    /// To the administrators: a unit has had no spokesperson since `since` (`dd/mm/yyyy`), longer
    /// than the rules' `allowed` days.
    SpokespersonVacancy {
        unit: String,
        since: String,
        days: i64,
        allowed: i64,
    },
    /// To a journalist: the press card expires in `days` (on `expires`, `dd/mm/yyyy`).
    PressCardExpiring {
        name: String,
        number: String,
        expires: String,
        days: i64,
    },
}

/// What a press-report message says about the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PressReportLines {
    pub title: String,
    pub url: String,
    pub note: String,
    /// As `dd/mm/yyyy HH:MM UTC`.
    pub due: String,
}

impl Message {
    /// The name its templates carry.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::Invitation { .. } => "invitation",
            Self::QuestionAsked { .. } => "question_asked",
            Self::QuestionOverdue { .. } => "question_overdue",
            Self::QuestionAnswered { .. } => "question_answered",
            Self::QuestionDeclined { .. } => "question_declined",
            Self::PressReportRaised(_) => "press_report_raised",
            Self::PressReportOverdue(_) => "press_report_overdue",
            Self::MentionAlert { .. } => "mention_alert",
            Self::WebhookPaused { .. } => "webhook_paused",
            Self::PressCardExpiring { .. } => "press_card_expiring",
            Self::SpokespersonVacancy { .. } => "spokesperson_vacancy",
        }
    }
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
