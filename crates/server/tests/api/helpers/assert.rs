//! Reading the CRM error body: its code, and the fields a validation error names.

use serde_json::Value;

/// Asserts the CRM error shape and code.
pub fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "body: {body}");
    assert!(body["error"]["message"].is_string(), "body: {body}");
    assert!(body["error"]["details"].is_object(), "body: {body}");
}

/// The first field a validation error names ("" when none).
pub fn field_of(body: &Value) -> String {
    body["error"]["details"]["fields"][0]["field"].as_str().unwrap_or_default().to_owned()
}

/// Every field a validation error names, in order.
pub fn fields(body: &Value) -> Vec<String> {
    body["error"]["details"]["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| f["field"].as_str().unwrap_or_default().to_owned()).collect())
        .unwrap_or_default()
}
