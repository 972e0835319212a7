//! Grey-label logos (seed tags Affiliates and Referrers): an introducer whose commission model
//! has `greyLabelingEnabled` uploads a rectangular and a square logo; its clients are shown
//! them ("Get custom logos for the authenticated user's referrer").

use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::partners::introducers as ib_repo;
use brokercrm_store::repo::partners::marketing as repo;
use serde::Serialize;

use super::files::{self, MAX_LOGO_BYTES};
use crate::partners::introducers::model_of;
use crate::partners::ledger::introducer_id;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The two logos' addresses (`None`: no logo).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LogosView {
    pub rectangular_logo: Option<String>,
    pub square_logo: Option<String>,
}

/// Whether introducer `ib`'s commission model in force allows grey labeling.
pub async fn enabled_for<C: ConnectionTrait>(conn: &C, ib: i64) -> Result<bool> {
    Ok(model_of(conn, ib).await?.is_some_and(|m| m.grey_labeling_enabled))
}

async fn logos_of<C: ConnectionTrait>(conn: &C, ib: i64) -> Result<LogosView> {
    let Some(row) = repo::logos(conn, ib).await? else { return Ok(LogosView::default()) };
    let files = repo::files(conn, &[row.rectangular_file_id, row.square_file_id]).await?;
    let url = |id: i64| files.iter().find(|f| f.id == id).map(files::url_of);
    Ok(LogosView {
        rectangular_logo: url(row.rectangular_file_id),
        square_logo: url(row.square_file_id),
    })
}

/// "Check if grey labeling is enabled": the caller's model's `greyLabelingEnabled` (an
/// introducer; anyone else: 404).
pub async fn enabled(app: &App, actor: &Principal) -> Result<bool> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    enabled_for(conn, ib).await
}

/// "Get grey label logos": the caller's own.
pub async fn own(app: &App, actor: &Principal) -> Result<LogosView> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    logos_of(conn, ib).await
}

/// "Upload grey label logos": both images (JPEG or PNG by content, at most 1 MiB each),
/// replacing earlier ones; refused (403) when the caller's model does not enable grey
/// labeling. Audited.
pub async fn upload(
    app: &App,
    actor: &Principal,
    rectangular: Option<Vec<u8>>,
    square: Option<Vec<u8>>,
) -> Result<LogosView> {
    let ib = introducer_id(app.db().conn(), actor).await?;
    let mut v = Violations::new();
    let mut image = |field: &str, bytes: Option<Vec<u8>>| match bytes {
        Some(b) => v.check(files::check_image(field, b, MAX_LOGO_BYTES)),
        None => {
            v.push(field, "is required");
            None
        }
    };
    let rect = image("rectangularLogo", rectangular);
    let sq = image("squareLogo", square);
    v.finish()?;
    let (Some(rect), Some(sq)) = (rect, sq) else { return Err(Error::internal("logo check")) };
    if !enabled_for(app.db().conn(), ib).await? {
        return Err(Error::Refused(
            "grey labeling is not enabled for your commission model".into(),
        ));
    }
    let tx = app.db().begin_write().await?;
    let old = repo::logos(&tx, ib).await?;
    let r = files::store(app, &tx, "logos", rect).await?;
    let s = match files::store(app, &tx, "logos", sq).await {
        Ok(s) => s,
        Err(e) => {
            files::forget(app, &r.file_key).await;
            return Err(e);
        }
    };
    let done = async {
        repo::put_logos(&tx, ib, r.id, s.id).await?;
        let mut old_keys = Vec::new();
        if let Some(o) = &old {
            for f in repo::files(&tx, &[o.rectangular_file_id, o.square_file_id]).await? {
                repo::delete_file(&tx, f.id).await?;
                old_keys.push(f.file_key);
            }
        }
        let view = logos_of(&tx, ib).await?;
        audit::record(
            &tx,
            Some(actor),
            Audit::new("grey_label_logos.upload", "user", actor.user_uuid.clone()).after(&view),
        )
        .await?;
        Ok::<_, Error>((view, old_keys))
    }
    .await;
    let committed = match done {
        Ok(v) => commit(tx).await.map(|_| v),
        Err(e) => Err(e),
    };
    match committed {
        Ok((view, old_keys)) => {
            for k in old_keys {
                files::forget(app, &k).await;
            }
            Ok(view)
        }
        Err(e) => {
            files::forget(app, &r.file_key).await;
            files::forget(app, &s.file_key).await;
            Err(e)
        }
    }
}

/// "Delete grey label logos": the caller's own (none: 404). Audited.
pub async fn delete(app: &App, actor: &Principal) -> Result<()> {
    let ib = introducer_id(app.db().conn(), actor).await?;
    let tx = app.db().begin_write().await?;
    let row = repo::logos(&tx, ib).await?.ok_or(Error::NotFound("grey label logos"))?;
    let files = repo::files(&tx, &[row.rectangular_file_id, row.square_file_id]).await?;
    repo::delete_logos(&tx, ib).await?;
    for f in &files {
        repo::delete_file(&tx, f.id).await?;
    }
    audit::record(
        &tx,
        Some(actor),
        Audit::new("grey_label_logos.delete", "user", actor.user_uuid.clone()),
    )
    .await?;
    commit(tx).await?;
    for f in files {
        files::forget(app, &f.file_key).await;
    }
    Ok(())
}

/// "Get custom logos for the authenticated user's referrer": the logos of the caller's
/// introducer — or, for a caller without one, of the introducer whose reference key is
/// `wtreferrer` — when its model enables grey labeling; no logos otherwise.
pub async fn of_referrer(
    app: &App,
    actor: &Principal,
    wtreferrer: Option<&str>,
) -> Result<LogosView> {
    let conn = app.db().conn();
    let referrer = match ib_repo::referral(conn, actor.user_id).await? {
        Some(r) => Some(r.introducer_id),
        None => match wtreferrer.map(str::trim).filter(|k| !k.is_empty() && k.len() <= 64) {
            Some(k) => users::find_by_ref_key(conn, k).await?.map(|u| u.id),
            None => None,
        },
    };
    let Some(ib) = referrer else { return Ok(LogosView::default()) };
    if ib_repo::find(conn, ib).await?.is_none() || !enabled_for(conn, ib).await? {
        return Ok(LogosView::default());
    }
    logos_of(conn, ib).await
}
