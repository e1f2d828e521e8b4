//! A release as an IPTC ninjs 2.0 document (News in JSON), the body of every webhook POST.
//!
//! ninjs is what newsroom systems (Superdesk and others) ingest. The mapping:
//! `uri` the release's canonical page; `version` pressnet's version counter (a string);
//! `firstcreated` the publication, `versioncreated` the last change; `headlines`,
//! `descriptions` (the summary) and `bodies` (the body as sanitised HTML and as the Markdown it
//! was written in); `by` the spokesperson and unit; `located` the unit; `subjects` the topics;
//! `associations` the attachments, each with its renditions (the original and, for images,
//! the web copy and thumbnail) as links signed for the receiving outlet; `embargoed` the
//! embargo the release was scheduled with; `pubstatus` `usable`, or `canceled` once retracted.
//! A correction carries `signal` "correction" and names the release it corrects.
use crate::entities::{attachment, release, spokesperson, unit};
use crate::enums::{ReleaseKind, ReleaseStatus};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

/// The ninjs schema this document follows.
pub(crate) const SCHEMA: &str = "https://www.iptc.org/std/ninjs/ninjs-schema_2.0.json";

/// What a document is made from; `file_link` signs an attachment's rendition for the outlet.
pub struct Source<'a> {
    pub public_url: &'a str,
    pub release: &'a release::Model,
    pub unit: Option<&'a unit::Model>,
    pub speaker: Option<&'a spokesperson::Model>,
    pub attachments: &'a [attachment::Model],
    pub file_link: &'a dyn Fn(Uuid, Option<&str>) -> Option<String>,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The canonical page of a release (feeds, e-mails, webhooks and outlets' links use it).
pub(crate) fn release_uri(public_url: &str, id: Uuid) -> String {
    format!("{public_url}/releases/{id}")
}

fn kind_name(kind: ReleaseKind) -> &'static str {
    match kind {
        ReleaseKind::PressRelease => "Thông cáo báo chí",
        ReleaseKind::PressConference => "Họp báo",
        ReleaseKind::Statement => "Tuyên bố",
        ReleaseKind::Correction => "Cải chính",
    }
}

/// The document.
pub fn document(s: &Source<'_>) -> Value {
    let r = s.release;
    let unit_name = s.unit.map(|u| u.name.as_str()).unwrap_or_default();
    let by = match s.speaker {
        Some(p) => format!("{}, {} – {}", p.full_name, p.position, unit_name),
        None => unit_name.to_owned(),
    };
    let subjects: Vec<Value> = crate::services::releases::topics_of(r)
        .into_iter()
        .map(|t| json!({"name": t}))
        .collect();
    let associations: Vec<Value> = s.attachments.iter().map(|a| association(s, a)).collect();
    let retracted = r.status == ReleaseStatus::Retracted;
    let mut doc = json!({
        "standard": {"name": "ninjs", "version": "2.0", "schema": SCHEMA},
        "uri": release_uri(s.public_url, r.id),
        "type": "text",
        "profile": r.kind.as_str(),
        "genres": [{"name": kind_name(r.kind), "uri": format!("pressnet:kind/{}", r.kind.as_str())}],
        "version": r.version.to_string(),
        "firstcreated": time(r.published_at.unwrap_or(r.created_at)),
        "versioncreated": time(r.retracted_at.unwrap_or(r.updated_at)),
        "language": "vi",
        "pubstatus": if retracted { "canceled" } else { "usable" },
        "headlines": [{"role": "main", "value": r.title, "contenttype": "text/plain"}],
        "descriptions": [{"role": "summary", "value": r.summary, "contenttype": "text/plain"}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": crate::services::text::release_html(&r.body).to_string()},
            {"role": "source", "contenttype": "text/markdown", "value": r.body},
        ],
        "by": by,
        "located": unit_name,
        "subjects": subjects,
        "associations": associations,
        "copyrightnotice": unit_name,
    });
    if let Some(fields) = doc.as_object_mut() {
        if let Some(at) = r.publish_at {
            fields.insert("embargoed".into(), json!(time(at)));
        }
        if retracted {
            fields.insert(
                "ednote".into(),
                json!(format!(
                    "Thu hồi: {}",
                    r.retract_reason.clone().unwrap_or_default()
                )),
            );
        }
        if let Some(prev) = r.supersedes_id {
            fields.insert(
                "signal".into(),
                json!([{"name": "correction", "uri": "pressnet:signal/correction"}]),
            );
            fields.insert(
                "altids".into(),
                json!([{"role": "corrects", "value": release_uri(s.public_url, prev)}]),
            );
        }
    }
    doc
}

fn association(s: &Source<'_>, a: &attachment::Model) -> Value {
    let kind = if a.content_type.starts_with("image/") {
        "picture"
    } else if a.content_type.starts_with("video/") {
        "video"
    } else if a.content_type.starts_with("audio/") {
        "audio"
    } else {
        "text"
    };
    let mut renditions = vec![json!({
        "name": "original",
        "href": (s.file_link)(a.id, None),
        "contenttype": a.content_type,
        "sizeinbytes": a.size,
        "width": a.width,
        "height": a.height,
    })];
    if a.web_sha256.is_some() {
        renditions.push(json!({"name": "web", "href": (s.file_link)(a.id, Some("web")), "contenttype": "image/jpeg"}));
    }
    if a.thumb_sha256.is_some() {
        renditions.push(json!({"name": "thumbnail", "href": (s.file_link)(a.id, Some("thumb")), "contenttype": "image/jpeg"}));
    }
    json!({
        "name": format!("file-{}", a.position + 1),
        "uri": format!("{}/files/{}", s.public_url, a.id),
        "type": kind,
        "headlines": [{"role": "main", "value": a.filename}],
        "descriptions": a.caption.as_ref().map(|c| vec![json!({"role": "caption", "value": c})]).unwrap_or_default(),
        "by": a.credit,
        "renditions": renditions,
    })
}

/// The body of an endpoint's test event: a ninjs-shaped document that no system files.
pub(crate) fn test_document(public_url: &str, endpoint: Uuid, now: DateTime<Utc>) -> Value {
    json!({
        "standard": {"name": "ninjs", "version": "2.0", "schema": SCHEMA},
        "uri": format!("{public_url}/webhooks/{endpoint}/test/{}", now.timestamp()),
        "type": "text",
        "version": "1",
        "firstcreated": time(now),
        "versioncreated": time(now),
        "language": "vi",
        "pubstatus": "withheld",
        "headlines": [{"role": "main", "value": "Tin thử của pressnet", "contenttype": "text/plain"}],
        "descriptions": [{"role": "summary", "value": "Kiểm tra kết nối webhook: không đăng tin này.", "contenttype": "text/plain"}],
        "signal": [{"name": "test", "uri": "pressnet:signal/test"}],
    })
}
