//! Masking of secrets in everything the API returns or the audit log records: a secret shows
//! at most its first 4 characters followed by `****` (see [`mask_secret`]).

use serde_json::Value;

pub use brokercrm_integrations::email::mask_secret;

/// Field-name endings that mark a secret (compared lower-case, without `_` and `-`):
/// `apiKey`, `password`, `secret`, `secretKey`, `appToken`, `clientSecret`, `Authorization`...
const SECRET_SUFFIXES: &[&str] =
    &["password", "secret", "secretkey", "token", "apikey", "privatekey", "authorization"];

/// Whether a JSON field of this name holds a secret.
pub fn is_secret_field(name: &str) -> bool {
    let n: String =
        name.chars().filter(|c| !matches!(c, '_' | '-')).collect::<String>().to_ascii_lowercase();
    SECRET_SUFFIXES.iter().any(|s| n.ends_with(s))
}

/// `value` with every string under a secret-named field masked, recursively.
pub fn mask_json(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let masked = match v {
                        Value::String(s) if is_secret_field(k) => Value::String(mask_secret(s)),
                        other if is_secret_field(k) && !other.is_object() => {
                            Value::String("****".into())
                        }
                        other => mask_json(other),
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask_json).collect()),
        other => other.clone(),
    }
}

/// A stored setting value as it may be shown: JSON masked field by field; a plain secret
/// masked whole.
pub fn mask_stored(value: &str, secret: bool) -> String {
    match serde_json::from_str::<Value>(value) {
        Ok(v @ Value::Object(_)) => mask_json(&v).to_string(),
        _ if secret => mask_secret(value),
        _ => value.to_owned(),
    }
}

/// Puts back secrets a client echoed in masked form: for each secret-named string field of
/// `new` equal to the mask of the same field in `old`, the old (real) value is kept. Lets a
/// form re-submit what GET showed without wiping the stored key.
pub fn restore_masked(new: &mut Value, old: &Value) {
    let (Value::Object(new_map), Value::Object(old_map)) = (new, old) else { return };
    for (k, v) in new_map.iter_mut() {
        let Some(old_v) = old_map.get(k) else { continue };
        match (v, old_v) {
            (Value::String(n), Value::String(o))
                if is_secret_field(k) && !o.is_empty() && *n == mask_secret(o) =>
            {
                n.clone_from(o);
            }
            (n @ Value::Object(_), o @ Value::Object(_)) => restore_masked(n, o),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_secret_fields_and_restores_echoes() {
        let stored = json!({"url": "https://x.io", "apiKey": "abcdefghijklmnop", "headers": {"Authorization": "Bearer 0123456789abcdef"}});
        let shown = mask_json(&stored);
        assert_eq!(shown["url"], "https://x.io");
        assert_eq!(shown["apiKey"], "abcd****");
        assert_eq!(shown["headers"]["Authorization"], "Bear****");
        let mut echoed = shown.clone();
        restore_masked(&mut echoed, &stored);
        assert_eq!(echoed, stored);
        let mut changed = json!({"apiKey": "new-key-value-123"});
        restore_masked(&mut changed, &stored);
        assert_eq!(changed["apiKey"], "new-key-value-123");
        assert!(
            is_secret_field("webhookSecretKey")
                && is_secret_field("client_secret")
                && !is_secret_field("siteKey")
        );
        assert_eq!(mask_stored("topsecretvalue!!", true), "tops****");
        assert_eq!(mask_stored("plain", false), "plain");
    }
}
