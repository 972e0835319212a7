//! Staff wallet use cases: filtered list, create for a customer, get, update group and
//! leverage, enable and disable. Writes need ManageWallets and are audited.

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::money::wallets::{DEFAULT_LEVERAGE, Platform, WalletStatus, leverage};
use brokercrm_core::{Currency, Error, Result, Violations};
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::groups::{self as trading_groups, GroupRow};
use brokercrm_store::repo::money::wallets::{self, NewWallet, WalletFilter};
use brokercrm_store::{ConnectionTrait, DatabaseTransaction, DbResultExt, TransactionTrait, db};

use super::{Page, WalletView, ledger_accounts, views, visible};
use crate::money::events::{OpenPositionsAsked, WalletOpened};
use crate::money::scope::{MoneyScope, Owners, require_owner};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Filters of "Get wallets" as received (validated here).
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Only this customer's wallets (the customer 360° page).
    pub customer_id: Option<i64>,
    pub search: Option<String>,
    pub currencies: Vec<String>,
    pub leverage_from: Option<String>,
    pub leverage_to: Option<String>,
    pub is_demo: Option<String>,
    /// Group ids or names.
    pub groups: Vec<String>,
    pub only_with_open_positions: Option<String>,
}

/// "Create wallet" (staff) input.
#[derive(Debug, Clone, Default)]
pub struct NewWalletInput {
    pub customer_id: String,
    pub group_id: Option<i64>,
    pub platform: Option<String>,
    pub leverage: Option<f64>,
    pub is_demo: Option<bool>,
}

/// "Update wallet by ID" input; absent fields keep their values.
#[derive(Debug, Clone, Default)]
pub struct WalletUpdate {
    pub group_id: Option<i64>,
    pub leverage: Option<f64>,
}

/// `true`/`false` (or 1/0) from a query parameter; blank is `None`.
pub fn flag(field: &str, raw: Option<&str>) -> Result<Option<bool>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some("true") | Some("1") => Ok(Some(true)),
        Some("false") | Some("0") => Ok(Some(false)),
        Some(_) => Err(Error::field(field, "must be true or false")),
    }
}

fn leverage_param(field: &str, raw: Option<&str>) -> Result<Option<i32>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            let n = s.parse::<f64>().map_err(|_| Error::field(field, "must be a number"))?;
            leverage(field, n).map(Some)
        }
    }
}

/// Resolves group ids or names; an unknown one is an error naming `field`.
async fn group_ids<C: ConnectionTrait>(conn: &C, field: &str, raw: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(raw.len());
    for g in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let found = match g.parse::<i64>() {
            Ok(id) => trading_groups::find(conn, id).await?,
            Err(_) => trading_groups::find_by_name(conn, g).await?,
        };
        ids.push(found.ok_or_else(|| Error::field(field, format!("unknown group '{g}'")))?.id);
    }
    Ok(ids)
}

/// "Get wallets" (staff): newest first, filtered; returns the page and how many match in all.
/// "Only with open positions" keeps the wallets trading reports open positions on.
pub async fn list(
    app: &App,
    actor: &Principal,
    q: ListQuery,
    page: Page,
) -> Result<(Vec<WalletView>, u64)> {
    actor.require(Permission::ReadWallets)?;
    let conn = app.db().conn();
    let mut v = Violations::new();
    let currencies = q
        .currencies
        .iter()
        .filter(|c| !c.trim().is_empty())
        .filter_map(|c| v.check(Currency::parse("currencies", c.trim())))
        .map(|c| c.as_str().to_owned())
        .collect();
    let leverage_from = v.check(leverage_param("leverageFrom", q.leverage_from.as_deref()));
    let leverage_to = v.check(leverage_param("leverageTo", q.leverage_to.as_deref()));
    let is_demo = v.check(flag("isDemo", q.is_demo.as_deref()));
    let positions =
        v.check(flag("onlyShowWalletsWithOpenPositions", q.only_with_open_positions.as_deref()));
    let search = v.check(brokercrm_core::validate::opt_text("search", q.search.as_deref(), 200));
    v.finish()?;
    let (user_id, scope) =
        match MoneyScope::of(conn, actor, Permission::ReadWallets).await?.owners() {
            None => (None, None),
            Some(Owners::One(u)) => (Some(u), None),
            Some(Owners::Scope(s)) => (None, Some(s)),
        };
    // One customer's wallets: within the caller's own wallets only their own.
    let (user_id, match_none) = match (user_id, q.customer_id) {
        (Some(own), Some(asked)) => (Some(own), own != asked),
        (own, asked) => (own.or(asked), false),
    };
    let f = WalletFilter {
        user_id,
        scope,
        search: search.flatten(),
        currencies,
        leverage_from: leverage_from.flatten(),
        leverage_to: leverage_to.flatten(),
        is_demo: is_demo.flatten(),
        group_ids: group_ids(conn, "groups", &q.groups).await?,
        ids: match positions.flatten() {
            Some(true) => Some(with_open_positions(app).await?),
            _ => None,
        },
        match_none,
    };
    let (rows, total) = wallets::list(conn, &f, page.limit, page.offset).await?;
    let mut v = views::build(conn, rows.clone(), true).await?;
    views::views_with_trading(app, &rows, &mut v).await?;
    Ok((v, total))
}

/// The wallets holding open positions (asked of trading; none without a subscriber).
async fn with_open_positions(app: &App) -> Result<Vec<i64>> {
    let asked = OpenPositionsAsked::default();
    let tx = app.db().conn().begin().await.db()?;
    app.events().publish(&tx, &asked).await?;
    tx.rollback().await.db()?;
    asked.wallet_ids.into_inner().map_err(|_| Error::internal("open positions lock"))
}

/// The customer a staff member opens a wallet for: by UUID or numeric account id.
async fn customer<C: ConnectionTrait>(conn: &C, raw: &str) -> Result<users::UserRow> {
    let raw = raw.trim();
    let found = match raw.parse::<i64>() {
        Ok(id) => users::find_by_id(conn, id).await?,
        Err(_) => users::find_by_uuid(conn, raw).await?,
    };
    match found {
        Some(u) if u.role == Role::Customer.as_str() => Ok(u),
        Some(_) => Err(Error::field("customerId", "is not a customer")),
        None => Err(Error::field("customerId", "no customer has this id")),
    }
}

/// The default wallet group (setting `wallet.default`), if it names an existing group.
pub(crate) async fn default_group<C: ConnectionTrait>(
    app: &App,
    conn: &C,
) -> Result<(Option<Platform>, Option<GroupRow>)> {
    let Some(d) = crate::platform::settings::providers::default_wallet(app).await? else {
        return Ok((None, None));
    };
    let platform = Platform::parse("platform", &d.platform).ok();
    Ok((platform, trading_groups::find_by_name(conn, &d.group).await?))
}

/// The currency of a wallet without a group: setting `default.currency`, else USD.
pub(crate) async fn default_currency(app: &App) -> Result<Currency> {
    let c = crate::platform::settings::get(app, None, "default.currency").await?;
    Ok(c.and_then(|c| Currency::parse("currency", c.trim()).ok()).unwrap_or(Currency::USD))
}

/// Opens a wallet and its two ledger accounts in `tx`, and audits it when staff did it.
pub(crate) async fn open(
    app: &App,
    tx: &DatabaseTransaction,
    actor: &Principal,
    w: NewWallet,
) -> Result<WalletView> {
    let row = wallets::insert(tx, w).await?;
    ledger_accounts(tx, &row).await?;
    app.events().publish(tx, &WalletOpened { wallet: row.clone() }).await?;
    let view = views::one(tx, row, false).await?;
    if actor.role.is_staff() {
        let entry = Audit::new("wallet.create", "wallet", view.id.to_string())
            .details(format!(
                "wallet {} ({}) opened for {}",
                view.id, view.currency, view.customer_id
            ))
            .after(&view);
        audit::record(tx, Some(actor), entry).await?;
    }
    Ok(view)
}

/// "Create wallet" (staff): currency from the group (else the default currency), leverage
/// from the request (else the group's, else 100), platform NEO unless given. Audited.
pub async fn create(app: &App, actor: &Principal, n: NewWalletInput) -> Result<WalletView> {
    actor.require(Permission::ManageWallets)?;
    let mut v = Violations::new();
    let platform = match n.platform.as_deref() {
        Some(p) => v.check(Platform::parse("platform", p)),
        None => Some(Platform::Neo),
    };
    let lev = n.leverage.map(|l| v.check(leverage("leverage", l)));
    v.finish()?;
    let tx = app.db().begin_write().await?;
    let owner = customer(&tx, &n.customer_id).await?;
    // Out of the caller's customer scope answers as an unknown customer.
    let unknown = || Error::field("customerId", "no customer has this id");
    require_owner(&tx, actor, owner.id, Permission::ManageWallets, unknown).await?;
    let group = match n.group_id {
        Some(id) => Some(
            trading_groups::find(&tx, id)
                .await?
                .ok_or_else(|| Error::field("groupId", "no group has this id"))?,
        ),
        None => default_group(app, &tx).await?.1,
    };
    let currency = match &group {
        Some(g) => g.currency.clone(),
        None => default_currency(app).await?.as_str().to_owned(),
    };
    let leverage = lev.flatten().or(group.as_ref().map(|g| g.leverage)).unwrap_or(DEFAULT_LEVERAGE);
    let w = NewWallet {
        user_id: owner.id,
        platform: platform.unwrap_or(Platform::Neo).as_str().to_owned(),
        status: WalletStatus::Active.as_str().to_owned(),
        currency,
        group_id: group.map(|g| g.id),
        leverage,
        is_demo: n.is_demo.unwrap_or(false),
    };
    let view = open(app, &tx, actor, w).await?;
    db::commit(tx).await?;
    Ok(view)
}

/// "Get wallet by ID" (staff), with balance, credit and equity.
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<WalletView> {
    actor.require(Permission::ReadWallets)?;
    let conn = app.db().conn();
    let w = visible(conn, actor, id, Permission::ReadWallets).await?;
    let mut v = [views::one(conn, w.clone(), true).await?];
    views::views_with_trading(app, &[w], &mut v).await?;
    let [v] = v;
    Ok(v)
}

/// "Update wallet by ID": group (same currency as the wallet) and leverage. Audited.
pub async fn update(app: &App, actor: &Principal, id: i64, u: WalletUpdate) -> Result<WalletView> {
    actor.require(Permission::ManageWallets)?;
    let lev = u.leverage.map(|l| leverage("leverage", l)).transpose()?;
    let tx = app.db().begin_write().await?;
    let old = visible(&tx, actor, id, Permission::ManageWallets).await?;
    let group_id = match u.group_id {
        Some(gid) => {
            let g = trading_groups::find(&tx, gid)
                .await?
                .ok_or_else(|| Error::field("groupId", "no group has this id"))?;
            if g.currency != old.currency {
                return Err(Error::field(
                    "groupId",
                    format!(
                        "the group's currency {} is not the wallet's {}",
                        g.currency, old.currency
                    ),
                ));
            }
            Some(gid)
        }
        None => old.group_id,
    };
    wallets::update_settings(&tx, id, group_id, lev.unwrap_or(old.leverage)).await?;
    let before = views::one(&tx, old, false).await?;
    let row = wallets::find(&tx, id).await?.ok_or(Error::NotFound("wallet"))?;
    let view = views::one(&tx, row, true).await?;
    let entry = Audit::new("wallet.update", "wallet", id.to_string())
        .details(format!("wallet {id}: group {:?}, leverage {}", view.group_id, view.leverage))
        .before(&before)
        .after(&view);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(view)
}

/// "Enable wallet by ID" / "Disable wallet by ID". Audited (also when unchanged).
pub async fn set_status(app: &App, actor: &Principal, id: i64, status: WalletStatus) -> Result<()> {
    actor.require(Permission::ManageWallets)?;
    let tx = app.db().begin_write().await?;
    let old = visible(&tx, actor, id, Permission::ManageWallets).await?;
    wallets::set_status(&tx, id, status.as_str()).await?;
    let kind = match status {
        WalletStatus::Active => "wallet.enable",
        WalletStatus::Disabled => "wallet.disable",
    };
    let entry = Audit::new(kind, "wallet", id.to_string()).details(format!(
        "wallet {id}: {} → {}",
        old.status,
        status.as_str()
    ));
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(())
}
