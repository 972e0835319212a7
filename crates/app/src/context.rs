//! The application context: database, configuration, keys and the outbound services every
//! use case may need. Cheap to clone.

use std::sync::{Arc, Weak};
use std::time::Duration;

use brokercrm_core::Result;
use brokercrm_integrations::email::EmailSender;
use brokercrm_integrations::geoip::{GeoIp, MaxMindGeoIp, NoGeoIp};
use brokercrm_integrations::outbound::OutboundClient;
use brokercrm_integrations::sms::{LogSmsSender, SmsSender};
use brokercrm_store::Db;
use brokercrm_store::db::Backend;
use brokercrm_store::repo::money::groups::GroupRow;
use brokercrm_store::repo::platform::settings;
use brokercrm_store::repo::trading::instruments::InstrumentRow;

use brokercrm_integrations::advertisers::AdapterEnv;
use brokercrm_integrations::payments::Registry as PaymentRegistry;

use crate::config::AppConfig;
use crate::distribution::intake::batch::Intake;
use crate::distribution::intake::gate::{DbGate, MemoryGate, RequestGate};
use crate::distribution::intake::plan::PlanCache;
use crate::identity::security::{JwtKeys, PasswordHasherCfg, random_token};
use crate::money::wallets::manual::lane::ManualMoves;
use crate::money::wallets::transfer::lane::WalletTransfers;
use crate::platform::after_commit::Bus;
use crate::platform::cached::Cached;
use crate::platform::clock::{Clock, SystemClock};
use crate::platform::crypto::{DataKey, load_key_file};
use crate::platform::events::Events;
use crate::platform::files::{FileStore, LocalFileStore};
use crate::platform::group_commit::Lanes;
use crate::platform::ratelimit::{MemoryRateLimiter, RateLimiter};

/// Setting key under which the generated JWT signing secret is persisted.
pub const JWT_SECRET_KEY: &str = "system.jwt_secret";

/// Replaceable outbound services (tests swap in recording fakes).
#[derive(Clone)]
pub struct Services {
    pub sms: Arc<dyn SmsSender>,
    pub geoip: Arc<dyn GeoIp>,
    pub files: Arc<dyn FileStore>,
    pub limiter: Arc<dyn RateLimiter>,
    /// When set, every e-mail goes here instead of the configured provider.
    pub email_override: Option<Arc<dyn EmailSender>>,
    /// The one guarded outbound HTTP client (payouts, e-mail, reCAPTCHA; the advertiser
    /// adapters and VoIP share it through `adapters`). Replace it with [`Services::set_outbound`].
    pub http: OutboundClient,
    /// The time source (tests move a manual clock).
    pub clock: Arc<dyn Clock>,
    /// Rate-limit and duplicate-body windows of the affiliate API; `None`: chosen by
    /// `shared_request_windows` when the app is built.
    pub gate: Option<Arc<dyn RequestGate>>,
    /// Outbound advertiser clients' shared HTTP client and token cache.
    pub adapters: AdapterEnv,
    /// The payment providers this deployment offers.
    pub payments: PaymentRegistry,
    /// Scans uploaded customer documents (no-op by default).
    pub scanner: Arc<dyn crate::onboarding::documents::VirusScanner>,
}

impl Services {
    /// Production defaults for `cfg`.
    pub fn for_config(cfg: &AppConfig) -> Result<Self> {
        let geoip: Arc<dyn GeoIp> = match &cfg.geoip_path {
            Some(p) => Arc::new(MaxMindGeoIp::open(p)?),
            None => Arc::new(NoGeoIp),
        };
        let http = OutboundClient::new(cfg.allow_private_outbound, OUTBOUND_TIMEOUT)?;
        Ok(Self {
            sms: Arc::new(LogSmsSender),
            geoip,
            files: Arc::new(LocalFileStore::new(cfg.files_dir.clone())),
            limiter: Arc::new(MemoryRateLimiter::new(Duration::from_secs(3600))),
            email_override: None,
            http: http.clone(),
            clock: Arc::new(SystemClock),
            gate: None,
            adapters: AdapterEnv::with_client(http.clone()),
            payments: PaymentRegistry::builtin(),
            scanner: Arc::new(crate::onboarding::documents::NoScan),
        })
    }
}

impl Services {
    /// Makes `http` the outbound client of every caller (tests inject one with a static host
    /// table).
    pub fn set_outbound(&mut self, http: OutboundClient) {
        self.adapters = AdapterEnv::with_client(http.clone());
        self.http = http;
    }
}

/// Default time-out of an outbound request (callers set tighter ones per request).
const OUTBOUND_TIMEOUT: Duration = Duration::from_secs(30);

/// Writer lanes of the lead intake batch on PostgreSQL; SQLite has one writer, so one lane.
const WRITER_LANES_POSTGRES: usize = 4;
/// Writer lanes of wallet transfers, on both databases. One: concurrent batches of random
/// transfers mostly share an account, so a second lane waits on the first's row locks (on the
/// 2-core benchmark machine 1 lane: 2,367-2,481/s, 2: 2,251-2,317/s, 3: 1,910-2,076/s).
const TRANSFER_LANES: usize = 1;

/// Writer lanes of manual transactions, on both databases. One: every manual movement of a
/// currency shares its house account's row, so PostgreSQL's four lanes (the second session of
/// 2026-12-06) made batches smaller (1.7 movements) without making them faster (394/s), and
/// their batches deadlocked with each other under load until a movement's retries ran out.
const MANUAL_LANES: usize = 1;

/// Most users authentication remembers at once.
const AUTH_USERS: u64 = 100_000;

/// Most instruments or trading groups the trading request path remembers at once.
const REFERENCE_ROWS: u64 = 10_000;

struct Inner {
    db: Db,
    cfg: AppConfig,
    jwt: JwtKeys,
    services: Services,
    gate: Arc<dyn RequestGate>,
    plans: PlanCache,
    intake: Lanes<Intake>,
    transfers: Lanes<WalletTransfers>,
    manual: Lanes<ManualMoves>,
    /// The writer lane of market opens and closes (one: they share the house accounts).
    trades: Lanes<crate::trading::positions::lane::TradeMoves>,
    /// The writer lane of completed provider deposits (one: they share the clearing accounts).
    deposits: Lanes<crate::money::transactions::deposit_lane::DepositCompletions>,
    /// Writer lanes of market-data account creation.
    md_accounts: Lanes<crate::market_data::account_batch::NewAccounts>,
    data_key: DataKey,
    events: Events,
    /// What committed transactions announce to this process's live streams.
    bus: Bus,
    /// Market data: the token signer and the recently authenticated application keys.
    market_data: crate::market_data::MarketData,
    /// Woken after every commit of ticks in this process (the trigger evaluator waits on it).
    ticked: tokio::sync::Notify,
    /// The live streams open in this process, and the shutdown signal they follow.
    streams: crate::platform::streams::Streams,
    /// Users as authentication last read them (`auth_cache_ttl`).
    auth_users: moka::sync::Cache<i64, Arc<brokercrm_store::repo::identity::users::UserRow>>,
    /// Instruments by symbol, as the trading request path last read them (`trading_cache_ttl`).
    instruments: Cached<String, Arc<InstrumentRow>>,
    /// The downtimes not over when last read, and when that was (`trading_cache_ttl`).
    downtimes: Cached<(), crate::trading::downtimes::Kept>,
    /// Trading groups by id, as the trading request path last read them (`trading_cache_ttl`).
    groups: Cached<i64, Arc<GroupRow>>,
    /// The live relay (`trading::live::relay`), started by the first client stream.
    relay: std::sync::OnceLock<tokio::task::JoinHandle<()>>,
    /// This application, not kept alive (for tasks it starts after it was built).
    weak: WeakApp,
}

/// Shared application state handed to every use case.
#[derive(Clone)]
pub struct App(Arc<Inner>);

/// A reference to the application that does not keep it alive (for its own background tasks).
#[derive(Clone)]
pub struct WeakApp(Weak<Inner>);

impl WeakApp {
    pub fn upgrade(&self) -> Option<App> {
        self.0.upgrade().map(App)
    }
}

impl App {
    /// Builds the context; loads the JWT signing secret from `jwt_secret` or the database,
    /// generating and persisting one on first start, and the data key from the configuration
    /// or its key file (created on first start; never stored in the database).
    pub async fn build(
        db: Db,
        cfg: AppConfig,
        services: Services,
        jwt_secret: Option<String>,
    ) -> Result<Self> {
        let secret = match jwt_secret {
            Some(s) => s,
            None => {
                settings::put_if_absent(db.conn(), JWT_SECRET_KEY, &random_token(48), true).await?
            }
        };
        let jwt = JwtKeys::from_secret(secret.as_bytes());
        let data_key = match &cfg.data_key {
            Some(k) => k.clone(),
            None => load_key_file(&cfg.data_key_file, &cfg.files_dir)?,
        };
        let gate: Arc<dyn RequestGate> = match &services.gate {
            Some(g) => g.clone(),
            None if cfg.shared_request_windows => Arc::new(DbGate::new(db.clone())),
            None => Arc::new(MemoryGate::default()),
        };
        let plans = PlanCache::new(cfg.distribution_cache_ttl);
        let market_data = crate::market_data::MarketData::default();
        let auth_users = moka::sync::Cache::builder()
            .max_capacity(AUTH_USERS)
            .time_to_live(cfg.auth_cache_ttl.max(std::time::Duration::from_millis(1)))
            .build();
        let instruments = Cached::new(cfg.trading_cache_ttl, REFERENCE_ROWS);
        let downtimes = Cached::new(cfg.trading_cache_ttl, 1);
        let groups = Cached::new(cfg.trading_cache_ttl, REFERENCE_ROWS);
        let intake_lanes = match db.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => WRITER_LANES_POSTGRES,
        };
        Ok(Self(Arc::new_cyclic(|weak| {
            let intake = Lanes::spawn(&WeakApp(weak.clone()), intake_lanes);
            let transfers = Lanes::spawn(&WeakApp(weak.clone()), TRANSFER_LANES);
            let manual = Lanes::spawn(&WeakApp(weak.clone()), MANUAL_LANES);
            let trades = Lanes::spawn(&WeakApp(weak.clone()), 1);
            let deposits = Lanes::spawn(&WeakApp(weak.clone()), 1);
            let md_accounts = Lanes::spawn(&WeakApp(weak.clone()), intake_lanes);
            let events = subscriptions();
            Inner {
                db,
                cfg,
                jwt,
                services,
                gate,
                plans,
                intake,
                transfers,
                manual,
                trades,
                deposits,
                md_accounts,
                data_key,
                events,
                bus: Bus::default(),
                market_data,
                ticked: tokio::sync::Notify::new(),
                streams: Default::default(),
                auth_users,
                instruments,
                downtimes,
                groups,
                relay: std::sync::OnceLock::new(),
                weak: WeakApp(weak.clone()),
            }
        })))
    }

    pub fn db(&self) -> &Db {
        &self.0.db
    }

    pub fn cfg(&self) -> &AppConfig {
        &self.0.cfg
    }

    pub fn jwt(&self) -> &JwtKeys {
        &self.0.jwt
    }

    pub fn services(&self) -> &Services {
        &self.0.services
    }

    pub fn clock(&self) -> &dyn Clock {
        self.0.services.clock.as_ref()
    }

    pub fn gate(&self) -> &dyn RequestGate {
        self.0.gate.as_ref()
    }

    pub fn adapters(&self) -> &AdapterEnv {
        &self.0.services.adapters
    }

    /// The cached routing configuration (staff writes call `invalidate`).
    pub fn plans(&self) -> &PlanCache {
        &self.0.plans
    }

    /// The lead intake batch's writer lanes.
    pub(crate) fn intake(&self) -> &Lanes<Intake> {
        &self.0.intake
    }

    /// The writer lane of manual transactions.
    pub(crate) fn manual_lane(&self) -> &Lanes<ManualMoves> {
        &self.0.manual
    }

    /// The writer lane of market opens and closes.
    pub(crate) fn trade_lane(&self) -> &Lanes<crate::trading::positions::lane::TradeMoves> {
        &self.0.trades
    }

    /// The writer lane of completed provider deposits.
    pub(crate) fn deposit_lane(
        &self,
    ) -> &Lanes<crate::money::transactions::deposit_lane::DepositCompletions> {
        &self.0.deposits
    }

    /// The writer lanes of market-data account creation.
    pub(crate) fn md_accounts(&self) -> &Lanes<crate::market_data::account_batch::NewAccounts> {
        &self.0.md_accounts
    }

    /// The writer lanes of wallet transfers.
    pub(crate) fn transfer_lanes(&self) -> &Lanes<WalletTransfers> {
        &self.0.transfers
    }

    /// Users as authentication last read them, for `auth_cache_ttl`.
    pub(crate) fn auth_users(
        &self,
    ) -> &moka::sync::Cache<i64, Arc<brokercrm_store::repo::identity::users::UserRow>> {
        &self.0.auth_users
    }

    /// Instruments as the trading request path last read them, for `trading_cache_ttl`.
    pub(crate) fn instruments(&self) -> &Cached<String, Arc<InstrumentRow>> {
        &self.0.instruments
    }

    /// The downtimes not over when last read, for `trading_cache_ttl`.
    pub(crate) fn downtimes(&self) -> &Cached<(), crate::trading::downtimes::Kept> {
        &self.0.downtimes
    }

    /// Trading groups as the trading request path last read them, for `trading_cache_ttl`.
    pub(crate) fn groups(&self) -> &Cached<i64, Arc<GroupRow>> {
        &self.0.groups
    }

    /// The in-transaction event hook, with every subscriber registered.
    pub fn events(&self) -> &Events {
        &self.0.events
    }

    /// The in-process after-commit channels (`platform::after_commit`).
    pub fn bus(&self) -> &Bus {
        &self.0.bus
    }

    /// Notified after every commit of ticks in this process: the trigger evaluator passes at
    /// once instead of at its next interval (`notify_one`, so a burst of commits wakes one
    /// pass, which reads the latest quotes).
    pub fn ticked(&self) -> &tokio::sync::Notify {
        &self.0.ticked
    }

    /// Starts this process's live relay unless it runs already (`trading::live::relay`).
    pub(crate) fn start_relay(&self) {
        self.0.relay.get_or_init(|| crate::trading::live::relay::spawn(self.0.weak.clone()));
    }

    /// The live streams (WebSockets) open in this process (`platform::streams`).
    pub fn streams(&self) -> &crate::platform::streams::Streams {
        &self.0.streams
    }

    /// The market-data context's signer and key cache.
    pub fn market_data(&self) -> &crate::market_data::MarketData {
        &self.0.market_data
    }

    /// The key that encrypts stored secrets.
    pub fn data_key(&self) -> &DataKey {
        &self.0.data_key
    }

    /// The payment providers this deployment offers.
    pub fn payment_providers(&self) -> &PaymentRegistry {
        &self.0.services.payments
    }

    pub fn hasher(&self) -> PasswordHasherCfg {
        PasswordHasherCfg { memory_kib: self.0.cfg.argon2_memory_kib }
    }
}

/// Who reacts to which event, in order, inside the publisher's transaction: the lead's FTD
/// conversion before the deposit bonuses (as before the hook); sales' customer scope decides
/// who may be impersonated; partners attribute sign-ups and enqueue commission accruals.
fn subscriptions() -> Events {
    use crate::distribution::ftd;
    use crate::money::bonuses::apply as bonuses;
    Events::default()
        .subscribe_many(ftd::on_deposits_posted)
        .subscribe_many(bonuses::on_deposits_posted)
        .subscribe(bonuses::on_wallet_opened)
        .subscribe(crate::sales::customers::impersonation::on_impersonation_requested)
        .subscribe(crate::trading::positions::hooks::on_wallet_figures)
        .subscribe(crate::trading::positions::hooks::on_open_positions)
        .subscribe(crate::trading::watchlists::on_watchlists_asked)
        .subscribe(crate::trading::positions::hooks::on_funds_leaving)
        .subscribe(crate::partners::introducers::on_customer_signed_up)
        .subscribe_many(crate::partners::accrual::on_deposits_posted)
        .subscribe_many(crate::partners::accrual::on_positions_closed)
        .subscribe(crate::partners::accrual::on_deposit_reversed)
        .subscribe(crate::onboarding::hooks::on_signing_in)
        .subscribe(crate::onboarding::hooks::on_signing_up)
        .subscribe(crate::onboarding::hooks::on_profile_updating)
        .subscribe(crate::messaging::hooks::on_signing_up)
        .subscribe_many(crate::messaging::hooks::on_deposits_posted)
        .subscribe(crate::messaging::hooks::on_withdrawal_decided)
        .subscribe(crate::messaging::hooks::on_kyc_decided)
        .subscribe(crate::messaging::hooks::on_margin_called)
        .subscribe(crate::messaging::hooks::on_stopped_out)
        .subscribe(crate::messaging::hooks::on_payout_decided)
}
