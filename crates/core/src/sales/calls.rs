//! Calls through a VoIP provider: the providers, a call's status, and how each provider's
//! webhook events map onto it. A call moves forward only (initiated → requested → ringing →
//! answered → ended, or to a final outcome); a late or replayed event never moves it back.

use crate::{Error, Result};

/// The VoIP providers brokercrm talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Voiso,
    Coperato,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Voiso, Provider::Coperato];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Voiso => "voiso",
            Provider::Coperato => "coperato",
        }
    }

    /// Parses the wire value (exact, lower-case); anything else is an error naming `field`.
    pub fn parse(field: &str, raw: Option<&str>) -> Result<Self> {
        match raw.map(str::trim) {
            Some("voiso") => Ok(Provider::Voiso),
            Some("coperato") => Ok(Provider::Coperato),
            None | Some("") => Err(Error::field(field, "is required")),
            Some(_) => Err(Error::field(field, "must be \"voiso\" or \"coperato\"")),
        }
    }
}

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CallStatus {
    /// Recorded; the provider not yet asked.
    Initiated,
    /// The provider accepted the request.
    Requested,
    Ringing,
    Answered,
    /// Final outcomes.
    Ended,
    NoAnswer,
    Busy,
    Failed,
}

impl CallStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Initiated => "initiated",
            CallStatus::Requested => "requested",
            CallStatus::Ringing => "ringing",
            CallStatus::Answered => "answered",
            CallStatus::Ended => "ended",
            CallStatus::NoAnswer => "no_answer",
            CallStatus::Busy => "busy",
            CallStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            CallStatus::Initiated,
            CallStatus::Requested,
            CallStatus::Ringing,
            CallStatus::Answered,
            CallStatus::Ended,
            CallStatus::NoAnswer,
            CallStatus::Busy,
            CallStatus::Failed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    /// Whether the call is over (its outcome is recorded as a communication).
    pub fn is_final(self) -> bool {
        self >= CallStatus::Ended
    }

    /// The status after an event reporting `next`: forward moves only; a final status stays.
    pub fn advance(self, next: CallStatus) -> CallStatus {
        if self.is_final() || next <= self { self } else { next }
    }
}

/// A Coperato webhook `status`.
pub fn coperato_status(field: &str, raw: Option<&str>) -> Result<CallStatus> {
    match raw.map(str::trim) {
        Some("RINGING") => Ok(CallStatus::Ringing),
        Some("ANSWERED") => Ok(CallStatus::Answered),
        Some("END") => Ok(CallStatus::Ended),
        None | Some("") => Err(Error::field(field, "is required")),
        Some(_) => Err(Error::field(field, "must be RINGING, ANSWERED or END")),
    }
}

/// A Voiso webhook `disposition` (always final). `answered` ends as `ended` (it was talked).
pub fn voiso_disposition(field: &str, raw: Option<&str>) -> Result<CallStatus> {
    match raw.map(str::trim) {
        Some("answered") => Ok(CallStatus::Ended),
        Some("no_answer") => Ok(CallStatus::NoAnswer),
        Some("busy") => Ok(CallStatus::Busy),
        Some("failed") => Ok(CallStatus::Failed),
        None | Some("") => Err(Error::field(field, "is required")),
        Some(_) => Err(Error::field(field, "must be answered, no_answer, busy or failed")),
    }
}

/// A webhook `duration` in whole seconds: finite, 0..=86 400 (a day), rounded.
pub fn duration_secs(field: &str, raw: Option<f64>) -> Result<Option<i32>> {
    match raw {
        None => Ok(None),
        Some(d) if d.is_finite() && (0.0..=86_400.0).contains(&d) => Ok(Some(d.round() as i32)),
        Some(_) => Err(Error::field(field, "must be a number of seconds from 0 to 86400")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_only_move_forward_and_finals_stay() {
        use CallStatus::*;
        assert_eq!(Requested.advance(Ringing), Ringing);
        assert_eq!(Answered.advance(Ringing), Answered);
        assert_eq!(Ended.advance(Answered), Ended);
        assert_eq!(Busy.advance(Ended), Busy);
        assert!(NoAnswer.is_final() && !Answered.is_final());
        assert_eq!(CallStatus::parse("no_answer"), Some(NoAnswer));
    }

    #[test]
    fn wire_values_are_checked() {
        assert_eq!(Provider::parse("p", Some("voiso")).ok(), Some(Provider::Voiso));
        assert!(Provider::parse("p", Some("Skype")).is_err());
        assert!(coperato_status("status", Some("ringing")).is_err());
        assert_eq!(voiso_disposition("d", Some("busy")).ok(), Some(CallStatus::Busy));
        assert_eq!(duration_secs("duration", Some(12.6)).ok(), Some(Some(13)));
        assert!(duration_secs("duration", Some(-1.0)).is_err());
        assert!(duration_secs("duration", Some(f64::NAN)).is_err());
    }
}
