//! Following a promotion link (`GET /introduce?iid=<entityNo>[&tid=<tenant>]`): the click is
//! counted and the visitor sent to the link's target with its parameter (`uid`, `pid` or
//! `sid`; `uid` when the link names none) set to the owner's referral key, and `iid` kept, so
//! the sign-up form can send either as its `wtreferrer`. A link without a target sends to the
//! portal's registration page. An unknown code, or one several tenants share without `tid`,
//! is 404.

use brokercrm_core::{Error, Result};
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::partners::promo_links as repo;
use url::Url;

use crate::App;
use crate::platform::links::public_link;

/// Records the click on link `iid` and answers where to send the visitor.
pub async fn follow(app: &App, iid: &str, tid: Option<i64>) -> Result<String> {
    let conn = app.db().conn();
    let mut links = repo::by_code(conn, iid.trim(), 50).await?;
    if let Some(t) = tid {
        links.retain(|l| l.tenant_id == t);
    }
    let [link] = links.as_slice() else { return Err(Error::NotFound("promotion link")) };
    repo::record_click(app.db().write_conn(), link.id).await?;
    let target = link.target_url.clone().unwrap_or_else(|| public_link(app, "/register"));
    let mut url = Url::parse(&target).map_err(|_| Error::NotFound("promotion link"))?;
    let owner_value = match link.owner_user_id {
        Some(id) => users::find_by_id(conn, id).await?.map(|u| u.ref_key),
        None => serde_json::from_str::<serde_json::Value>(&link.extras).ok().and_then(
            |e| match &e["ownerId"] {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            },
        ),
    };
    let param = link.parameter_type.as_deref().unwrap_or("uid");
    {
        let mut q = url.query_pairs_mut();
        if let Some(v) = owner_value {
            q.append_pair(param, &v);
        }
        q.append_pair("iid", &link.entity_no);
    }
    Ok(url.into())
}
