//! The idempotency rule: a transfer id is applied at most once. Replaying an id with the same
//! body answers the stored result; with a different body it is a conflict (409).

use crate::{Error, Result};

/// Outcome of looking up a transfer id that already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Same body: answer the stored transfer as the result, change nothing.
    Same,
}

/// Compares the body hash stored with an existing transfer to the one of the request.
pub fn compare_replay(stored_hash: &str, request_hash: &str) -> Result<Replay> {
    if stored_hash == request_hash {
        Ok(Replay::Same)
    } else {
        Err(Error::Conflict("transfer id already used with a different body".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_body_replays_and_different_body_conflicts() {
        assert_eq!(compare_replay("abc", "abc").ok(), Some(Replay::Same));
        let err = compare_replay("abc", "abd").err();
        assert!(matches!(err, Some(Error::Conflict(_))), "{err:?}");
    }
}
