//! "Get available payment methods for the authenticated user": the enabled providers offering
//! the type whose countries include the caller's (an empty list serves every country), in
//! `sort` order, with their limits and predefined amounts.

use brokercrm_core::money::payments::{MethodType, serves_country};
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::repo::identity::users;

use super::load_all;
use crate::{App, Principal};

/// One method a client may use.
#[derive(Debug, Clone)]
pub struct MethodView {
    /// The provider's id (`test`, `bitstamp`...).
    pub id: String,
    pub name: String,
    pub kind: MethodType,
    /// Settles at once (the test provider).
    pub instant: bool,
    pub minimum_amount: Option<Money>,
    pub maximum_amount: Option<Money>,
    /// Deposit presets; empty for withdrawals.
    pub predefined_amounts: Vec<Money>,
}

/// Any signed-in user; `kind` `None` lists both types (deposit methods first per provider).
pub async fn available(
    app: &App,
    actor: &Principal,
    kind: Option<&str>,
) -> Result<Vec<MethodView>> {
    let kinds = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => vec![MethodType::parse("type", k)?],
        None => MethodType::ALL.to_vec(),
    };
    let conn = app.db().conn();
    let user = users::find_by_id(conn, actor.user_id)
        .await?
        .ok_or(Error::Unauthorized("the account no longer exists".into()))?;
    let country = user.country.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let mut out = Vec::new();
    for s in load_all(app, conn).await? {
        if !s.enabled || !serves_country(&s.countries, country) {
            continue;
        }
        for &k in &kinds {
            if !s.provider.supports(k) {
                continue;
            }
            let (minimum_amount, maximum_amount) = s.limits.range(k);
            out.push(MethodView {
                id: s.provider.id().to_owned(),
                name: s.provider.name().to_owned(),
                kind: k,
                instant: s.provider.instant(),
                minimum_amount,
                maximum_amount,
                predefined_amounts: match k {
                    MethodType::Deposit => s.limits.predefined_deposit_amounts.clone(),
                    MethodType::Withdrawal => Vec::new(),
                },
            });
        }
    }
    Ok(out)
}
