//! The typed query extractor: one struct deriving `Deserialize` and `IntoParams` both parses
//! and documents a query string. Arrays repeat their key (`a=1&a=2`), use `a[]=` or are
//! comma-separated; `filters[a]=` is `a=`; a blank value is an absent one; a bad value is
//! named in the error.

use std::collections::BTreeSet;
use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use brokercrm_core::Error;
use brokercrm_core::error::FieldError;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use crate::error::ApiError;

/// A query string parsed into `T`: every bad value is a 422 naming its field (all of them at
/// once); an undecodable query string is a 400.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query()).map(Query).map_err(ApiError)
    }
}

/// Like [`Query`], for the routing-configuration tags whose bad values are a 400
/// `malformed query string: <cause>`.
pub struct StrictQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parse(parts.uri.query()) {
            Ok(t) => Ok(StrictQuery(t)),
            Err(Failure::Malformed(e)) => Err(ApiError(e)),
            Err(Failure::Fields(f)) => {
                let cause = f.into_iter().next().map(|f| f.cause).unwrap_or_default();
                Err(ApiError(malformed(cause)))
            }
        }
    }
}

/// Parses a raw query string into `T` (see [`Query`]).
pub fn parse_query<T: DeserializeOwned>(raw: Option<&str>) -> Result<T, Error> {
    parse(raw).map_err(|f| match f {
        Failure::Malformed(e) => e,
        Failure::Fields(f) => Error::Validation(
            f.into_iter().map(|b| FieldError { field: b.field, message: b.message }).collect(),
        ),
    })
}

fn malformed(cause: impl fmt::Display) -> Error {
    Error::BadRequest(format!("malformed query string: {cause}"))
}

enum Failure {
    Malformed(Error),
    Fields(Vec<BadField>),
}

struct BadField {
    field: String,
    message: String,
    cause: String,
}

/// Deserialises again without each field that failed, so every bad field is reported.
fn parse<T: DeserializeOwned>(raw: Option<&str>) -> Result<T, Failure> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| Failure::Malformed(malformed(e)))?;
    let mut params: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in pairs {
        let k = name(&k).to_owned();
        match params.iter_mut().find(|(n, _)| *n == k) {
            Some((_, vs)) => vs.push(v),
            None => params.push((k, vec![v])),
        }
    }
    let mut skip = BTreeSet::new();
    let mut bad = Vec::new();
    loop {
        let de = Params { params: &params, skip: &skip };
        match T::deserialize(de) {
            Ok(t) if bad.is_empty() => return Ok(t),
            Ok(_) => return Err(Failure::Fields(bad)),
            Err(DeError { field: Some(field), message, cause }) if skip.insert(field.clone()) => {
                bad.push(BadField { field, message, cause });
            }
            Err(DeError { field, message, cause }) => {
                if bad.is_empty() {
                    let field = field.unwrap_or_default();
                    bad.push(BadField { field, message, cause });
                }
                return Err(Failure::Fields(bad));
            }
        }
    }
}

/// The parameter a key names: `a` for `a`, `a[]` (an array) and `filters[a]` (nested filter).
fn name(key: &str) -> &str {
    let Some(open) = key.strip_suffix(']').and_then(|k| k.find('[').map(|i| (k, i))) else {
        return key;
    };
    let (k, i) = open;
    if i + 1 == k.len() { &k[..i] } else { &k[i + 1..] }
}

/// A deserialisation error: the field it concerns, our message and the parser's cause.
#[derive(Debug)]
struct DeError {
    field: Option<String>,
    message: String,
    cause: String,
}

impl DeError {
    fn value(message: &str, cause: impl fmt::Display) -> Self {
        Self { field: None, message: message.to_owned(), cause: cause.to_string() }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        let m = msg.to_string();
        Self { field: None, message: m.clone(), cause: m }
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: "is required".into(),
            cause: format!("missing field `{field}`"),
        }
    }
}

/// The whole query as a map, fields in the order the struct declares them.
struct Params<'a> {
    params: &'a [(String, Vec<String>)],
    skip: &'a BTreeSet<String>,
}

impl<'a> Params<'a> {
    fn entries(&self, order: &[&str]) -> Vec<&'a (String, Vec<String>)> {
        let live = |(k, _): &&(String, Vec<String>)| !self.skip.contains(k);
        let rank = |k: &str| order.iter().position(|f| *f == k).unwrap_or(order.len());
        let mut e: Vec<_> = self.params.iter().filter(live).collect();
        e.sort_by_key(|(k, _)| rank(k));
        e
    }
}

impl<'de> de::Deserializer<'de> for Params<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_map(Entries { entries: self.entries(&[]).into_iter(), value: None })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        v.visit_map(Entries { entries: self.entries(fields).into_iter(), value: None })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct Entries<'a, I> {
    entries: I,
    value: Option<&'a (String, Vec<String>)>,
}

impl<'de, 'a, I: Iterator<Item = &'a (String, Vec<String>)>> de::MapAccess<'de> for Entries<'a, I> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        k: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(e) = self.entries.next() else { return Ok(None) };
        self.value = Some(e);
        k.deserialize(e.0.as_str().into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, v: V) -> Result<V::Value, DeError> {
        let (key, values) =
            self.value.take().ok_or_else(|| de::Error::custom("value without key"))?;
        v.deserialize(Values(values)).map_err(|e| DeError { field: Some(key.clone()), ..e })
    }
}

/// The values of one key: the last one for a scalar, all of them (comma-split) for an array.
struct Values<'a>(&'a [String]);

impl Values<'_> {
    fn last(&self) -> &str {
        self.0.last().map_or("", String::as_str)
    }

    fn int<T: std::str::FromStr<Err: fmt::Display>>(&self, message: &str) -> Result<T, DeError> {
        self.last().trim().parse().map_err(|e| DeError::value(message, e))
    }
}

/// The message for a bad whole number: it reaches SQL as a signed 64-bit integer.
const WHOLE: &str = "must be a whole number up to 9223372036854775807";

impl<'de> de::Deserializer<'de> for Values<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_str(self.last())
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        if self.last().trim().is_empty() { v.visit_none() } else { v.visit_some(self) }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        match self.last().trim() {
            "true" => v.visit_bool(true),
            "false" => v.visit_bool(false),
            other => {
                Err(DeError::value("must be true or false", format!("invalid bool `{other}`")))
            }
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_i64(self.int("must be an integer")?)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_i32(self.int("must be an integer")?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let n: u64 = self.int(WHOLE)?;
        if i64::try_from(n).is_err() {
            return Err(DeError::value(WHOLE, "number too large to fit in target type"));
        }
        v.visit_u64(n)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_u32(self.int(WHOLE)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        v.visit_f64(self.int("must be a number")?)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DeError> {
        let items: Vec<String> = (self.0.iter())
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        v.visit_seq(Items(items.into_iter()))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, DeError> {
        v.visit_enum(self.last().into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, DeError> {
        v.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i128 u8 u16 u128 f32 char str string bytes byte_buf unit unit_struct tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The items of an array parameter.
struct Items(std::vec::IntoIter<String>);

impl<'de> de::SeqAccess<'de> for Items {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        s: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.0.next() {
            None => Ok(None),
            Some(item) => s.deserialize(Values(std::slice::from_ref(&item))).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Q {
        limit: Option<i64>,
        offset: Option<u64>,
        search: Option<String>,
        #[serde(default)]
        selected_statuses: Vec<String>,
        only: Option<bool>,
    }

    fn fields(r: Result<Q, Error>) -> Vec<(String, String)> {
        match r {
            Err(Error::Validation(f)) => f.into_iter().map(|f| (f.field, f.message)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn arrays_repeat_bracket_or_comma() {
        let q: Q =
            parse_query(Some("selectedStatuses=A&selectedStatuses[]=B&selectedStatuses=C,D"))
                .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.selected_statuses, ["A", "B", "C", "D"]);
        let q: Q = parse_query(Some("filters[limit]=3&filters[search]=x"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((q.limit, q.search.as_deref()), (Some(3), Some("x")));
        let q: Q = parse_query(None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            q,
            Q { limit: None, offset: None, search: None, selected_statuses: vec![], only: None }
        );
    }

    #[test]
    fn scalars_take_the_last_value_and_blank_is_absent() {
        let q: Q = parse_query(Some("limit=1&limit=%202&offset=&search=x&only=true"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (q.limit, q.offset, q.search.as_deref(), q.only),
            (Some(2), None, Some("x"), Some(true))
        );
    }

    #[test]
    fn every_bad_field_is_named_in_declaration_order() {
        let f = fields(parse_query(Some("only=maybe&offset=-1&limit=x")));
        assert_eq!(
            f,
            [
                ("limit".to_owned(), "must be an integer".to_owned()),
                ("offset".to_owned(), WHOLE.to_owned()),
                ("only".to_owned(), "must be true or false".to_owned()),
            ]
        );
        let f = fields(parse_query(Some("offset=9223372036854775808")));
        assert_eq!(f, [("offset".to_owned(), WHOLE.to_owned())]);
    }

    #[test]
    fn a_missing_required_field_is_named() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct R {
            token: String,
        }
        let e = parse_query::<R>(Some("x=1")).err();
        assert!(
            matches!(&e, Some(Error::Validation(f)) if f[0].field == "token" && f[0].message == "is required"),
            "{e:?}"
        );
    }
}
