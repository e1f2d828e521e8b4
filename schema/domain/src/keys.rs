//! The server's one secret and the keys derived from it, one per purpose.
//!
//! The secret is an Ed25519 key in PKCS#8 PEM (`PRESSNET_AUDIT_KEY_FILE`, created on first
//! start; every instance of a cluster reads the same file). It signs the audit log's seals
//! itself ([`ServerKey::seal`]); every other purpose gets a key of its own,
//! SHA-256(label ‖ 0 ‖ secret), so no two purposes share key material and one can be rotated
//! by changing its label. The labels are those the keys had before they were gathered here,
//! so browsers' push subscriptions and the file links already in e-mails stay valid.
use crate::error::{AppError, AppResult, ResultExt};
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use std::path::Path;

/// What a derived key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The VAPID key push services check (a P-256 scalar).
    Vapid,
    /// The HMAC key of signed file links in e-mails.
    FileLinks,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Vapid => b"pressnet vapid v1",
            Purpose::FileLinks => b"pressnet file links v1",
        }
    }
}

pub struct ServerKey(SigningKey);

impl ServerKey {
    /// Reads the key at `path`, creating it (mode 0600) on first start.
    #[tracing::instrument(skip_all, fields(path = %path.display()), err(Debug))]
    pub fn load_or_create(path: &Path) -> AppResult<Self> {
        load_or_create(path).map(Self)
    }

    /// The key that signs the audit log's seals (the secret itself).
    pub(crate) fn seal(&self) -> &SigningKey {
        &self.0
    }

    /// The 32-byte key for `purpose`.
    pub fn derive(&self, purpose: Purpose) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(purpose.label());
        h.update([0u8]);
        h.update(self.0.to_bytes());
        h.finalize().into()
    }
}

/// Reads the PKCS#8 PEM key at `path`, creating it (mode 0600) on first start.
fn load_or_create(path: &Path) -> AppResult<SigningKey> {
    let io = |what: &str, e: std::io::Error| {
        AppError::caused(format!("server key {}: {what}", path.display()), e)
    };
    if path.exists() {
        let pem = std::fs::read_to_string(path).map_err(|e| io("read", e))?;
        return SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
            AppError::caused(format!("server key {}", path.display()), e.to_string())
        });
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io("create folder", e))?;
    }
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .internal("server key encoding")?;
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
    let mut f = opts.open(&tmp).map_err(|e| io("create", e))?;
    std::io::Write::write_all(&mut f, pem.as_bytes()).map_err(|e| io("write", e))?;
    f.sync_all().map_err(|e| io("sync", e))?;
    drop(f);
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return load_or_create(path),
        Err(e) => return Err(io("link", e)),
    }
    tracing::info!(path = %path.display(), "server key created");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_purpose_has_its_own_key_and_the_old_derivation_is_kept() {
        let k = ServerKey(SigningKey::from_bytes(&[7u8; 32]));
        let vapid = k.derive(Purpose::Vapid);
        let links = k.derive(Purpose::FileLinks);
        assert_ne!(vapid, links);
        assert_ne!(&vapid, k.seal().to_bytes().as_slice());
        // The construction the keys had before: SHA-256("pressnet vapid v1\0" ‖ secret).
        let mut h = Sha256::new();
        h.update(b"pressnet vapid v1\0");
        h.update([7u8; 32]);
        let old: [u8; 32] = h.finalize().into();
        assert_eq!(vapid, old);
    }

    #[test]
    fn a_key_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("k.pem");
        let a = ServerKey::load_or_create(&path).unwrap_or_else(|e| panic!("{}", e.detail()));
        let b = ServerKey::load_or_create(&path).unwrap_or_else(|e| panic!("{}", e.detail()));
        assert_eq!(a.seal().to_bytes(), b.seal().to_bytes());
    }
}
