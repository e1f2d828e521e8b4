//! Turning an outbox row into a message: subject, text and HTML from templates (minijinja,
//! HTML auto-escaped), and the iCalendar part for press conferences.
use super::ical::{self, Method};
use crate::context::AppContext;
use crate::entities::{outbox, press_conference, release, spokesperson, unit};
use crate::enums::{MailKind, ReleaseKind};
use crate::error::{AppError, AppResult};
use crate::services::registry::active_spokesperson_condition;
use crate::services::text::release_html;
use minijinja::{context, Environment};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use uuid::Uuid;

/// What a message needs beyond the release it is about.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Payload {
    /// A line above the release (retraction reason, update notice, reminder).
    #[serde(default)]
    pub notice: Option<String>,
    /// For simple messages (invitations, notifications).
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    /// Calendar method for press conferences ("REQUEST" or "CANCEL").
    #[serde(default)]
    pub method: Option<String>,
    /// Releases of a digest.
    #[serde(default)]
    pub releases: Vec<Uuid>,
    /// A journalist's one-click unsubscribe token (List-Unsubscribe).
    #[serde(default)]
    pub unsubscribe_token: Option<String>,
    /// The outlet a release e-mail goes to, when its files' links are signed for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<Uuid>,
}

impl Payload {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// (method, VCALENDAR text)
    pub calendar: Option<(Method, String)>,
    /// One-click unsubscribe URL (journalists' subscription e-mails).
    pub unsubscribe: Option<String>,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        let templates = [
            ("release.txt", include_str!("templates/release.txt")),
            ("release.html", include_str!("templates/release.html")),
            ("digest.txt", include_str!("templates/digest.txt")),
            ("digest.html", include_str!("templates/digest.html")),
            ("simple.txt", include_str!("templates/simple.txt")),
            ("simple.html", include_str!("templates/simple.html")),
        ];
        for (name, src) in templates {
            if let Err(e) = env.add_template(name, src) {
                tracing::error!(%name, error = %e, "mail template does not parse");
            }
        }
        env
    })
}

fn render(name: &str, ctx: minijinja::Value) -> AppResult<String> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::caused(format!("template {name}"), e))
}

fn kind_label(k: ReleaseKind) -> &'static str {
    match k {
        ReleaseKind::PressRelease => "Thông cáo báo chí",
        ReleaseKind::PressConference => "Thông báo họp báo",
        ReleaseKind::Statement => "Phát ngôn",
        ReleaseKind::Correction => "Cải chính",
    }
}

fn fmt_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// The spokesperson named as the source: the author if a spokesperson wrote it, else the
/// unit's primary active spokesperson.
pub(crate) async fn speaker(
    ctx: &AppContext,
    r: &release::Model,
) -> AppResult<Option<spokesperson::Model>> {
    if let Some(author) = r.created_by {
        if let Some(acct) = crate::entities::account::Entity::find_by_id(author)
            .one(&ctx.db)
            .await?
        {
            if let Some(sid) = acct.spokesperson_id {
                if let Some(s) = spokesperson::Entity::find_by_id(sid).one(&ctx.db).await? {
                    return Ok(Some(s));
                }
            }
        }
    }
    Ok(spokesperson::Entity::find()
        .filter(spokesperson::Column::UnitId.eq(r.unit_id))
        .filter(active_spokesperson_condition(ctx.clock.now()))
        .order_by_desc(spokesperson::Column::IsPrimary)
        .one(&ctx.db)
        .await?)
}

pub fn release_link(ctx: &AppContext, id: Uuid) -> String {
    format!("{}/#/releases/{}", ctx.settings.public_url, id)
}

pub fn unsubscribe_link(ctx: &AppContext, token: &str) -> String {
    format!("{}/unsubscribe?token={}", ctx.settings.public_url, token)
}

pub async fn render_outbox(ctx: &AppContext, row: &outbox::Model) -> AppResult<Rendered> {
    let payload: Payload = serde_json::from_str(&row.payload).unwrap_or_default();
    let unsubscribe = payload
        .unsubscribe_token
        .as_deref()
        .map(|t| unsubscribe_link(ctx, t));
    match row.kind {
        MailKind::Release
        | MailKind::Retraction
        | MailKind::ConferenceUpdate
        | MailKind::Reminder => {
            let id = row
                .release_id
                .ok_or_else(|| AppError::internal("release mail without release"))?;
            render_release(ctx, id, row.kind, &payload, unsubscribe).await
        }
        MailKind::Digest => render_digest(ctx, &payload, unsubscribe).await,
        MailKind::Invitation | MailKind::Inquiry | MailKind::Notice => {
            let subject = payload.subject.clone().unwrap_or_else(|| "pressnet".into());
            let c = context! { subject => &subject, text => payload.text.clone().unwrap_or_default(), link => payload.link.clone() };
            Ok(Rendered {
                text: render("simple.txt", c.clone())?,
                html: render("simple.html", c)?,
                subject,
                calendar: None,
                unsubscribe: None,
            })
        }
    }
}

async fn render_release(
    ctx: &AppContext,
    id: Uuid,
    kind: MailKind,
    payload: &Payload,
    unsubscribe: Option<String>,
) -> AppResult<Rendered> {
    let r = release::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    let u = unit::Entity::find_by_id(r.unit_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("unit"))?;
    let sp = speaker(ctx, &r).await?;
    let pc = if r.kind == ReleaseKind::PressConference {
        press_conference::Entity::find_by_id(r.id)
            .one(&ctx.db)
            .await?
    } else {
        None
    };
    let prefix = match kind {
        MailKind::Retraction => "[THU HỒI] ",
        MailKind::ConferenceUpdate => "[CẬP NHẬT] ",
        MailKind::Reminder => "[NHẮC LỊCH] ",
        _ => "",
    };
    let subject = format!("{prefix}[{}] {}", u.name, r.title);
    let conference = pc.as_ref().map(|p| {
        context! {
            starts => fmt_time(p.starts_at),
            ends => p.ends_at.map(fmt_time),
            location => &p.location,
            rsvp_deadline => p.rsvp_deadline.map(fmt_time),
        }
    });
    let links_expire = ctx.clock.now() + ctx.settings.file_link_ttl;
    let files = files_of(ctx, &r, kind, payload, links_expire).await?;
    let speaker = sp.as_ref().map(|s| {
        context! { name => &s.full_name, position => &s.position, phone => &s.phone, email => &s.email }
    });
    let c = context! {
        unit => &u.name,
        kind => kind_label(r.kind),
        notice => &payload.notice,
        title => &r.title,
        summary => &r.summary,
        body => &r.body,
        body_html => release_html(&r.body).to_string(),
        conference => conference,
        speaker => speaker,
        link => release_link(ctx, r.id),
        files => files,
        files_expire => fmt_time(links_expire),
        unsubscribe => &unsubscribe,
    };
    let calendar = match (&pc, kind) {
        (Some(p), MailKind::Release | MailKind::Retraction | MailKind::ConferenceUpdate) => {
            let method = match payload.method.as_deref() {
                Some("CANCEL") => Method::Cancel,
                _ if kind == MailKind::Retraction => Method::Cancel,
                _ => Method::Request,
            };
            let organizer = sp
                .as_ref()
                .map(|s| s.email.clone())
                .unwrap_or_else(|| ctx.settings.mail.from.clone());
            Some((
                method,
                ical::invitation(&r, p, method, &organizer, ctx.clock.now()),
            ))
        }
        _ => None,
    };
    Ok(Rendered {
        text: render("release.txt", c.clone())?,
        html: render("release.html", c)?,
        subject,
        calendar,
        unsubscribe,
    })
}

/// The files a release e-mail lists: name, size, and for the outlet it goes to a signed link
/// that expires (the files themselves are not attached). A retraction lists none.
async fn files_of(
    ctx: &AppContext,
    r: &release::Model,
    kind: MailKind,
    payload: &Payload,
    expires: chrono::DateTime<chrono::Utc>,
) -> AppResult<Vec<minijinja::Value>> {
    if kind == MailKind::Retraction {
        return Ok(Vec::new());
    }
    let files = crate::services::attachments::of_releases(ctx, &[r.id]).await?;
    Ok(files
        .iter()
        .map(|a| {
            let url = payload
                .outlet
                .and_then(|o| crate::services::file_links::link(ctx, a.id, o, expires));
            context! {
                name => &a.filename,
                caption => &a.caption,
                size => human_size(a.size),
                url => url,
            }
        })
        .collect())
}

/// 1,2 MB, as a Vietnamese reader writes it.
fn human_size(bytes: i64) -> String {
    let units = ["B", "KB", "MB", "GB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1024.0 && i < units.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", units[i]).replace('.', ",")
    }
}

async fn render_digest(
    ctx: &AppContext,
    payload: &Payload,
    unsubscribe: Option<String>,
) -> AppResult<Rendered> {
    let rows = release::Entity::find()
        .filter(release::Column::Id.is_in(payload.releases.iter().copied()))
        .order_by_desc(release::Column::ListedAt)
        .all(&ctx.db)
        .await?;
    let units: std::collections::HashMap<Uuid, String> = unit::Entity::find()
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let items: Vec<minijinja::Value> = rows
        .iter()
        .map(|r| {
            context! {
                unit => units.get(&r.unit_id).cloned().unwrap_or_default(),
                title => &r.title,
                summary => &r.summary,
                link => release_link(ctx, r.id),
            }
        })
        .collect();
    let c = context! { count => items.len(), releases => items, unsubscribe => &unsubscribe };
    Ok(Rendered {
        subject: format!("Bản tin pressnet: {} thông tin mới", rows.len()),
        text: render("digest.txt", c.clone())?,
        html: render("digest.html", c)?,
        calendar: None,
        unsubscribe,
    })
}
