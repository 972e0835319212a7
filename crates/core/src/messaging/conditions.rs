//! The conditions of an e-mail template: which customers it is sent to. Every listed
//! condition must hold; an empty list means "any". Country and language are the customer's;
//! `accountType` (`real`, `demo`) and `groups` (trading group ids) are read from the
//! customer's wallets.

use serde::{Deserialize, Serialize};

use crate::error::Violations;
use crate::{Error, Result};

/// A template's conditions, as stored and on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Conditions {
    /// ISO 3166-1 alpha-2 codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// ISO 639-1 codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// `real` or `demo`: the customer has a wallet of that book.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<String>,
    /// Trading group ids: the customer has a wallet in one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<i64>,
}

/// What the conditions are checked against.
#[derive(Debug, Clone, Default)]
pub struct Recipient {
    pub country: Option<String>,
    pub language: Option<String>,
    pub has_real: bool,
    pub has_demo: bool,
    pub groups: Vec<i64>,
}

impl Conditions {
    /// Parses and normalises the wire JSON (`{}` for none); errors name `conditions.<key>`.
    pub fn parse(v: &serde_json::Value) -> Result<Self> {
        let mut c: Conditions = serde_json::from_value(v.clone())
            .map_err(|e| Error::field("conditions", format!("{e}")))?;
        let mut bad = Violations::new();
        for (i, x) in c.countries.iter_mut().enumerate() {
            *x = x.trim().to_ascii_uppercase();
            if x.len() != 2 || !x.chars().all(|ch| ch.is_ascii_uppercase()) {
                bad.push(format!("conditions.countries[{i}]"), "must be a two-letter country code");
            }
        }
        for (i, x) in c.languages.iter_mut().enumerate() {
            *x = x.trim().to_ascii_lowercase();
            if x.len() != 2 || !x.chars().all(|ch| ch.is_ascii_lowercase()) {
                bad.push(
                    format!("conditions.languages[{i}]"),
                    "must be a two-letter language code",
                );
            }
        }
        if let Some(a) = &c.account_type
            && a != "real"
            && a != "demo"
        {
            bad.push("conditions.accountType", "must be real or demo");
        }
        bad.finish()?;
        Ok(c)
    }

    /// Whether the wallets are needed to decide.
    pub fn needs_wallets(&self) -> bool {
        self.account_type.is_some() || !self.groups.is_empty()
    }

    /// Whether `r` meets every condition.
    pub fn matches(&self, r: &Recipient) -> bool {
        let country = self.countries.is_empty()
            || r.country
                .as_ref()
                .is_some_and(|c| self.countries.iter().any(|x| x.eq_ignore_ascii_case(c)));
        let language = self.languages.is_empty()
            || r.language
                .as_ref()
                .is_some_and(|l| self.languages.iter().any(|x| x.eq_ignore_ascii_case(l)));
        let book = match self.account_type.as_deref() {
            Some("real") => r.has_real,
            Some("demo") => r.has_demo,
            _ => true,
        };
        let group = self.groups.is_empty() || r.groups.iter().any(|g| self.groups.contains(g));
        country && language && book && group
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_and_match() {
        let c = Conditions::parse(&json!({"countries": ["de"], "accountType": "real"}))
            .unwrap_or_default();
        assert_eq!(c.countries, ["DE"]);
        let de_real =
            Recipient { country: Some("DE".into()), has_real: true, ..Default::default() };
        assert!(c.matches(&de_real));
        assert!(!c.matches(&Recipient { has_real: true, ..Default::default() }));
        assert!(!c.matches(&Recipient {
            country: Some("DE".into()),
            has_demo: true,
            ..Default::default()
        }));
        assert!(Conditions::default().matches(&Recipient::default()));
        assert!(Conditions::parse(&json!({"countries": ["Germany"]})).is_err());
        assert!(Conditions::parse(&json!({"accountType": "vip"})).is_err());
        assert!(Conditions::parse(&json!({"shoe": 1})).is_err());
        let g = Conditions::parse(&json!({"groups": [3]})).unwrap_or_default();
        assert!(g.matches(&Recipient { groups: vec![1, 3], ..Default::default() }));
        assert!(!g.matches(&Recipient { groups: vec![1], ..Default::default() }));
    }
}
