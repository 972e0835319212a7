//! One live connection (the use case behind `GET /api/trading/stream`): the caller follows
//! the quotes of the symbols it subscribes to (its trading group's markup applied) and the
//! changes of its own positions, orders and wallets, each sent after the transaction that
//! made it committed, read back from the database. A pump task moves what this process
//! announces (`platform::after_commit`) and what the live relay finds any instance committed
//! (`relay`) into the connection's [`Inbox`]; the connection takes from it as fast as its
//! client reads, sending each version of a position once.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::wallets::WalletStatus;
use brokercrm_core::trading::positions::Status;
use brokercrm_engine::Price;
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::repo::trading::prices as prices_repo;
use brokercrm_store::repo::trading::{orders, positions};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;
use tokio::task::JoinHandle;

use super::inbox::{Inbox, Quote};
use super::subscriptions::Subscriptions;
use crate::money::wallets::client::WalletBalance;
use crate::money::wallets::{WalletMoney, visible};
use crate::trading::events::{TradeChanged, WalletMoved};
use crate::trading::positions::figures;
use crate::trading::positions::list::views;
use crate::trading::positions::market::{self, Markups};
use crate::trading::positions::view::{OrderView, PositionView};
use crate::trading::prices::{QuotesStored, Tick};
use crate::{App, Principal};

/// What a client asks on an open connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Subscribe(Vec<String>),
    Unsubscribe(Vec<String>),
    Ping,
}

/// The answer to a [`Command`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The symbols added or removed, and every symbol followed now.
    Subscribed {
        added: Vec<String>,
        symbols: Vec<String>,
    },
    Unsubscribed {
        removed: Vec<String>,
        symbols: Vec<String>,
    },
    Pong,
}

/// Something sent to the client without its asking.
#[derive(Debug, Clone)]
pub enum Push {
    Quote(Quote),
    Position(Box<PositionView>),
    Order(Box<OrderView>),
    /// A wallet's figures, as "Get wallets balance" shows them.
    Wallet(WalletBalance),
    /// Changes were missed: read positions and orders again.
    Lagged,
}

/// Whose changes a connection follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Follow {
    /// Every wallet of this user.
    User(i64),
    /// One wallet (named on connecting).
    Wallet(i64),
}

impl Follow {
    fn wants(self, user_id: i64, wallet_id: i64) -> bool {
        match self {
            Self::User(u) => user_id == u,
            Self::Wallet(w) => wallet_id == w,
        }
    }
}

/// What a connection sent last: each position's version and each wallet's figures.
#[derive(Default)]
struct Sent {
    versions: HashMap<i64, i64>,
    wallets: HashMap<i64, WalletBalance>,
}

/// One connection.
pub struct Session {
    app: App,
    staff: bool,
    follow: Follow,
    markups: Markups,
    subs: Arc<Subscriptions>,
    inbox: Arc<Inbox>,
    sent: Mutex<Sent>,
    pump: JoinHandle<()>,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.pump.abort();
    }
}

/// The wallet whose group prices the quotes: `named` (visible to `actor`), else a client's
/// first active wallet (real before demo, lowest id); none for staff naming none, or a
/// client without a wallet.
async fn current(app: &App, actor: &Principal, named: Option<i64>) -> Result<Option<WalletRow>> {
    let conn = app.db().conn();
    if let Some(id) = named {
        return Ok(Some(visible(conn, actor, id, Permission::ReadWallets).await?));
    }
    if actor.role.is_staff() {
        return Ok(None);
    }
    let ids = wallets::ids_of_user(conn, actor.user_id).await?;
    let mut list = wallets::find_many(conn, &ids).await?;
    list.retain(|w| WalletStatus::parse("status", &w.status).ok() == Some(WalletStatus::Active));
    list.sort_by_key(|w| (w.is_demo, w.id));
    Ok(list.into_iter().next())
}

impl Session {
    /// Opens a connection for `actor`; `wallet` names the wallet to follow (else every wallet
    /// of the caller). Listens from now on: whatever commits after this returns reaches it.
    pub async fn open(app: &App, actor: &Principal, wallet: Option<i64>) -> Result<Self> {
        let quotes = app.bus().subscribe::<QuotesStored>();
        let changes = app.bus().subscribe::<TradeChanged>();
        let moved = app.bus().subscribe::<WalletMoved>();
        app.start_relay();
        let w = current(app, actor, wallet).await?;
        let markups = match &w {
            Some(w) => Markups::of_wallet(app.db().conn(), w).await?,
            None => Markups::none(),
        };
        let follow = match (wallet, &w) {
            (Some(_), Some(w)) => Follow::Wallet(w.id),
            _ => Follow::User(actor.user_id),
        };
        let subs = Arc::new(Subscriptions::default());
        let inbox = Arc::new(Inbox::default());
        let listen = Listen { quotes, changes, moved };
        let pump = tokio::spawn(pump(app.clone(), follow, listen, subs.clone(), inbox.clone()));
        Ok(Self {
            app: app.clone(),
            staff: actor.role.is_staff(),
            follow,
            markups,
            subs,
            inbox,
            sent: Mutex::default(),
            pump,
        })
    }

    /// Answers `c`; a refused subscription (an unknown symbol) changes nothing and is a 422
    /// naming the field.
    pub async fn command(&self, c: Command) -> Result<Reply> {
        match c {
            Command::Ping => Ok(Reply::Pong),
            Command::Subscribe(symbols) => {
                let conn = self.app.db().conn();
                let added = self.subs.add(conn, &self.markups, &symbols, self.staff).await?;
                // The latest stored quote of each, so the client starts with a price.
                for s in &added {
                    if let Some(q) = prices_repo::quote(conn, s).await? {
                        let t = Tick {
                            symbol: q.symbol,
                            bid: Price::from_minor(q.bid),
                            ask: Price::from_minor(q.ask),
                            at: q.quoted_at,
                        };
                        if let Some(q) = self.subs.quote(&t) {
                            self.inbox.put_quote(q);
                        }
                    }
                }
                Ok(Reply::Subscribed { added, symbols: self.subs.list() })
            }
            Command::Unsubscribe(symbols) => {
                let removed = self.subs.remove(&symbols);
                for s in &removed {
                    self.inbox.forget(s);
                }
                Ok(Reply::Unsubscribed { removed, symbols: self.subs.list() })
            }
        }
    }

    /// Waits until something is to be sent (takes nothing: safe to cancel, e.g. in a
    /// `select!` beside the client's messages).
    pub async fn ready(&self) {
        self.inbox.ready().await;
    }

    /// What is to be sent now (possibly nothing): the latest quote of each symbol that
    /// moved, then each changed position with its latest order, then the changed wallets'
    /// figures, all as committed now. A position the relay announced at a version already
    /// sent is left out, and so are a wallet's figures after money moved when they equal the
    /// ones sent last.
    pub async fn take(&self) -> Result<Vec<Push>> {
        let b = self.inbox.take();
        let conn = self.app.db().conn();
        let mut out: Vec<Push> = b.quotes.into_iter().map(Push::Quote).collect();
        if b.lagged {
            out.push(Push::Lagged);
            self.sent().wallets.clear();
        }
        let mut wallets: BTreeMap<i64, bool> = b.wallets.into_iter().collect();
        let mut rows = Vec::with_capacity(b.positions.len());
        for c in b.positions {
            let last = self.sent().versions.get(&c.position).copied();
            if c.seen.is_some_and(|v| last.is_some_and(|l| l >= v)) {
                continue;
            }
            if let Some(p) = positions::find(conn, c.position).await? {
                if c.seen.is_some() && last.is_some_and(|l| l >= p.version) {
                    continue;
                }
                wallets.insert(p.wallet_id, true);
                rows.push(p);
            }
        }
        for (p, view) in rows.iter().zip(views(conn, &rows).await?) {
            self.sent().versions.insert(p.id, p.version);
            out.push(Push::Position(Box::new(view)));
            if let Some(o) = orders::of_position(conn, p.id).await?.last() {
                let d =
                    market::load(conn, "symbol", &p.symbol).await.map_or(8, |m| m.spec.decimals);
                out.push(Push::Order(Box::new(OrderView::of(o, Some(p), d))));
            }
        }
        for (id, always) in wallets {
            if let Some(w) = wallets::find(conn, id).await? {
                let figures = wallet_figures(&self.app, &w).await?;
                let same = self.sent().wallets.get(&id) == Some(&figures);
                if always || !same {
                    self.sent().wallets.insert(id, figures.clone());
                    out.push(Push::Wallet(figures));
                }
            }
        }
        Ok(out)
    }

    /// What this connection sent last.
    fn sent(&self) -> std::sync::MutexGuard<'_, Sent> {
        self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many quotes this connection's client never saw because a newer one replaced them.
    pub fn quotes_replaced(&self) -> u64 {
        self.inbox.replaced()
    }

    /// Whether this connection follows one wallet (`Some`) or all of its user's.
    pub fn wallet(&self) -> Option<i64> {
        match self.follow {
            Follow::Wallet(w) => Some(w),
            Follow::User(_) => None,
        }
    }
}

/// The figures of `w` now (without the floating P/L and margin when a quote or conversion
/// path is missing, as the balance views).
async fn wallet_figures(app: &App, w: &WalletRow) -> Result<WalletBalance> {
    let conn = app.db().conn();
    let open = positions::of_wallets(conn, &[w.id], Status::Open.as_str()).await?;
    let f = match figures::figures(conn, w, &open).await {
        Ok(f) => f,
        Err(_) => {
            let (balance, credit) = figures::money_of(conn, w).await?;
            let equity = balance.checked_add(credit).unwrap_or(balance);
            figures::Figures { balance, credit, equity, free_margin: equity, ..Default::default() }
        }
    };
    Ok(WalletBalance {
        id: w.id,
        currency: w.currency.clone(),
        is_demo: w.is_demo,
        money: WalletMoney {
            balance: f.balance,
            credit: f.credit,
            equity: f.equity,
            margin: f.margin,
            free_margin: f.free_margin,
            margin_level: f.margin_level,
        },
    })
}

/// What a session's pump listens to.
struct Listen {
    quotes: Receiver<Arc<QuotesStored>>,
    changes: Receiver<Arc<TradeChanged>>,
    moved: Receiver<Arc<WalletMoved>>,
}

/// Moves this process's announcements into `inbox` until the session ends.
async fn pump(
    app: App,
    follow: Follow,
    mut l: Listen,
    subs: Arc<Subscriptions>,
    inbox: Arc<Inbox>,
) {
    let lagged = |app: App, inbox: Arc<Inbox>| async move {
        let wallets = match follow {
            Follow::Wallet(w) => vec![w],
            Follow::User(u) => wallets::ids_of_user(app.db().conn(), u).await.unwrap_or_default(),
        };
        inbox.put_lagged(&wallets);
    };
    loop {
        tokio::select! {
            q = l.quotes.recv() => match q {
                Ok(batch) => {
                    for t in &batch.quotes {
                        if let Some(q) = subs.quote(t) {
                            inbox.put_quote(q);
                        }
                    }
                }
                // Missed quotes are replaced by the next ones.
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return,
            },
            c = l.changes.recv() => match c {
                Ok(c) if follow.wants(c.user_id, c.wallet_id) => {
                    inbox.put_change(c.position_id, c.wallet_id, c.seen);
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => lagged(app.clone(), inbox.clone()).await,
                Err(RecvError::Closed) => return,
            },
            m = l.moved.recv() => match m {
                Ok(m) if follow.wants(m.user_id, m.wallet_id) => inbox.put_wallet(m.wallet_id),
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => lagged(app.clone(), inbox.clone()).await,
                Err(RecvError::Closed) => return,
            },
        }
    }
}
