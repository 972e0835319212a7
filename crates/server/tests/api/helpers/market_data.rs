//! Market data (seed 003) fixtures: applications and feeds made through the admin API, calls
//! of the Retail Services API with an application key, and the signup wizard driven through
//! its HTML form.

use serde_json::{Value, json};

use super::TestApp;
use super::http::post;

/// An application: its public id and API key.
pub struct MdApp {
    pub id: String,
    pub key: String,
}

/// Creates an application with `rules` (merged over a name) as `admin`.
pub async fn application(t: &TestApp, admin: &str, rules: Value) -> MdApp {
    let mut body = json!({"name": "Test app"});
    if let (Some(b), Some(r)) = (body.as_object_mut(), rules.as_object()) {
        for (k, v) in r {
            b.insert(k.clone(), v.clone());
        }
    }
    let (s, b) = post(t, admin, "/api/market-data-entitlements/applications", body).await;
    assert_eq!(s, 201, "{b}");
    MdApp {
        id: b["application"]["id"].as_str().unwrap().to_owned(),
        key: b["apiKey"].as_str().unwrap().to_owned(),
    }
}

/// Creates a feed `name` with `rules` merged over defaults (filters `[name]`, agreement v1).
pub async fn feed(t: &TestApp, admin: &str, name: &str, rules: Value) -> Value {
    let mut body = json!({
        "name": name,
        "qdFilters": [name],
        "agreementTitle": format!("{name} subscriber agreement"),
        "agreementText": format!("You agree to the terms of {name}."),
        "agreementVersion": "v1",
    });
    if let (Some(b), Some(r)) = (body.as_object_mut(), rules.as_object()) {
        for (k, v) in r {
            b.insert(k.clone(), v.clone());
        }
    }
    let (s, b) = post(t, admin, "/api/market-data-entitlements/feeds", body).await;
    assert_eq!(s, 201, "{b}");
    b
}

/// `method path` with the application key and an optional JSON body: (status, body).
pub async fn call(
    t: &TestApp,
    key: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let m = axum::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = t.server.method(m, path).authorization_bearer(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.await;
    (r.status_code().as_u16(), serde_json::from_str(&r.text()).unwrap_or(Value::Null))
}

/// Creates an account of `email`; returns its id.
pub async fn account(t: &TestApp, key: &str, email: &str, extra: Value) -> String {
    let mut body = json!({"email": email, "metadata": {"firstName": "Bob", "lastName": "Smith"}});
    if let (Some(b), Some(r)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in r {
            b.insert(k.clone(), v.clone());
        }
    }
    let (s, b) = call(t, key, "POST", "/api/v1/accounts", Some(body)).await;
    assert_eq!(s, 200, "{b}");
    b["accountId"].as_str().unwrap().to_owned()
}

/// Asserts a seed-003 error body: status, reason and message.
pub fn assert_md_error(got: (u16, Value), status: u16, reason: &str, message: &str) {
    let (s, b) = got;
    assert_eq!(s, status, "{b}");
    assert_eq!(b["reason"], reason, "{b}");
    assert_eq!(b["errorCode"], status, "{b}");
    assert!(b["message"].as_str().unwrap().starts_with(message), "{b}");
    let dt = b["dateTime"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(dt).is_ok(), "{b}");
    assert_eq!(b.as_object().unwrap().len(), 4, "{b}");
}

/// The path and query of a link (its host is the configured public URL).
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.find('/').map(|i| rest[i..].to_owned()).unwrap_or_default()
}

/// The value of attribute `name` in the tag text `tag`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&").replace("&#x3d;", "=").replace("&#61;", "="))
}

/// The wizard form as the page has it: its action and every field with its pre-filled value
/// (text inputs), or the first choice (radios: `None` until chosen), or the checkbox's value.
pub struct HtmlForm {
    pub action: String,
    pub text: Vec<(String, String)>,
    pub radios: Vec<String>,
    pub checkboxes: Vec<(String, String)>,
}

/// Reads the form out of a wizard page.
pub fn parse_form(html: &str) -> HtmlForm {
    let form_tag = html.split("<form").nth(1).expect("a form").split('>').next().unwrap();
    let action = attr(form_tag, "action").expect("form action");
    let mut form = HtmlForm { action, text: vec![], radios: vec![], checkboxes: vec![] };
    for piece in html.split("<input").skip(1) {
        let tag = piece.split('>').next().unwrap();
        let name = attr(tag, "name").unwrap();
        match attr(tag, "type").as_deref() {
            Some("text") => form.text.push((name, attr(tag, "value").unwrap_or_default())),
            Some("radio") if !form.radios.contains(&name) => form.radios.push(name),
            Some("checkbox") => {
                form.checkboxes.push((name, attr(tag, "value").unwrap_or_default()))
            }
            _ => {}
        }
    }
    form
}

/// Opens the wizard at `link`, fills what is empty, answers every question `answer`, ticks
/// every agreement and posts the form from `ip`: the response.
pub async fn complete_wizard(
    t: &TestApp,
    link: &str,
    answer: &str,
    ip: &str,
) -> axum_test::TestResponse {
    let page = t.server.get(&path_of(link)).await;
    assert_eq!(page.status_code().as_u16(), 200, "{}", page.text());
    let form = parse_form(&page.text());
    let mut fields: Vec<(String, String)> = form
        .text
        .into_iter()
        .map(|(n, v)| {
            let v = if v.is_empty() { format!("{n} value") } else { v };
            (n, v)
        })
        .collect();
    fields.extend(form.radios.into_iter().map(|n| (n, answer.to_owned())));
    fields.extend(form.checkboxes);
    t.server.post(&form.action).add_header("X-Forwarded-For", ip.to_owned()).form(&fields).await
}
