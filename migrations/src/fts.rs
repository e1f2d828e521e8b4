//! SQLite FTS5 tables over a table's folded `search_text`, kept by triggers so the index
//! follows the table whatever writes it (articles since migration 15, releases since 17).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

/// Creates `{table}_fts (key UNINDEXED, search_text)`, fills it from `table` and adds the
/// triggers that keep it. Folded text in, folded queries: the tokenizer needs no diacritics
/// of its own.
pub async fn create<C: ConnectionTrait>(db: &C, table: &str, key: &str) -> Result<(), DbErr> {
    let fts = format!("{table}_fts");
    for sql in [
        format!(
            "CREATE VIRTUAL TABLE {fts} USING fts5({key} UNINDEXED, search_text, \
             tokenize = 'unicode61')"
        ),
        format!("INSERT INTO {fts} ({key}, search_text) SELECT id, search_text FROM {table}"),
        format!(
            "CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN \
             INSERT INTO {fts} ({key}, search_text) VALUES (new.id, new.search_text); END"
        ),
        format!(
            "CREATE TRIGGER {fts}_update AFTER UPDATE OF search_text ON {table} BEGIN \
             UPDATE {fts} SET search_text = new.search_text WHERE {key} = old.id; END"
        ),
        format!(
            "CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN \
             DELETE FROM {fts} WHERE {key} = old.id; END"
        ),
    ] {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Drops what [`create`] made.
pub async fn drop<C: ConnectionTrait>(db: &C, table: &str) -> Result<(), DbErr> {
    let fts = format!("{table}_fts");
    for sql in [
        format!("DROP TRIGGER IF EXISTS {fts}_insert"),
        format!("DROP TRIGGER IF EXISTS {fts}_update"),
        format!("DROP TRIGGER IF EXISTS {fts}_delete"),
        format!("DROP TABLE IF EXISTS {fts}"),
    ] {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}
