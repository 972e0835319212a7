//! Parse-don't-validate value types: constructed only through validation, so callers cannot
//! forget it. Each error names the field it came from.

use std::fmt;

use crate::{Error, Result};

/// A syntactically valid, lower-cased e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim().to_lowercase();
        let valid = s.len() <= 254
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && local.len() <= 64
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                    && !local.chars().any(|c| c.is_whitespace() || c == '@')
            });
        if valid { Ok(Self(s)) } else { Err(Error::field(field, "must be a valid e-mail address")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the policy: 8..=128 characters, at least one letter and one digit.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 8;
    pub const MAX_LEN: usize = 128;

    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let n = raw.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&n) {
            return Err(Error::field(
                field,
                format!("must be {} to {} characters long", Self::MIN_LEN, Self::MAX_LEN),
            ));
        }
        if !raw.chars().any(char::is_alphabetic) || !raw.chars().any(|c| c.is_ascii_digit()) {
            return Err(Error::field(field, "must contain at least one letter and one digit"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// An assigned ISO 3166-1 alpha-2 code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(field: &str, raw: &str) -> Result<Self> {
        let s = raw.trim().to_ascii_uppercase();
        if crate::platform::countries::country_name(&s).is_some() {
            Ok(Self(s))
        } else {
            Err(Error::field(field, "must be an ISO 3166-1 alpha-2 country code"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A trimmed, non-empty text of at most `max` characters.
pub fn text(field: &str, raw: &str, max: usize) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::field(field, "must not be empty"));
    }
    if s.chars().count() > max {
        return Err(Error::field(field, format!("must be at most {max} characters")));
    }
    Ok(s.to_owned())
}

/// An optional text: `None` or blank stays `None`, otherwise as [`text`].
pub fn opt_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => text(field, s, max).map(Some),
    }
}

/// A phone number in E.164-like form: optional '+', 6..=15 digits (spaces, dashes ignored).
pub fn phone(field: &str, raw: &str) -> Result<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let body = digits.strip_prefix('+').unwrap_or(&digits);
    if (6..=15).contains(&body.len()) && body.chars().all(|c| c.is_ascii_digit()) {
        Ok(format!("+{body}"))
    } else {
        Err(Error::field(field, "must be a phone number of 6 to 15 digits"))
    }
}

/// An absolute http(s) URL.
pub fn http_url(field: &str, raw: &str) -> Result<String> {
    let s = raw.trim();
    let ok = (s.starts_with("https://") || s.starts_with("http://"))
        && s.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if ok { Ok(s.to_owned()) } else { Err(Error::field(field, "must be an absolute http(s) URL")) }
}

/// A list offset: databases bind offsets as signed 64-bit integers, so larger values are refused.
pub fn offset(field: &str, raw: u64) -> Result<u64> {
    if i64::try_from(raw).is_ok() {
        Ok(raw)
    } else {
        Err(Error::field(field, format!("must be at most {}", i64::MAX)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        assert_eq!(
            Email::parse("email", " A@Example.com ").map(|e| e.0).ok(),
            Some("a@example.com".into())
        );
        for bad in ["", "a", "a@b", "@b.com", "a@.com", "a b@c.com", "a@b..com"] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_policy_names_field() {
        let Err(Error::Validation(f)) = Password::parse("newPassword", "short1") else {
            panic!("expected validation error")
        };
        assert_eq!(f[0].field, "newPassword");
        assert!(Password::parse("p", "abcdefgh").is_err());
        assert!(Password::parse("p", "abcdefg1").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("p", "abcdefg1").ok()),
            "Some(Password(<redacted>))"
        );
    }

    #[test]
    fn phone_and_country_and_url() {
        assert_eq!(phone("m", "+44 20-7946 0958").ok(), Some("+442079460958".into()));
        assert!(phone("m", "12ab").is_err());
        assert_eq!(CountryCode::parse("c", "de").ok().map(|c| c.0), Some("DE".into()));
        assert!(CountryCode::parse("c", "XX").is_err());
        assert!(http_url("u", "https://x.io/a").is_ok());
        assert!(http_url("u", "ftp://x").is_err());
        assert_eq!(offset("offset", 5).ok(), Some(5));
        assert!(offset("offset", u64::MAX).is_err());
    }
}
