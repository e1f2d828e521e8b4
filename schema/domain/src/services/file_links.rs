//! Signed, expiring links to a release's files, for the e-mail sent to an outlet's newsroom.
//!
//! An e-mail carries links, not the files: a newsroom inbox is not the place for a 500 MB clip,
//! and a link can still be refused later. A link names the file, the outlet the e-mail was
//! addressed to and its expiry, with an HMAC-SHA256 over the three. Whoever opens it reads as
//! that outlet's press would: through the one visibility rule (`attachments::open`), so a link
//! stops working when the release is no longer visible to the outlet (its accreditation
//! suspended or lapsed) as well as when it expires. The key is derived from the audit signing
//! key (`PRESSNET_AUDIT_KEY_FILE`), which every instance of one deployment shares.
use crate::auth::Viewer;
use crate::context::AppContext;
use crate::entities::outlet;
use crate::error::{AppError, AppResult};
use crate::keys::Purpose;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::EntityTrait;
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// A link's parameters, as they come back in its query string.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct LinkParams {
    pub outlet: Uuid,
    pub expires: i64,
    pub signature: String,
}

fn mac(ctx: &AppContext) -> Option<HmacSha256> {
    let key = ctx.server_key.as_ref()?;
    HmacSha256::new_from_slice(&key.derive(Purpose::FileLinks)).ok()
}

fn message(file: Uuid, outlet: Uuid, expires: i64) -> String {
    format!("file\n{file}\n{outlet}\n{expires}")
}

/// The absolute URL of `file` for `outlet`'s newsroom, valid until `expires`; `None` when this
/// server has no key to sign with.
pub fn link(ctx: &AppContext, file: Uuid, outlet: Uuid, expires: DateTime<Utc>) -> Option<String> {
    let mut m = mac(ctx)?;
    let at = expires.timestamp();
    m.update(message(file, outlet, at).as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    Some(format!(
        "{}/files/{file}?outlet={outlet}&expires={at}&signature={sig}",
        ctx.settings.public_url
    ))
}

/// The viewer a valid link stands for: the press of the outlet it was made for, as the outlet
/// is now. A forged, altered or expired link is refused as if the file did not exist.
#[tracing::instrument(skip_all, fields(file = %file), err(Debug, level = "debug"))]
pub async fn viewer(ctx: &AppContext, file: Uuid, p: &LinkParams) -> AppResult<Viewer> {
    let refused = || AppError::not_found("file");
    let mut m = mac(ctx).ok_or_else(refused)?;
    m.update(message(file, p.outlet, p.expires).as_bytes());
    let sig = URL_SAFE_NO_PAD
        .decode(p.signature.as_bytes())
        .map_err(|_| refused())?;
    m.verify_slice(&sig).map_err(|_| refused())?;
    if ctx.clock.now().timestamp() >= p.expires {
        return Err(AppError::forbidden(
            "this link has expired: open the release in pressnet",
        ));
    }
    let o = outlet::Entity::find_by_id(p.outlet)
        .one(&ctx.db)
        .await?
        .ok_or_else(refused)?;
    Ok(Viewer::newsroom_of(&o))
}
