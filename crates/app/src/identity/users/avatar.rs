//! Profile pictures: PNG, JPEG or WebP (recognised by their magic bytes, not by the declared
//! type), at most 2 MiB, kept in the `FileStore`. Each upload gets a new random public token,
//! so the public URL changes with the picture and can be cached forever.

use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, UserRow};
use sea_orm::Set;

use crate::identity::security::random_token;
use crate::identity::users::current_user_in;
use crate::platform::links::public_link;
use crate::{App, Principal};

/// Largest accepted picture.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// An accepted image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Webp,
}

impl ImageKind {
    /// Sniffs the format from the first bytes.
    pub fn sniff(b: &[u8]) -> Option<Self> {
        if b.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if b.len() >= 12 && b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Webp].into_iter().find(|k| key.ends_with(k.extension()))
    }
}

/// Public URL of a user's picture, if any.
pub fn url_of(app: &App, user: &UserRow) -> Option<String> {
    user.avatar_token.as_ref().map(|t| public_link(app, &format!("/api/profile-pictures/{t}")))
}

/// "Upload profile picture": validates, stores, and replaces the previous picture.
pub async fn upload(app: &App, who: &Principal, bytes: Vec<u8>) -> Result<UserRow> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::PayloadTooLarge);
    }
    let Some(kind) = ImageKind::sniff(&bytes) else {
        return Err(Error::field("file", "must be a PNG, JPEG or WebP image"));
    };
    let token = random_token(24);
    let key =
        format!("avatars/{}/{}.{}", who.user_id, uuid::Uuid::new_v4().simple(), kind.extension());
    let files = &app.services().files;
    files.put(&key, bytes).await?;
    let saved = async {
        let tx = app.db().begin_write().await?;
        let user = current_user_in(&tx, who).await?;
        let old = user.avatar_key.clone();
        let mut ch = users::changes(user);
        ch.avatar_key = Set(Some(key.clone()));
        ch.avatar_token = Set(Some(token));
        let saved = users::save(&tx, ch).await?;
        commit(tx).await?;
        Ok::<_, Error>((saved, old))
    }
    .await;
    match saved {
        Ok((row, old)) => {
            if let Some(old) = old {
                remove_quietly(app, &old).await;
            }
            Ok(row)
        }
        Err(e) => {
            remove_quietly(app, &key).await;
            Err(e)
        }
    }
}

/// "Delete profile picture" (idempotent).
pub async fn delete(app: &App, who: &Principal) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let user = current_user_in(&tx, who).await?;
    let Some(old) = user.avatar_key.clone() else { return Ok(()) };
    let mut ch = users::changes(user);
    ch.avatar_key = Set(None);
    ch.avatar_token = Set(None);
    users::save(&tx, ch).await?;
    commit(tx).await?;
    remove_quietly(app, &old).await;
    Ok(())
}

/// "Get profile picture" by public token: the bytes and their content type.
pub async fn by_token(app: &App, token: &str) -> Result<(Vec<u8>, &'static str)> {
    let not_found = || Error::NotFound("profile picture");
    if token.is_empty() || token.len() > 64 {
        return Err(not_found());
    }
    let user = users::find_by_avatar_token(app.db().conn(), token).await?.ok_or_else(not_found)?;
    let key = user.avatar_key.ok_or_else(not_found)?;
    let kind = ImageKind::from_key(&key).ok_or_else(not_found)?;
    let bytes = app.services().files.get(&key).await?.ok_or_else(not_found)?;
    Ok((bytes, kind.content_type()))
}

async fn remove_quietly(app: &App, key: &str) {
    if let Err(e) = app.services().files.delete(key).await {
        tracing::warn!(error = %e, key, "could not delete a profile picture file");
    }
}

#[cfg(test)]
mod tests {
    use super::ImageKind;

    #[test]
    fn sniffs_magic_bytes() {
        assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\nrest"), Some(ImageKind::Png));
        assert_eq!(ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(ImageKind::sniff(b"GIF89a"), None);
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WAVE"), None);
    }
}
