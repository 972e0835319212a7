//! "Get customer documents" and "Upload document for customer" (WorkCustomers, in scope).
//! What a document must be and how it is stored (type by content, size, virus scan, KYC
//! `NONE` → `PENDING` on the first one, audited) is onboarding's (`onboarding::documents`).

use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::sales::customers::documents::{self as repo, DocumentRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::views::{self, CustomerView};
use crate::onboarding::documents::{check, save};
use crate::sales::customer_in_scope;
use crate::{App, Principal};

pub use crate::onboarding::documents::{MAX_BYTES, NoScan, ScanVerdict, VirusScanner, sniff};

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
    let checked = check(app, filename, &bytes).await?;
    let tx = app.db().begin_write().await?;
    let customer = customer_in_scope(&tx, who, id).await?;
    let saved = save(app, &tx, who, &customer, &checked, bytes).await?;
    let listed = async {
        let docs = repo::of_customer(&tx, customer.id).await?;
        let view = views::one(&tx, who.user_id, saved.customer.clone()).await?;
        Ok::<_, Error>((docs, view))
    }
    .await;
    let committed = match listed {
        Ok(out) => commit(tx).await.map(|()| out),
        Err(e) => Err(e),
    };
    match committed {
        Ok((docs, view)) => Ok((docs.into_iter().map(Into::into).collect(), view)),
        Err(e) => {
            let _ = app.services().files.delete(&saved.key).await;
            Err(e)
        }
    }
}
