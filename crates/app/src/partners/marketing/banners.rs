//! Seed tag Banners: staff upload marketing banners (an image, a name, a date window, an
//! optional link and its target); everyone signed in sees the one active now; the image is
//! served by its file's token.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::db::commit;
use brokercrm_store::repo::partners::marketing::{self as repo, BannerFields, BannerRow, FileRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::files::{self, MAX_BANNER_BYTES};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The link targets a banner may open its link in.
pub const LINK_TARGETS: [&str; 4] = ["_blank", "_self", "_parent", "_top"];

/// A banner as shown.
#[derive(Debug, Clone, Serialize)]
pub struct BannerView {
    pub id: i64,
    pub name: String,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub link: Option<String>,
    pub link_target: String,
    /// Where the image is served.
    pub url: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn view(b: BannerRow, f: &FileRow) -> BannerView {
    BannerView {
        id: b.id,
        name: b.name,
        start_at: b.start_at,
        end_at: b.end_at,
        link: b.link,
        link_target: b.link_target,
        url: files::url_of(f),
        content_type: f.content_type.clone(),
        size: f.size,
        created_at: b.created_at,
        updated_at: b.updated_at,
    }
}

/// The form as sent (multipart text fields and the file).
#[derive(Debug, Default)]
pub struct BannerInput {
    pub name: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub link: Option<String>,
    pub link_target: Option<String>,
    pub file: Option<Vec<u8>>,
}

struct Parsed {
    name: String,
    start_at: DateTime<Utc>,
    end_at: DateTime<Utc>,
    link: Option<String>,
    link_target: String,
    image: Option<files::Image>,
}

fn date(v: &mut Violations, field: &str, raw: Option<&str>) -> Option<DateTime<Utc>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            v.push(field, "is required");
            None
        }
        Some(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(d) => Some(d.with_timezone(&Utc)),
            Err(_) => {
                v.push(field, "must be an RFC 3339 date-time");
                None
            }
        },
    }
}

/// Validates `input`; the file is required when `file_required`.
fn parse(input: BannerInput, file_required: bool) -> Result<Parsed> {
    let mut v = Violations::new();
    let name = v.check(text("name", input.name.as_deref().unwrap_or(""), 200));
    let start_at = date(&mut v, "startDate", input.start_date.as_deref());
    let end_at = date(&mut v, "endDate", input.end_date.as_deref());
    if let (Some(s), Some(e)) = (start_at, end_at)
        && e <= s
    {
        v.push("endDate", "must be after startDate");
    }
    let link = input.link.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
    if let Some(l) = &link
        && (l.len() > 2000 || !(l.starts_with("https://") || l.starts_with("http://")))
    {
        v.push("link", "must be an http(s) URL of at most 2000 characters");
    }
    let link_target = input.link_target.map(|t| t.trim().to_owned()).unwrap_or_default();
    if !LINK_TARGETS.contains(&link_target.as_str()) {
        v.push("linkTarget", format!("must be one of {}", LINK_TARGETS.join(", ")));
    }
    let image = match input.file {
        Some(bytes) => v.check(files::check_image("file", bytes, MAX_BANNER_BYTES)),
        None => {
            if file_required {
                v.push("file", "is required");
            }
            None
        }
    };
    v.finish()?;
    Ok(Parsed {
        name: name.unwrap_or_default(),
        start_at: start_at.unwrap_or_default(),
        end_at: end_at.unwrap_or_default(),
        link,
        link_target,
        image,
    })
}

/// "Get all banners": staff who read commissions, and introducers (their marketing material).
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<BannerView>> {
    if actor.require(Permission::ReadCommissions).is_err() {
        actor.require(Permission::ReadOwnCommissions)?;
    }
    let conn = app.db().conn();
    let rows = repo::banners(conn).await?;
    let ids: Vec<i64> = rows.iter().map(|b| b.file_id).collect();
    let files = repo::files(conn, &ids).await?;
    rows.into_iter()
        .map(|b| {
            let f = files
                .iter()
                .find(|f| f.id == b.file_id)
                .ok_or_else(|| Error::internal("banner without its file"))?;
            Ok(view(b, f))
        })
        .collect()
}

/// "Get the active banner": the one whose window holds now (the latest start); anyone
/// signed in.
pub async fn active(app: &App) -> Result<Option<BannerView>> {
    let conn = app.db().conn();
    let Some(b) = repo::active_banner(conn, app.services().clock.now()).await? else {
        return Ok(None);
    };
    let f = repo::file(conn, b.file_id).await?.ok_or_else(|| Error::internal("banner file"))?;
    Ok(Some(view(b, &f)))
}

/// "Create a new banner" (ManageCommissions; audited).
pub async fn create(app: &App, actor: &Principal, input: BannerInput) -> Result<BannerView> {
    actor.require(Permission::ManageCommissions)?;
    let p = parse(input, true)?;
    let image = p.image.ok_or_else(|| Error::field("file", "is required"))?;
    let tx = app.db().begin_write().await?;
    let file = files::store(app, &tx, "banners", image).await?;
    let fields = BannerFields {
        name: p.name,
        start_at: p.start_at,
        end_at: p.end_at,
        link: p.link,
        link_target: p.link_target,
        file_id: file.id,
    };
    let done = async {
        let b = repo::insert_banner(&tx, fields).await?;
        let v = view(b, &file);
        audit::record(
            &tx,
            Some(actor),
            Audit::new("banner.create", "banner", v.id.to_string())
                .details(v.name.clone())
                .after(&v),
        )
        .await?;
        Ok::<_, Error>(v)
    }
    .await;
    finish(app, tx, done, &file).await
}

/// Commits `tx` when `done` succeeded; otherwise (or when the commit fails) forgets `file`.
async fn finish(
    app: &App,
    tx: brokercrm_store::DatabaseTransaction,
    done: Result<BannerView>,
    file: &FileRow,
) -> Result<BannerView> {
    let committed = match done {
        Ok(v) => commit(tx).await.map(|_| v),
        Err(e) => Err(e),
    };
    if committed.is_err() {
        files::forget(app, &file.file_key).await;
    }
    committed
}

/// "Update a banner": every field; a new file replaces the image (the old one is deleted),
/// none keeps it (ManageCommissions; audited).
pub async fn update(
    app: &App,
    actor: &Principal,
    id: i64,
    input: BannerInput,
) -> Result<BannerView> {
    actor.require(Permission::ManageCommissions)?;
    let p = parse(input, false)?;
    let tx = app.db().begin_write().await?;
    let row = repo::banner(&tx, id).await?.ok_or(Error::NotFound("banner"))?;
    let old = repo::file(&tx, row.file_id).await?.ok_or_else(|| Error::internal("banner file"))?;
    let before = view(row.clone(), &old);
    let (file, replaced) = match p.image {
        Some(image) => (files::store(app, &tx, "banners", image).await?, true),
        None => (old.clone(), false),
    };
    let fields = BannerFields {
        name: p.name,
        start_at: p.start_at,
        end_at: p.end_at,
        link: p.link,
        link_target: p.link_target,
        file_id: file.id,
    };
    let done = async {
        let b = repo::update_banner(&tx, row, fields).await?;
        if replaced {
            repo::delete_file(&tx, old.id).await?;
        }
        let v = view(b, &file);
        audit::record(
            &tx,
            Some(actor),
            Audit::new("banner.update", "banner", v.id.to_string())
                .details(v.name.clone())
                .before(&before)
                .after(&v),
        )
        .await?;
        Ok::<_, Error>(v)
    }
    .await;
    if !replaced {
        return match done {
            Ok(v) => commit(tx).await.map(|_| v),
            Err(e) => Err(e),
        };
    }
    let v = finish(app, tx, done, &file).await?;
    files::forget(app, &old.file_key).await;
    Ok(v)
}

/// Moves banner `id`'s date window (`startDate`, `endDate` as RFC 3339), keeping the rest:
/// [`update`] without a new file (ManageCommissions; audited).
pub async fn set_window(
    app: &App,
    actor: &Principal,
    id: i64,
    start_date: Option<String>,
    end_date: Option<String>,
) -> Result<BannerView> {
    actor.require(Permission::ManageCommissions)?;
    let row = repo::banner(app.db().conn(), id).await?.ok_or(Error::NotFound("banner"))?;
    let input = BannerInput {
        name: Some(row.name),
        start_date,
        end_date,
        link: row.link,
        link_target: Some(row.link_target),
        file: None,
    };
    update(app, actor, id, input).await
}

/// "Delete a banner" (ManageCommissions; audited); its image goes with it.
pub async fn delete(app: &App, actor: &Principal, id: i64) -> Result<()> {
    actor.require(Permission::ManageCommissions)?;
    let tx = app.db().begin_write().await?;
    let row = repo::banner(&tx, id).await?.ok_or(Error::NotFound("banner"))?;
    let file = repo::file(&tx, row.file_id).await?;
    repo::delete_banner(&tx, id).await?;
    if let Some(f) = &file {
        repo::delete_file(&tx, f.id).await?;
    }
    audit::record(
        &tx,
        Some(actor),
        Audit::new("banner.delete", "banner", id.to_string()).details(row.name.clone()),
    )
    .await?;
    commit(tx).await?;
    if let Some(f) = file {
        files::forget(app, &f.file_key).await;
    }
    Ok(())
}
