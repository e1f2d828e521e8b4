//! A feed's bytes to article drafts: RSS 0.9x/2.0, Atom and JSON Feed through `feed-rs`, with
//! titles and summaries reduced to plain text, and each article keyed once: by its canonical
//! URL (tracking parameters and fragment dropped), else by the feed's guid.
use crate::services::text::fold;
use chrono::{DateTime, Utc};
use url::Url;

/// Entries read from one feed at most (newest first in every real feed).
const MAX_ENTRIES: usize = 500;
const MAX_TITLE: usize = 500;
const MAX_SUMMARY: usize = 1_000;
/// The raw text kept for finding links to releases (summaries with their HTML, content).
const MAX_RAW: usize = 64 * 1024;

/// An article as a feed lists it, before it is stored.
#[derive(Debug, Clone)]
pub struct Draft {
    pub key: String,
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// Links and markup the entry carries, for finding links to release pages.
    pub raw: String,
}

impl Draft {
    /// What the text indexes hold: title and summary, folded.
    pub fn search_text(&self) -> String {
        fold(&format!(
            "{} {}",
            self.title,
            self.summary.as_deref().unwrap_or("")
        ))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("not a feed pressnet can read: {0}")]
pub struct ParseError(String);

/// Parses a feed; entries without a usable link or title are skipped.
pub fn parse(bytes: &[u8], base: &Url) -> Result<Vec<Draft>, ParseError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .build()
        .parse(bytes)
        .map_err(|e| ParseError(e.to_string().chars().take(200).collect()))?;
    Ok(feed
        .entries
        .into_iter()
        .take(MAX_ENTRIES)
        .filter_map(|e| draft(&e))
        .collect())
}

fn draft(e: &feed_rs::model::Entry) -> Option<Draft> {
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| e.links.first())
        .map(|l| l.href.clone())
        .or_else(|| Url::parse(&e.id).ok().map(|_| e.id.clone()))?;
    let url = Url::parse(&link)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))?;
    let title = plain(&e.title.as_ref()?.content, MAX_TITLE);
    if title.is_empty() {
        return None;
    }
    let summary_raw = e
        .summary
        .as_ref()
        .map(|t| t.content.clone())
        .or_else(|| e.content.as_ref().and_then(|c| c.body.clone()));
    let summary = summary_raw
        .as_deref()
        .map(|s| plain(s, MAX_SUMMARY))
        .filter(|s| !s.is_empty());
    let mut raw = String::new();
    for l in &e.links {
        raw.push_str(&l.href);
        raw.push(' ');
    }
    raw.push_str(summary_raw.as_deref().unwrap_or(""));
    if let Some(body) = e.content.as_ref().and_then(|c| c.body.as_deref()) {
        raw.push(' ');
        raw.push_str(body);
    }
    let raw = clip(raw, MAX_RAW);
    let key = canonical(&url)
        .map(|c| format!("url:{c}"))
        .unwrap_or_else(|| format!("guid:{}", e.id));
    Some(Draft {
        key,
        url: url.to_string(),
        title,
        summary,
        published_at: e.published.or(e.updated),
        raw,
    })
}

/// The URL an article is known by: no fragment, no tracking parameters.
pub fn canonical(url: &Url) -> Option<String> {
    let mut u = url.clone();
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !(k.starts_with("utm_") || k == "fbclid" || k == "gclid" || k == "zarsrc")
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    let s = u.to_string();
    (s.len() <= 2_000).then_some(s)
}

/// Markup to plain text: tags (and scripts' and styles' content) removed, entities decoded,
/// whitespace collapsed.
pub fn plain(html: &str, max: usize) -> String {
    let text = ammonia::Builder::empty()
        .clean_content_tags(["script", "style"].into_iter().collect())
        .clean(html)
        .to_string();
    // ammonia serialises text with exactly these escapes; undo them (`&amp;` last).
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    clip(text.split_whitespace().collect::<Vec<_>>().join(" "), max)
}

fn clip(mut s: String, max: usize) -> String {
    let end = crate::services::text::clip(&s, max).len();
    s.truncate(end);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_plain_text() {
        assert_eq!(
            plain(
                "<p>Đà&nbsp;Nẵng &amp; <b>Huế</b></p><script>x()</script>",
                100
            ),
            "Đà Nẵng & Huế"
        );
        assert_eq!(plain("a &lt;b&gt; c", 100), "a <b> c");
    }

    #[test]
    fn tracking_parameters_are_not_part_of_the_key() {
        let u = Url::parse("https://Bao.VN/a?id=3&utm_source=x&fbclid=y#top").expect("url");
        assert_eq!(canonical(&u).as_deref(), Some("https://bao.vn/a?id=3"));
        let u = Url::parse("https://bao.vn/a?utm_medium=rss").expect("url");
        assert_eq!(canonical(&u).as_deref(), Some("https://bao.vn/a"));
    }
}
