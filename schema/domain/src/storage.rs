//! Where attachments' bytes live (`PRESSNET_STORAGE_URL`), behind one interface over the
//! `object_store` crate: a directory (`file:///path`, the default under the data directory) or
//! S3-compatible object storage (`s3://bucket?endpoint=…&region=…`, credentials from the usual
//! `AWS_*` variables) when several instances share the files.
//!
//! Blobs are content-addressed (`blobs/<sha256>`): the same file uploaded twice is stored once,
//! and a blob is written whole or not at all (a multipart upload that fails is aborted), so an
//! interrupted upload leaves nothing a reader could see.
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use futures::StreamExt;
use object_store::path::Path;
use object_store::{
    GetOptions, GetRange, GetResultPayload, ObjectStore, ObjectStoreExt, WriteMultipart,
};
use std::ops::Range;
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

/// Bytes read from a file per part written: object stores take parts of 5 MiB or more.
const PART: usize = 8 * 1024 * 1024;
/// Bytes read from a local blob at a time while it is served: 50 downloads hold 6.25 MiB.
const READ_CHUNK: usize = 128 * 1024;
/// Parts in flight at once, so an upload holds at most this many parts in memory.
const PARTS_IN_FLIGHT: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("PRESSNET_STORAGE_URL {0:?} is not a file:// or s3:// URL")]
    Url(String),
    #[error("the object store refused: {0}")]
    Store(#[from] object_store::Error),
    #[error("reading the upload: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// For logs and the README's "which storage" question.
    pub kind: &'static str,
}

fn blob_path(sha256: &str) -> Path {
    Path::from(format!("blobs/{sha256}"))
}

impl Storage {
    /// Opens `file:///dir` (created if missing) or `s3://bucket?endpoint=…&region=…`.
    pub fn from_url(url: &str) -> Result<Self, StorageError> {
        if let Some(dir) = url.strip_prefix("file://") {
            std::fs::create_dir_all(dir)?;
            let store = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
            return Ok(Self {
                store: Arc::new(store),
                kind: "directory",
            });
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, query) = rest.split_once('?').unwrap_or((rest, ""));
            let bucket = bucket.trim_end_matches('/');
            if bucket.is_empty() {
                return Err(StorageError::Url(url.to_owned()));
            }
            let mut b = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                b = match k {
                    "endpoint" => b.with_endpoint(v).with_allow_http(v.starts_with("http://")),
                    "region" => b.with_region(v),
                    _ => return Err(StorageError::Url(url.to_owned())),
                };
            }
            return Ok(Self {
                store: Arc::new(b.build()?),
                kind: "s3",
            });
        }
        Err(StorageError::Url(url.to_owned()))
    }

    /// Whether the blob is stored and was written at `since` or later. An older copy is
    /// written again: the collector (`attachments::sweep`) spares only blobs younger than its
    /// grace period that nothing references, and an upload's row is committed right after
    /// its blob is written.
    pub(crate) async fn has_since(
        &self,
        sha256: &str,
        since: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        match self.store.head(&blob_path(sha256)).await {
            Ok(meta) => Ok(meta.last_modified >= since),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores a local file as the blob `sha256`, streamed a part at a time (never whole in
    /// memory); nothing is written if a copy written since `since` is there.
    pub(crate) async fn put_file(
        &self,
        sha256: &str,
        file: std::fs::File,
        since: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        if self.has_since(sha256, since).await? {
            return Ok(());
        }
        let upload = self.store.put_multipart(&blob_path(sha256)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut f = tokio::fs::File::from_std(file);
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let n = match f.read(&mut buf).await {
                Ok(n) => n,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(e.into());
                }
            };
            if n == 0 {
                break;
            }
            if let Err(e) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                let _ = writer.abort().await;
                return Err(e.into());
            }
            writer.write(buf.get(..n).unwrap_or_default());
        }
        writer.finish().await?;
        Ok(())
    }

    /// Stores bytes already in memory (thumbnails, web renditions: small by construction).
    pub(crate) async fn put_bytes(
        &self,
        sha256: &str,
        bytes: Vec<u8>,
        since: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        if self.has_since(sha256, since).await? {
            return Ok(());
        }
        self.store
            .put(&blob_path(sha256), Bytes::from(bytes).into())
            .await?;
        Ok(())
    }

    /// The blob's bytes (or `range` of them), as a stream.
    pub async fn read(
        &self,
        sha256: &str,
        range: Option<Range<u64>>,
    ) -> Result<BoxStream<'static, Result<Bytes, StorageError>>, StorageError> {
        let opts = GetOptions::default().with_range(range.map(GetRange::Bounded));
        let got = self.store.get_opts(&blob_path(sha256), opts).await?;
        let range = got.range.clone();
        match got.payload {
            // object_store reads a local file 8 KiB per blocking task; reads of READ_CHUNK
            // keep a download near what a plain static file server manages (BENCHMARKS.md).
            GetResultPayload::File(mut file, _) => {
                use std::io::{Seek, SeekFrom};
                file.seek(SeekFrom::Start(range.start))?;
                let file = tokio::fs::File::from_std(file).take(range.end - range.start);
                Ok(ReaderStream::with_capacity(file, READ_CHUNK)
                    .map(|r| r.map_err(StorageError::from))
                    .boxed())
            }
            GetResultPayload::Stream(s) => Ok(s.map(|r| r.map_err(StorageError::from)).boxed()),
        }
    }

    /// Every stored blob: its name (the SHA-256) and when it was written.
    pub fn blobs(&self) -> BoxStream<'static, Result<(String, DateTime<Utc>), StorageError>> {
        let prefix = Path::from("blobs");
        self.store
            .list(Some(&prefix))
            .map(|r| {
                r.map(|meta| {
                    let name = meta.location.filename().unwrap_or_default().to_owned();
                    (name, meta.last_modified)
                })
                .map_err(StorageError::from)
            })
            .boxed()
    }

    /// Removes a blob nobody references any more.
    pub async fn remove(&self, sha256: &str) -> Result<(), StorageError> {
        match self.store.delete(&blob_path(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
