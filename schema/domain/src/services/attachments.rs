//! Source material of a release: upload (by its unit's active spokespersons, while the release
//! is a DRAFT or SCHEDULED), reading under the release's visibility (`releases::get`, the one
//! policy), removal, and the download log.
//!
//! An upload arrives as a temporary file (async-graphql's multipart parser streams each file to
//! disk), is sniffed from its bytes (the client's type is not believed), and for images is
//! decoded and re-encoded: the re-encoded file carries no EXIF, so no GPS position leaves the
//! server; a thumbnail and a web-size rendition are made from it. The stored blob is named by
//! its SHA-256. The row is written only after the blob is stored, so an interrupted upload
//! leaves nothing visible.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::{attachment, download};
use crate::enums::{ReleaseStatus, Role};
use crate::error::{AppError, AppResult, ResultExt};
use crate::services::audit::{self, Change};
use crate::services::releases;
use crate::storage::Storage;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Read;
use uuid::Uuid;

const CAPTION_CHARS: usize = 1_000;
const FILENAME_CHARS: usize = 255;
const THUMB_PX: u32 = 320;
const WEB_PX: u32 = 1600;
/// The most pixels an image may have: it is decoded whole (about 4 bytes a pixel) to strip its
/// metadata and make its renditions, so this bounds the memory one upload takes. 40 MP holds
/// any camera's or phone's photo; a larger image is refused with a message saying so.
pub(crate) const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// Uploads prepared (sniffed, decoded, re-encoded) at once, each on a blocking thread: with
/// the pixel budget, this bounds the memory and CPU that uploads take together.
const PREPARING_AT_ONCE: usize = 2;
static PREPARING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PREPARING_AT_ONCE);

/// Attachments one release may carry.
pub(crate) const MAX_PER_RELEASE: u64 = 100;
/// How old an unreferenced blob must be before the collector deletes it.
pub(crate) const BLOB_GRACE: chrono::Duration = chrono::Duration::hours(1);

/// What the client sent: a file on disk (async-graphql's temporary file) and what it said
/// about it.
pub struct Upload {
    pub filename: String,
    pub file: std::fs::File,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// The kinds of file accepted, by the type their bytes show.
fn accepted(mime: &str) -> bool {
    mime.starts_with("image/jpeg")
        || mime == "image/png"
        || mime == "image/webp"
        || mime == "image/gif"
        || mime.starts_with("video/")
        || mime.starts_with("audio/")
        || mime == "application/pdf"
        || mime == "application/msword"
        || mime == "application/vnd.ms-excel"
        || mime == "application/vnd.ms-powerpoint"
        || mime.starts_with("application/vnd.openxmlformats-officedocument.")
        || mime.starts_with("application/vnd.oasis.opendocument.")
}

/// Whether a file of this type is stored as uploaded, metadata and all. JPEG, PNG and WebP
/// images are re-encoded (`prepare`), which drops EXIF, XMP and GPS; a GIF is kept as it is
/// (re-encoding would lose its animation), as are video, audio, PDF and office files: no
/// well-kept Rust library rewrites all of those without their metadata, so the uploader is
/// told instead.
pub fn keeps_metadata(content_type: &str) -> bool {
    !matches!(content_type, "image/jpeg" | "image/png" | "image/webp")
}

/// The configured attachment storage.
pub fn storage(ctx: &AppContext) -> AppResult<&Storage> {
    ctx.storage
        .as_deref()
        .ok_or_else(|| AppError::internal("no attachment storage is configured"))
}

fn storage_failed(e: crate::storage::StorageError) -> AppError {
    AppError::unavailable(
        "the file storage is unavailable: nothing was saved; try again in a moment",
        e,
    )
}

/// The served form of an upload: the sniffed type, and for images the re-encoded file (no
/// metadata), its size in pixels and its renditions.
struct Prepared {
    content_type: String,
    /// What is served, at its start.
    file: std::fs::File,
    width: Option<i32>,
    height: Option<i32>,
    thumb: Option<Vec<u8>>,
    web: Option<Vec<u8>>,
}

fn rewind(f: &mut std::fs::File) -> std::io::Result<()> {
    std::io::Seek::seek(f, std::io::SeekFrom::Start(0)).map(|_| ())
}

fn sniff(f: &mut std::fs::File) -> std::io::Result<Option<String>> {
    rewind(f)?;
    let mut head = Vec::with_capacity(8192);
    std::io::Read::by_ref(f).take(8192).read_to_end(&mut head)?;
    rewind(f)?;
    Ok(infer::get(&head).map(|t| t.mime_type().to_owned()))
}

fn jpeg(img: &image::DynamicImage, quality: u8) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    img.to_rgb8().write_with_encoder(enc)?;
    Ok(out)
}

/// Decodes an image within the pixel budget: its size is read from its header first, so an
/// image bomb (a small file of a huge picture) is refused before anything is allocated, and
/// the decoder's own limits hold whatever the header claimed.
fn decode(file: &mut std::fs::File, format: image::ImageFormat) -> AppResult<image::DynamicImage> {
    let unreadable = |_| AppError::bad_input("file", "is not a readable image");
    rewind(file).internal("reading the upload")?;
    let (w, h) = image::ImageReader::with_format(std::io::BufReader::new(&*file), format)
        .into_dimensions()
        .map_err(unreadable)?;
    if u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
        return Err(AppError::bad_input(
            "file",
            format!(
                "is an image of {w} x {h} pixels; at most {} megapixels are accepted: make it smaller",
                MAX_IMAGE_PIXELS / 1_000_000
            ),
        ));
    }
    rewind(file).internal("reading the upload")?;
    let mut reader = image::ImageReader::with_format(std::io::BufReader::new(&*file), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    // Room for the decoded picture (up to 16 bytes a pixel) and a decoder's working buffers.
    limits.max_alloc = Some(MAX_IMAGE_PIXELS * 16);
    reader.limits(limits);
    let img = reader.decode().map_err(unreadable)?;
    rewind(file).internal("reading the upload")?;
    Ok(img)
}

/// Sniffs, and re-encodes images (CPU work: run on a blocking thread).
fn prepare(mut file: std::fs::File) -> AppResult<Prepared> {
    let mime = sniff(&mut file)
        .internal("reading the upload")?
        .ok_or_else(|| {
            AppError::bad_input(
                "file",
                "is of a type pressnet does not accept (unrecognised content)",
            )
        })?;
    if !accepted(&mime) {
        return Err(AppError::bad_input(
            "file",
            format!("is of a type pressnet does not accept ({mime})"),
        ));
    }
    let format = match mime.as_str() {
        "image/jpeg" => image::ImageFormat::Jpeg,
        "image/png" => image::ImageFormat::Png,
        "image/webp" => image::ImageFormat::WebP,
        // A GIF may be animated, which a re-encode would lose; it carries no EXIF.
        "image/gif" => {
            // `decode` leaves the file at its start, ready to be stored as it is.
            let img = decode(&mut file, image::ImageFormat::Gif)?;
            return Ok(Prepared {
                content_type: mime,
                file,
                width: i32::try_from(img.width()).ok(),
                height: i32::try_from(img.height()).ok(),
                thumb: Some(jpeg(&img.thumbnail(THUMB_PX, THUMB_PX), 80).internal("thumbnail")?),
                web: None,
            });
        }
        _ => {
            return Ok(Prepared {
                content_type: mime,
                file,
                width: None,
                height: None,
                thumb: None,
                web: None,
            });
        }
    };
    let img = decode(&mut file, format)?;
    // Re-encoded without its metadata: EXIF (and its GPS position) does not survive.
    let mut out = tempfile::tempfile().internal("a temporary file")?;
    {
        let mut w = std::io::BufWriter::new(&out);
        match format {
            image::ImageFormat::Jpeg => {
                let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut w, 92);
                img.to_rgb8()
                    .write_with_encoder(enc)
                    .internal("re-encoding the image")?;
            }
            _ => img
                .write_to(&mut w, format)
                .internal("re-encoding the image")?,
        }
        std::io::Write::flush(&mut w).internal("re-encoding the image")?;
    }
    let web = if img.width() > WEB_PX || img.height() > WEB_PX {
        Some(
            jpeg(
                &img.resize(WEB_PX, WEB_PX, image::imageops::FilterType::Triangle),
                85,
            )
            .internal("web rendition")?,
        )
    } else {
        None
    };
    rewind(&mut out).internal("re-encoding the image")?;
    Ok(Prepared {
        content_type: mime,
        file: out,
        width: i32::try_from(img.width()).ok(),
        height: i32::try_from(img.height()).ok(),
        thumb: Some(jpeg(&img.thumbnail(THUMB_PX, THUMB_PX), 80).internal("thumbnail")?),
        web,
    })
}

/// SHA-256 and length of a file, read from its start (and rewound after).
fn sha256_of_file(f: &mut std::fs::File) -> std::io::Result<(String, u64)> {
    rewind(f)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1024 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(buf.get(..n).unwrap_or_default());
    }
    rewind(f)?;
    Ok((hex::encode(h.finalize()), size))
}

/// Stores a rendition (thumbnail, web size) under its SHA-256, which it returns.
async fn store_rendition(
    store: &Storage,
    bytes: Option<Vec<u8>>,
    since: DateTime<Utc>,
) -> AppResult<Option<String>> {
    let Some(bytes) = bytes else { return Ok(None) };
    let sha = hex::encode(Sha256::digest(&bytes));
    store
        .put_bytes(&sha, bytes, since)
        .await
        .map_err(storage_failed)?;
    Ok(Some(sha))
}

fn editable(r: &crate::entities::release::Model) -> AppResult<()> {
    match r.status {
        ReleaseStatus::Draft | ReleaseStatus::Scheduled => Ok(()),
        _ => Err(AppError::Conflict(
            "files can be added or removed only before publication".into(),
        )),
    }
}

/// Adds a file to a DRAFT or SCHEDULED release of the viewer's unit.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn add(
    ctx: &AppContext,
    viewer: &Viewer,
    release_id: Uuid,
    upload: Upload,
) -> AppResult<attachment::Model> {
    let release = releases::for_unit_voice(ctx, viewer, release_id).await?;
    editable(&release)?;
    let store = storage(ctx)?;
    // A file's name, never a path: browsers send the name alone, other clients may not.
    let filename = crate::validate::opt_text("file", Some(&upload.filename), FILENAME_CHARS)?
        .map(|f| crate::validate::base_name(&f).to_owned())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "tep-dinh-kem".into());
    let caption = crate::validate::opt_text("caption", upload.caption.as_deref(), CAPTION_CHARS)?;
    let credit = crate::validate::opt_text("credit", upload.credit.as_deref(), CAPTION_CHARS)?;
    let len = upload.file.metadata().internal("reading the upload")?.len();
    let max = ctx.settings.max_upload_bytes;
    if len > max {
        return Err(AppError::bad_input(
            "file",
            format!("is larger than the {} MB allowed", max / (1024 * 1024)),
        ));
    }
    if len == 0 {
        return Err(AppError::bad_input("file", "is empty"));
    }
    let count = attachment::Entity::find()
        .filter(attachment::Column::ReleaseId.eq(release_id))
        .count(&ctx.db)
        .await?;
    if count >= MAX_PER_RELEASE {
        return Err(AppError::bad_input(
            "file",
            format!("a release carries at most {MAX_PER_RELEASE} files"),
        ));
    }
    let file = upload.file;
    // At most PREPARING_AT_ONCE uploads decode at a time; the others wait here. The permit
    // goes with the work, so a client that hangs up does not free it while its decode runs.
    let permit = PREPARING
        .acquire()
        .await
        .internal("waiting to prepare the upload")?;
    let (prepared, sha, size) = tokio::task::spawn_blocking(move || -> AppResult<_> {
        let _permit = permit;
        let mut p = prepare(file)?;
        let (sha, size) = sha256_of_file(&mut p.file).internal("hashing the upload")?;
        Ok((p, sha, size))
    })
    .await
    .internal("preparing the upload")??;
    let served = prepared.file.try_clone().internal("reading the upload")?;
    // A copy older than half the collector's grace is written again, so the collector cannot
    // take it between here and the commit below.
    let since = ctx.clock.now() - BLOB_GRACE / 2;
    store
        .put_file(&sha, served, since)
        .await
        .map_err(storage_failed)?;
    let thumb_sha = store_rendition(store, prepared.thumb, since).await?;
    let web_sha = store_rendition(store, prepared.web, since).await?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    // Re-checked inside the transaction: the release may have been published meanwhile.
    let current = crate::entities::release::Entity::find_by_id(release_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    editable(&current)?;
    let position: Option<i32> = attachment::Entity::find()
        .select_only()
        .column_as(attachment::Column::Position.max(), "m")
        .filter(attachment::Column::ReleaseId.eq(release_id))
        .into_tuple()
        .one(&txn)
        .await?
        .flatten();
    let row = attachment::ActiveModel {
        id: Set(Uuid::now_v7()),
        release_id: Set(release_id),
        position: Set(position.map_or(0, |p| p + 1)),
        filename: Set(filename),
        content_type: Set(prepared.content_type),
        size: Set(i64::try_from(size).unwrap_or(i64::MAX)),
        sha256: Set(sha),
        caption: Set(caption),
        credit: Set(credit),
        width: Set(prepared.width),
        height: Set(prepared.height),
        thumb_sha256: Set(thumb_sha),
        web_sha256: Set(web_sha),
        uploaded_by: Set(viewer.signed_in()?.id),
        created_at: Set(now),
    };
    let model = attachment::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    let change = Change::new(viewer.actor(), "attachment.add", "attachment", Some(model.id))
        .details(json!({"release": release_id, "filename": model.filename, "sha256": model.sha256, "size": model.size}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(model)
}

/// A file the viewer may change: their unit's, of a DRAFT or SCHEDULED release.
async fn editable_attachment(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<attachment::Model> {
    viewer.signed_in()?;
    let a = attachment::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("attachment"))?;
    let release = releases::for_unit_voice(ctx, viewer, a.release_id).await?;
    editable(&release)?;
    Ok(a)
}

/// Removes a file of a DRAFT or SCHEDULED release; its blobs go when nothing references them.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn remove(ctx: &AppContext, viewer: &Viewer, id: Uuid) -> AppResult<bool> {
    let a = editable_attachment(ctx, viewer, id).await?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    attachment::Entity::delete_by_id(id).exec(&txn).await?;
    let change = Change::new(viewer.actor(), "attachment.remove", "attachment", Some(id))
        .details(json!({"release": a.release_id, "filename": a.filename}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    // Its blobs stay until the collector finds nothing references them (another upload of
    // the same bytes may be about to).
    Ok(true)
}

/// Re-reads the release inside the write transaction: it may have been published since the
/// caller's check, and then its files are fixed.
async fn editable_in(txn: &sea_orm::DatabaseTransaction, release_id: Uuid) -> AppResult<()> {
    let current = crate::entities::release::Entity::find_by_id(release_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    editable(&current)
}

/// Changes a file's caption and credit (empty clears them) before publication.
#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn describe(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    caption: Option<&str>,
    credit: Option<&str>,
) -> AppResult<attachment::Model> {
    let a = editable_attachment(ctx, viewer, id).await?;
    let caption = crate::validate::opt_text("caption", caption, CAPTION_CHARS)?;
    let credit = crate::validate::opt_text("credit", credit, CAPTION_CHARS)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    editable_in(&txn, a.release_id).await?;
    let model = attachment::Entity::update(attachment::ActiveModel {
        id: Set(id),
        caption: Set(caption),
        credit: Set(credit),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let change = Change::new(
        viewer.actor(),
        "attachment.describe",
        "attachment",
        Some(id),
    )
    .details(json!({"release": a.release_id, "caption": model.caption, "credit": model.credit}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(model)
}

/// Puts a release's files in the order given (every one of its files, each once), before
/// publication: the order newsrooms see in the gallery, the zip and the feeds.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn reorder(
    ctx: &AppContext,
    viewer: &Viewer,
    release_id: Uuid,
    ids: &[Uuid],
) -> AppResult<Vec<attachment::Model>> {
    let release = releases::for_unit_voice(ctx, viewer, release_id).await?;
    editable(&release)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    editable_in(&txn, release_id).await?;
    let current: std::collections::BTreeSet<Uuid> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Id)
        .filter(attachment::Column::ReleaseId.eq(release_id))
        .into_tuple::<Uuid>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let given: std::collections::BTreeSet<Uuid> = ids.iter().copied().collect();
    if given.len() != ids.len() || given != current {
        return Err(AppError::bad_input(
            "ids",
            "must list each of the release's files exactly once",
        ));
    }
    for (position, id) in ids.iter().enumerate() {
        attachment::Entity::update_many()
            .col_expr(
                attachment::Column::Position,
                sea_orm::sea_query::Expr::value(i32::try_from(position).unwrap_or(i32::MAX)),
            )
            .filter(attachment::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    let change = Change::new(
        viewer.actor(),
        "attachment.reorder",
        "release",
        Some(release_id),
    )
    .details(json!({"order": ids}));
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    of_releases(ctx, &[release_id]).await
}

/// Deletes the stored blobs that no attachment references (removed files, discarded drafts,
/// uploads interrupted after their blob was written) once they are older than `BLOB_GRACE`:
/// an upload writes its blob before it commits its row, so a younger blob may be about to be
/// referenced. Several instances may sweep at once: deleting twice is harmless. Returns how
/// many blobs went.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn sweep(ctx: &AppContext) -> AppResult<usize> {
    let Ok(store) = storage(ctx) else {
        return Ok(0);
    };
    let cutoff = ctx.clock.now() - BLOB_GRACE;
    let mut old = Vec::new();
    let mut blobs = store.blobs();
    while let Some(item) = blobs.next().await {
        let (sha, written) = item.map_err(storage_failed)?;
        if written < cutoff && sha.len() == 64 {
            old.push(sha);
        }
    }
    let mut removed = 0;
    for chunk in old.chunks(300) {
        let used: std::collections::HashSet<String> = referenced(ctx, chunk).await?;
        for sha in chunk.iter().filter(|s| !used.contains(*s)) {
            match store.remove(sha).await {
                Ok(()) => removed += 1,
                Err(e) => tracing::warn!(error = %e, %sha, "an unreferenced blob stays"),
            }
        }
    }
    Ok(removed)
}

/// Which of `shas` some attachment uses (as its file, thumbnail or web rendition).
async fn referenced(
    ctx: &AppContext,
    shas: &[String],
) -> AppResult<std::collections::HashSet<String>> {
    let rows: Vec<(String, Option<String>, Option<String>)> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Sha256)
        .column(attachment::Column::ThumbSha256)
        .column(attachment::Column::WebSha256)
        .filter(
            attachment::Column::Sha256
                .is_in(shas.iter().cloned())
                .or(attachment::Column::ThumbSha256.is_in(shas.iter().cloned()))
                .or(attachment::Column::WebSha256.is_in(shas.iter().cloned())),
        )
        .into_tuple()
        .all(&ctx.db)
        .await?;
    Ok(rows
        .into_iter()
        .flat_map(|(a, b, c)| [Some(a), b, c])
        .flatten()
        .collect())
}

/// The files of releases, in order (for the nested field and its loader).
pub async fn of_releases(
    ctx: &AppContext,
    release_ids: &[Uuid],
) -> AppResult<Vec<attachment::Model>> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::ReleaseId.is_in(release_ids.iter().copied()))
        .order_by_asc(attachment::Column::ReleaseId)
        .order_by_asc(attachment::Column::Position)
        .all(&ctx.db)
        .await?)
}

/// Which rendition of a file is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Original,
    Thumbnail,
    Web,
}

/// A file the viewer may read: the release must be visible to them (the one policy).
pub struct Readable {
    pub attachment: attachment::Model,
    pub sha256: String,
    pub content_type: String,
}

#[tracing::instrument(skip_all, fields(id = %id), err(Debug, level = "debug"))]
pub async fn open(
    ctx: &AppContext,
    viewer: &Viewer,
    id: Uuid,
    variant: Variant,
) -> AppResult<Readable> {
    let a = attachment::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("file"))?;
    // Invisible release, invisible file: the same answer as a file that does not exist.
    releases::get(ctx, viewer, a.release_id)
        .await?
        .ok_or_else(|| AppError::not_found("file"))?;
    let (sha, ty) = match variant {
        Variant::Original => (a.sha256.clone(), a.content_type.clone()),
        Variant::Thumbnail => (
            a.thumb_sha256
                .clone()
                .ok_or_else(|| AppError::not_found("thumbnail"))?,
            "image/jpeg".to_owned(),
        ),
        Variant::Web => (
            a.web_sha256.clone().unwrap_or_else(|| a.sha256.clone()),
            if a.web_sha256.is_some() {
                "image/jpeg".to_owned()
            } else {
                a.content_type.clone()
            },
        ),
    };
    Ok(Readable {
        attachment: a,
        sha256: sha,
        content_type: ty,
    })
}

/// Records a journalist's download of a file (their outlet's, at this moment).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn record_download(
    ctx: &AppContext,
    viewer: &Viewer,
    a: &attachment::Model,
) -> AppResult<()> {
    let Some(account) = viewer.account.as_deref() else {
        return Ok(());
    };
    if account.role != Role::Journalist {
        return Ok(());
    }
    download::Entity::insert(download::ActiveModel {
        id: Set(Uuid::now_v7()),
        attachment_id: Set(a.id),
        release_id: Set(a.release_id),
        outlet_id: Set(account.outlet_id),
        journalist_id: Set(account.journalist_id),
        at: Set(ctx.clock.now()),
    })
    .exec_without_returning(&ctx.db)
    .await?;
    Ok(())
}

/// The download log of a release: its unit, ADMIN and AUDITOR.
#[tracing::instrument(skip_all, fields(release_id = %release_id), err(Debug, level = "debug"))]
pub async fn downloads(
    ctx: &AppContext,
    viewer: &Viewer,
    release_id: Uuid,
) -> AppResult<Vec<download::Model>> {
    viewer.signed_in()?;
    let r = releases::get_visible(ctx, viewer, release_id).await?;
    if !viewer.reads_all() && !viewer.sees_unit(r.unit_id, ctx.clock.now()) {
        return Err(AppError::forbidden(
            "only the unit and the authority see who downloaded",
        ));
    }
    Ok(download::Entity::find()
        .filter(download::Column::ReleaseId.eq(release_id))
        .order_by_asc(download::Column::At)
        .limit(10_000)
        .all(&ctx.db)
        .await?)
}
