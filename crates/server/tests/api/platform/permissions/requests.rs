//! Requests the permission matrix sends: built from the operation's own description in
//! `/openapi.json`, so a body or query the handler would refuse as malformed never hides
//! the role gate behind a 400 or 422. Paths name objects that do not exist.

use axum_test::multipart::{MultipartForm, Part};
use serde_json::{Map, Value, json};

/// One documented operation, ready to send.
pub struct Call {
    pub method: String,
    pub template: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Body,
}

pub enum Body {
    None,
    Json(Value),
    Form(Value),
    Multipart(Value),
}

/// Every operation of `doc`, sorted by method and path: with `full`, every documented
/// parameter and property is sent; without, only the required ones.
pub fn calls(doc: &Value, full: bool) -> Vec<Call> {
    let mut calls = Vec::new();
    for (template, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let mut path = template.clone();
            let mut query = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default();
                match p["in"].as_str() {
                    Some("path") => {
                        path = path.replace(&format!("{{{name}}}"), &absent(name, &p["schema"]));
                    }
                    // A download token in the query is a credential: the caller's bearer
                    // token speaks for them instead.
                    Some("query") if name == "token" => {}
                    Some("query") if full || p["required"] == true => {
                        let lower = name.to_ascii_lowercase();
                        let value = match time_like(&lower, &p["schema"]) {
                            true if lower.starts_with("end") || lower.starts_with("to") => {
                                "2026-02-01T00:00:00Z".to_owned()
                            }
                            true => "2026-01-01T00:00:00Z".to_owned(),
                            false => scalar(&example(doc, &p["schema"], full, 0)),
                        };
                        query.push((name.to_owned(), value));
                    }
                    _ => {}
                }
            }
            let body = body(doc, &op["requestBody"]["content"], full);
            calls.push(Call {
                method: method.to_uppercase(),
                template: template.clone(),
                path,
                query,
                body,
            });
        }
    }
    calls.sort_by(|a, b| (&a.method, &a.template).cmp(&(&b.method, &b.template)));
    calls
}

/// A multipart form of `fields`: binary fields as a small text file.
pub fn multipart(fields: &Value) -> MultipartForm {
    let mut form = MultipartForm::new();
    for (name, v) in fields.as_object().into_iter().flatten() {
        form = match v {
            Value::Null => form.add_part(
                name.clone(),
                Part::bytes(b"permission matrix".to_vec())
                    .file_name("probe.txt")
                    .mime_type("text/plain"),
            ),
            other => form.add_text(name.clone(), scalar(other)),
        };
    }
    form
}

fn body(doc: &Value, content: &Value, full: bool) -> Body {
    let Some(content) = content.as_object() else { return Body::None };
    if let Some(media) = content.get("application/json") {
        Body::Json(example(doc, &media["schema"], full, 0))
    } else if let Some(media) = content.get("application/x-www-form-urlencoded") {
        Body::Form(example(doc, &media["schema"], full, 0))
    } else if let Some(media) = content.get("multipart/form-data") {
        Body::Multipart(example(doc, &media["schema"], full, 0))
    } else {
        Body::None
    }
}

/// A value for a path parameter that names nothing, typed as the document says (ids
/// documented as strings are numeric or UUIDs: a number that no row has).
fn absent(name: &str, schema: &Value) -> String {
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (_, Some("uuid")) => "00000000-0000-7000-8000-00000000abcd".into(),
        (Some("integer" | "number"), _) => "987654321".into(),
        _ if name.to_ascii_lowercase().ends_with("id") => "987654321".into(),
        _ => "zz-absent".into(),
    }
}

/// A plain-string query parameter that handlers read as an RFC 3339 instant (`start`,
/// `endDate`, `from`...): the document types these as strings without a format.
fn time_like(lower: &str, schema: &Value) -> bool {
    let string = match &schema["type"] {
        Value::Array(types) => types.iter().any(|t| t == "string"),
        t => t == "string",
    };
    string
        && schema.get("format").is_none()
        && (["start", "end", "from", "to"].contains(&lower)
            || lower.ends_with("date")
            || lower.ends_with("at"))
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value of `schema` that a handler would accept as well-formed: the documented example
/// where there is one, else the smallest value of the type with every required property
/// (every property, with `full`).
/// Binary strings come back as `null` (a file part of a multipart form).
fn example(doc: &Value, schema: &Value, full: bool, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or_default();
        return example(doc, &doc["components"]["schemas"][name], full, depth + 1);
    }
    if let Some(v) = schema.get("example") {
        return v.clone();
    }
    if let Some(v) = schema["enum"].as_array().and_then(|e| e.iter().find(|v| !v.is_null())) {
        return v.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) =
            schema[key].as_array().and_then(|a| a.iter().find(|s| s["type"] != "null"))
        {
            return example(doc, first, full, depth + 1);
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(m) = example(doc, part, full, depth + 1) {
                merged.extend(m);
            }
        }
        return Value::Object(merged);
    }
    let ty = match &schema["type"] {
        Value::Array(types) => types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match ty.as_str() {
        Some("object") => {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut obj = Map::new();
            for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
                let required = required.contains(&name.as_str());
                if required || full {
                    let value = example(doc, prop, full, depth + 1);
                    if required || !value.is_null() {
                        obj.insert(name.clone(), value);
                    }
                }
            }
            Value::Object(obj)
        }
        Some("array") => {
            let min = schema["minItems"].as_u64().unwrap_or(0);
            Value::Array(
                (0..min.max(1)).map(|_| example(doc, &schema["items"], full, depth + 1)).collect(),
            )
        }
        Some("integer") => json!(schema["minimum"].as_i64().unwrap_or(1).max(1)),
        Some("number") => json!(1),
        Some("boolean") => json!(false),
        Some("string") => match schema["format"].as_str() {
            Some("binary") => Value::Null,
            Some("uuid") => json!("00000000-0000-7000-8000-00000000abcd"),
            Some("date-time") => json!("2026-01-01T00:00:00Z"),
            Some("date") => json!("2026-01-01"),
            Some("email") => json!("matrix@test.local"),
            Some("uri") => json!("https://example.com/"),
            _ => json!("x"),
        },
        _ => Value::Null,
    }
}
