//! Encryption at rest of stored secrets (payment-provider key values): XChaCha20-Poly1305
//! under a 256-bit data key that lives outside the database (configuration or a key file).

use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use brokercrm_core::{Error, Result};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// Prefix of a sealed value; names the format so it can change later.
const VERSION: &str = "v1:";
const NONCE_LEN: usize = 24;

/// The 256-bit data key. Its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; 32]);

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(****)")
    }
}

impl DataKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        Self(rand::random())
    }

    /// From standard base64 (padding optional) of exactly 32 bytes.
    pub fn from_base64(s: &str) -> Result<Self> {
        let s = s.trim();
        let bytes = STANDARD
            .decode(s)
            .or_else(|_| STANDARD_NO_PAD.decode(s))
            .map_err(|_| Error::BadRequest("data_key: not valid base64".into()))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::BadRequest("data_key: must be 32 bytes (256 bits)".into()))?;
        Ok(Self(key))
    }

    /// Standard base64 of the key (for the key file).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Reads the key file at `path`, or creates it (mode 0600 in a directory created 0700,
    /// never overwritten) with a new random key. An existing file readable or writable by
    /// group or others is refused. Concurrent first starts agree: the loser of the exclusive
    /// create reads the winner's key.
    pub fn load_or_create(path: &Path) -> Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(s) => {
                check_private(path)?;
                return Self::from_base64(&s).map_err(|e| key_file_error(path, e));
            }
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(key_file_error(path, e)),
            Err(_) => {}
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(|e| key_file_error(path, e))?;
        }
        let key = Self::generate();
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        match opts.open(path) {
            Ok(mut f) => {
                f.write_all(format!("{}\n", key.to_base64()).as_bytes())
                    .and_then(|()| f.sync_all())
                    .map_err(|e| key_file_error(path, e))?;
                tracing::info!(path = %path.display(), "generated a new data key file");
                Ok(key)
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                let s = std::fs::read_to_string(path).map_err(|e| key_file_error(path, e))?;
                Self::from_base64(&s).map_err(|e| key_file_error(path, e))
            }
            Err(e) => Err(key_file_error(path, e)),
        }
    }

    /// Encrypts `plain`, bound to `aad` (what the value belongs to, e.g. the row id), as
    /// `v1:` + base64(nonce ‖ ciphertext ‖ tag) with a random 192-bit nonce.
    pub fn seal(&self, aad: &[u8], plain: &[u8]) -> Result<String> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let ct = self
            .cipher()
            .encrypt(&XNonce::from(nonce_bytes), Payload { msg: plain, aad })
            .map_err(|_| Error::internal("encryption failed"))?;
        let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ct);
        Ok(format!("{VERSION}{}", STANDARD.encode(out)))
    }

    /// Decrypts what [`seal`](Self::seal) produced with the same `aad`. A wrong key, a
    /// tampered value or a value moved to another `aad` fail (internal error: it is a
    /// deployment fault, never the client's).
    pub fn open(&self, aad: &[u8], sealed: &str) -> Result<Vec<u8>> {
        let fail = || Error::internal("stored secret cannot be decrypted (wrong data key?)");
        let b64 = sealed.strip_prefix(VERSION).ok_or_else(fail)?;
        let raw = STANDARD.decode(b64).map_err(|_| fail())?;
        let (nonce, ct) = raw.split_at_checked(NONCE_LEN).ok_or_else(fail)?;
        let nonce = XNonce::try_from(nonce).map_err(|_| fail())?;
        self.cipher().decrypt(&nonce, Payload { msg: ct, aad }).map_err(|_| fail())
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(self.0))
    }
}

/// Default of `data_key_file`: its own directory under the data directory, apart from the
/// database and the uploads (and never inside a checkout's tracked files).
pub const DEFAULT_KEY_FILE: &str = "data/keys/data.key";

/// Where releases before `data_key_file` kept the generated key: beside the files directory
/// (`data/files` → `data/data.key`).
pub fn legacy_key_path(files_dir: &Path) -> PathBuf {
    files_dir.parent().unwrap_or(Path::new("")).join("data.key")
}

/// Loads or creates the data key at `key_file`. Refused: a path inside `files_dir` (the
/// uploads), and a missing key file while one exists at the legacy location (a new key would
/// make every stored secret unreadable: move the old file instead).
pub fn load_key_file(key_file: &Path, files_dir: &Path) -> Result<DataKey> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    if abs(key_file).starts_with(abs(files_dir)) {
        return Err(key_file_error(key_file, "must not be inside files_dir (the uploads)"));
    }
    let legacy = legacy_key_path(files_dir);
    if !key_file.exists() && abs(&legacy) != abs(key_file) && legacy.is_file() {
        return Err(key_file_error(
            key_file,
            format!(
                "missing, but a data key exists at the old location {}: move it there \
                 (mode 0600) or point data_key_file at it",
                legacy.display()
            ),
        ));
    }
    DataKey::load_or_create(key_file)
}

/// Refuses a key file that group or others may read or write (unix).
fn check_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            std::fs::metadata(path).map_err(|e| key_file_error(path, e))?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(key_file_error(
                path,
                format!("is accessible to group or others (mode {:o}); chmod 600 it", mode & 0o777),
            ));
        }
    }
    Ok(())
}

fn key_file_error(path: &Path, e: impl fmt::Display) -> Error {
    Error::internal(format!("data key file {}: {e}", path.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fresh_nonces() {
        let k = DataKey::generate();
        let a = k.seal(b"provider:test", b"s3cret").unwrap();
        let b = k.seal(b"provider:test", b"s3cret").unwrap();
        assert_ne!(a, b, "each seal uses a new nonce");
        assert!(a.starts_with("v1:") && !a.contains("s3cret"));
        assert_eq!(k.open(b"provider:test", &a).unwrap(), b"s3cret");
    }

    #[test]
    fn tampering_wrong_key_and_wrong_context_fail() {
        let k = DataKey::generate();
        let sealed = k.seal(b"ctx", b"value").unwrap();
        let mut raw = STANDARD.decode(sealed.trim_start_matches("v1:")).unwrap();
        if let Some(last) = raw.last_mut() {
            *last ^= 1;
        }
        let tampered = format!("v1:{}", STANDARD.encode(raw));
        assert!(k.open(b"ctx", &tampered).is_err());
        assert!(DataKey::generate().open(b"ctx", &sealed).is_err());
        assert!(k.open(b"other", &sealed).is_err());
        assert!(k.open(b"ctx", "v1:AAAA").is_err());
        assert!(k.open(b"ctx", "plain").is_err());
    }

    #[test]
    fn base64_and_key_file() {
        let k = DataKey::generate();
        assert_eq!(DataKey::from_base64(&k.to_base64()).unwrap(), k);
        assert!(DataKey::from_base64("c2hvcnQ=").is_err());
        assert!(DataKey::from_base64("not base64!").is_err());
        assert_eq!(format!("{k:?}"), "DataKey(****)");

        let dir = std::env::temp_dir().join(format!("brokercrm-key-{}", uuid::Uuid::now_v7()));
        let files = dir.join("files");
        let path = dir.join("keys/data.key");
        let first = load_key_file(&path, &files).unwrap();
        assert_eq!(load_key_file(&path, &files).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = std::fs::metadata(dir.join("keys")).unwrap().permissions().mode();
            assert_eq!(dir_mode & 0o777, 0o700);
            // A world-readable key file is refused.
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(load_key_file(&path, &files).is_err());
        }
        // Never inside the uploads.
        assert!(load_key_file(&files.join("data.key"), &files).is_err());
        // A key at the old location is not silently replaced by a new one.
        std::fs::write(legacy_key_path(&files), first.to_base64()).unwrap();
        assert!(load_key_file(&dir.join("elsewhere/data.key"), &files).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
