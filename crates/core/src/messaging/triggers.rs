//! The events an e-mail template can be sent on, and the variables each offers to the
//! template (besides the customer's own: `firstname`, `lastname`, `email`, `country`,
//! `language`).

/// An event that sends the templates set to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trigger {
    SignUp,
    DepositPosted,
    WithdrawalApproved,
    WithdrawalRejected,
    KycApproved,
    KycRejected,
    KycRetry,
    MarginCall,
    StopOut,
    PayoutApproved,
    PayoutRejected,
}

/// The customer's variables, offered by every trigger.
pub const CUSTOMER_VARIABLES: [&str; 5] = ["firstname", "lastname", "email", "country", "language"];

impl Trigger {
    pub const ALL: [Trigger; 11] = [
        Trigger::SignUp,
        Trigger::DepositPosted,
        Trigger::WithdrawalApproved,
        Trigger::WithdrawalRejected,
        Trigger::KycApproved,
        Trigger::KycRejected,
        Trigger::KycRetry,
        Trigger::MarginCall,
        Trigger::StopOut,
        Trigger::PayoutApproved,
        Trigger::PayoutRejected,
    ];

    /// The name stored and shown (`trigger` of a template).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUp => "user.signed_up",
            Self::DepositPosted => "deposit.posted",
            Self::WithdrawalApproved => "withdrawal.approved",
            Self::WithdrawalRejected => "withdrawal.rejected",
            Self::KycApproved => "kyc.approved",
            Self::KycRejected => "kyc.rejected",
            Self::KycRetry => "kyc.retry",
            Self::MarginCall => "trading.margin_call",
            Self::StopOut => "trading.stop_out",
            Self::PayoutApproved => "payout.approved",
            Self::PayoutRejected => "payout.rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// What happened, for the staff choosing a trigger.
    pub fn description(self) -> &'static str {
        match self {
            Self::SignUp => "A customer signed up",
            Self::DepositPosted => "A deposit was credited to a customer's wallet",
            Self::WithdrawalApproved => "A customer's withdrawal was approved",
            Self::WithdrawalRejected => "A customer's withdrawal was rejected",
            Self::KycApproved => "A customer's KYC was approved",
            Self::KycRejected => "A customer's KYC was rejected for good",
            Self::KycRetry => "A customer's KYC was rejected with a chance to resubmit",
            Self::MarginCall => "A wallet's margin level fell to its group's margin-call level",
            Self::StopOut => "Positions of a wallet were closed at its group's stop-out level",
            Self::PayoutApproved => "An introducer's commission payout was approved",
            Self::PayoutRejected => "An introducer's commission payout was rejected",
        }
    }

    /// The event's own variables.
    pub fn variables(self) -> &'static [&'static str] {
        match self {
            Self::SignUp | Self::KycApproved => &[],
            Self::KycRejected | Self::KycRetry => &["reason"],
            Self::DepositPosted
            | Self::WithdrawalApproved
            | Self::WithdrawalRejected
            | Self::PayoutApproved => &["amount", "currency", "walletId"],
            Self::PayoutRejected => &["amount", "currency", "walletId", "reason"],
            Self::MarginCall => &["currency", "walletId", "equity", "margin", "marginLevel"],
            Self::StopOut => &["currency", "walletId", "equity", "positionsClosed"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in Trigger::ALL {
            assert_eq!(Trigger::parse(t.as_str()), Some(t));
            assert!(!t.description().is_empty());
        }
        assert_eq!(Trigger::parse("nope"), None);
    }
}
