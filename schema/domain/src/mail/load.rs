//! What a message needs, read from the database for it: the release, its unit, speaker,
//! conference and files (with links signed for the outlet), or a digest's releases. Rendering
//! (`render`) takes a [`Letter`] and touches no database.
use super::message::Payload;
use crate::context::AppContext;
use crate::entities::{outbox, press_conference, release, spokesperson, unit};
use crate::enums::{MailKind, ReleaseKind};
use crate::error::{AppError, AppResult};
use crate::services::conditions::active_spokesperson_condition;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// Everything one message is rendered from.
pub struct Letter {
    pub kind: MailKind,
    pub payload: Payload,
    /// The server's public address, for links.
    pub public_url: String,
    /// The sender's address (a conference invitation's organizer when no spokesperson is named).
    pub from: String,
    pub now: DateTime<Utc>,
    /// The press-management authority (`PRESSNET_AUTHORITY_NAME`): it signs every e-mail.
    pub authority: String,
    pub content: Content,
}

pub enum Content {
    /// A release, its retraction, a conference's update or reminder.
    Release(Box<ReleaseLetter>),
    /// A journalist's digest: releases, newest first.
    Digest(Vec<DigestLine>),
    /// An invitation, a question, a notice: subject, text and link are in the payload.
    Simple,
}

pub struct ReleaseLetter {
    pub release: release::Model,
    pub unit_name: String,
    pub speaker: Option<spokesperson::Model>,
    pub conference: Option<press_conference::Model>,
    pub files: Vec<FileLine>,
    /// When the files' links stop working.
    pub files_expire: DateTime<Utc>,
}

pub struct FileLine {
    pub name: String,
    pub caption: Option<String>,
    pub size: i64,
    /// Signed for the outlet the message goes to; `None` when it goes to nobody's outlet.
    pub url: Option<String>,
}

pub struct DigestLine {
    pub release_id: Uuid,
    pub unit_name: String,
    pub title: String,
    pub summary: String,
}

/// Reads what `row` needs.
#[tracing::instrument(skip_all, fields(id = %row.id, kind = row.kind.as_str()), err(Debug, level = "debug"))]
pub async fn load(ctx: &AppContext, row: &outbox::Model) -> AppResult<Letter> {
    let payload: Payload = serde_json::from_str(&row.payload).unwrap_or_default();
    let content = match row.kind {
        MailKind::Release
        | MailKind::Retraction
        | MailKind::ConferenceUpdate
        | MailKind::Reminder => {
            let id = row
                .release_id
                .ok_or_else(|| AppError::internal("release mail without release"))?;
            Content::Release(Box::new(release_letter(ctx, id, row.kind, &payload).await?))
        }
        MailKind::Digest => Content::Digest(digest_lines(ctx, &payload).await?),
        MailKind::Invitation | MailKind::Inquiry | MailKind::Notice => Content::Simple,
    };
    Ok(Letter {
        kind: row.kind,
        payload,
        public_url: ctx.settings.public_url.clone(),
        from: ctx.settings.mail.from.clone(),
        now: ctx.clock.now(),
        authority: ctx.settings.authority_name.clone(),
        content,
    })
}

async fn release_letter(
    ctx: &AppContext,
    id: Uuid,
    kind: MailKind,
    payload: &Payload,
) -> AppResult<ReleaseLetter> {
    let release = release::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    let unit = unit::Entity::find_by_id(release.unit_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("unit"))?;
    let speaker = speaker(ctx, &release).await?;
    let conference = if release.kind == ReleaseKind::PressConference {
        press_conference::Entity::find_by_id(release.id)
            .one(&ctx.db)
            .await?
    } else {
        None
    };
    let files_expire = ctx.clock.now() + ctx.settings.file_link_ttl;
    // A retraction lists no files; the others list them, linked for the outlet it goes to.
    let files = if kind == MailKind::Retraction {
        Vec::new()
    } else {
        crate::services::attachments::of_releases(ctx, &[release.id])
            .await?
            .into_iter()
            .map(|a| FileLine {
                url: payload
                    .outlet
                    .and_then(|o| crate::services::file_links::link(ctx, a.id, o, files_expire)),
                name: a.filename,
                caption: a.caption,
                size: a.size,
            })
            .collect()
    };
    Ok(ReleaseLetter {
        release,
        unit_name: unit.name,
        speaker,
        conference,
        files,
        files_expire,
    })
}

async fn digest_lines(ctx: &AppContext, payload: &Payload) -> AppResult<Vec<DigestLine>> {
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
    Ok(rows
        .into_iter()
        .map(|r| DigestLine {
            release_id: r.id,
            unit_name: units.get(&r.unit_id).cloned().unwrap_or_default(),
            title: r.title,
            summary: r.summary,
        })
        .collect())
}

/// The spokesperson named as the source: the author if a spokesperson wrote it, else the
/// unit's primary active spokesperson.
pub async fn speaker(
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
