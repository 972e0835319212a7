//! Staff use cases of payment providers: list, filters, get, update (key values, countries,
//! limits, predefined amounts, enabled) and sort. Writes are audited with masked values.

use std::collections::BTreeSet;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::payments::{MethodType, country_codes, parse_amount};
use brokercrm_core::{Money, Result, Violations};
use brokercrm_store::db;
use brokercrm_store::repo::money::payment_providers;

use super::{ProviderState, ProviderView, load_all, load_one};
use crate::platform::audit::{self, Audit};
use crate::platform::mask::mask_secret;
use crate::{App, Principal};

/// Longest key value accepted.
const MAX_VALUE_LEN: usize = 4096;
/// Largest `sort` accepted.
const MAX_SORT: i64 = 1_000_000;

/// One entry of `keyValues`: an absent, null or empty value unsets the key; the masked form of
/// the stored secret keeps it.
#[derive(Debug, Clone)]
pub struct KeyValueInput {
    pub key: String,
    pub value: Option<String>,
}

/// "Update payment provider by ID". `None` leaves a field as it is; for the limits
/// `Some(None)` removes the limit. Amounts are decimal text (a JSON number's exact form).
#[derive(Debug, Clone, Default)]
pub struct ProviderUpdate {
    pub key_values: Option<Vec<KeyValueInput>>,
    pub enabled_country_codes: Option<Vec<String>>,
    pub minimum_deposit_amount: Option<Option<String>>,
    pub maximum_deposit_amount: Option<Option<String>>,
    pub minimum_withdrawal_amount: Option<Option<String>>,
    pub maximum_withdrawal_amount: Option<Option<String>>,
    pub predefined_deposit_amounts: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

/// A provider offering a method type, for filter lists.
#[derive(Debug, Clone)]
pub struct MethodFilter {
    pub id: String,
    pub name: String,
    pub enabled: bool,
}

/// "Get payment providers", ordered by `sort` (ReadPaymentProviders).
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<ProviderView>> {
    actor.require(Permission::ReadPaymentProviders)?;
    Ok(load_all(app, app.db().conn()).await?.iter().map(ProviderState::view).collect())
}

/// "Get payment provider filters": the providers offering `type`, ordered by `sort`
/// (ReadPaymentProviders).
pub async fn filters(app: &App, actor: &Principal, kind: &str) -> Result<Vec<MethodFilter>> {
    actor.require(Permission::ReadPaymentProviders)?;
    let kind = MethodType::parse("type", kind)?;
    Ok(load_all(app, app.db().conn())
        .await?
        .into_iter()
        .filter(|s| s.provider.supports(kind))
        .map(|s| MethodFilter {
            id: s.provider.id().to_owned(),
            name: s.provider.name().to_owned(),
            enabled: s.enabled,
        })
        .collect())
}

/// "Get payment provider by ID" (ReadPaymentProviders).
pub async fn get(app: &App, actor: &Principal, id: &str) -> Result<ProviderView> {
    actor.require(Permission::ReadPaymentProviders)?;
    Ok(load_one(app, app.db().conn(), id, false).await?.view())
}

fn amount(
    v: &mut Violations,
    field: &str,
    raw: Option<&Option<String>>,
    old: Option<Money>,
) -> Option<Money> {
    match raw {
        None => old,
        Some(None) => None,
        Some(Some(s)) => v.check(parse_amount(field, s)),
    }
}

/// Applies `u` to `s`, recording every invalid field.
fn apply(s: &mut ProviderState, u: &ProviderUpdate, v: &mut Violations) {
    if let Some(kvs) = &u.key_values {
        let mut seen = BTreeSet::new();
        for (i, kv) in kvs.iter().enumerate() {
            let name = kv.key.trim();
            let Some(decl) = s.provider.config_key(name) else {
                let known: Vec<_> = s.provider.config_keys().iter().map(|k| k.name).collect();
                v.push(
                    format!("keyValues[{i}].key"),
                    format!(
                        "unknown key for this provider (expected one of: {})",
                        known.join(", ")
                    ),
                );
                continue;
            };
            if !seen.insert(name) {
                v.push(format!("keyValues[{i}].key"), "appears more than once");
                continue;
            }
            match kv.value.as_deref() {
                None | Some("") => {
                    s.key_values.remove(name);
                }
                Some(val) if val.chars().count() > MAX_VALUE_LEN => {
                    v.push(
                        format!("keyValues[{i}].value"),
                        format!("must be at most {MAX_VALUE_LEN} characters"),
                    );
                }
                Some(val) => {
                    let echoed_mask = decl.secret
                        && s.key_values.get(name).is_some_and(|old| mask_secret(old) == val);
                    if !echoed_mask {
                        s.key_values.insert(name.to_owned(), val.to_owned());
                    }
                }
            }
        }
    }
    if let Some(codes) = &u.enabled_country_codes {
        s.countries = country_codes(codes, v);
    }
    let l = &mut s.limits;
    l.minimum_deposit =
        amount(v, "minimumDepositAmount", u.minimum_deposit_amount.as_ref(), l.minimum_deposit);
    l.maximum_deposit =
        amount(v, "maximumDepositAmount", u.maximum_deposit_amount.as_ref(), l.maximum_deposit);
    l.minimum_withdrawal = amount(
        v,
        "minimumWithdrawalAmount",
        u.minimum_withdrawal_amount.as_ref(),
        l.minimum_withdrawal,
    );
    l.maximum_withdrawal = amount(
        v,
        "maximumWithdrawalAmount",
        u.maximum_withdrawal_amount.as_ref(),
        l.maximum_withdrawal,
    );
    if let Some(list) = &u.predefined_deposit_amounts {
        l.predefined_deposit_amounts = list
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                v.check(parse_amount(&format!("predefinedDepositAmounts[{i}]"), a))
            })
            .collect();
    }
    s.limits.check(v);
    if let Some(e) = u.enabled {
        s.enabled = e;
    }
    if s.enabled {
        let missing: Vec<_> = s
            .provider
            .config_keys()
            .iter()
            .filter(|k| k.required && !s.key_values.contains_key(k.name))
            .map(|k| k.name)
            .collect();
        if !missing.is_empty() {
            let field = if u.enabled == Some(true) { "enabled" } else { "keyValues" };
            v.push(
                field,
                format!("an enabled provider needs its required keys: {}", missing.join(", ")),
            );
        }
    }
}

/// "Update payment provider by ID" (ManagePaymentProviders). Key values are encrypted before
/// they are stored; the audit log records masked before/after.
pub async fn update(
    app: &App,
    actor: &Principal,
    id: &str,
    input: ProviderUpdate,
) -> Result<ProviderView> {
    actor.require(Permission::ManagePaymentProviders)?;
    let tx = app.db().begin_write().await?;
    let mut state = load_one(app, &tx, id, true).await?;
    let before = state.view();
    let mut v = Violations::new();
    apply(&mut state, &input, &mut v);
    v.finish()?;
    payment_providers::upsert(&tx, state.to_row(app)?).await?;
    let after = load_one(app, &tx, id, false).await?.view();
    audit::record(
        &tx,
        Some(actor),
        Audit::new("payment_provider.update", "payment_provider", after.id.clone())
            .details(format!("payment provider {} updated", after.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    db::commit(tx).await?;
    Ok(after)
}

/// "Sort payment providers" (ManagePaymentProviders): sets one provider's `sort` and returns
/// every provider in the new order. Audited.
pub async fn sort(app: &App, actor: &Principal, id: &str, sort: i64) -> Result<Vec<ProviderView>> {
    actor.require(Permission::ManagePaymentProviders)?;
    let mut v = Violations::new();
    if app.payment_providers().get(id.trim()).is_none() {
        v.push("id", "unknown payment provider");
    }
    let sort = match i32::try_from(sort) {
        Ok(s) if (0..=MAX_SORT).contains(&i64::from(s)) => s,
        _ => {
            v.push("sort", format!("must be between 0 and {MAX_SORT}"));
            0
        }
    };
    v.finish()?;
    let tx = app.db().begin_write().await?;
    let mut state = load_one(app, &tx, id, true).await?;
    let before = state.sort;
    state.sort = sort;
    payment_providers::upsert(&tx, state.to_row(app)?).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("payment_provider.sort", "payment_provider", state.provider.id())
            .details(format!("payment provider {} sort {before} → {sort}", state.provider.name())),
    )
    .await?;
    let all = load_all(app, &tx).await?.iter().map(ProviderState::view).collect();
    db::commit(tx).await?;
    Ok(all)
}
