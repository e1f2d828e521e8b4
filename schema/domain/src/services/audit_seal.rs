//! Signed checkpoints of the audit chain.
//!
//! The hash chain shows an edit, but not its own truncation, nor a rewrite that recomputes every
//! later hash. A checkpoint is the chain's head (sequence number and hash) signed with the
//! server's Ed25519 key: an auditor keeps it, and `verify_against` later proves that the chain
//! still reaches that event with that hash. The signed message is the text
//! `"{seq}\n{hash}\n{at}"` (`at` as the API shows it: RFC 3339, whole seconds, `+00:00`), so any Ed25519 tool can check it
//! (README: `openssl pkeyutl -verify -rawin`).
use super::audit::{self, Verification};
use crate::context::AppContext;
use crate::entities::audit_event;
use crate::error::{AppError, AppResult, ResultExt};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::EncodePublicKey;
use ed25519_dalek::Signer;
use sea_orm::{EntityTrait, QuerySelect};

pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
    /// Base64 of the 64-byte Ed25519 signature.
    pub signature: String,
    /// The verifying key as a PEM SubjectPublicKeyInfo.
    pub public_key: String,
}

/// The text a checkpoint's signature covers: `at` exactly as the API shows it (RFC 3339,
/// whole seconds, `+00:00`).
pub(crate) fn signed_text(seq: i64, hash: &str, at: DateTime<Utc>) -> String {
    format!(
        "{seq}\n{hash}\n{}",
        at.to_rfc3339_opts(SecondsFormat::Secs, false)
    )
}

/// Signs the chain's current head.
#[tracing::instrument(skip_all, err(Debug))]
pub async fn checkpoint(ctx: &AppContext) -> AppResult<Checkpoint> {
    let key = ctx
        .server_key
        .as_deref()
        .ok_or_else(|| AppError::internal("no server key loaded"))?
        .seal();
    let (seq, hash) = audit::head(&ctx.db).await?;
    let at = DateTime::<Utc>::from_timestamp(ctx.clock.now().timestamp(), 0)
        .ok_or_else(|| AppError::internal("clock out of range"))?;
    let signature = key.sign(signed_text(seq, &hash, at).as_bytes());
    let public_key = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .internal("audit public key encoding")?;
    Ok(Checkpoint {
        seq,
        hash,
        at,
        signature: STANDARD.encode(signature.to_bytes()),
        public_key,
    })
}

/// Verifies the chain, and that it still holds the checkpoint's event with the checkpoint's
/// hash: a chain cut before `seq` fails at the first missing event, one rewritten up to `seq`
/// (every later hash recomputed) fails at `seq`.
#[tracing::instrument(skip_all, fields(seq), err(Debug))]
pub async fn verify_against(ctx: &AppContext, seq: i64, hash: &str) -> AppResult<Verification> {
    if seq < 0 {
        return Err(AppError::bad_input(
            "checkpoint.seq",
            "must not be negative",
        ));
    }
    let mut v = audit::verify(ctx).await?;
    if !v.ok || seq == 0 {
        return Ok(v);
    }
    let kept: Option<String> = audit_event::Entity::find_by_id(seq)
        .select_only()
        .column(audit_event::Column::Hash)
        .into_tuple()
        .one(&ctx.db)
        .await?;
    match kept {
        // Truncated: the events from the end of what remains up to the checkpoint are gone.
        None => {
            v.ok = false;
            v.first_bad_seq = Some(v.events_checked + 1);
        }
        Some(h) if h != hash => {
            v.ok = false;
            v.first_bad_seq = Some(seq);
        }
        Some(_) => {}
    }
    Ok(v)
}
