//! Users as the partners' views name them (introducer, referral, admin): public id, e-mail and
//! name, read in one query per page.

use std::collections::HashMap;

use brokercrm_core::Result;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use serde::Serialize;

/// A user named in a view.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: String,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
}

/// The users of `ids`, by internal id.
pub async fn people<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<HashMap<i64, Person>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(users::find_by_ids(conn, &ids)
        .await?
        .into_iter()
        .map(|u| {
            let p =
                Person { id: u.uuid, email: u.email, firstname: u.firstname, lastname: u.lastname };
            (u.id, p)
        })
        .collect())
}
