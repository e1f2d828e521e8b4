//! Inserting many rows of one table in as few statements as each database wants.
//!
//! - SQLite: multi-row `INSERT … VALUES`, in chunks under its bound-parameter limit.
//! - PostgreSQL: one `INSERT … SELECT … FROM UNNEST($1::uuid[], $2::text[], …)`, whatever the
//!   number of rows: one parameter per column. The statement's text is the same for every
//!   publication, so sqlx prepares it once per connection, and PostgreSQL does not parse and plan
//!   a statement of thousands of placeholders each time (a publication's 1,000 outbox rows:
//!   28–58 ms as multi-row VALUES, 10–17 ms this way; see BENCHMARKS.md, fourth round).
//!
//! The PostgreSQL form covers the column types pressnet's bulk tables use (uuid, text and
//! text enums, integers, booleans, timestamptz). A NULL in an array cannot be bound through
//! sea-query's array values, so a column holding any NULL travels as values plus a boolean
//! array saying which are NULL. Rows of any other shape (a column set in some rows only, a
//! type not listed) go through the ordinary multi-row insert, which is correct on both
//! databases, only slower.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::ArrayType;
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ColumnType, ConnectionTrait, DatabaseBackend,
    DbErr, EntityName, EntityTrait, FromQueryResult, IdenStatic, IntoActiveModel, Iterable,
    Statement, Value,
};
use uuid::Uuid;

/// Inserts `rows`; `chunk` rows per statement where the database needs chunks (SQLite).
pub async fn insert<A, C>(conn: &C, rows: Vec<A>, chunk: usize) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    if rows.is_empty() {
        return Ok(());
    }
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        if let Some(stmt) = unnest_statement(&rows, "") {
            conn.execute_raw(stmt).await?;
            return Ok(());
        }
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<A> = rows.by_ref().take(chunk).collect();
        A::Entity::insert_many(part)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Inserts `rows` and returns them as stored (generated keys filled in).
pub async fn insert_returning<A, C>(
    conn: &C,
    rows: Vec<A>,
    chunk: usize,
) -> Result<Vec<<A::Entity as EntityTrait>::Model>, DbErr>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
    <A::Entity as EntityTrait>::Model: FromQueryResult + IntoActiveModel<A>,
{
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        if let Some(stmt) = unnest_statement(&rows, " RETURNING *") {
            return conn
                .query_all_raw(stmt)
                .await?
                .iter()
                .map(|row| <A::Entity as EntityTrait>::Model::from_query_result(row, ""))
                .collect();
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<A> = rows.by_ref().take(chunk).collect();
        out.extend(
            A::Entity::insert_many(part)
                .exec_with_returning(conn)
                .await?,
        );
    }
    Ok(out)
}

/// The element types the UNNEST form binds, by the column's declared type.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Uuid,
    Text,
    Int,
    BigInt,
    Bool,
    Time,
}

impl Kind {
    fn of(ty: &ColumnType) -> Option<Self> {
        Some(match ty {
            ColumnType::Uuid => Kind::Uuid,
            ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_) => Kind::Text,
            ColumnType::Integer => Kind::Int,
            ColumnType::BigInteger => Kind::BigInt,
            ColumnType::Boolean => Kind::Bool,
            ColumnType::TimestampWithTimeZone => Kind::Time,
            _ => return None,
        })
    }

    fn sql(self) -> &'static str {
        match self {
            Kind::Uuid => "uuid[]",
            Kind::Text => "text[]",
            Kind::Int => "int4[]",
            Kind::BigInt => "int8[]",
            Kind::Bool => "bool[]",
            Kind::Time => "timestamptz[]",
        }
    }

    fn array(self) -> ArrayType {
        match self {
            Kind::Uuid => ArrayType::Uuid,
            Kind::Text => ArrayType::String,
            Kind::Int => ArrayType::Int,
            Kind::BigInt => ArrayType::BigInt,
            Kind::Bool => ArrayType::Bool,
            Kind::Time => ArrayType::ChronoDateTimeUtc,
        }
    }

    /// The value as bound (a NULL becomes this type's placeholder) and whether it was NULL, or
    /// `None` when the value is not of this kind.
    fn bindable(self, v: Value) -> Option<(Value, bool)> {
        let (value, null) = match (self, v) {
            (Kind::Uuid, Value::Uuid(x)) => {
                (Value::Uuid(Some(x.unwrap_or(Uuid::nil()))), x.is_none())
            }
            (Kind::Text, Value::String(x)) => {
                let null = x.is_none();
                (Value::String(Some(x.unwrap_or_default())), null)
            }
            (Kind::Int, Value::Int(x)) => (Value::Int(Some(x.unwrap_or(0))), x.is_none()),
            (Kind::BigInt, Value::BigInt(x)) => (Value::BigInt(Some(x.unwrap_or(0))), x.is_none()),
            (Kind::Bool, Value::Bool(x)) => (Value::Bool(Some(x.unwrap_or(false))), x.is_none()),
            (Kind::Time, Value::ChronoDateTimeUtc(x)) => (
                Value::ChronoDateTimeUtc(Some(x.unwrap_or(DateTime::<Utc>::UNIX_EPOCH))),
                x.is_none(),
            ),
            _ => return None,
        };
        Some((value, null))
    }
}

/// `INSERT INTO t (…) SELECT … FROM UNNEST(…)` for `rows`, or `None` when a row does not fit
/// the form (the caller then uses the ordinary insert).
fn unnest_statement<A: ActiveModelTrait>(rows: &[A], suffix: &str) -> Option<Statement> {
    let table = A::Entity::default().table_name().to_owned();
    let mut names = Vec::new();
    let mut selects = Vec::new();
    let mut sources = Vec::new();
    let mut aliases = Vec::new();
    let mut values = Vec::new();
    for col in <A::Entity as EntityTrait>::Column::iter() {
        let kind = Kind::of(col.def().get_column_type());
        let mut column = Vec::with_capacity(rows.len());
        let mut nulls = Vec::with_capacity(rows.len());
        let mut any_null = false;
        for row in rows {
            match row.get(col) {
                ActiveValue::Set(v) | ActiveValue::Unchanged(v) => {
                    let (value, null) = kind?.bindable(v)?;
                    column.push(value);
                    nulls.push(Value::Bool(Some(null)));
                    any_null |= null;
                }
                ActiveValue::NotSet => {}
            }
        }
        if column.is_empty() {
            // Left to the database (an identity column, a default).
            continue;
        }
        if column.len() != rows.len() {
            return None;
        }
        let kind = kind?;
        let name = col.as_str();
        let n = values.len() + 1;
        names.push(format!("\"{name}\""));
        sources.push(format!("${n}::{}", kind.sql()));
        aliases.push(format!("c{n}"));
        values.push(Value::Array(kind.array(), Some(Box::new(column))));
        if any_null {
            sources.push(format!("${}::bool[]", n + 1));
            aliases.push(format!("n{n}"));
            values.push(Value::Array(ArrayType::Bool, Some(Box::new(nulls))));
            selects.push(format!("CASE WHEN u.n{n} THEN NULL ELSE u.c{n} END"));
        } else {
            selects.push(format!("u.c{n}"));
        }
    }
    if names.is_empty() {
        return None;
    }
    let sql = format!(
        "INSERT INTO \"{table}\" ({}) SELECT {} FROM UNNEST({}) AS u({}){suffix}",
        names.join(", "),
        selects.join(", "),
        sources.join(", "),
        aliases.join(", "),
    );
    Some(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        sql,
        values,
    ))
}
