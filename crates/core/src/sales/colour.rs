//! A sales status colour: a CSS hex colour, `#RGB` or `#RRGGBB`, stored lower-case.

use crate::{Error, Result};

/// The colour a status gets when the client sends none.
pub const DEFAULT_COLOUR: &str = "#9e9e9e";

/// A validated hex colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colour(String);

impl Colour {
    /// Parses `#RGB` or `#RRGGBB` (any case, surrounding blanks ignored); the error names
    /// `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        let hex = s.strip_prefix('#').unwrap_or("");
        let ok = matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            return Err(Error::field(field, "must be a hex colour such as #1e88e5 or #fa0"));
        }
        Ok(Self(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_short_and_long_hex_and_lower_cases() {
        assert_eq!(
            Colour::parse("color", "#1E88E5").ok().map(Colour::into_string),
            Some("#1e88e5".into())
        );
        assert_eq!(
            Colour::parse("color", " #fA0 ").ok().map(Colour::into_string),
            Some("#fa0".into())
        );
    }

    #[test]
    fn refuses_names_missing_hash_and_bad_lengths() {
        for bad in ["red", "1e88e5", "#12345", "#1234567", "#ggg", "", "#"] {
            assert!(Colour::parse("color", bad).is_err(), "{bad}");
        }
    }
}
