//! Countries (seed tag Countries): the ISO 3166-1 list (seeded by migration), each enabled
//! or disabled by admins — disabled countries are refused on sign-up and lead intake.

use brokercrm_core::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::platform::countries::{self, CountryRow};
use serde::Serialize;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A country as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub id: String,
    pub name: String,
    pub enabled: bool,
}

impl From<CountryRow> for Country {
    fn from(r: CountryRow) -> Self {
        Self { id: r.id, name: r.name, enabled: r.enabled }
    }
}

/// Sort key folding case and the accents that occur in the list, so "Åland Islands" sorts
/// with the A's on every database.
fn sort_key(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'Å' | 'Á' | 'À' | 'Â' | 'Ä' | 'å' | 'á' | 'à' | 'â' | 'ä' => 'a',
            'Ç' | 'ç' => 'c',
            'É' | 'È' | 'Ê' | 'Ë' | 'é' | 'è' | 'ê' | 'ë' => 'e',
            'Í' | 'Î' | 'í' | 'î' => 'i',
            'Ó' | 'Ô' | 'Ö' | 'ó' | 'ô' | 'ö' => 'o',
            'Ú' | 'Ü' | 'ú' | 'ü' => 'u',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// "Get all countries" (public), sorted by name.
pub async fn list(app: &App) -> Result<Vec<Country>> {
    let mut all: Vec<Country> =
        countries::all(app.db().conn()).await?.into_iter().map(Country::from).collect();
    all.sort_by_cached_key(|c| (sort_key(&c.name), c.id.clone()));
    Ok(all)
}

/// Whether `code` (upper case) is a known, enabled country.
pub async fn is_enabled(app: &App, code: &str) -> Result<bool> {
    Ok(countries::get(app.db().conn(), code).await?.is_some_and(|c| c.enabled))
}

/// "Update a country": enables (`toggle = true`) or disables it. Audited.
pub async fn set_enabled(app: &App, actor: &Principal, id: &str, enabled: bool) -> Result<Country> {
    actor.require(Permission::ManageCountries)?;
    let id = id.trim().to_ascii_uppercase();
    let tx = app.db().begin_write().await?;
    let before: Country = countries::get(&tx, &id).await?.ok_or(Error::NotFound("country"))?.into();
    countries::set_enabled(&tx, &id, enabled).await?;
    let after = Country { enabled, ..before.clone() };
    audit::record(
        &tx,
        Some(actor),
        Audit::new("country.update", "country", id.clone())
            .details(format!(
                "country {} {}",
                after.name,
                if enabled { "enabled" } else { "disabled" }
            ))
            .before(&before)
            .after(&after),
    )
    .await?;
    db::commit(tx).await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    #[test]
    fn accents_sort_with_their_letter() {
        assert!(sort_key("Åland Islands") < sort_key("Albania"));
        assert!(sort_key("Côte d'Ivoire") < sort_key("Croatia"));
    }
}
