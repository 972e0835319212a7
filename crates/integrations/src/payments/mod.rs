//! Payment providers behind one trait: what each is called, which method types it offers and
//! which configuration keys it needs. The built-in registry holds the test provider (instant,
//! no outside calls; for demo and tests) and the Bitstamp and Trustology transfer methods,
//! declared with their key names (their network clients arrive with the transfer flows).

pub mod payout;

use std::sync::Arc;

use brokercrm_core::money::payments::MethodType;

/// A configuration key a provider needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigKey {
    /// The key's name as sent in `keyValues[].key`.
    pub name: &'static str,
    /// Secret values are encrypted at rest and never returned in clear.
    pub secret: bool,
    /// The provider cannot be enabled while a required key is unset.
    pub required: bool,
}

/// One payment provider.
pub trait PaymentProvider: Send + Sync {
    /// Stable id (`test`, `bitstamp`, `trustology`): the path parameter and the ledger's
    /// `provider:<id>:cash_clearing:<currency>` account key.
    fn id(&self) -> &'static str;
    /// Human name shown to staff and clients.
    fn name(&self) -> &'static str;
    /// The method types it offers.
    fn method_types(&self) -> &'static [MethodType];
    /// The configuration keys it needs.
    fn config_keys(&self) -> &'static [ConfigKey];
    /// Whether its payments settle at once without an outside party (the test provider).
    fn instant(&self) -> bool {
        false
    }
    /// Whether it offers `t`.
    fn supports(&self, t: MethodType) -> bool {
        self.method_types().contains(&t)
    }
    /// The declaration of key `name`, if it has one.
    fn config_key(&self, name: &str) -> Option<ConfigKey> {
        self.config_keys().iter().copied().find(|k| k.name == name)
    }
}

/// The built-in test provider: deposits and withdrawals settle instantly; no network.
pub struct TestProvider;

impl PaymentProvider for TestProvider {
    fn id(&self) -> &'static str {
        "test"
    }
    fn name(&self) -> &'static str {
        "Test provider"
    }
    fn method_types(&self) -> &'static [MethodType] {
        &[MethodType::Deposit, MethodType::Withdrawal]
    }
    fn config_keys(&self) -> &'static [ConfigKey] {
        // Signs the provider's callbacks; optional so demo and tests run without set-up.
        &[ConfigKey { name: "signingSecret", secret: true, required: false }]
    }
    fn instant(&self) -> bool {
        true
    }
}

/// Bitstamp crypto deposits and withdrawals (declared; no client yet).
pub struct Bitstamp;

impl PaymentProvider for Bitstamp {
    fn id(&self) -> &'static str {
        "bitstamp"
    }
    fn name(&self) -> &'static str {
        "Bitstamp"
    }
    fn method_types(&self) -> &'static [MethodType] {
        &[MethodType::Deposit, MethodType::Withdrawal]
    }
    fn config_keys(&self) -> &'static [ConfigKey] {
        &[
            ConfigKey { name: "customerId", secret: false, required: true },
            ConfigKey { name: "apiKey", secret: true, required: true },
            ConfigKey { name: "apiSecret", secret: true, required: true },
        ]
    }
}

/// Trustology custody transfers out (declared; no client yet).
pub struct Trustology;

impl PaymentProvider for Trustology {
    fn id(&self) -> &'static str {
        "trustology"
    }
    fn name(&self) -> &'static str {
        "Trustology"
    }
    fn method_types(&self) -> &'static [MethodType] {
        &[MethodType::Withdrawal]
    }
    fn config_keys(&self) -> &'static [ConfigKey] {
        &[
            ConfigKey { name: "apiUrl", secret: false, required: true },
            ConfigKey { name: "walletId", secret: false, required: true },
            ConfigKey { name: "apiKey", secret: true, required: true },
            ConfigKey { name: "privateKey", secret: true, required: true },
        ]
    }
}

/// The providers this build knows, in their default order.
#[derive(Clone)]
pub struct Registry(Vec<Arc<dyn PaymentProvider>>);

impl Registry {
    /// Test, Bitstamp, Trustology.
    pub fn builtin() -> Self {
        Self(vec![Arc::new(TestProvider), Arc::new(Bitstamp), Arc::new(Trustology)])
    }

    /// The provider with `id`.
    pub fn get(&self, id: &str) -> Option<&Arc<dyn PaymentProvider>> {
        self.0.iter().find(|p| p.id() == id)
    }

    /// Every provider with its position in the default order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Arc<dyn PaymentProvider>)> {
        self.0.iter().enumerate()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_providers_are_declared() {
        let r = Registry::builtin();
        let ids: Vec<_> = r.iter().map(|(_, p)| p.id()).collect();
        assert_eq!(ids, ["test", "bitstamp", "trustology"]);
        let t = r.get("test").map(|p| (p.instant(), p.supports(MethodType::Deposit)));
        assert_eq!(t, Some((true, true)));
        let tr = r.get("trustology").map(|p| p.supports(MethodType::Deposit));
        assert_eq!(tr, Some(false));
        assert!(
            r.get("bitstamp").and_then(|p| p.config_key("apiSecret")).is_some_and(|k| k.secret)
        );
        assert!(r.get("paypal").is_none());
    }
}
