//! The files of banners and logos: an upload is accepted when its bytes are a JPEG or PNG
//! (sniffed with onboarding's document check, never by name or declared type) within the
//! size limit; it is stored in the file store and recorded with a random token that serves it.

use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::partners::marketing::{self as repo, FileRow, NewFile};

use crate::App;
use crate::identity::security::random_token;
use crate::onboarding::documents::sniff;

/// Largest banner image (5 MiB).
pub const MAX_BANNER_BYTES: usize = 5 * 1024 * 1024;
/// Largest logo image (1 MiB).
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// An upload that passed the checks, not stored yet.
pub struct Image {
    pub content_type: &'static str,
    pub ext: &'static str,
    pub bytes: Vec<u8>,
}

/// Checks `bytes` for form field `field`: not empty, at most `max` bytes, a JPEG or PNG by
/// content.
pub fn check_image(field: &str, bytes: Vec<u8>, max: usize) -> Result<Image> {
    if bytes.is_empty() {
        return Err(Error::field(field, "is empty"));
    }
    if bytes.len() > max {
        return Err(Error::field(field, format!("must be at most {} KiB", max / 1024)));
    }
    match sniff(&bytes) {
        Some((content_type, ext)) if content_type.starts_with("image/") => {
            Ok(Image { content_type, ext, bytes })
        }
        _ => Err(Error::field(field, "must be a JPEG or PNG image")),
    }
}

/// Stores `image` (file store, then its row on `conn`); returns the row. The caller deletes
/// the stored bytes with [`forget`] when its transaction does not commit.
pub async fn store<C: ConnectionTrait>(
    app: &App,
    conn: &C,
    purpose: &str,
    image: Image,
) -> Result<FileRow> {
    let token = random_token(24);
    let key = format!("partners/{purpose}/{}.{}", token.to_ascii_lowercase(), image.ext);
    let size = i64::try_from(image.bytes.len()).map_err(Error::internal)?;
    app.services().files.put(&key, image.bytes).await?;
    let row = repo::insert_file(
        conn,
        NewFile { token, file_key: key.clone(), content_type: image.content_type.to_owned(), size },
    )
    .await;
    if row.is_err() {
        forget(app, &key).await;
    }
    row
}

/// Deletes stored bytes (best effort: a leftover file is only disk space).
pub async fn forget(app: &App, key: &str) {
    if let Err(e) = app.services().files.delete(key).await {
        tracing::warn!(key, error = %e, "deleting a partner file failed");
    }
}

/// The path serving a file.
pub fn url_of(file: &FileRow) -> String {
    format!("/api/banners/files/{}", file.token)
}

/// "Get a banner file": the content type and bytes of the file with `token` (banners and
/// logos alike; the token is the capability). Unknown: 404.
pub async fn by_token(app: &App, token: &str) -> Result<(String, Vec<u8>)> {
    let token = token.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(Error::NotFound("file"));
    }
    let row = repo::file_by_token(app.db().conn(), token).await?.ok_or(Error::NotFound("file"))?;
    let bytes = app.services().files.get(&row.file_key).await?.ok_or(Error::NotFound("file"))?;
    Ok((row.content_type, bytes))
}
