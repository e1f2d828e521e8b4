//! GET /feeds/releases.atom and GET /feeds/units/{code}.atom: Atom 1.0 with conditional GET.
use super::error::HttpError;
use super::AppState;
use atom_syndication::{Content, Entry as AtomEntry, Feed, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use pressnet_domain::services::atom::{public_entries, Entry};
use pressnet_domain::services::text::release_html;
use pressnet_domain::AppError;
use sha2::{Digest, Sha256};

#[tracing::instrument(skip_all)]
pub async fn all(State(state): State<AppState>, headers: HeaderMap) -> Response {
    serve(&state, &headers, None).await
}

#[tracing::instrument(skip_all)]
pub async fn unit(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(code) = file.strip_suffix(".atom") else {
        return HttpError::from(AppError::not_found("feed")).into_response();
    };
    serve(&state, &headers, Some(code)).await
}

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

async fn serve(state: &AppState, headers: &HeaderMap, code: Option<&str>) -> Response {
    let (unit, entries) = match public_entries(&state.ctx, code).await {
        Ok(Some(x)) => x,
        Ok(None) => return HttpError::from(AppError::not_found("unit")).into_response(),
        Err(e) => return HttpError::from(e).into_response(),
    };
    let updated = entries
        .iter()
        .map(|e| e.release.updated_at)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut h = Sha256::new();
    h.update(code.unwrap_or("*"));
    for e in &entries {
        h.update(e.release.id.as_bytes());
        h.update(e.release.updated_at.timestamp_micros().to_be_bytes());
    }
    let etag = format!("\"{}\"", &hex::encode(h.finalize())[..32]);
    let last_modified = http_date(updated);
    let not_modified = match headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        Some(inm) => inm.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
        None => headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
            .is_some_and(|since| updated.timestamp() <= since.timestamp()),
    };
    let cache = [
        (header::ETAG, etag.clone()),
        (header::LAST_MODIFIED, last_modified),
        (header::CACHE_CONTROL, "public, max-age=60".to_owned()),
    ];
    if not_modified {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let base = state.ctx.settings.public_url.clone();
    let (id, title, self_path) = match &unit {
        Some(u) => (
            format!("urn:pressnet:units:{}", u.code),
            format!("{} — pressnet", u.name),
            format!("/feeds/units/{}.atom", u.code),
        ),
        None => (
            "urn:pressnet:releases".to_owned(),
            "Thông cáo báo chí — pressnet".to_owned(),
            "/feeds/releases.atom".to_owned(),
        ),
    };
    let feed = Feed {
        id,
        title: Text::plain(title),
        updated: fixed(updated),
        links: vec![
            link(
                &format!("{base}{self_path}"),
                "self",
                Some("application/atom+xml"),
            ),
            link(&format!("{base}/"), "alternate", Some("text/html")),
        ],
        entries: entries.iter().map(|e| entry(&base, e)).collect(),
        lang: Some("vi".into()),
        ..Default::default()
    };
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/atom+xml; charset=utf-8".to_owned(),
        )],
        cache,
        feed.to_string(),
    )
        .into_response()
}

fn fixed(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.fixed_offset()
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Default::default()
    }
}

fn entry(base: &str, e: &Entry) -> AtomEntry {
    let r = &e.release;
    let author = match &e.speaker {
        Some(s) => format!("{} — người phát ngôn {s}", e.unit_name),
        None => e.unit_name.clone(),
    };
    AtomEntry {
        id: format!("urn:uuid:{}", r.id),
        title: Text::plain(r.title.clone()),
        updated: fixed(r.updated_at),
        published: r.published_at.map(fixed),
        authors: vec![Person {
            name: author,
            ..Default::default()
        }],
        links: std::iter::once(link(
            &format!("{base}/releases/{}", r.id),
            "alternate",
            Some("text/html"),
        ))
        .chain(e.attachments.iter().map(|a| Link {
            href: format!("{base}/files/{}", a.id),
            rel: "enclosure".into(),
            mime_type: Some(a.content_type.clone()),
            title: Some(a.filename.clone()),
            length: Some(a.size.to_string()),
            ..Default::default()
        }))
        .collect(),
        summary: Some(Text::plain(r.summary.clone())),
        content: Some(Content {
            value: Some(release_html(&r.body).to_string()),
            content_type: Some("html".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}
