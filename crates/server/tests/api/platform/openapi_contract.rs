//! The OpenAPI contract does not drift by accident: paths, methods, tags, summaries,
//! parameters and every request and response shape are compared with the committed
//! `tests/openapi_contract.json`. After an intended change, regenerate it with
//! `UPDATE_OPENAPI_CONTRACT=1 cargo test -p brokercrm-server --test api openapi_contract`.

use serde_json::{Map, Value, json};

use crate::helpers::TestApp;

/// The wire contract of an operation: what a client sends and gets, not how it is described.
fn operation_contract(op: &Value) -> Value {
    let params: Vec<Value> = op["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| json!({"name": p["name"], "in": p["in"], "required": p["required"], "schema": p["schema"]}))
                .collect()
        })
        .unwrap_or_default();
    let responses: Map<String, Value> = op["responses"]
        .as_object()
        .map(|rs| {
            rs.iter()
                .map(|(status, r)| {
                    (status.clone(), r.get("content").cloned().unwrap_or(Value::Null))
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "tags": op["tags"],
        "summary": op["summary"],
        "parameters": params,
        "requestBody": op["requestBody"].get("content").cloned().unwrap_or(Value::Null),
        "responses": responses,
    })
}

/// Paths → methods → contract, and the component schemas, all with sorted keys.
pub fn contract(doc: &Value) -> Value {
    let mut paths = Map::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let mut methods = Map::new();
        for (method, op) in item.as_object().into_iter().flatten() {
            methods.insert(method.clone(), operation_contract(op));
        }
        paths.insert(path.clone(), Value::Object(methods));
    }
    let mut schemas = doc["components"]["schemas"].clone();
    strip_descriptions(&mut schemas);
    sorted(&json!({"paths": paths, "schemas": schemas}))
}

/// Descriptions are prose, not wire shape.
fn strip_descriptions(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("description");
            m.values_mut().for_each(strip_descriptions);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_descriptions),
        _ => {}
    }
}

fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<_> = m.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&m[k]))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn openapi_contract_is_unchanged() {
    let t = TestApp::spawn().await;
    let doc: Value = t.server.get("/openapi.json").await.json();
    let now = contract(&doc);
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openapi_contract.json");
    if std::env::var_os("UPDATE_OPENAPI_CONTRACT").is_some() {
        std::fs::write(&file, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
        return;
    }
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    if committed == now {
        return;
    }
    let (a, b) = (&committed["paths"], &now["paths"]);
    let mut diffs = Vec::new();
    for (path, methods) in a.as_object().unwrap() {
        for (method, op) in methods.as_object().unwrap() {
            if b[path][method] != *op {
                diffs.push(format!("changed or gone: {method} {path}"));
            }
        }
    }
    for (path, methods) in b.as_object().unwrap() {
        for method in methods.as_object().unwrap().keys() {
            if a[path][method].is_null() {
                diffs.push(format!("new: {method} {path}"));
            }
        }
    }
    for (name, s) in committed["schemas"].as_object().unwrap() {
        if now["schemas"][name] != *s {
            diffs.push(format!("schema changed or gone: {name}"));
        }
    }
    for name in now["schemas"].as_object().unwrap().keys() {
        if committed["schemas"][name].is_null() {
            diffs.push(format!("new schema: {name}"));
        }
    }
    panic!(
        "the OpenAPI contract changed (UPDATE_OPENAPI_CONTRACT=1 to accept):\n{}",
        diffs.join("\n")
    );
}
