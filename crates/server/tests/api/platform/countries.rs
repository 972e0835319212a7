//! Countries: the public list of 249, toggling a country, 404 and 403.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn lists_all_countries_sorted_by_name_publicly() {
    let t = TestApp::spawn().await;
    let r = t.server.get("/api/countries").await;
    r.assert_status_ok();
    let body: Value = r.json();
    let list = body["countries"].as_array().unwrap();
    assert_eq!(list.len(), 249);
    assert!(list.iter().all(|c| c["enabled"] == true && c["id"].as_str().unwrap().len() == 2));
    let de = list.iter().find(|c| c["id"] == "DE").unwrap();
    assert_eq!(de["name"], "Germany");
    // sorted by name, accents with their letter
    let names: Vec<&str> = list.iter().map(|c| c["name"].as_str().unwrap()).collect();
    let pos = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(pos("Afghanistan") < pos("Åland Islands") && pos("Åland Islands") < pos("Albania"));
    assert!(pos("Zambia") < pos("Zimbabwe"));
    assert_eq!(names.first(), Some(&"Afghanistan"));
}

#[tokio::test]
async fn toggling_a_country_persists_and_is_audited() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let r = t
        .server
        .put("/api/countries/de")
        .authorization_bearer(&admin)
        .json(&json!({"toggle": false}))
        .await;
    r.assert_status_ok();
    assert_eq!(
        r.json::<Value>(),
        json!({"country": {"id": "DE", "name": "Germany", "enabled": false}})
    );
    let list: Value = t.server.get("/api/countries").await.json();
    let de =
        list["countries"].as_array().unwrap().iter().find(|c| c["id"] == "DE").unwrap().clone();
    assert_eq!(de["enabled"], false);
    assert!(!brokercrm_app::platform::countries::is_enabled(&t.app, "DE").await.unwrap());

    let r = t
        .server
        .put("/api/countries/DE")
        .authorization_bearer(&admin)
        .json(&json!({"toggle": true}))
        .await;
    assert_eq!(r.json::<Value>()["country"]["enabled"], true);

    let r = t.server.get("/api/activities?limit=5&offset=0").authorization_bearer(&admin).await;
    let acts: Value = r.json();
    assert_eq!(acts["count"], 2);
    assert_eq!(acts["activities"][0]["type"], "country.update");
    assert_eq!(acts["activities"][0]["before"]["enabled"], false);
    assert_eq!(acts["activities"][0]["after"]["enabled"], true);
}

#[tokio::test]
async fn unknown_country_bad_body_and_permissions() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let r = t
        .server
        .put("/api/countries/XX")
        .authorization_bearer(&admin)
        .json(&json!({"toggle": true}))
        .await;
    r.assert_status_not_found();
    assert_error(&r.json(), "not_found");
    let r = t
        .server
        .put("/api/countries/DE")
        .authorization_bearer(&admin)
        .json(&json!({"toggle": "no"}))
        .await;
    r.assert_status_bad_request();
    assert!(r.text().contains("toggle"));
    for role in [Role::Manager, Role::Customer, Role::Affiliate] {
        let (token, _) = t.mint_token(role).await;
        let r = t
            .server
            .put("/api/countries/DE")
            .authorization_bearer(&token)
            .json(&json!({"toggle": false}))
            .await;
        r.assert_status_forbidden();
    }
    t.server
        .put("/api/countries/DE")
        .json(&json!({"toggle": false}))
        .await
        .assert_status_unauthorized();
    assert!(brokercrm_app::platform::countries::is_enabled(&t.app, "DE").await.unwrap());
}
