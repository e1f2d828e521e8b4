//! PostgreSQL: the delivery log's foreign keys to `releases` and `outlets` go.
//!
//! Why: PostgreSQL checks a foreign key with a trigger that runs a query and takes a row lock
//! per inserted row. A publication to 1,000 outlets writes 2,000 delivery rows, and those
//! checks were half of the time its INSERTs took (about 20 ms of 40 ms per 1,000 rows,
//! measured on the benchmark's machine), on the path every journalist waits for.
//!
//! What guards the references instead: delivery rows are written only inside the transaction
//! that publishes their release, from outlet ids read in that transaction and
//! with the release's row updated (so locked) in it; releases and outlets are never deleted
//! (outlets are suspended or revoked, releases retracted). The unique index on (release, outlet,
//! channel, recipient) and the audit chain stay. SQLite keeps its foreign keys: its check is
//! an index probe in-process, and removing a constraint there means rebuilding the table.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        m.get_connection()
            .execute_unprepared(
                "ALTER TABLE deliveries \
                   DROP CONSTRAINT IF EXISTS deliveries_release_id_fkey, \
                   DROP CONSTRAINT IF EXISTS deliveries_outlet_id_fkey",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
            return Ok(());
        }
        m.get_connection()
            .execute_unprepared(
                "ALTER TABLE deliveries \
                   ADD CONSTRAINT deliveries_release_id_fkey FOREIGN KEY (release_id) REFERENCES releases (id), \
                   ADD CONSTRAINT deliveries_outlet_id_fkey FOREIGN KEY (outlet_id) REFERENCES outlets (id)",
            )
            .await?;
        Ok(())
    }
}
