//! "Get customer documents" and "Upload document for customer" (WorkCustomers, in scope).
//! A document is a PDF, JPEG or PNG (recognised by its first bytes, not by the name or the
//! declared type) of at most [`MAX_BYTES`]. Every upload passes the [`VirusScanner`] hook
//! (a no-op by default) before it is stored. A customer whose KYC was never started moves to
//! `PENDING` with its first document. Audited.

use async_trait::async_trait;
use brokercrm_core::sales::customers::KycStatus;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::customers::documents::{self as repo, DocumentRow, NewDocument};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::views::{self, CustomerView};
use crate::platform::audit::{self, Audit};
use crate::sales::customer_in_scope;
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

/// A document's type from its first bytes: (content type, extension).
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else {
        None
    }
}

/// A document as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DocumentDto)]
pub struct DocumentView {
    pub id: String,
    pub filename: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    pub uploaded_by_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<DocumentRow> for DocumentView {
    fn from(d: DocumentRow) -> Self {
        Self {
            id: d.uuid,
            filename: d.filename,
            content_type: d.content_type,
            size: d.size_bytes,
            uploaded_by_id: d.uploaded_by,
            created_at: d.created_at,
        }
    }
}

/// "Get customer documents": newest first.
pub async fn list(app: &App, who: &Principal, id: &str) -> Result<Vec<DocumentView>> {
    let conn = app.db().conn();
    let customer = customer_in_scope(conn, who, id).await?;
    Ok(repo::of_customer(conn, customer.id).await?.into_iter().map(Into::into).collect())
}

/// A client-supplied file name reduced to a safe display name.
fn clean_name(raw: Option<&str>, ext: &str) -> String {
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
    if base.is_empty() { format!("document.{ext}") } else { base.to_owned() }
}

/// "Upload document for customer": stores the file, returns the documents and the customer.
pub async fn upload(
    app: &App,
    who: &Principal,
    id: &str,
    filename: Option<&str>,
    bytes: Vec<u8>,
) -> Result<(Vec<DocumentView>, CustomerView)> {
    // Scope first: nothing is scanned or stored for a customer the caller cannot see.
    customer_in_scope(app.db().conn(), who, id).await?;
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
        sniff(&bytes).ok_or_else(|| Error::field("file", "must be a PDF, JPEG or PNG file"))?;
    let name = clean_name(filename, ext);
    if let ScanVerdict::Infected(reason) = app.services().scanner.scan(&name, &bytes).await? {
        return Err(Error::field("file", format!("was rejected by the virus scan: {reason}")));
    }
    let uuid = uuid::Uuid::now_v7().to_string();
    let size = bytes.len() as i64;
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, who, id).await?;
    let key = format!("documents/{}/{}.{ext}", customer.id, uuid::Uuid::new_v4().simple());
    app.services().files.put(&key, bytes).await?;
    let saved = async {
        repo::insert(
            &tx,
            NewDocument {
                uuid: uuid.clone(),
                customer_id: customer.id,
                file_key: key.clone(),
                filename: name.clone(),
                content_type: content_type.to_owned(),
                size_bytes: size,
                uploaded_by: Some(who.user_id),
            },
        )
        .await?;
        let mut current = customer.clone();
        if KycStatus::stored(&customer.kyc_status) == KycStatus::None
            && let Some(row) = users::set_kyc_status(
                &tx,
                customer.id,
                KycStatus::None.as_str(),
                KycStatus::Pending.as_str(),
            )
            .await?
        {
            current = row;
        }
        audit::record(
            &tx,
            Some(who),
            Audit::new("customer.document_upload", "customer", customer.uuid.clone())
                .details(format!("document {name} ({content_type}, {size} bytes) uploaded"))
                .after(&serde_json::json!({ "documentId": uuid })),
        )
        .await?;
        let docs = repo::of_customer(&tx, customer.id).await?;
        let view = views::one(&tx, who.user_id, current).await?;
        Ok::<_, Error>((docs, view))
    }
    .await;
    match saved {
        Ok((docs, view)) => {
            commit(tx).await?;
            Ok((docs.into_iter().map(Into::into).collect(), view))
        }
        Err(e) => {
            drop(tx);
            let _ = app.services().files.delete(&key).await;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_types_and_cleans_names() {
        assert_eq!(sniff(b"%PDF-1.7 ...").map(|t| t.1), Some("pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|t| t.1), Some("jpg"));
        assert_eq!(sniff(b"MZ\x90\x00").map(|t| t.1), None);
        assert_eq!(clean_name(Some("C:\\x\\passport.pdf"), "pdf"), "passport.pdf");
        assert_eq!(clean_name(Some("../../etc/passwd"), "pdf"), "passwd");
        assert_eq!(clean_name(None, "png"), "document.png");
    }
}
