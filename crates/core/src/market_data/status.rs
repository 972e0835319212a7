//! Professional / non-professional subscriber status, the restrictions an account, an
//! application (the seed's "tenant") and a feed put on it, and the seed's five conflicts.

use std::fmt;

/// What the questionnaire decided a subscriber is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriberStatus {
    Professional,
    NonProfessional,
}

impl SubscriberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriberStatus::Professional => "PROFESSIONAL",
            SubscriberStatus::NonProfessional => "NON_PROFESSIONAL",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "PROFESSIONAL" => Some(SubscriberStatus::Professional),
            "NON_PROFESSIONAL" => Some(SubscriberStatus::NonProfessional),
            _ => None,
        }
    }
}

/// A restriction: which statuses are allowed (`allowedStatuses` of the seed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    All,
    Professional,
    NonProfessional,
}

impl Allowed {
    pub fn as_str(self) -> &'static str {
        match self {
            Allowed::All => "ALL",
            Allowed::Professional => "PROFESSIONAL",
            Allowed::NonProfessional => "NON_PROFESSIONAL",
        }
    }

    /// The seed's three values, exactly (upper case).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ALL" => Some(Allowed::All),
            "PROFESSIONAL" => Some(Allowed::Professional),
            "NON_PROFESSIONAL" => Some(Allowed::NonProfessional),
            _ => None,
        }
    }

    pub fn allows(self, s: SubscriberStatus) -> bool {
        match self {
            Allowed::All => true,
            Allowed::Professional => s == SubscriberStatus::Professional,
            Allowed::NonProfessional => s == SubscriberStatus::NonProfessional,
        }
    }

    /// True when some status satisfies both restrictions.
    pub fn meets(self, other: Allowed) -> bool {
        self == Allowed::All || other == Allowed::All || self == other
    }
}

impl fmt::Display for Allowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an order's feeds cannot be activated for an account (the seed's 400 rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusConflict {
    FeedsDiffer,
    AccountVsTenant,
    AccountVsFeeds,
    StatusVsTenant,
    StatusVsFeeds,
}

impl StatusConflict {
    /// The seed's message, word for word.
    pub fn message(self) -> &'static str {
        match self {
            StatusConflict::FeedsDiffer => {
                "Requested feeds can't be activated: Two or more feeds have different subscriber status restrictions"
            }
            StatusConflict::AccountVsTenant => {
                "Requested feeds can't be activated: There is a conflict between account subscriber status and tenant subscriber status restrictions"
            }
            StatusConflict::AccountVsFeeds => {
                "Requested feeds can't be activated: There is a conflict between account subscriber status and subscriber status restrictions of one or more feeds"
            }
            StatusConflict::StatusVsTenant => {
                "Requested feeds can't be activated: Account subscriber status doesn't align with the tenant subscriber status restrictions"
            }
            StatusConflict::StatusVsFeeds => {
                "Requested feeds can't be activated: Account subscriber status doesn't align with subscriber status restrictions of one or more feeds"
            }
        }
    }
}

/// Checks an order, in the seed's order of rows: the feeds among themselves, the account's
/// restriction against the application's and the feeds', then the status the account already
/// declared (if any) against the application's and the feeds' restrictions.
pub fn check_order(
    account: Allowed,
    declared: Option<SubscriberStatus>,
    tenant: Allowed,
    feeds: &[Allowed],
) -> Result<(), StatusConflict> {
    let pro = feeds.contains(&Allowed::Professional);
    let non_pro = feeds.contains(&Allowed::NonProfessional);
    if pro && non_pro {
        return Err(StatusConflict::FeedsDiffer);
    }
    if !account.meets(tenant) {
        return Err(StatusConflict::AccountVsTenant);
    }
    if feeds.iter().any(|f| !account.meets(*f)) {
        return Err(StatusConflict::AccountVsFeeds);
    }
    if let Some(s) = declared {
        if !tenant.allows(s) {
            return Err(StatusConflict::StatusVsTenant);
        }
        if feeds.iter().any(|f| !f.allows(s)) {
            return Err(StatusConflict::StatusVsFeeds);
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use Allowed::*;

    #[test]
    fn each_conflict_in_the_seeds_order() {
        let pro = Some(SubscriberStatus::Professional);
        assert_eq!(
            check_order(All, None, All, &[Professional, NonProfessional]),
            Err(StatusConflict::FeedsDiffer)
        );
        assert_eq!(
            check_order(NonProfessional, None, Professional, &[]),
            Err(StatusConflict::AccountVsTenant)
        );
        assert_eq!(
            check_order(NonProfessional, None, All, &[All, Professional]),
            Err(StatusConflict::AccountVsFeeds)
        );
        assert_eq!(
            check_order(All, pro, NonProfessional, &[All]),
            Err(StatusConflict::StatusVsTenant)
        );
        assert_eq!(
            check_order(All, pro, All, &[NonProfessional]),
            Err(StatusConflict::StatusVsFeeds)
        );
        assert_eq!(check_order(Professional, pro, All, &[Professional, All]), Ok(()));
    }
}
