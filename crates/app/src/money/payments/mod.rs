//! Payment providers (seed tag Payment Providers): the built-in providers of
//! `integrations::payments` with the settings staff give them (enabled, order, countries,
//! limits, predefined amounts) and their key values, encrypted at rest with the data key and
//! never shown in clear when secret.

pub mod methods;
pub mod providers;

use std::collections::BTreeMap;
use std::sync::Arc;

use brokercrm_core::money::payments::{Limits, MethodType};
use brokercrm_core::{Error, Money, Result};
use brokercrm_integrations::payments::PaymentProvider;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::payment_providers::{self, ProviderRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::App;
use crate::platform::mask::mask_secret;

/// A declared configuration key and whether it has a value.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    pub key: String,
    pub secret: bool,
    pub required: bool,
    pub set: bool,
}

/// A key value as shown: secret values masked (`abcd****`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[schema(as = KeyValueDto)]
pub struct KeyValueView {
    #[schema(example = "apiKey")]
    pub key: String,
    #[schema(example = "k3Yq****")]
    pub value: String,
    pub secret: bool,
}

/// A provider as staff see it (secrets masked). Also what the audit log records.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderView {
    pub id: String,
    pub name: String,
    pub method_types: Vec<MethodType>,
    pub instant: bool,
    pub enabled: bool,
    pub sort: i32,
    pub keys: Vec<KeyInfo>,
    pub key_values: Vec<KeyValueView>,
    pub enabled_country_codes: Vec<String>,
    pub limits: LimitsView,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Limits and predefined deposit amounts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LimitsView {
    pub minimum_deposit_amount: Option<Money>,
    pub maximum_deposit_amount: Option<Money>,
    pub minimum_withdrawal_amount: Option<Money>,
    pub maximum_withdrawal_amount: Option<Money>,
    pub predefined_deposit_amounts: Vec<Money>,
}

/// The full state of one provider, key values in clear (never leaves `app`).
#[derive(Clone)]
pub(crate) struct ProviderState {
    pub provider: Arc<dyn PaymentProvider>,
    pub enabled: bool,
    pub sort: i32,
    pub countries: Vec<String>,
    pub limits: Limits,
    pub key_values: BTreeMap<String, String>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// What the encrypted key values are bound to, so a value copied to another row fails.
fn aad(id: &str) -> Vec<u8> {
    format!("payment_provider:{id}").into_bytes()
}

fn joined_money(raw: &str) -> Result<Vec<Money>> {
    raw.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>()
                .map(Money::from_minor)
                .map_err(|_| Error::internal(format!("bad stored amount '{s}'")))
        })
        .collect()
}

impl ProviderState {
    /// Defaults (disabled, registry order) overlaid with the stored row, decrypted.
    pub fn load(
        app: &App,
        default_sort: usize,
        provider: &Arc<dyn PaymentProvider>,
        row: Option<ProviderRow>,
    ) -> Result<Self> {
        let mut s = Self {
            provider: provider.clone(),
            enabled: false,
            sort: i32::try_from(default_sort).unwrap_or(i32::MAX),
            countries: Vec::new(),
            limits: Limits::default(),
            key_values: BTreeMap::new(),
            updated_at: None,
        };
        let Some(r) = row else { return Ok(s) };
        s.enabled = r.enabled;
        s.sort = r.sort;
        s.countries = r
            .enabled_country_codes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        s.limits = Limits {
            minimum_deposit: r.minimum_deposit_amount.map(Money::from_minor),
            maximum_deposit: r.maximum_deposit_amount.map(Money::from_minor),
            minimum_withdrawal: r.minimum_withdrawal_amount.map(Money::from_minor),
            maximum_withdrawal: r.maximum_withdrawal_amount.map(Money::from_minor),
            predefined_deposit_amounts: joined_money(&r.predefined_deposit_amounts)?,
        };
        if let Some(sealed) = r.key_values {
            let plain = app.data_key().open(&aad(provider.id()), &sealed)?;
            s.key_values = serde_json::from_slice(&plain).map_err(Error::internal)?;
        }
        s.updated_at = Some(r.updated_at);
        Ok(s)
    }

    /// The row to store, key values sealed with the data key.
    pub fn to_row(&self, app: &App) -> Result<ProviderRow> {
        let id = self.provider.id();
        let key_values = if self.key_values.is_empty() {
            None
        } else {
            let plain = serde_json::to_vec(&self.key_values).map_err(Error::internal)?;
            Some(app.data_key().seal(&aad(id), &plain)?)
        };
        let l = &self.limits;
        let now = Utc::now();
        Ok(ProviderRow {
            id: id.to_owned(),
            enabled: self.enabled,
            sort: self.sort,
            enabled_country_codes: self.countries.join(","),
            minimum_deposit_amount: l.minimum_deposit.map(Money::minor),
            maximum_deposit_amount: l.maximum_deposit.map(Money::minor),
            minimum_withdrawal_amount: l.minimum_withdrawal.map(Money::minor),
            maximum_withdrawal_amount: l.maximum_withdrawal.map(Money::minor),
            predefined_deposit_amounts: l
                .predefined_deposit_amounts
                .iter()
                .map(|m| m.minor().to_string())
                .collect::<Vec<_>>()
                .join(","),
            key_values,
            created_at: now,
            updated_at: now,
        })
    }

    /// The staff view, secrets masked.
    pub fn view(&self) -> ProviderView {
        let p = &self.provider;
        let keys = p
            .config_keys()
            .iter()
            .map(|k| KeyInfo {
                key: k.name.to_owned(),
                secret: k.secret,
                required: k.required,
                set: self.key_values.contains_key(k.name),
            })
            .collect();
        let key_values = self
            .key_values
            .iter()
            .map(|(k, v)| {
                let secret = p.config_key(k).is_none_or(|c| c.secret);
                let value = if secret { mask_secret(v) } else { v.clone() };
                KeyValueView { key: k.clone(), value, secret }
            })
            .collect();
        let l = &self.limits;
        ProviderView {
            id: p.id().to_owned(),
            name: p.name().to_owned(),
            method_types: p.method_types().to_vec(),
            instant: p.instant(),
            enabled: self.enabled,
            sort: self.sort,
            keys,
            key_values,
            enabled_country_codes: self.countries.clone(),
            limits: LimitsView {
                minimum_deposit_amount: l.minimum_deposit,
                maximum_deposit_amount: l.maximum_deposit,
                minimum_withdrawal_amount: l.minimum_withdrawal,
                maximum_withdrawal_amount: l.maximum_withdrawal,
                predefined_deposit_amounts: l.predefined_deposit_amounts.clone(),
            },
            updated_at: self.updated_at,
        }
    }
}

/// Every provider's state, ordered by `sort` then default order.
pub(crate) async fn load_all<C: ConnectionTrait>(
    app: &App,
    conn: &C,
) -> Result<Vec<ProviderState>> {
    let mut rows = payment_providers::list(conn).await?;
    let mut out = Vec::new();
    for (i, p) in app.payment_providers().iter() {
        let row = rows.iter().position(|r| r.id == p.id()).map(|at| rows.swap_remove(at));
        out.push((i, ProviderState::load(app, i, p, row)?));
    }
    out.sort_by_key(|(i, s)| (s.sort, *i));
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// One provider's state; unknown ids are 404. With `for_update` (inside a write transaction)
/// its row is created with the defaults if missing and locked.
pub(crate) async fn load_one<C: ConnectionTrait>(
    app: &App,
    conn: &C,
    id: &str,
    for_update: bool,
) -> Result<ProviderState> {
    let (i, p) = app
        .payment_providers()
        .iter()
        .find(|(_, p)| p.id() == id.trim())
        .ok_or(Error::NotFound("payment provider"))?;
    let row = if for_update {
        let sort = i32::try_from(i).unwrap_or(i32::MAX);
        payment_providers::ensure(conn, p.id(), sort).await?;
        payment_providers::get_for_update(conn, p.id()).await?
    } else {
        payment_providers::get(conn, p.id()).await?
    };
    ProviderState::load(app, i, p, row)
}
