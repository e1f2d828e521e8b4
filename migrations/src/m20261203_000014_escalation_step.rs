//! Escalation in steps (issue 19): an unacknowledged delivery is escalated first to the next
//! channel the outlet has (its journalists' devices), then, if still unacknowledged after as
//! long again, to the newsroom's e-mail. `escalation_step` says how far it went (0 none,
//! 1 pushed, 2 e-mailed); `escalated_at` stays the time of the latest step.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deliveries {
    Table,
    EscalationStep,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Deliveries::Table)
                .add_column(small_integer(Deliveries::EscalationStep).default(0))
                .to_owned(),
        )
        .await?;
        // Deliveries escalated before steps existed went to one channel and stop there.
        m.get_connection()
            .execute_unprepared(
                "UPDATE deliveries SET escalation_step = 2 WHERE escalated_at IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Deliveries::Table)
                .drop_column(Deliveries::EscalationStep)
                .to_owned(),
        )
        .await
    }
}
