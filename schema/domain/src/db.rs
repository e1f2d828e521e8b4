//! Connecting to SQLite or PostgreSQL, and running the migrations.
use pressnet_migrations::{Migrator, MigratorTrait};
use sea_orm::sea_query::extension::postgres::PgFunc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait, Value,
};
use std::time::Duration;

/// Opens a pool. On SQLite every connection gets WAL, a busy timeout, NORMAL sync and foreign
/// keys; the folder of the database file is created first.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        ensure_sqlite_dir(url);
        opts.max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    // Checkpoints run in the background (`checkpoint`), not inside whichever
                    // commit crosses the threshold: a publication's commit took 3–5 ms, and
                    // 43–62 ms when it also copied the WAL into the database. This larger
                    // threshold remains as a backstop for processes without the worker.
                    .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
            });
    } else {
        opts.max_connections(20).min_connections(1);
        // See `tcp_nodelay`: sqlx 0.9.0 leaves Nagle's algorithm on.
        let port = url
            .parse::<sea_orm::sqlx::postgres::PgConnectOptions>()
            .map(|o| o.get_port())
            .unwrap_or(5432);
        opts.map_sqlx_postgres_pool_opts(move |p| {
            p.after_connect(move |_conn, _meta| {
                Box::pin(async move {
                    crate::tcp_nodelay::set_on_sockets_to(port);
                    Ok(())
                })
            })
        });
    }
    Database::connect(opts).await
}

fn ensure_sqlite_dir(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return;
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                tracing::warn!(error = %e, dir = %dir.display(), "cannot create database folder");
            }
        }
    }
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    // Several instances may start at once: one migrates, the others wait and then find
    // nothing to do. The lock lives in a transaction on its own connection while the migrator
    // works on others.
    let guard = db.begin().await?;
    guard
        .execute_unprepared("SELECT pg_advisory_xact_lock(7240003)")
        .await?;
    let result = Migrator::up(db, None).await;
    guard.commit().await?;
    result
}

/// SQLite's own checkpoint threshold, in pages (its default is 1,000): reached only when the
/// background checkpoint has not run.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 16_000;

/// Copies what the write-ahead log holds into the SQLite database file, without waiting for
/// readers or blocking writers (`PASSIVE`); the server's worker calls it every second. A no-op
/// on PostgreSQL.
pub async fn checkpoint(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
            .await?;
    }
    Ok(())
}

/// Begins a transaction that takes the write lock at once where that matters.
///
/// SQLite: `BEGIN IMMEDIATE`, so a read-then-write transaction cannot fail half-way with
/// SQLITE_BUSY on lock upgrade (the busy timeout makes it wait its turn instead). PostgreSQL: an ordinary transaction; callers that need
/// ordering take an advisory lock (see `lock_publication`).
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Serialises publications across instances on PostgreSQL so that feed sequence numbers
/// commit in the order they were assigned (a reader resuming after cursor N can never later
/// see an item below N appear). SQLite already serialises writers.
pub(crate) async fn lock_publication(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7240001)")
            .await?;
    }
    Ok(())
}

/// Rows per multi-row INSERT: under both databases' bound-parameter limits (SQLite 32,766;
/// PostgreSQL 65,535) for the delivery log's 17 columns, and as few statements as that allows
/// (on PostgreSQL each statement is a round trip; smaller chunks measured slower).
pub(crate) const ROWS_PER_INSERT: usize = 1_500;
/// The same for the outbox, whose rows carry a JSON payload.
pub(crate) const OUTBOX_ROWS_PER_INSERT: usize = 1_000;

/// Values per `IN` list on SQLite: well under its 32,766 bound parameters, with room for the
/// statement's other ones.
pub const IN_CHUNK: usize = 1_000;

/// "`col` is one of `values`", as one or more conditions: run the query once per condition and
/// put the rows together.
///
/// PostgreSQL gets one condition, `col = ANY($1)` with the values as one array: the statement's
/// text is the same whatever their number, so it is prepared once, where an `IN` list of 1,000
/// placeholders is parsed and planned every time (and PostgreSQL refuses more than 65,535).
/// SQLite has no arrays: it gets `IN` lists of at most [`IN_CHUNK`] values each.
pub fn any_of<C, V>(backend: DatabaseBackend, col: C, values: &[V]) -> Vec<Expr>
where
    C: ColumnTrait,
    V: Into<Value> + Clone,
    Vec<V>: Into<Value>,
{
    if values.is_empty() {
        return Vec::new();
    }
    if backend == DatabaseBackend::Postgres {
        // Qualified with its table, as `is_in` is: a joined query may have the name twice.
        return vec![
            Expr::col((col.entity_name(), col)).eq(PgFunc::any(Expr::val(values.to_vec())))
        ];
    }
    values
        .chunks(IN_CHUNK)
        .map(|chunk| col.is_in(chunk.iter().cloned()))
        .collect()
}

/// Rows of `E` whose `col` is one of `ids` (through `any_of`: one statement on PostgreSQL,
/// chunks on SQLite), by `key` (their id).
pub(crate) async fn by_ids<E, C>(
    conn: &impl ConnectionTrait,
    col: C,
    ids: &std::collections::BTreeSet<uuid::Uuid>,
    key: fn(&E::Model) -> uuid::Uuid,
) -> Result<std::collections::HashMap<uuid::Uuid, E::Model>, DbErr>
where
    E: sea_orm::EntityTrait,
    C: ColumnTrait,
{
    use sea_orm::QueryFilter;
    let ids: Vec<uuid::Uuid> = ids.iter().copied().collect();
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for cond in any_of(conn.get_database_backend(), col, &ids) {
        for row in E::find().filter(cond).all(conn).await? {
            out.insert(key(&row), row);
        }
    }
    Ok(out)
}

/// A hand-written statement with `?` placeholders, which become `$1, $2, …` on PostgreSQL.
pub fn raw(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> sea_orm::Statement {
    let sql = if backend == DatabaseBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

/// A read of rows about to be changed in the same transaction: `FOR UPDATE` on PostgreSQL, so
/// concurrent writers of the same rows take turns (check-then-write stays exact). SQLite's
/// IMMEDIATE write transactions (`begin_write`) already serialise writers.
pub(crate) fn for_update<E: sea_orm::EntityTrait>(
    q: sea_orm::Select<E>,
    backend: DatabaseBackend,
) -> sea_orm::Select<E> {
    use sea_orm::QuerySelect;
    if backend == DatabaseBackend::Postgres {
        q.lock_exclusive()
    } else {
        q
    }
}
