//! Claiming due rows with a lease, and renewing the lease while they are worked on.
use crate::context::AppContext;
use crate::db::any_of;
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult,
    QueryFilter, Statement,
};
use uuid::Uuid;

/// Which rows of a table are work, and how many to take at once.
pub(crate) struct Claim<'a> {
    pub table: &'a str,
    /// The rows that are work at all (SQL over the table's columns, constants only).
    pub work: &'a str,
    /// Whether a row waits for its `next_attempt_at` (retries, polling schedules).
    pub scheduled: bool,
    /// The order rows are taken in.
    pub order_by: &'a str,
    /// At most this many; `None`: every row that is due.
    pub limit: Option<u64>,
}

impl Claim<'_> {
    /// The statement that leases the due rows until `until` and returns them: due rows nobody
    /// holds (no lease, or a lapsed one), in order, skipping rows another transaction has
    /// locked on PostgreSQL.
    pub fn statement(
        &self,
        backend: DatabaseBackend,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Statement {
        let mut values: Vec<sea_orm::Value> = Vec::new();
        let mut param = |v: sea_orm::Value| {
            values.push(v);
            match backend {
                DatabaseBackend::Postgres => format!("${}", values.len()),
                _ => "?".to_owned(),
            }
        };
        let until_p = param(until.into());
        let scheduled = if self.scheduled {
            format!(" AND next_attempt_at <= {}", param(now.into()))
        } else {
            String::new()
        };
        let unheld = param(now.into());
        let limit = match self.limit {
            Some(n) => format!(" LIMIT {}", param((n as i64).into())),
            None => String::new(),
        };
        let skip = if backend == DatabaseBackend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let (table, work, order) = (self.table, self.work, self.order_by);
        let sql = format!(
            "UPDATE {table} SET claimed_until = {until_p} WHERE id IN (SELECT id FROM {table} \
             WHERE {work}{scheduled} AND (claimed_until IS NULL OR claimed_until < {unheld}) \
             ORDER BY {order}{limit}{skip}) RETURNING *"
        );
        Statement::from_sql_and_values(backend, sql, values)
    }

    /// Leases the due rows for `ttl` in a write transaction of its own and returns them.
    #[tracing::instrument(name = "queue.claim", skip_all, fields(table = self.table), err(Debug, level = "debug"))]
    pub async fn run<E>(&self, ctx: &AppContext, ttl: chrono::Duration) -> AppResult<Vec<E::Model>>
    where
        E: EntityTrait,
        E::Model: FromQueryResult,
    {
        let txn = crate::db::begin_write(&ctx.db).await?;
        let rows = self.run_in::<E, _>(&txn, ctx.clock.now(), ttl).await?;
        txn.commit().await?;
        Ok(rows)
    }

    /// The same inside the caller's transaction (which reads more with the rows).
    pub(crate) async fn run_in<E, C>(
        &self,
        conn: &C,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> AppResult<Vec<E::Model>>
    where
        E: EntityTrait,
        E::Model: FromQueryResult,
        C: ConnectionTrait,
    {
        let stmt = self.statement(conn.get_database_backend(), now, now + ttl);
        Ok(E::find().from_raw_sql(stmt).all(conn).await?)
    }
}

/// The heartbeat's write: extends to `until` the leases on the rows `ids` of `E` that are still
/// held and still work (`still`), in chunks the backend binds well.
#[tracing::instrument(name = "queue.renew", skip_all, fields(rows = ids.len()), err(Debug, level = "debug"))]
pub(crate) async fn renew<E: EntityTrait>(
    ctx: &AppContext,
    id: E::Column,
    claimed_until: E::Column,
    ids: &[Uuid],
    until: DateTime<Utc>,
    still: Condition,
) -> AppResult<()> {
    for part in any_of(ctx.db.get_database_backend(), id, ids) {
        E::update_many()
            .col_expr(claimed_until, Expr::value(until))
            .filter(part)
            .filter(claimed_until.is_not_null())
            .filter(still.clone())
            .exec(&ctx.db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_takes_due_unheld_rows_in_order_and_skips_locked_ones_on_postgres() {
        let now = Utc::now();
        let c = Claim {
            table: "outbox",
            work: "status = 'PENDING'",
            scheduled: true,
            order_by: "next_attempt_at",
            limit: Some(64),
        };
        let pg = c.statement(DatabaseBackend::Postgres, now, now).to_string();
        assert!(pg.starts_with("UPDATE outbox SET claimed_until = "), "{pg}");
        assert!(
            pg.contains("status = 'PENDING' AND next_attempt_at <= "),
            "{pg}"
        );
        assert!(
            pg.contains("AND (claimed_until IS NULL OR claimed_until < "),
            "{pg}"
        );
        assert!(
            pg.contains("ORDER BY next_attempt_at LIMIT 64 FOR UPDATE SKIP LOCKED) RETURNING *"),
            "{pg}"
        );
        let jobs = Claim {
            table: "channel_jobs",
            work: "done_at IS NULL",
            scheduled: false,
            order_by: "created_at",
            limit: None,
        };
        let lite = jobs
            .statement(DatabaseBackend::Sqlite, now, now)
            .to_string();
        assert!(!lite.contains("next_attempt_at"), "{lite}");
        assert!(
            !lite.contains("LIMIT") && !lite.contains("SKIP LOCKED"),
            "{lite}"
        );
    }
}
