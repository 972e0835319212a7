//! The registry of adapter types and the typed validation of their `configuration`: which
//! fields each type takes, which are secret (masked on read), and whether the type is a
//! trading platform (`is_trading`) or a lead-delivery target.

use brokercrm_core::error::Violations;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use serde_json::{Map, Value};

use crate::App;
use crate::platform::url_guard::{check_host_port, check_url};

/// What a configuration field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// An outbound URL (SSRF-guarded).
    Url,
    /// Trimmed non-empty text of at most this many characters.
    Text(usize),
    /// A credential: non-empty, at most 500 characters, masked on read.
    Secret,
    /// A UUID.
    Uuid,
    /// A positive integer.
    Integer,
    /// A partner/affiliate id: a positive integer or a non-empty string.
    Id,
    /// An HTTP method for a templated request.
    Method,
    /// An object of HTTP header names to values (values of auth headers are masked on read).
    Headers,
    /// A request body template, at most 20 000 characters.
    Template,
    /// `host` or `host:port` of a non-HTTP service (SSRF-guarded).
    HostPort,
}

/// One field of a type's configuration.
#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

/// An adapter type.
#[derive(Debug)]
pub struct AdapterType {
    pub name: &'static str,
    /// A trading platform (listed by `onlyTradingAdapters=true`) rather than a lead target.
    pub trading: bool,
    pub fields: &'static [FieldDef],
}

const fn req(name: &'static str, kind: FieldKind) -> FieldDef {
    FieldDef { name, kind, required: true }
}

const fn opt(name: &'static str, kind: FieldKind) -> FieldDef {
    FieldDef { name, kind, required: false }
}

/// Every supported type.
pub const TYPES: &[AdapterType] = &[
    // Lead delivery to a broker running the lead-provider API of seed 000.
    AdapterType {
        name: "match_trade",
        trading: false,
        fields: &[
            req("baseUrl", FieldKind::Url),
            req("clientId", FieldKind::Text(200)),
            req("clientSecret", FieldKind::Secret),
            req("username", FieldKind::Text(200)),
            req("password", FieldKind::Secret),
            req("offerUuid", FieldKind::Uuid),
            req("partnerId", FieldKind::Id),
        ],
    },
    // Forwarding to another distributor's affiliate API v2 (seed 001).
    AdapterType {
        name: "affiliate_v2",
        trading: false,
        fields: &[req("baseUrl", FieldKind::Url), req("token", FieldKind::Secret)],
    },
    // A configurable HTTP/JSON request.
    AdapterType {
        name: "http_json",
        trading: false,
        fields: &[
            req("url", FieldKind::Url),
            req("method", FieldKind::Method),
            opt("headers", FieldKind::Headers),
            req("bodyTemplate", FieldKind::Template),
        ],
    },
    // Leads stay in this CRM.
    AdapterType { name: "internal_crm", trading: false, fields: &[] },
    // The built-in trading engine.
    AdapterType { name: "internal_trading", trading: true, fields: &[] },
    // A MetaTrader 5 server through its manager API.
    AdapterType {
        name: "mt5",
        trading: true,
        fields: &[
            req("server", FieldKind::HostPort),
            req("login", FieldKind::Integer),
            req("password", FieldKind::Secret),
            req("group", FieldKind::Text(100)),
        ],
    },
];

/// The type named `name`, or a validation error on `type` listing the known ones.
pub fn adapter_type(name: &str) -> Result<&'static AdapterType> {
    TYPES.iter().find(|t| t.name == name).ok_or_else(|| {
        let known: Vec<&str> = TYPES.iter().map(|t| t.name).collect();
        Error::field("type", format!("unknown adapter type; one of: {}", known.join(", ")))
    })
}

fn check_field(app: &App, f: &FieldDef, path: &str, v: &Value) -> Result<Value> {
    let as_str = || v.as_str().ok_or_else(|| Error::field(path, "must be a string"));
    Ok(match f.kind {
        FieldKind::Url => Value::String(check_url(app, path, as_str()?)?),
        FieldKind::Text(max) => Value::String(text(path, as_str()?, max)?),
        FieldKind::Secret => {
            let s = as_str()?;
            text(path, s, 500)?;
            Value::String(s.to_owned())
        }
        FieldKind::Uuid => {
            let u = uuid::Uuid::parse_str(as_str()?.trim())
                .map_err(|_| Error::field(path, "must be a UUID"))?;
            Value::String(u.to_string())
        }
        FieldKind::Integer => match v.as_i64() {
            Some(n) if n > 0 => Value::from(n),
            _ => return Err(Error::field(path, "must be a positive integer")),
        },
        FieldKind::Id => match v {
            Value::Number(n) if n.as_i64().is_some_and(|n| n > 0) => v.clone(),
            Value::String(s) => Value::String(text(path, s, 100)?),
            _ => return Err(Error::field(path, "must be a positive integer or a string")),
        },
        FieldKind::Method => {
            let m = as_str()?.trim().to_ascii_uppercase();
            if !["GET", "POST", "PUT", "PATCH"].contains(&m.as_str()) {
                return Err(Error::field(path, "must be one of GET, POST, PUT, PATCH"));
            }
            Value::String(m)
        }
        FieldKind::Headers => {
            let map = v
                .as_object()
                .ok_or_else(|| Error::field(path, "must be an object of header names to values"))?;
            for (name, value) in map {
                let name_ok = !name.is_empty()
                    && name.len() <= 100
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                let value_ok =
                    value.as_str().is_some_and(|s| s.len() <= 2000 && !s.contains(['\r', '\n']));
                if !name_ok || !value_ok {
                    return Err(Error::field(
                        format!("{path}.{name}"),
                        "must be a valid header with a string value",
                    ));
                }
            }
            v.clone()
        }
        FieldKind::Template => {
            let s = as_str()?;
            if s.trim().is_empty() || s.chars().count() > 20_000 {
                return Err(Error::field(path, "must be 1 to 20000 characters"));
            }
            Value::String(s.to_owned())
        }
        FieldKind::HostPort => Value::String(check_host_port(app, path, as_str()?)?),
    })
}

/// Validates `configuration` against `ty`; every bad field is reported as
/// `configuration.<field>`. Returns the normalised configuration.
pub fn validate_configuration(app: &App, ty: &AdapterType, configuration: &Value) -> Result<Value> {
    let obj = configuration
        .as_object()
        .ok_or_else(|| Error::field("configuration", "must be an object"))?;
    let mut v = Violations::new();
    let mut out = Map::new();
    for name in obj.keys() {
        if !ty.fields.iter().any(|f| f.name == name) {
            v.push(format!("configuration.{name}"), format!("is not a field of type {}", ty.name));
        }
    }
    for f in ty.fields {
        let path = format!("configuration.{}", f.name);
        match obj.get(f.name) {
            None | Some(Value::Null) if f.required => v.push(path, "is required"),
            None | Some(Value::Null) => {}
            Some(value) => {
                if let Some(ok) = v.check(check_field(app, f, &path, value)) {
                    out.insert(f.name.to_owned(), ok);
                }
            }
        }
    }
    v.finish()?;
    Ok(Value::Object(out))
}
