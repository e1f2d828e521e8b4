//! Source material: a release's files, and who downloaded them.
use super::registry::{Journalist, Outlet};
use crate::graphql::api_error::Result;
use crate::graphql::context::{app, loaders};
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use pressnet_domain::entities::{attachment, download};
use pressnet_domain::error::AppError;
use uuid::Uuid;

pub struct Attachment(pub attachment::Model);

#[Object]
impl Attachment {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    /// The name it was uploaded with (UTF-8, Vietnamese as written).
    async fn filename(&self) -> &str {
        &self.0.filename
    }
    /// Sniffed from the bytes, not taken from the uploader.
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }
    /// True when the file is served as it was uploaded, with whatever metadata it carries
    /// (author, software, a GPS position in a video or a document): only JPEG, PNG and WebP
    /// images are re-encoded without theirs. The editor says so beside such files.
    async fn keeps_metadata(&self) -> bool {
        pressnet_domain::services::attachments::keeps_metadata(&self.0.content_type)
    }
    /// Bytes served. GraphQL's Int is 32-bit: above 2 GiB this is 2147483647; `sizeBytes`
    /// is exact.
    async fn size(&self) -> i32 {
        i32::try_from(self.0.size).unwrap_or(i32::MAX)
    }
    /// Bytes served, exactly, as a decimal string (files may exceed 2 GiB).
    async fn size_bytes(&self) -> String {
        self.0.size.to_string()
    }
    /// SHA-256 of the bytes served (hex), so a newsroom can check what it received.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    async fn caption(&self) -> Option<&str> {
        self.0.caption.as_deref()
    }
    /// Who took the photo or made the file.
    async fn credit(&self) -> Option<&str> {
        self.0.credit.as_deref()
    }
    /// Where the file is served (to viewers who may see its release).
    async fn url(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(format!(
            "{}/files/{}",
            app(ctx)?.settings.public_url,
            self.0.id
        ))
    }
    /// A 320 px JPEG, for images.
    async fn thumbnail_url(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let base = &app(ctx)?.settings.public_url;
        Ok(self
            .0
            .thumb_sha256
            .as_ref()
            .map(|_| format!("{base}/files/{}?v=thumb", self.0.id)))
    }
    /// At most 1600 px, for the web; the original when it is no larger.
    async fn web_url(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let base = &app(ctx)?.settings.public_url;
        Ok(self
            .0
            .width
            .map(|_| format!("{base}/files/{}?v=web", self.0.id)))
    }
    async fn width(&self) -> Option<i32> {
        self.0.width
    }
    async fn height(&self) -> Option<i32> {
        self.0.height
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
}

pub struct Download(pub download::Model);

#[Object]
impl Download {
    async fn attachment(&self, ctx: &Context<'_>) -> Result<Attachment> {
        let rows = loaders(ctx)?
            .attachments
            .load_one(self.0.release_id)
            .await
            .map_err(AppError::from)?
            .unwrap_or_default();
        // A download row goes with its file (ON DELETE CASCADE), so it is always there.
        rows.into_iter()
            .find(|a| a.id == self.0.attachment_id)
            .map(Attachment)
            .ok_or_else(|| AppError::not_found("attachment").into())
    }
    async fn outlet(&self, ctx: &Context<'_>) -> Result<Option<Outlet>> {
        let Some(id) = self.0.outlet_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .outlet
            .load_one(id)
            .await
            .map_err(AppError::from)?
            .map(Outlet))
    }
    async fn journalist(&self, ctx: &Context<'_>) -> Result<Option<Journalist>> {
        let Some(id) = self.0.journalist_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .journalist
            .load_one(id)
            .await
            .map_err(AppError::from)?
            .map(Journalist))
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}
