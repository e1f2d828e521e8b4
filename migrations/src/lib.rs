//! Database migrations for pressnet: one set, run on SQLite and PostgreSQL alike.
//!
//! Each migration keeps to portable column types (UUID keys, timestamps with time zone
//! written in UTC by the application, enums stored as text) so the same files serve both.
pub use sea_orm_migration::prelude::*;

mod fts;
mod m20261121_000001_registry;
mod m20261121_000002_releases;
mod m20261121_000003_email;
mod m20261121_000004_inquiries_audit;
mod m20261122_000005_release_reach;
mod m20261125_000006_delivery_log_checks;
mod m20261126_000007_delivery_unused_index;
mod m20261126_000008_reach_email_counts;
mod m20261126_000009_email_delivery_queue;
mod m20261202_000010_attachments;
mod m20261202_000011_webhooks;
mod m20261202_000012_outbound;
mod m20261202_000013_channel_jobs;
mod m20261203_000014_escalation_step;
mod m20261203_000015_outlet_feeds;
mod m20261203_000016_press_reports;
mod m20261203_000017_alerts_release_search;
mod m20261207_000018_sessions_corrections;
mod m20261207_000019_rule_sets;
mod m20261207_000020_press_cards;
mod m20261207_000021_reorganizations;
mod m20261207_000022_outlet_mergers;
mod m20261207_000023_communication_plans;
mod m20261207_000024_vacancy_reminders;

/// The SQL that summarises the whole delivery log into `release_reach`.
pub use m20261122_000005_release_reach::BACKFILL as REACH_BACKFILL;
/// The SQL that fills the summary's EMAIL counts from the delivery log (after `REACH_BACKFILL`).
pub use m20261126_000008_reach_email_counts::EMAIL_BACKFILL as REACH_EMAIL_BACKFILL;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_registry::Migration),
            Box::new(m20261121_000002_releases::Migration),
            Box::new(m20261121_000003_email::Migration),
            Box::new(m20261121_000004_inquiries_audit::Migration),
            Box::new(m20261122_000005_release_reach::Migration),
            Box::new(m20261125_000006_delivery_log_checks::Migration),
            Box::new(m20261126_000007_delivery_unused_index::Migration),
            Box::new(m20261126_000008_reach_email_counts::Migration),
            Box::new(m20261126_000009_email_delivery_queue::Migration),
            Box::new(m20261202_000010_attachments::Migration),
            Box::new(m20261202_000011_webhooks::Migration),
            Box::new(m20261202_000012_outbound::Migration),
            Box::new(m20261202_000013_channel_jobs::Migration),
            Box::new(m20261203_000014_escalation_step::Migration),
            Box::new(m20261203_000015_outlet_feeds::Migration),
            Box::new(m20261203_000016_press_reports::Migration),
            Box::new(m20261203_000017_alerts_release_search::Migration),
            Box::new(m20261207_000018_sessions_corrections::Migration),
            Box::new(m20261207_000019_rule_sets::Migration),
            Box::new(m20261207_000020_press_cards::Migration),
            Box::new(m20261207_000021_reorganizations::Migration),
            Box::new(m20261207_000022_outlet_mergers::Migration),
            Box::new(m20261207_000023_communication_plans::Migration),
            Box::new(m20261207_000024_vacancy_reminders::Migration),
        ]
    }
}
