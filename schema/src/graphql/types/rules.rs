//! RuleSet and LevelValue: the deadlines and cadences in force from a moment (issue 33).
use crate::graphql::enums::UnitLevel;
use async_graphql::{InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use pressnet_domain::services::rules::{LevelValues, Rules};
use uuid::Uuid;

#[derive(SimpleObject)]
pub struct LevelValue {
    pub level: UnitLevel,
    pub value: i32,
}

#[derive(InputObject)]
pub struct LevelValueInput {
    pub level: UnitLevel,
    pub value: i32,
}

impl LevelValueInput {
    pub fn pairs(list: Vec<Self>) -> Vec<(pressnet_domain::enums::UnitLevel, i32)> {
        list.into_iter()
            .map(|l| (l.level.into(), l.value))
            .collect()
    }
}

fn values(v: &LevelValues) -> Vec<LevelValue> {
    v.all()
        .into_iter()
        .map(|(level, value)| LevelValue {
            level: level.into(),
            value,
        })
        .collect()
}

#[derive(InputObject)]
pub struct RuleSetInput {
    pub effective_from: DateTime<Utc>,
    pub decision_ref: String,
    pub inquiry_due_hours: Vec<LevelValueInput>,
    pub press_report_due_days: i32,
    pub first_statement_hours: i32,
    pub conferences_per_quarter: Vec<LevelValueInput>,
    pub information_per_month: Vec<LevelValueInput>,
    pub spokesperson_vacancy_days: i32,
}

pub struct RuleSet(pub Rules);

#[Object]
impl RuleSet {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn effective_from(&self) -> DateTime<Utc> {
        self.0.effective_from
    }
    async fn decision_ref(&self) -> &str {
        &self.0.decision_ref
    }
    /// Hours a unit of each level has to answer a press question.
    async fn inquiry_due_hours(&self) -> Vec<LevelValue> {
        values(&self.0.inquiry_due_hours)
    }
    async fn press_report_due_days(&self) -> i32 {
        self.0.press_report_due_days
    }
    async fn first_statement_hours(&self) -> i32 {
        self.0.first_statement_hours
    }
    async fn conferences_per_quarter(&self) -> Vec<LevelValue> {
        values(&self.0.conferences_per_quarter)
    }
    async fn information_per_month(&self) -> Vec<LevelValue> {
        values(&self.0.information_per_month)
    }
    async fn spokesperson_vacancy_days(&self) -> i32 {
        self.0.spokesperson_vacancy_days
    }
}
