//! Bonuses (seed tags Bonuses and Mass Bonuses): the bonus rules staff manage, their
//! automatic application ([`apply`]: SIGNUP when a customer's first real wallet opens,
//! DEPOSIT and DEPOSIT_PROPORTIONAL after each deposit), and the one-off mass bonus
//! ([`mass`]). Every grant is one ledger transfer from the bonus-expense house account.
//! Reading rules needs ReadWallets; writing them ManageWalletMoney (they move money).

pub mod apply;
pub mod mass;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::bonuses::{BonusAmount, BonusRule, BonusType, Percent, RuleInput};
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::bonuses::{self, BonusFields, BonusRow};
use chrono::{DateTime, Utc};

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// A bonus rule as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BonusView {
    pub id: String,
    pub rule: BonusRule,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl BonusView {
    /// The rule in the seed's field names (for the audit log).
    pub fn json(&self) -> serde_json::Value {
        let r = &self.rule;
        serde_json::json!({
            "id": self.id, "type": r.kind.as_str(), "amount": self.amount_text(),
            "start": r.start, "end": r.end,
            "minimumDepositUSD": r.minimum_deposit_usd, "maximumAmountUSD": r.maximum_amount_usd,
            "addToCredit": r.add_to_credit, "methods": r.methods,
        })
    }

    /// The rule's `amount` as decimal text: USD for fixed bonuses, percent for proportional.
    pub fn amount_text(&self) -> String {
        match self.rule.amount {
            BonusAmount::FixedUsd(m) => m.to_string(),
            BonusAmount::Percent(p) => p.to_string(),
        }
    }
}

/// Decodes a stored rule (a corrupt row is an internal error).
pub(crate) fn rule_of(r: &BonusRow) -> Result<BonusRule> {
    let bad = || Error::internal(format!("bonus {}: bad stored rule", r.id));
    let kind = BonusType::parse("type", &r.kind).map_err(|_| bad())?;
    let amount = match (kind, r.amount_usd, r.percent_hundredths) {
        (BonusType::DepositProportional, _, Some(h)) => {
            BonusAmount::Percent(Percent::from_hundredths(h))
        }
        (_, Some(a), _) => BonusAmount::FixedUsd(Money::from_minor(a)),
        _ => return Err(bad()),
    };
    let methods: Vec<String> = serde_json::from_str(&r.methods).map_err(|_| bad())?;
    Ok(BonusRule {
        kind,
        amount,
        start: r.start_at,
        end: r.end_at,
        minimum_deposit_usd: r.minimum_deposit_usd.map(Money::from_minor),
        maximum_amount_usd: r.maximum_amount_usd.map(Money::from_minor),
        add_to_credit: r.add_to_credit,
        methods,
    })
}

fn view(r: BonusRow) -> Result<BonusView> {
    let rule = rule_of(&r)?;
    Ok(BonusView { id: r.id, rule, created_at: r.created_at, updated_at: r.updated_at })
}

fn fields(rule: &BonusRule) -> Result<BonusFields> {
    let (amount_usd, percent_hundredths) = match rule.amount {
        BonusAmount::FixedUsd(m) => (Some(m.minor()), None),
        BonusAmount::Percent(p) => (None, Some(p.hundredths())),
    };
    Ok(BonusFields {
        kind: rule.kind.as_str().to_owned(),
        amount_usd,
        percent_hundredths,
        start_at: rule.start,
        end_at: rule.end,
        minimum_deposit_usd: rule.minimum_deposit_usd.map(Money::minor),
        maximum_amount_usd: rule.maximum_amount_usd.map(Money::minor),
        add_to_credit: rule.add_to_credit,
        methods: serde_json::to_string(&rule.methods).map_err(Error::internal)?,
    })
}

/// A rule id: 1-64 letters, digits, `_`, `-` or `.` (the seed's client-chosen `id`).
fn rule_id(raw: &str) -> Result<String> {
    let s = raw.trim();
    let ok = (1..=64).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Error::field("id", "must be 1-64 letters, digits, '_', '-' or '.'"))
    }
}

/// "Get all bonuses": every rule, oldest first (ReadWallets).
pub async fn list(app: &App, actor: &Principal) -> Result<Vec<BonusView>> {
    actor.require(Permission::ReadWallets)?;
    bonuses::list(app.db().conn()).await?.into_iter().map(view).collect()
}

/// "Create a new bonus" under the client's `id` (a fresh UUID when none is sent); a taken id
/// is a conflict. ManageWalletMoney; audited.
pub async fn create(
    app: &App,
    actor: &Principal,
    id: Option<&str>,
    input: RuleInput,
) -> Result<BonusView> {
    actor.require(Permission::ManageWalletMoney)?;
    let id = match id {
        Some(raw) => rule_id(raw)?,
        None => uuid::Uuid::now_v7().to_string(),
    };
    let rule = BonusRule::parse(input)?;
    let tx = app.db().begin_write().await?;
    if bonuses::find(&tx, &id).await?.is_some() {
        return Err(Error::Conflict(format!("a bonus with id '{id}' already exists")));
    }
    let v = view(bonuses::insert(&tx, &id, fields(&rule)?).await?)?;
    let entry = Audit::new("bonus.create", "bonus", &id)
        .details(format!("{} bonus '{id}' created", rule.kind.as_str()))
        .after(&v.json());
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(v)
}

/// "Update a bonus": replaces every field. Grants already made stay. ManageWalletMoney;
/// audited.
pub async fn update(app: &App, actor: &Principal, id: &str, input: RuleInput) -> Result<BonusView> {
    actor.require(Permission::ManageWalletMoney)?;
    let rule = BonusRule::parse(input)?;
    let tx = app.db().begin_write().await?;
    let before = bonuses::find(&tx, id).await?.ok_or(Error::NotFound("bonus"))?;
    let row = bonuses::update(&tx, id, fields(&rule)?).await?.ok_or(Error::NotFound("bonus"))?;
    let v = view(row)?;
    let entry = Audit::new("bonus.update", "bonus", id)
        .details(format!("bonus '{id}' updated"))
        .before(&view(before)?.json())
        .after(&v.json());
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(v)
}

/// "Delete a bonus": the rule stops applying; grants already made stay. Returns the deleted
/// rule. ManageWalletMoney; audited.
pub async fn delete(app: &App, actor: &Principal, id: &str) -> Result<BonusView> {
    actor.require(Permission::ManageWalletMoney)?;
    let tx = app.db().begin_write().await?;
    let row = bonuses::find(&tx, id).await?.ok_or(Error::NotFound("bonus"))?;
    let v = view(row)?;
    bonuses::delete(&tx, id).await?;
    let entry = Audit::new("bonus.delete", "bonus", id)
        .details(format!("bonus '{id}' deleted"))
        .before(&v.json());
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(v)
}
