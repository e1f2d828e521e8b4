//! `GET /files/{id}`: an attachment's bytes, only to viewers who may see its release (the one
//! visibility policy, through `attachments::open`), streamed from storage. `?v=thumb` and
//! `?v=web` serve an image's renditions. Single `Range` requests get 206 (video seeks), the
//! SHA-256 is the `ETag` (`If-None-Match` gets 304), and the original UTF-8 filename travels in
//! `Content-Disposition` (RFC 6266, with RFC 8187's `filename*`). A journalist's download is
//! logged.
use super::error::HttpError;
use super::viewer::Signed;
use super::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use pressnet_domain::services::attachments::{self, Variant};
use pressnet_domain::services::file_links;
use pressnet_domain::AppError;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct FileQuery {
    v: Option<String>,
    /// A signed link from a release e-mail (`file_links`): the outlet, expiry and signature.
    outlet: Option<String>,
    expires: Option<String>,
    signature: Option<String>,
}

impl FileQuery {
    /// The signed link's parameters, if this is one; a malformed one is a file not found.
    fn link(&self) -> Result<Option<file_links::LinkParams>, AppError> {
        let Some(signature) = &self.signature else {
            return Ok(None);
        };
        let bad = || AppError::not_found("file");
        Ok(Some(file_links::LinkParams {
            outlet: self
                .outlet
                .as_deref()
                .and_then(|o| Uuid::parse_str(o).ok())
                .ok_or_else(bad)?,
            expires: self
                .expires
                .as_deref()
                .and_then(|e| e.parse().ok())
                .ok_or_else(bad)?,
            signature: signature.clone(),
        }))
    }
}

/// A single byte range of a `size`-byte file: `bytes=a-b`, `bytes=a-`, `bytes=-n`. `None`: no
/// usable range (serve it all); `Some(Err)`: unsatisfiable (416).
fn range_of(headers: &HeaderMap, size: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = headers
        .get(header::RANGE)?
        .to_str()
        .ok()?
        .trim()
        .strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None; // several ranges: the whole file is a valid answer (RFC 9110 §14.2)
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            if n == 0 {
                return Some(Err(()));
            }
            (size.saturating_sub(n), size.checked_sub(1)?)
        }
        (s, "") => (s.parse().ok()?, size.checked_sub(1)?),
        (s, e) => (
            s.parse().ok()?,
            e.parse::<u64>().ok()?.min(size.saturating_sub(1)),
        ),
    };
    if start >= size || start > end {
        return Some(Err(()));
    }
    Some(Ok((start, end)))
}

/// `inline` where a browser shows the type itself, `attachment` otherwise; the filename as
/// ASCII for old clients and exactly (UTF-8, percent-encoded) in `filename*`.
fn disposition(filename: &str, content_type: &str) -> String {
    let kind = if content_type.starts_with("image/")
        || content_type.starts_with("video/")
        || content_type.starts_with("audio/")
        || content_type == "application/pdf"
    {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = deunicode::deunicode(filename)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn file(
    State(state): State<AppState>,
    Signed { viewer, .. }: Signed,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::not_found("file"))?;
    let variant = match q.v.as_deref() {
        None | Some("") => Variant::Original,
        Some("thumb") => Variant::Thumbnail,
        Some("web") => Variant::Web,
        Some(_) => return Err(AppError::bad_input("v", "is thumb or web").into()),
    };
    let ctx = &state.ctx;
    // A signed link reads as the outlet it was sent to, whoever holds it.
    let viewer = match q.link()? {
        Some(link) => file_links::viewer(ctx, id, &link).await?,
        None => viewer,
    };
    let file = attachments::open(ctx, &viewer, id, variant).await?;
    let store = attachments::storage(ctx)?;
    let etag = format!("\"{}\"", file.sha256);
    let common = |b: axum::http::response::Builder| {
        b.header(header::ETAG, &etag)
            .header(header::ACCEPT_RANGES, "bytes")
            // The visibility rule decides per viewer: shared caches must not keep it.
            .header(header::CACHE_CONTROL, "private, max-age=300")
            .header(header::VARY, "Authorization")
    };
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return Ok(common(Response::builder().status(StatusCode::NOT_MODIFIED))
            .body(Body::empty())
            .map_err(|e| AppError::caused("a response", e))?);
    }
    let size = if variant == Variant::Original
        || (variant == Variant::Web && file.attachment.web_sha256.is_none())
    {
        Some(u64::try_from(file.attachment.size).unwrap_or(0))
    } else {
        None
    };
    let range = match size {
        Some(size) => match range_of(&headers, size) {
            Some(Err(())) => {
                return Ok(
                    common(Response::builder().status(StatusCode::RANGE_NOT_SATISFIABLE))
                        .header(header::CONTENT_RANGE, format!("bytes */{size}"))
                        .body(Body::empty())
                        .map_err(|e| AppError::caused("a response", e))?,
                );
            }
            Some(Ok(r)) => Some((r, size)),
            None => None,
        },
        None => None,
    };
    let stream = store
        .read(&file.sha256, range.map(|((a, b), _)| a..b + 1))
        .await
        .map_err(|e| {
            AppError::unavailable("the file storage is unavailable; try again in a moment", e)
        })?;
    // A download is the first byte asked for: a video's later seeks are the same download.
    if variant == Variant::Original && range.is_none_or(|((a, _), _)| a == 0) {
        attachments::record_download(ctx, &viewer, &file.attachment).await?;
    }
    let body = Body::from_stream(stream.map(|r| r.map_err(std::io::Error::other)));
    let mut b = common(Response::builder())
        .header(header::CONTENT_TYPE, &file.content_type)
        .header(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition(&file.attachment.filename, &file.content_type))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
        )
        .header("x-content-sha256", &file.sha256);
    b = match (range, size) {
        (Some(((a, e), size)), _) => b
            .status(StatusCode::PARTIAL_CONTENT)
            .header(header::CONTENT_RANGE, format!("bytes {a}-{e}/{size}"))
            .header(header::CONTENT_LENGTH, e - a + 1),
        (None, Some(size)) => b
            .status(StatusCode::OK)
            .header(header::CONTENT_LENGTH, size),
        (None, None) => b.status(StatusCode::OK),
    };
    Ok(b.body(body)
        .map_err(|e| AppError::caused("a response", e))?
        .into_response())
}

/// A zip entry's name for the `n`-th file: a plain name in the archive's top folder, whatever
/// the uploader called the file. Path separators of every system, `.`/`..`, drive letters and
/// control characters go, so no unzip writes outside the folder it extracts to (zip slip).
fn entry_name(n: usize, filename: &str) -> String {
    let kept: String = filename
        .chars()
        .filter(|c| !c.is_control() && *c != ':')
        .collect();
    match pressnet_domain::validate::base_name(&kept) {
        "" => format!("{n:02}-tep"),
        name => format!("{n:02}-{name}"),
    }
}

/// `GET /releases/{id}/files.zip`: every file of a release the viewer may see, as one zip
/// streamed while it is read from storage (entries stored, not compressed: photos, clips and
/// PDFs are compressed already). Each file counts as a download.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn zip(
    State(state): State<AppState>,
    Signed { viewer, .. }: Signed,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    use futures::AsyncWriteExt;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::not_found("release"))?;
    let ctx = &state.ctx;
    let release = pressnet_domain::services::releases::get_visible(ctx, &viewer, id).await?;
    let files = attachments::of_releases(ctx, &[id]).await?;
    if files.is_empty() {
        return Err(AppError::not_found("files").into());
    }
    let store = attachments::storage(ctx)?.clone();
    for a in &files {
        attachments::record_download(ctx, &viewer, a).await?;
    }
    let (w, r) = tokio::io::duplex(256 * 1024);
    tokio::spawn(async move {
        let written: Result<(), Box<dyn std::error::Error + Send + Sync>> = async {
            let mut zip = async_zip::base::write::ZipFileWriter::with_tokio(w);
            for (i, a) in files.iter().enumerate() {
                let name = entry_name(i + 1, &a.filename);
                let entry =
                    async_zip::ZipEntryBuilder::new(name.into(), async_zip::Compression::Stored);
                let mut out = zip.write_entry_stream(entry).await?;
                let mut bytes = store.read(&a.sha256, None).await?;
                while let Some(chunk) = bytes.next().await {
                    out.write_all(&chunk?).await?;
                }
                out.close().await?;
            }
            zip.close().await?;
            Ok(())
        }
        .await;
        // The client sees a truncated zip, which every unzip reports.
        if let Err(e) = written {
            tracing::warn!(error = %e, "a release's zip stopped");
        }
    });
    let name = format!(
        "{}.zip",
        deunicode::deunicode(&release.title)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
            .take(80)
            .collect::<String>()
            .trim()
    );
    Response::builder()
        .header(header::CONTENT_TYPE, "application/zip")
        .header(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition(&name, "application/zip"))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
        )
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(Body::from_stream(tokio_util::io::ReaderStream::new(r)))
        .map_err(|e| AppError::caused("a response", e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::RANGE, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(range_of(&h("bytes=0-99"), 1000), Some(Ok((0, 99))));
        assert_eq!(range_of(&h("bytes=900-"), 1000), Some(Ok((900, 999))));
        assert_eq!(range_of(&h("bytes=-100"), 1000), Some(Ok((900, 999))));
        assert_eq!(range_of(&h("bytes=990-2000"), 1000), Some(Ok((990, 999))));
        assert_eq!(range_of(&h("bytes=1000-"), 1000), Some(Err(())));
        assert_eq!(range_of(&h("bytes=0-1,5-9"), 1000), None);
        assert_eq!(range_of(&HeaderMap::new(), 1000), None);
    }

    #[test]
    fn zip_entries_stay_in_their_folder() {
        assert_eq!(entry_name(1, "../../etc/passwd"), "01-passwd");
        assert_eq!(entry_name(2, "..\\..\\Windows\\win.ini"), "02-win.ini");
        assert_eq!(entry_name(3, "C:evil.exe"), "03-Cevil.exe");
        assert_eq!(entry_name(4, ".."), "04-tep");
        assert_eq!(entry_name(5, "Ảnh họp báo.jpg"), "05-Ảnh họp báo.jpg");
        assert_eq!(entry_name(6, "/abs/.hidden"), "06-hidden");
    }

    #[test]
    fn the_filename_travels_exactly() {
        let d = disposition("Ảnh họp báo.jpg", "image/jpeg");
        assert!(d.starts_with("inline; filename=\"Anh hop bao.jpg\""), "{d}");
        assert!(
            d.contains("filename*=UTF-8''%E1%BA%A2nh%20h%E1%BB%8Dp%20b%C3%A1o.jpg"),
            "{d}"
        );
    }
}
