//! GraphQL multipart requests (the jaydenseric specification: `operations`, `map`, then the
//! files), read with multer under limits of our own.
//!
//! async-graphql's reader gives every part, `operations` included, the file-size limit and
//! reads `operations` whole into memory: a 200 MiB `operations` part was held in memory, and a
//! file that no operation names was still written to disk. Here each part has its own bound
//! (`operations` as large as a JSON request, `map` a few KiB, each file
//! `PRESSNET_MAX_UPLOAD_MB`), the parts must come in the specification's order, and a file is
//! written to a temporary file only when the map names it. The caller has already checked that
//! the viewer may upload, so nothing here runs for an anonymous request.
use async_graphql::{BatchRequest, UploadValue};
use axum::body::Body;
use futures::TryStreamExt;
use std::collections::HashMap;
use std::io::{Seek, SeekFrom};
use tokio::io::AsyncWriteExt;

/// Largest `map` part: one entry per file, each a short path.
const MAX_MAP_BYTES: u64 = 16 * 1024;

/// What bounds one multipart request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// The `operations` part (the GraphQL request as JSON).
    pub operations: u64,
    /// Each file.
    pub file: u64,
    /// Files in one request.
    pub files: usize,
}

/// Why a multipart request was refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MultipartError {
    #[error("the {part} part is larger than {limit} bytes")]
    PartTooLarge { part: &'static str, limit: u64 },
    #[error("a file may be at most {} MB (PRESSNET_MAX_UPLOAD_MB)", limit / (1024 * 1024))]
    FileTooLarge { limit: u64 },
    #[error("the request is larger than {limit} bytes")]
    RequestTooLarge { limit: u64 },
    #[error("{0}")]
    Malformed(String),
    #[error("a temporary file could not be written")]
    Io(#[source] std::io::Error),
}

impl From<multer::Error> for MultipartError {
    fn from(e: multer::Error) -> Self {
        match e {
            multer::Error::FieldSizeExceeded { limit, field_name } => match field_name.as_deref() {
                Some("operations") => Self::PartTooLarge {
                    part: "operations",
                    limit,
                },
                Some("map") => Self::PartTooLarge { part: "map", limit },
                _ => Self::FileTooLarge { limit },
            },
            multer::Error::StreamSizeExceeded { limit } => Self::RequestTooLarge { limit },
            other => Self::Malformed(format!("not a GraphQL multipart request: {other}")),
        }
    }
}

fn malformed(msg: &str) -> MultipartError {
    MultipartError::Malformed(msg.to_owned())
}

/// Reads a multipart body into the batch it carries, files attached to their variables.
pub(crate) async fn read(
    content_type: &str,
    body: Body,
    limits: Limits,
) -> Result<BatchRequest, MultipartError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| malformed("the multipart request has no boundary"))?;
    let files_total = limits
        .file
        .saturating_mul(limits.files as u64)
        .saturating_add(limits.operations)
        .saturating_add(MAX_MAP_BYTES);
    let size = multer::SizeLimit::new()
        .whole_stream(files_total)
        .per_field(limits.file)
        .for_field("operations", limits.operations)
        .for_field("map", MAX_MAP_BYTES);
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let mut multipart = multer::Multipart::with_constraints(
        stream,
        boundary,
        multer::Constraints::new().size_limit(size),
    );

    let mut request: Option<BatchRequest> = None;
    let mut map: Option<HashMap<String, Vec<String>>> = None;
    let mut files = 0usize;
    while let Some(mut field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "operations" => {
                if request.is_some() {
                    return Err(malformed("the operations part is sent twice"));
                }
                let bytes = field.bytes().await?;
                let batch: BatchRequest = serde_json::from_slice(&bytes)
                    .map_err(|e| MultipartError::Malformed(format!("operations: {e}")))?;
                request = Some(batch);
            }
            "map" => {
                if request.is_none() || map.is_some() {
                    return Err(malformed("the map part must follow operations, once"));
                }
                let bytes = field.bytes().await?;
                let parsed: HashMap<String, Vec<String>> = serde_json::from_slice(&bytes)
                    .map_err(|e| MultipartError::Malformed(format!("map: {e}")))?;
                if parsed.len() > limits.files {
                    return Err(MultipartError::Malformed(format!(
                        "a request may carry at most {} files",
                        limits.files
                    )));
                }
                map = Some(parsed);
            }
            _ => {
                let (Some(batch), Some(m)) = (request.as_mut(), map.as_mut()) else {
                    return Err(malformed("files must follow the operations and map parts"));
                };
                // Only a file the map names is written anywhere.
                let Some(paths) = m.remove(&name) else {
                    return Err(MultipartError::Malformed(format!(
                        "the map does not name the part {name:?}"
                    )));
                };
                files += 1;
                if files > limits.files {
                    return Err(malformed("too many files"));
                }
                let filename = field.file_name().unwrap_or_default().to_owned();
                let content_type = field.content_type().map(ToString::to_string);
                let std_file = tempfile::tempfile().map_err(MultipartError::Io)?;
                let mut file = tokio::fs::File::from_std(std_file);
                while let Some(chunk) = field.chunk().await? {
                    file.write_all(&chunk).await.map_err(MultipartError::Io)?;
                }
                file.flush().await.map_err(MultipartError::Io)?;
                let mut content = file.into_std().await;
                content
                    .seek(SeekFrom::Start(0))
                    .map_err(MultipartError::Io)?;
                let upload = UploadValue {
                    filename,
                    content_type,
                    content,
                };
                attach(batch, &paths, &upload)?;
            }
        }
    }
    let request = request.ok_or_else(|| malformed("the operations part is missing"))?;
    match map {
        None => Err(malformed("the map part is missing")),
        Some(m) if !m.is_empty() => Err(malformed("the map names files that were not sent")),
        Some(_) => Ok(request),
    }
}

/// Sets a file into every variable path the map gives for it.
fn attach(
    batch: &mut BatchRequest,
    paths: &[String],
    upload: &UploadValue,
) -> Result<(), MultipartError> {
    for path in paths {
        let copy = upload.try_clone().map_err(MultipartError::Io)?;
        match batch {
            BatchRequest::Single(r) => r.set_upload(path, copy),
            BatchRequest::Batch(list) => {
                let (index, rest) = path.split_once('.').ok_or_else(|| {
                    malformed("a batch's map paths start with the operation's index")
                })?;
                let r = index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| list.get_mut(i))
                    .ok_or_else(|| malformed("a map path names no operation of the batch"))?;
                r.set_upload(rest, copy);
            }
        }
    }
    Ok(())
}
