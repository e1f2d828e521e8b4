//! Bearer and invitation tokens: 256 random bits, shown once, stored only as SHA-256.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const PURPOSE_SESSION: &str = "SESSION";
pub(crate) const PURPOSE_INVITE: &str = "INVITE";

pub(crate) fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
