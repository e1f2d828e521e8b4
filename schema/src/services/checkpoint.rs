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
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer, SigningKey};
use sea_orm::{EntityTrait, QuerySelect};
use std::path::Path;

pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
    /// Base64 of the 64-byte Ed25519 signature.
    pub signature: String,
    /// The verifying key as a PEM SubjectPublicKeyInfo.
    pub public_key: String,
}

/// Reads the PKCS#8 PEM key at `path`, creating it (mode 0600) on first start.
pub fn load_or_create_key(path: &Path) -> AppResult<SigningKey> {
    let io = |what: &str, e: std::io::Error| {
        AppError::caused(format!("audit key {}: {what}", path.display()), e)
    };
    if path.exists() {
        let pem = std::fs::read_to_string(path).map_err(|e| io("read", e))?;
        return SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| AppError::caused(format!("audit key {}", path.display()), e.to_string()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io("create folder", e))?;
    }
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .internal("audit key encoding")?;
    // Written whole to a file of its own, then linked into place: an instance starting at the
    // same moment either links first or reads the key the other linked.
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    use std::io::Write;
    let mut f = opts.open(&tmp).map_err(|e| io("create", e))?;
    f.write_all(pem.as_bytes()).map_err(|e| io("write", e))?;
    f.sync_all().map_err(|e| io("sync", e))?;
    drop(f);
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return load_or_create_key(path),
        Err(e) => return Err(io("link", e)),
    }
    tracing::info!(path = %path.display(), "audit checkpoint key created");
    Ok(key)
}

/// The text a checkpoint's signature covers: `at` exactly as the API shows it (RFC 3339,
/// whole seconds, `+00:00`).
pub fn signed_text(seq: i64, hash: &str, at: DateTime<Utc>) -> String {
    format!(
        "{seq}\n{hash}\n{}",
        at.to_rfc3339_opts(SecondsFormat::Secs, false)
    )
}

/// Signs the chain's current head.
#[tracing::instrument(skip_all, err(Debug))]
pub async fn checkpoint(ctx: &AppContext) -> AppResult<Checkpoint> {
    let key = ctx
        .audit_key
        .as_deref()
        .ok_or_else(|| AppError::internal("no audit key loaded"))?;
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
