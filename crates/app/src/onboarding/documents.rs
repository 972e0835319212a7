//! Customer documents: what an upload must be (a PDF, JPEG or PNG recognised by its bytes
//! with the `infer` crate — never by its name or declared type — of at most [`MAX_BYTES`],
//! passed by the [`VirusScanner`]), storing it (file store + row + KYC `NONE` → `PENDING`,
//! audited) for the staff's upload (sales) and the client's own ("Upload document").

use async_trait::async_trait;
use brokercrm_core::onboarding::kyc::KycStatus;
use brokercrm_core::{Error, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::onboarding::documents::{self as repo, DocumentRow, NewDocument};

use crate::identity::users::current_user;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Largest document accepted (10 MiB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The verdict of a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanVerdict {
    Clean,
    /// Rejected, with a reason shown to the uploader.
    Infected(String),
}

/// Scans an uploaded file before it is stored (ClamAV, a cloud scanner...).
#[async_trait]
pub trait VirusScanner: Send + Sync {
    async fn scan(&self, filename: &str, bytes: &[u8]) -> Result<ScanVerdict>;
}

/// The default scanner: accepts everything.
pub struct NoScan;

#[async_trait]
impl VirusScanner for NoScan {
    async fn scan(&self, _filename: &str, _bytes: &[u8]) -> Result<ScanVerdict> {
        Ok(ScanVerdict::Clean)
    }
}

/// A document's type from its content: (content type, extension); `None` for anything but
/// a PDF, JPEG or PNG (an HTML page, a script, an executable...).
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match infer::get(bytes)?.mime_type() {
        "application/pdf" => Some(("application/pdf", "pdf")),
        "image/jpeg" => Some(("image/jpeg", "jpg")),
        "image/png" => Some(("image/png", "png")),
        _ => None,
    }
}

/// A client-supplied file name reduced to a safe display name whose extension matches the
/// sniffed type (`scan.png` holding a PDF is shown as `scan.pdf`).
pub fn clean_name(raw: Option<&str>, ext: &str) -> String {
    let base = raw
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>();
    let base = base.trim();
    if base.is_empty() {
        return format!("document.{ext}");
    }
    let (stem, given) = match base.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e.to_ascii_lowercase()),
        _ => (base, String::new()),
    };
    let fits = given == ext || (ext == "jpg" && given == "jpeg");
    if fits { base.to_owned() } else { format!("{stem}.{ext}") }
}

/// An upload that passed every check.
#[derive(Debug, Clone)]
pub struct Checked {
    pub content_type: &'static str,
    pub ext: &'static str,
    pub name: String,
}

/// Checks an upload: not empty, not too large, a known type by content, clean.
pub async fn check(app: &App, filename: Option<&str>, bytes: &[u8]) -> Result<Checked> {
    if bytes.is_empty() {
        return Err(Error::field("file", "is empty"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Error::field(
            "file",
            format!("must be at most {} MiB", MAX_BYTES / 1024 / 1024),
        ));
    }
    let (content_type, ext) =
        sniff(bytes).ok_or_else(|| Error::field("file", "must be a PDF, JPEG or PNG file"))?;
    let name = clean_name(filename, ext);
    if let ScanVerdict::Infected(reason) = app.services().scanner.scan(&name, bytes).await? {
        return Err(Error::field("file", format!("was rejected by the virus scan: {reason}")));
    }
    Ok(Checked { content_type, ext, name })
}

/// A stored document and the customer after it (KYC moved to `PENDING` on a first upload).
pub struct Saved {
    pub document: DocumentRow,
    pub customer: UserRow,
    /// The file store key (the caller deletes it when its transaction does not commit).
    pub key: String,
}

/// Stores `bytes` for `customer` in `tx`: the file, the row, the KYC move, the audit entry.
/// On an error after the file was written, the file is deleted again.
pub async fn save(
    app: &App,
    tx: &DatabaseTransaction,
    who: &Principal,
    customer: &UserRow,
    checked: &Checked,
    bytes: Vec<u8>,
) -> Result<Saved> {
    let uuid = uuid::Uuid::now_v7().to_string();
    let size = bytes.len() as i64;
    let key =
        format!("documents/{}/{}.{}", customer.id, uuid::Uuid::new_v4().simple(), checked.ext);
    app.services().files.put(&key, bytes).await?;
    let saved = async {
        let document = repo::insert(
            tx,
            NewDocument {
                uuid: uuid.clone(),
                customer_id: customer.id,
                file_key: key.clone(),
                filename: checked.name.clone(),
                content_type: checked.content_type.to_owned(),
                size_bytes: size,
                uploaded_by: Some(who.user_id),
            },
        )
        .await?;
        let mut current = customer.clone();
        if KycStatus::stored(&customer.kyc_status) == KycStatus::None
            && let Some(row) = users::set_kyc_status(
                tx,
                customer.id,
                KycStatus::None.as_str(),
                KycStatus::Pending.as_str(),
            )
            .await?
        {
            current = row;
        }
        audit::record(
            tx,
            Some(who),
            Audit::new("customer.document_upload", "customer", customer.uuid.clone())
                .details(format!(
                    "document {} ({}, {size} bytes) uploaded",
                    checked.name, checked.content_type
                ))
                .after(&serde_json::json!({ "documentId": uuid })),
        )
        .await?;
        Ok::<_, Error>((document, current))
    }
    .await;
    match saved {
        Ok((document, customer)) => Ok(Saved { document, customer, key }),
        Err(e) => {
            let _ = app.services().files.delete(&key).await;
            Err(e)
        }
    }
}

/// "Upload document": the authenticated customer's own document.
pub async fn upload_own(
    app: &App,
    who: &Principal,
    filename: Option<&str>,
    bytes: Vec<u8>,
) -> Result<DocumentRow> {
    let me = current_user(app, who).await?;
    if me.role != brokercrm_core::identity::auth::Role::Customer.as_str() {
        return Err(Error::Refused("only customers upload their own documents".into()));
    }
    let checked = check(app, filename, &bytes).await?;
    let tx = app.db().begin_write().await?;
    let me = crate::identity::users::current_user_in(&tx, who).await?;
    let saved = save(app, &tx, who, &me, &checked, bytes).await?;
    if let Err(e) = commit(tx).await {
        let _ = app.services().files.delete(&saved.key).await;
        return Err(e);
    }
    Ok(saved.document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_types_and_cleans_names() {
        assert_eq!(sniff(b"%PDF-1.7 ...").map(|t| t.1), Some("pdf"));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']).map(|t| t.1),
            Some("jpg")
        );
        assert_eq!(sniff(b"<!DOCTYPE html><html><script>x</script></html>"), None);
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00\x00\x00"), None);
        assert_eq!(clean_name(Some("C:\\x\\passport.pdf"), "pdf"), "passport.pdf");
        assert_eq!(clean_name(Some("../../etc/passwd"), "pdf"), "passwd.pdf");
        assert_eq!(clean_name(Some("scan.PNG"), "pdf"), "scan.pdf");
        assert_eq!(clean_name(Some("id.jpeg"), "jpg"), "id.jpeg");
        assert_eq!(clean_name(None, "png"), "document.png");
    }
}
