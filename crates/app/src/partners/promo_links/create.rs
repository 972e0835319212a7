//! "Add promotion links through the interface" (seed 004): validate, resolve the owner (a
//! user by id or public id, who becomes an introducer; a `RoleId` owner names no user), give
//! the link its code (`entityNo`, generated when absent, unique per tenant), refuse a second
//! link of the same owner to the same target with the same parameter type, and answer the
//! link with its live `displayUrl`.

use brokercrm_core::partners::promo_links::{self as rules, LinkInput};
use brokercrm_core::{Error, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::partners::introducers;
use brokercrm_store::repo::partners::promo_links::{self as repo, LinkRow, NewLink, TenantRow};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::App;
use crate::platform::links::public_link;

/// The request: the validated fields, the owner, and the seed's free-form fields as sent.
#[derive(Debug, Clone, Default)]
pub struct CreateLink {
    pub link: LinkInput,
    pub owner_type: Option<String>,
    pub owner_id: Option<String>,
    /// `serverId`, `vendor`, `mtGroup`, `accountGroup`, `leverage`, `ownerType`, `ownerId`,
    /// `ownerName`, exactly as sent (the seed's own example sends numbers as strings).
    pub extras: Map<String, Value>,
}

/// A created link.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub row: LinkRow,
    pub visible_user_ids: Vec<i64>,
    pub extras: Map<String, Value>,
    pub display_url: String,
}

/// Attempts at a fresh generated code before giving up.
const CODE_ATTEMPTS: usize = 8;

fn generated_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let tail: String =
        (0..8).map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())])).collect();
    format!("EN{tail}")
}

/// The owner's user id: `ownerType` `Id` (or absent) with `ownerId` a user's id or public id;
/// `RoleId` names a role, no user. An unknown user is `NotFound("owner")`.
async fn owner_of(tx: &DatabaseTransaction, r: &CreateLink) -> Result<Option<i64>> {
    let Some(id) = r.owner_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let kind = r.owner_type.as_deref().map(str::trim).unwrap_or("Id");
    if kind.eq_ignore_ascii_case("RoleId") {
        return Ok(None);
    }
    if !kind.eq_ignore_ascii_case("Id") {
        return Err(Error::field("ownerType", "must be RoleId or Id"));
    }
    let user = match id.parse::<i64>() {
        Ok(n) => users::find_by_id(tx, n).await?,
        Err(_) => users::find_by_uuid(tx, id).await?,
    };
    user.map(|u| Some(u.id)).ok_or(Error::NotFound("owner"))
}

/// Creates the link for `tenant`.
pub async fn create(app: &App, tenant: &TenantRow, r: CreateLink) -> Result<LinkView> {
    let valid = rules::validate(&r.link)?;
    let tx = app.db().begin_write().await?;
    let owner = owner_of(&tx, &r).await?;
    let repeat_key = match (&valid.target_url, &valid.parameter_type) {
        (Some(url), Some(param)) => {
            let owner_key = format!(
                "{}:{}",
                r.owner_type.as_deref().unwrap_or("Id"),
                r.owner_id.as_deref().unwrap_or("")
            );
            let key = hex::encode(Sha256::digest(format!("{owner_key}\n{url}\n{param}")));
            if repo::find_by_repeat_key(&tx, tenant.id, &key).await?.is_some() {
                return Err(Error::Conflict("target link repeat with parameterType".into()));
            }
            Some(key)
        }
        _ => None,
    };
    let entity_no = match &valid.entity_no {
        Some(code) => {
            if repo::find_by_code(&tx, tenant.id, code).await?.is_some() {
                return Err(Error::Conflict(format!("entityNo {code} is already used")));
            }
            code.clone()
        }
        None => {
            let mut found = None;
            for _ in 0..CODE_ATTEMPTS {
                let code = generated_code();
                if repo::by_code(&tx, &code, 1).await?.is_empty() {
                    found = Some(code);
                    break;
                }
            }
            found.ok_or_else(|| Error::internal("no free promotion code"))?
        }
    };
    if let Some(o) = owner {
        introducers::insert(&tx, o, None).await?;
    }
    let shared = !repo::by_code(&tx, &entity_no, 1).await?.is_empty();
    let new = NewLink {
        tenant_id: tenant.id,
        entity_no: entity_no.clone(),
        name: valid.name.clone(),
        introduce_type: valid.introduce_type.as_str().to_owned(),
        visible_type: valid.visible_type.as_str().to_owned(),
        visible_user_ids: serde_json::to_string(&valid.visible_user_ids)
            .map_err(Error::internal)?,
        target_url: valid.target_url.clone(),
        parameter_type: valid.parameter_type.clone(),
        repeat_key,
        extras: Value::Object(r.extras.clone()).to_string(),
        owner_user_id: owner,
    };
    let row = repo::insert_link(&tx, new).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict("entityNo or target link is already used".into()),
        other => other,
    })?;
    commit(tx).await?;
    let mut display_url = public_link(app, &format!("/introduce?iid={entity_no}"));
    if shared {
        display_url.push_str(&format!("&tid={}", tenant.id));
    }
    Ok(LinkView { row, visible_user_ids: valid.visible_user_ids, extras: r.extras, display_url })
}
