//! The databases' own text indexes over diacritic-folded text, for release and article
//! search: SQLite FTS5 tables kept by triggers (`releases_fts`, `articles_fts`), PostgreSQL
//! GIN `tsvector` indexes. Never a `LIKE` scan.
//!
//! The text is folded before it is stored (`text::fold`) and searches are folded the same
//! way, so neither database needs a diacritics-aware tokenizer of its own; the words of a
//! search are letters and digits only ([`search_words`]), so nothing in them is text-search
//! syntax.
use crate::error::{AppError, AppResult};
use crate::services::text::folded_words;
use sea_orm::sea_query::Expr;
use sea_orm::{Condition, DatabaseBackend};

/// Words of a search that are used, at most.
const MAX_WORDS: usize = 10;
/// The longest search accepted, in characters.
const MAX_SEARCH: usize = 200;

/// A table with a text index over its `search_text`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Indexed {
    Articles,
    Releases,
}

impl Indexed {
    fn table(self) -> &'static str {
        match self {
            Indexed::Articles => "articles",
            Indexed::Releases => "releases",
        }
    }

    /// The SQLite FTS5 table and its column naming the indexed row.
    pub(crate) fn fts(self) -> (&'static str, &'static str) {
        match self {
            Indexed::Articles => ("articles_fts", "article_id"),
            Indexed::Releases => ("releases_fts", "release_id"),
        }
    }

    /// The PostgreSQL `tsvector` the GIN index is built over.
    fn tsvector(self) -> &'static str {
        match self {
            // A stored column (migration 17): read, not computed per row, when the planner
            // walks the newest rows and filters them.
            Indexed::Articles => "\"articles\".\"search_tsv\"",
            Indexed::Releases => "to_tsvector('simple', \"releases\".\"search_text\")",
        }
    }
}

/// The folded words of a user's search, at most [`MAX_WORDS`]; refuses a search longer than
/// [`MAX_SEARCH`] characters.
pub(crate) fn search_words(search: &str) -> AppResult<Vec<String>> {
    if search.chars().count() > MAX_SEARCH {
        return Err(AppError::bad_input(
            "search",
            format!("at most {MAX_SEARCH} characters"),
        ));
    }
    Ok(words(search))
}

/// The folded words of a text (a unit's name), at most [`MAX_WORDS`].
pub fn words(text: &str) -> Vec<String> {
    let mut w = folded_words(text);
    w.truncate(MAX_WORDS);
    w
}

/// An FTS5 query: every word (`phrase`: the words in order), the last a prefix when `prefix`.
pub(crate) fn fts_query(words: &[String], phrase: bool, prefix: bool) -> String {
    let mut q = if phrase {
        format!("\"{}\"", words.join(" "))
    } else {
        words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if prefix {
        q.push('*');
    }
    q
}

/// A `to_tsquery('simple', …)` text with the same meaning as [`fts_query`].
fn ts_query(words: &[String], phrase: bool, prefix: bool) -> String {
    let mut q = words.join(if phrase { " <-> " } else { " & " });
    if prefix {
        q.push_str(":*");
    }
    q
}

/// The rows of `index` whose folded text holds every word (`phrase`: the words in order),
/// through the database's text index; the last word may be a prefix when `prefix`.
pub(crate) fn text_match(
    backend: DatabaseBackend,
    index: Indexed,
    words: &[String],
    phrase: bool,
    prefix: bool,
) -> Condition {
    match backend {
        DatabaseBackend::Postgres => Condition::all().add(Expr::cust_with_values(
            format!("{} @@ to_tsquery('simple', $1)", index.tsvector()),
            [ts_query(words, phrase, prefix)],
        )),
        _ => {
            let (fts, key) = index.fts();
            Condition::all().add(Expr::cust_with_values(
                format!(
                    "\"{}\".\"id\" IN (SELECT {key} FROM {fts} WHERE {fts} MATCH ?)",
                    index.table()
                ),
                [fts_query(words, phrase, prefix)],
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_carry_only_folded_words() {
        let w = search_words("Tiêm \"chủng\" OR NEAR(x*)").unwrap_or_default();
        assert_eq!(w, ["tiem", "chung", "or", "near", "x"]);
        assert_eq!(fts_query(&w[..2], false, true), "\"tiem\" \"chung\"*");
        assert_eq!(fts_query(&w[..2], true, false), "\"tiem chung\"");
        assert_eq!(ts_query(&w[..2], true, false), "tiem <-> chung");
        assert_eq!(ts_query(&w[..2], false, true), "tiem & chung:*");
        assert!(search_words(&"a".repeat(201)).is_err());
    }
}
