//! What money publishes on the in-transaction event hook (`platform::events`): other contexts
//! (distribution's FTD, bonuses, later partners' commissions) subscribe without money knowing.

use brokercrm_core::money::ledger::TransferId;
use brokercrm_core::{Currency, Money};
use brokercrm_store::repo::money::wallets::WalletRow;

use crate::platform::events::Event;

/// A deposit posted into a wallet's balance, whatever brought it (a staff manual deposit, a
/// payment provider's confirmed callback). Published once per deposit transfer, never on a
/// replay, inside the transaction that posted it.
pub struct DepositPosted {
    /// The wallet credited, as read in the transaction.
    pub wallet: WalletRow,
    /// The wallet's owner.
    pub customer_id: i64,
    /// The ledger transfer that posted the deposit.
    pub transfer: TransferId,
    pub amount: Money,
    pub currency: Currency,
    /// The deposit method or payment provider, when known.
    pub method: Option<String>,
}

impl Event for DepositPosted {}

impl DepositPosted {
    pub fn new(
        wallet: &WalletRow,
        transfer: &TransferId,
        amount: Money,
        currency: Currency,
        method: Option<&str>,
    ) -> Self {
        Self {
            wallet: wallet.clone(),
            customer_id: wallet.user_id,
            transfer: transfer.clone(),
            amount,
            currency,
            method: method.map(str::to_owned),
        }
    }
}

/// A completed provider deposit was charged back (the payer's bank took it back), inside the
/// transaction that moved the money back. Published once per deposit. Partners claw back the
/// CPA the deposit earned.
#[derive(Debug, Clone)]
pub struct DepositReversed {
    pub wallet_id: i64,
    pub customer_id: i64,
    pub demo: bool,
    /// The deposit's ledger transfer (the one `DepositPosted` named).
    pub deposit: TransferId,
    pub amount: Money,
    /// How much of it the wallet still held (the rest was the broker's loss).
    pub from_wallet: Money,
    pub currency: Currency,
}

impl Event for DepositReversed {}

/// A wallet and its ledger accounts were opened, inside the transaction that inserted them.
pub struct WalletOpened {
    pub wallet: WalletRow,
}

impl Event for WalletOpened {}

/// What open trading positions hold on a wallet, in its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TradingFigures {
    /// The floating P/L of its open positions at the latest quotes.
    pub floating: Money,
    /// The margin they need.
    pub margin: Money,
}

/// Asked while wallet money is shown (in a read transaction): a subscriber (trading) answers
/// the floating P/L and margin of the wallets that hold open positions. No answer: none.
pub struct WalletFiguresAsked {
    pub wallets: Vec<WalletRow>,
    pub answers: std::sync::Mutex<std::collections::HashMap<i64, TradingFigures>>,
}

impl Event for WalletFiguresAsked {}

/// Asked while a client's wallets are shown (in a read transaction): a subscriber (trading)
/// answers the symbols each wallet watches (its watchlist), in the order added. No answer:
/// none watched.
#[derive(Default)]
pub struct WatchlistsAsked {
    pub wallet_ids: Vec<i64>,
    pub answers: std::sync::Mutex<std::collections::HashMap<i64, Vec<String>>>,
}

impl Event for WatchlistsAsked {}

/// Asked for the "only with open positions" wallet filter, and by a transfer to choose its
/// path: the ids of the wallets with open positions (a subscriber adds them).
#[derive(Default)]
pub struct OpenPositionsAsked {
    /// Only these wallets are asked about (`None`: every wallet).
    pub among: Option<Vec<i64>>,
    pub wallet_ids: std::sync::Mutex<Vec<i64>>,
}

impl Event for OpenPositionsAsked {}

/// Money is about to leave `wallet` (a withdrawal request, a transfer to another wallet),
/// inside the transaction that moves it, before anything moved: a subscriber refuses (422 on
/// `amount`) money that open positions need as margin.
pub struct FundsLeaving {
    pub wallet: WalletRow,
    pub amount: Money,
}

impl Event for FundsLeaving {}
/// A pending withdrawal was decided by staff (approved, possibly for a changed amount, or
/// rejected), inside the transaction that decided it.
pub struct WithdrawalDecided {
    /// The withdrawal's id (the payment request).
    pub id: String,
    pub customer_id: i64,
    pub wallet_id: i64,
    pub approved: bool,
    /// The amount paid out when approved, else the amount asked for.
    pub amount: Money,
    pub currency: String,
}

impl Event for WithdrawalDecided {}
