//! KYC: a customer's status, the reviewer's decisions, and the outcome of an identity
//! provider's review (SumSub: `GREEN` approves; `RED` with `FINAL` rejects for good, with
//! `RETRY` asks for new documents).

use crate::{Error, Result};

/// A customer's KYC status. Stored lower-case, shown upper-case (`"PENDING"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KycStatus {
    /// Nothing submitted (the initial state, and the state after a reset).
    None,
    /// Documents uploaded, waiting for review.
    Pending,
    Approved,
    /// Approval withdrawn by a reviewer.
    Revoked,
    /// Rejected for good (SumSub `RED` / `FINAL`).
    Rejected,
    /// Rejected with a chance to resubmit (SumSub `RED` / `RETRY`).
    Retry,
}

/// A KYC decision by a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KycAction {
    Approve,
    Revoke,
    Reset,
    /// Rejected for good (the reviewer gives a reason).
    Reject,
    /// Rejected with a chance to resubmit (the reviewer says why).
    AskRetry,
}

impl KycStatus {
    pub const ALL: [KycStatus; 6] = [
        KycStatus::None,
        KycStatus::Pending,
        KycStatus::Approved,
        KycStatus::Revoked,
        KycStatus::Rejected,
        KycStatus::Retry,
    ];

    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Revoked => "revoked",
            Self::Rejected => "rejected",
            Self::Retry => "retry",
        }
    }

    /// The wire value.
    pub fn wire(self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::Pending => "PENDING",
            Self::Approved => "APPROVED",
            Self::Revoked => "REVOKED",
            Self::Rejected => "REJECTED",
            Self::Retry => "RETRY",
        }
    }

    /// Either spelling, any case; the error names `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::field(field, format!("unknown KYC status '{}'", raw.trim())))
    }

    /// A stored value read back; unknown text counts as `None`.
    pub fn stored(raw: &str) -> Self {
        Self::ALL.into_iter().find(|k| k.as_str() == raw).unwrap_or(Self::None)
    }

    /// The status after `action`, or a `Conflict` naming why it is not allowed: approve from
    /// anything but approved; revoke only an approval; reset anything but a fresh status;
    /// reject or ask for a retry from anything but an approval (revoke it first) and a final
    /// rejection (reset it first), and not twice.
    pub fn after(self, action: KycAction) -> Result<Self> {
        match (action, self) {
            (KycAction::Approve, Self::Approved) => {
                Err(Error::Conflict("KYC is already approved".into()))
            }
            (KycAction::Approve, _) => Ok(Self::Approved),
            (KycAction::Revoke, Self::Approved) => Ok(Self::Revoked),
            (KycAction::Revoke, _) => Err(Error::Conflict("KYC is not approved".into())),
            (KycAction::Reset, Self::None) => Err(Error::Conflict("KYC is already reset".into())),
            (KycAction::Reset, _) => Ok(Self::None),
            (KycAction::Reject | KycAction::AskRetry, Self::Approved) => {
                Err(Error::Conflict("KYC is approved; revoke the approval first".into()))
            }
            (KycAction::Reject | KycAction::AskRetry, Self::Rejected) => {
                Err(Error::Conflict("KYC is rejected for good; reset it first".into()))
            }
            (KycAction::Reject, _) => Ok(Self::Rejected),
            (KycAction::AskRetry, Self::Retry) => {
                Err(Error::Conflict("a new attempt is already asked for".into()))
            }
            (KycAction::AskRetry, _) => Ok(Self::Retry),
        }
    }
}

/// The status an identity provider's review leads to: `GREEN` approves; `RED` rejects,
/// for good when the reject type is `FINAL`, open to a new attempt otherwise (`RETRY`).
/// Any other answer is `None` (not a decision).
pub fn from_review(answer: &str, reject_type: Option<&str>) -> Option<KycStatus> {
    match answer {
        "GREEN" => Some(KycStatus::Approved),
        "RED" if reject_type == Some("FINAL") => Some(KycStatus::Rejected),
        "RED" => Some(KycStatus::Retry),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_and_new_statuses() {
        assert_eq!(from_review("GREEN", None), Some(KycStatus::Approved));
        assert_eq!(from_review("RED", Some("FINAL")), Some(KycStatus::Rejected));
        assert_eq!(from_review("RED", Some("RETRY")), Some(KycStatus::Retry));
        assert_eq!(from_review("YELLOW", None), None);
        for k in KycStatus::ALL {
            assert_eq!(KycStatus::stored(k.as_str()), k);
            assert_eq!(KycStatus::parse("s", k.wire()).ok(), Some(k));
        }
        assert_eq!(KycStatus::Rejected.after(KycAction::Approve).ok(), Some(KycStatus::Approved));
    }

    #[test]
    fn a_reviewer_rejects_or_asks_for_a_retry_but_not_over_an_approval_or_a_final_no() {
        use KycAction::{AskRetry, Reject};
        use KycStatus::*;
        for from in [None, Pending, Revoked, Retry] {
            assert_eq!(from.after(Reject).ok(), Some(Rejected), "{from:?}");
        }
        for from in [None, Pending, Revoked] {
            assert_eq!(from.after(AskRetry).ok(), Some(Retry), "{from:?}");
        }
        for (from, action) in
            [(Approved, Reject), (Approved, AskRetry), (Rejected, Reject), (Rejected, AskRetry)]
        {
            assert!(matches!(from.after(action), Err(Error::Conflict(_))), "{from:?} {action:?}");
        }
        assert!(matches!(Retry.after(AskRetry), Err(Error::Conflict(_))));
    }
}
