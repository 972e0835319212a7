//! One page of a list: `offset` and `limit`, with the default and maximum `limit` of the
//! surface that serves it (`Page<MAX, DEFAULT>`; each surface names its own alias).

use crate::error::{Error, Result};
use crate::validate;

/// A validated page: `limit` 1..=`MAX` (default `DEFAULT`), `offset` from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page<const MAX: u64, const DEFAULT: u64> {
    pub offset: u64,
    pub limit: u64,
}

impl<const MAX: u64, const DEFAULT: u64> Page<MAX, DEFAULT> {
    pub const MAX_LIMIT: u64 = MAX;
    pub const DEFAULT_LIMIT: u64 = DEFAULT;

    /// `limit` and `offset` as a client sent them; a bad one is a validation error naming it
    /// (`limit`: "must be 1 to MAX"; `offset`: "must not be negative").
    pub fn new<N: TryInto<i64> + Copy>(limit: Option<N>, offset: Option<N>) -> Result<Self> {
        let limit = match limit {
            None => Some(DEFAULT),
            Some(l) => l.try_into().ok().and_then(|l| u64::try_from(l).ok()),
        };
        let limit = limit
            .filter(|l| (1..=MAX).contains(l))
            .ok_or_else(|| Error::field("limit", format!("must be 1 to {MAX}")))?;
        let offset = match offset {
            None => 0,
            Some(o) => match o.try_into() {
                Ok(o) => {
                    u64::try_from(o).map_err(|_| Error::field("offset", "must not be negative"))?
                }
                Err(_) => u64::MAX,
            },
        };
        let offset = validate::offset("offset", offset)?;
        Ok(Self { offset, limit })
    }

    /// The 1-based `page` (1 to 1000000, default 1) of `limit` rows (1 to `MAX`, default
    /// `DEFAULT`); errors say "must be from 1 to ...".
    pub fn numbered(page: Option<u64>, limit: Option<u64>) -> Result<Self> {
        let page = page.unwrap_or(1);
        let limit = limit.unwrap_or(DEFAULT);
        if page == 0 || page > 1_000_000 {
            return Err(Error::field("page", "must be from 1 to 1000000"));
        }
        if limit == 0 || limit > MAX {
            return Err(Error::field("limit", format!("must be from 1 to {MAX}")));
        }
        Ok(Self { offset: (page - 1) * limit, limit })
    }

    /// Pages needed for `total` rows.
    pub fn pages(&self, total: u64) -> u64 {
        total.div_ceil(self.limit)
    }
}

impl<const MAX: u64, const DEFAULT: u64> Default for Page<MAX, DEFAULT> {
    fn default() -> Self {
        Self { offset: 0, limit: DEFAULT }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type P = Page<500, 50>;

    fn field<T: std::fmt::Debug>(r: Result<T>) -> (String, String) {
        match r {
            Err(Error::Validation(f)) => (f[0].field.clone(), f[0].message.clone()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limits_defaults_and_errors() {
        assert_eq!(P::new::<u64>(None, None).ok(), Some(P { offset: 0, limit: 50 }));
        assert_eq!(P::new(Some(500u64), Some(3)).ok(), Some(P { offset: 3, limit: 500 }));
        for bad in [0i64, 501, -1] {
            assert_eq!(field(P::new(Some(bad), None)), ("limit".into(), "must be 1 to 500".into()));
        }
        assert_eq!(
            field(P::new(None, Some(-1i64))),
            ("offset".into(), "must not be negative".into())
        );
        assert_eq!(field(P::new(None, Some(u64::MAX))).0, "offset");
        assert_eq!(P::new(Some(200i64), None).map(|p| p.pages(401)).ok(), Some(3));
    }

    #[test]
    fn numbered_pages_are_one_based() {
        type W = Page<500, 20>;
        assert_eq!(W::numbered(None, None).ok(), Some(W { offset: 0, limit: 20 }));
        assert_eq!(W::numbered(Some(3), Some(10)).ok(), Some(W { offset: 20, limit: 10 }));
        assert_eq!(field(W::numbered(Some(0), None)).0, "page");
        assert_eq!(
            field(W::numbered(None, Some(501))),
            ("limit".into(), "must be from 1 to 500".into())
        );
    }
}
