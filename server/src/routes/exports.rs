//! CSV exports for the authority and the units: UTF-8 with a BOM (so spreadsheet software
//! shows Vietnamese correctly), bearer token, role-checked, written with the csv crate and
//! streamed a page at a time.
use super::error::HttpError;
use super::export_words::Lang;
use super::viewer::SignedIn;
use super::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use pressnet_domain::entities::release;
use pressnet_domain::services::{compliance, exports};
use pressnet_domain::{AppContext, AppError, ResultExt};
use serde::Deserialize;
use uuid::Uuid;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const PAGE: u64 = 1_000;

/// A cell a spreadsheet would read as a formula (`=HYPERLINK(...)`, `+`, `-`, `@`, or a
/// leading tab or carriage return) gets a leading apostrophe, OWASP's rule for CSV injection:
/// the text shows as written and nothing is evaluated.
fn neutralise(cell: String) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell,
    }
}

fn csv_bytes(rows: Vec<Vec<String>>) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r.into_iter().map(neutralise))
            .internal("csv row")?;
    }
    w.into_inner().internal("csv")
}

fn csv_response(name: &str, body: Body) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
    /// `vi` or `en`: for people (see `export_words`); omitted: for programs.
    lang: Option<String>,
}

fn parse_time(field: &str, v: Option<&str>) -> Result<DateTime<Utc>, AppError> {
    let v = v.ok_or_else(|| AppError::bad_input(field, "is required (RFC 3339)"))?;
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.to_utc())
        .map_err(|_| AppError::bad_input(field, "is not an RFC 3339 time"))
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn compliance_csv(
    State(state): State<AppState>,
    SignedIn(v): SignedIn,
    Query(p): Query<Period>,
) -> Result<Response, HttpError> {
    {
        let from = parse_time("from", p.from.as_deref())?;
        let to = parse_time("to", p.to.as_deref())?;
        let rows = compliance::report(&state.ctx, &v, from, to).await?;
        let lang = Lang::parse(p.lang.as_deref());
        let mut out = vec![[
            "unit_code",
            "unit_name",
            "level",
            "has_active_spokesperson",
            "releases_published",
            "press_conferences_held",
            "press_conferences_required",
            "inquiries_received",
            "inquiries_answered_on_time",
            "inquiries_overdue",
            "answers_unsatisfied",
            "median_response_hours",
            "delivery_coverage",
            "max_delivery_spread_ms",
            "needs_attention",
        ]
        .into_iter()
        .map(|h| lang.header(h))
        .collect::<Vec<_>>()];
        for r in &rows {
            out.push(vec![
                r.unit.code.clone(),
                r.unit.name.clone(),
                lang.value(r.unit.level.as_str()),
                lang.yes_no(r.has_active_spokesperson),
                r.releases_published.to_string(),
                r.press_conferences_held.to_string(),
                r.press_conferences_required.to_string(),
                r.inquiries_received.to_string(),
                r.inquiries_answered_on_time.to_string(),
                r.inquiries_overdue.to_string(),
                r.answers_unsatisfied.to_string(),
                r.median_response_hours
                    .map(|h| format!("{h:.2}"))
                    .unwrap_or_default(),
                // A unit that published nothing has no share to report.
                if r.releases_published == 0 && lang != Lang::Codes {
                    "—".to_owned()
                } else {
                    lang.share(r.delivery_coverage)
                },
                r.max_delivery_spread_ms
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                lang.yes_no(r.needs_attention()),
            ]);
        }
        let mut bytes = BOM.to_vec();
        bytes.extend(csv_bytes(out)?);
        Ok(csv_response("compliance.csv", Body::from(bytes)))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseParam {
    release_id: Option<String>,
    /// `vi` or `en`: for people (see `export_words`); omitted: for programs.
    lang: Option<String>,
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn deliveries_csv(
    State(state): State<AppState>,
    SignedIn(v): SignedIn,
    Query(p): Query<ReleaseParam>,
) -> Result<Response, HttpError> {
    let r = {
        let id = p
            .release_id
            .as_deref()
            .ok_or_else(|| AppError::bad_input("releaseId", "is required"))
            .and_then(|s| {
                Uuid::parse_str(s).map_err(|_| AppError::bad_input("releaseId", "is not a UUID"))
            })?;
        exports::release_for_deliveries(&state.ctx, &v, id).await?
    };
    let ctx = state.ctx.clone();
    let lang = Lang::parse(p.lang.as_deref());
    let header_row = csv_bytes(vec![[
        "delivery_id",
        "release_id",
        "release_title",
        "outlet",
        "channel",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "delivered_at",
        "acknowledged_at",
    ]
    .into_iter()
    .map(|h| lang.header(h))
    .collect()])
    .unwrap_or_default();
    let first = futures::stream::once(async move {
        let mut b = BOM.to_vec();
        b.extend(header_row);
        Ok::<_, std::io::Error>(bytes::Bytes::from(b))
    });
    let pages = futures::stream::unfold(
        (ctx, r, None::<Uuid>, false),
        move |(ctx, r, after, done)| async move {
            if done {
                return None;
            }
            match page(&ctx, &r, after, lang).await {
                Ok((bytes, last)) => {
                    let done = last.is_none();
                    Some((Ok(bytes::Bytes::from(bytes)), (ctx, r, last, done)))
                }
                Err(e) => {
                    // The status is sent: the body is cut short instead.
                    tracing::error!(error = %e.detail(), "deliveries export");
                    Some((
                        Err(std::io::Error::other("export failed")),
                        (ctx, r, None, true),
                    ))
                }
            }
        },
    );
    Ok(csv_response(
        "deliveries.csv",
        Body::from_stream(first.chain(pages)),
    ))
}

/// One page of rows after `after`; returns the bytes and the last id (None when done).
async fn page(
    ctx: &AppContext,
    r: &release::Model,
    after: Option<Uuid>,
    lang: Lang,
) -> Result<(Vec<u8>, Option<Uuid>), AppError> {
    let rows = exports::deliveries_page(ctx, r.id, after, PAGE).await?;
    if rows.is_empty() {
        return Ok((Vec::new(), None));
    }
    let t = |x: Option<DateTime<Utc>>| lang.time(x);
    let last = rows.last().map(|(d, _)| d.id);
    let out = rows
        .into_iter()
        .map(|(d, outlet)| {
            vec![
                d.id.to_string(),
                r.id.to_string(),
                r.title.clone(),
                outlet,
                lang.value(d.channel.as_str()),
                d.recipient.clone(),
                lang.value(d.status.as_str()),
                d.attempts.to_string(),
                d.last_error.clone().unwrap_or_default(),
                t(Some(d.created_at)),
                t(d.sent_at),
                t(d.delivered_at),
                t(d.acknowledged_at),
            ]
        })
        .collect();
    Ok((csv_bytes(out)?, last))
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad.into()), format!("'{bad}"));
        }
        assert_eq!(neutralise("Sở Y tế".into()), "Sở Y tế");
        assert_eq!(neutralise(String::new()), "");
    }
}
