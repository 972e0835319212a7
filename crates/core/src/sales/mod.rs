//! Sales CRM rules (seed 002 tags Sales Status, Sales Desk, Comments, Communications,
//! Bookmarks): status colours, sales-person roles and which customers a staff member sees.

pub mod calls;
pub mod colour;
pub mod customers;
pub mod scope;

pub use colour::Colour;
pub use scope::{Assignment, CustomerScope};

/// What kind of contact a communication records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunicationKind {
    Call,
    Email,
    Sms,
    Comment,
}

impl CommunicationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Comment => "comment",
        }
    }
}

/// Which way a communication went; comments are `internal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
    Internal,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
            Self::Internal => "internal",
        }
    }
}
