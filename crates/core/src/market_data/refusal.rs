//! The refusals of the Retail Services API (seed 003), each with the seed's HTTP status,
//! `reason` and message, and the error type of the market-data use cases: a refusal, or the
//! one internal error.

use crate::Error;

/// A refusal the seed's failure tables list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 400 `BAD_REQUEST` with the seed's message for the case.
    BadRequest(String),
    /// 404 `ACCOUNT_NOT_FOUND`.
    AccountNotFound(String),
    /// 422 `ACCOUNT_ALREADY_EXISTS`.
    AccountAlreadyExists(String),
    /// 404 `FEED_NOT_FOUND`.
    FeedNotFound(String),
    /// 409 `SUBSCRIPTION_ALREADY_ACTIVE`.
    SubscriptionAlreadyActive(String),
    /// 409 `SINGLE_USE_FEED_ACTIVATED_BEFORE`.
    SingleUseFeedActivatedBefore(String),
    /// 404 `ORDER_NOT_FOUND`.
    OrderNotFound,
    /// 404 `SUBSCRIPTION_NOT_FOUND`.
    SubscriptionNotFound(String),
    /// 409 `SUBSCRIPTION_IS_EXPIRED`.
    SubscriptionIsExpired(String),
    /// 422 `CREDENTIALS_GENERATION_DISABLED`.
    CredentialsGenerationDisabled,
}

impl Refusal {
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Refusal::BadRequest(msg.into())
    }

    /// The HTTP status of the seed's row.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::BadRequest(_) => 400,
            Refusal::AccountNotFound(_)
            | Refusal::FeedNotFound(_)
            | Refusal::OrderNotFound
            | Refusal::SubscriptionNotFound(_) => 404,
            Refusal::SubscriptionAlreadyActive(_)
            | Refusal::SingleUseFeedActivatedBefore(_)
            | Refusal::SubscriptionIsExpired(_) => 409,
            Refusal::AccountAlreadyExists(_) | Refusal::CredentialsGenerationDisabled => 422,
        }
    }

    /// The seed's `reason`.
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::BadRequest(_) => "BAD_REQUEST",
            Refusal::AccountNotFound(_) => "ACCOUNT_NOT_FOUND",
            Refusal::AccountAlreadyExists(_) => "ACCOUNT_ALREADY_EXISTS",
            Refusal::FeedNotFound(_) => "FEED_NOT_FOUND",
            Refusal::SubscriptionAlreadyActive(_) => "SUBSCRIPTION_ALREADY_ACTIVE",
            Refusal::SingleUseFeedActivatedBefore(_) => "SINGLE_USE_FEED_ACTIVATED_BEFORE",
            Refusal::OrderNotFound => "ORDER_NOT_FOUND",
            Refusal::SubscriptionNotFound(_) => "SUBSCRIPTION_NOT_FOUND",
            Refusal::SubscriptionIsExpired(_) => "SUBSCRIPTION_IS_EXPIRED",
            Refusal::CredentialsGenerationDisabled => "CREDENTIALS_GENERATION_DISABLED",
        }
    }

    /// The message: the seed's text, where it shows a truncated one ("Account",
    /// "Subscription") completed with the object it names.
    pub fn message(&self) -> String {
        match self {
            Refusal::BadRequest(m) => m.clone(),
            Refusal::AccountNotFound(id) => format!("Account {id} not found"),
            Refusal::AccountAlreadyExists(email) => format!("Account {email} already exists"),
            Refusal::FeedNotFound(name) => format!("Unknown feed {name}"),
            Refusal::SubscriptionAlreadyActive(name) => {
                format!("Subscription {name} is already active")
            }
            Refusal::SingleUseFeedActivatedBefore(_) => {
                "Single-use subscription has been already activated".into()
            }
            Refusal::OrderNotFound => "Order not found or expired.".into(),
            Refusal::SubscriptionNotFound(name) => format!("Subscription {name} not found"),
            Refusal::SubscriptionIsExpired(name) => format!("Subscription {name} is expired"),
            Refusal::CredentialsGenerationDisabled => "Credentials generation disabled".into(),
        }
    }
}

/// The error of a market-data use case.
#[derive(Debug)]
pub enum MdError {
    Refused(Refusal),
    Other(Error),
}

pub type MdResult<T> = std::result::Result<T, MdError>;

impl From<Error> for MdError {
    fn from(e: Error) -> Self {
        MdError::Other(e)
    }
}

impl From<Refusal> for MdError {
    fn from(r: Refusal) -> Self {
        MdError::Refused(r)
    }
}
