//! The IB portal's list of promotion links: the links the calling introducer owns and those
//! shown to it by their `visibleType` (`UserAllVisible`: every introducer; `UserPartVisible`:
//! the users listed in `visibleUserId`; `UserNotVisible`: nobody but the owner), newest
//! first, each with its live `displayUrl` and click count. Anyone who is not an introducer
//! gets 404.

use brokercrm_core::Result;
use brokercrm_core::partners::promo_links::{VisibleType, visible_to};
use brokercrm_store::repo::partners::promo_links as repo;
use chrono::{DateTime, Utc};

use crate::partners::ledger::introducer_id;
use crate::platform::links::public_link;
use crate::{App, Principal};

/// Links read for the list (the newest).
const MAX_LINKS: u64 = 1000;

/// A link as the IB portal lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisibleLink {
    pub name: String,
    pub entity_no: String,
    pub introduce_type: String,
    pub display_url: String,
    pub clicks: i64,
    /// The caller owns it (its clicks and sign-ups are the caller's).
    pub own: bool,
    pub created_at: DateTime<Utc>,
}

/// The links the calling introducer may use.
pub async fn own_list(app: &App, actor: &Principal) -> Result<Vec<VisibleLink>> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    let mut out = Vec::new();
    for l in repo::newest(conn, MAX_LINKS).await? {
        let own = l.owner_user_id == Some(ib);
        let users: Vec<i64> = serde_json::from_str(&l.visible_user_ids).unwrap_or_default();
        let shown = VisibleType::parse(&l.visible_type).is_some_and(|v| visible_to(v, &users, ib));
        if !own && !shown {
            continue;
        }
        let path = format!("/introduce?iid={}&tid={}", l.entity_no, l.tenant_id);
        out.push(VisibleLink {
            display_url: public_link(app, &path),
            name: l.name,
            entity_no: l.entity_no,
            introduce_type: l.introduce_type,
            clicks: l.clicks,
            own,
            created_at: l.created_at,
        });
    }
    Ok(out)
}
