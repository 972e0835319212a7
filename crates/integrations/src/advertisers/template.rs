//! Placeholder substitution for adapter templates: the lead's values by key, `{{key}}` in
//! strings and JSON (typed when a string is one whole placeholder), URL-encoded in URLs.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::types::OutboundLead;

/// Everything but RFC 3986 unreserved characters is encoded in URL substitutions.
const URL_COMPONENT: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The lead's values under their placeholder keys: `lead_uuid, ip, country, language,
/// is_test` (bool), `email, first_name, last_name, phone, password, offer_name,
/// affiliate_id` (number) and every profile key (which never overrides those).
pub(crate) fn lead_values(lead: &OutboundLead) -> BTreeMap<String, Value> {
    let mut values: BTreeMap<String, Value> =
        lead.profile.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    let fixed = [
        ("lead_uuid", Value::String(lead.lead_uuid.clone())),
        ("ip", Value::String(lead.ip.clone())),
        ("country", text(&lead.country)),
        ("language", text(&lead.language)),
        ("is_test", Value::Bool(lead.is_test)),
        ("email", text(&lead.email)),
        ("first_name", text(&lead.first_name)),
        ("last_name", text(&lead.last_name)),
        ("phone", text(&lead.phone)),
        ("password", text(&lead.password)),
        ("offer_name", text(&lead.offer_name)),
        ("affiliate_id", lead.affiliate_id.map_or(Value::Null, Value::from)),
    ];
    for (key, value) in fixed {
        values.insert(key.to_owned(), value);
    }
    values
}

/// Whether `key` has a usable value (not null, not a blank string).
pub(crate) fn has_value(values: &BTreeMap<String, Value>, key: &str) -> bool {
    match values.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

/// A value as text: strings as-is, numbers and bools printed, null as empty.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Replaces every `open key close` in `s` by `lookup(key)` (trimmed key; unknown → "").
/// Text that is not a well-formed placeholder is kept as written.
pub(crate) fn render(s: &str, open: &str, close: &str, lookup: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(close) else { break };
        let key = after[..end].trim();
        out.push_str(&rest[..start]);
        if key.is_empty() || key.contains(['{', '}']) {
            out.push_str(&rest[start..start + open.len()]);
            rest = after;
            continue;
        }
        out.push_str(&lookup(key));
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// `{{key}}` substitution in plain text (headers, body strings).
pub(crate) fn render_text(s: &str, values: &BTreeMap<String, Value>) -> String {
    render(s, "{{", "}}", |k| values.get(k).map(as_text).unwrap_or_default())
}

/// `{{key}}` substitution in a URL: each value percent-encoded as a URL component.
pub(crate) fn render_url(s: &str, values: &BTreeMap<String, Value>) -> String {
    render(s, "{{", "}}", |k| {
        let raw = values.get(k).map(as_text).unwrap_or_default();
        utf8_percent_encode(&raw, URL_COMPONENT).to_string()
    })
}

/// The key when `s` is exactly one placeholder (`"{{ is_test }}"`).
fn whole_placeholder(s: &str) -> Option<&str> {
    let key = s.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    (!key.is_empty() && !key.contains(['{', '}'])).then_some(key)
}

/// Substitutes placeholders in every string of a JSON template. A string that is exactly
/// one placeholder becomes the raw value (keeping its JSON type; null when missing).
pub(crate) fn render_json(template: &Value, values: &BTreeMap<String, Value>) -> Value {
    match template {
        Value::String(s) => match whole_placeholder(s) {
            Some(key) => values.get(key).cloned().unwrap_or(Value::Null),
            None => Value::String(render_text(s, values)),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| render_json(v, values)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), render_json(v, values))).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn values() -> BTreeMap<String, Value> {
        let mut profile = BTreeMap::new();
        profile.insert("aff_sub".to_owned(), "a b&c".to_owned());
        profile.insert("email".to_owned(), "profile@x.io".to_owned());
        lead_values(&OutboundLead {
            lead_uuid: "u-1".into(),
            ip: "1.2.3.4".into(),
            email: Some("e@x.io".into()),
            is_test: true,
            affiliate_id: Some(42),
            profile,
            ..OutboundLead::default()
        })
    }

    #[test]
    fn json_keeps_types_of_whole_placeholders() {
        let t = json!({"t": "{{is_test}}", "a": "{{ affiliate_id }}", "m": "{{nope}}",
            "s": "id={{lead_uuid}}/{{nope}}", "n": [1, "{{email}}"], "f": false});
        let out = render_json(&t, &values());
        assert_eq!(
            out,
            json!({"t": true, "a": 42, "m": null, "s": "id=u-1/", "n": [1, "e@x.io"], "f": false})
        );
    }

    #[test]
    fn url_values_are_percent_encoded() {
        let out = render_url("https://x.io/l/{{lead_uuid}}?s={{aff_sub}}&e={{email}}", &values());
        assert_eq!(out, "https://x.io/l/u-1?s=a%20b%26c&e=e%40x.io");
    }

    #[test]
    fn malformed_placeholders_are_kept() {
        let v = values();
        assert_eq!(render_text("{{}} {{ip", &v), "{{}} {{ip");
        assert_eq!(render_text("{ {{ip}} }", &v), "{ 1.2.3.4 }");
        assert_eq!(
            render("{offer}|{lead_uuid}", "{", "}", |k| k.to_uppercase()),
            "OFFER|LEAD_UUID"
        );
        assert!(has_value(&v, "is_test") && !has_value(&v, "phone") && has_value(&v, "aff_sub"));
    }
}
