//! Max Risks and Position Durations: defaults on a fresh install, updates (validated, named,
//! audited), who may read and change them.

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::assert::fields;
use crate::helpers::http::{get, put};
use crate::helpers::platform::audited;

#[tokio::test]
async fn max_risks_and_durations_are_configured() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let client = t.token_for(Role::Customer).await;
    let (s, b) = get(&t, &client, "/api/max-risks").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b, json!({"maxRisks": [10.0, 25.0, 50.0, 75.0, 100.0], "defaultValue": 50.0}));
    let (_, b) = get(&t, &client, "/api/position-durations").await;
    assert_eq!(b["defaultValue"], "3600");

    let (s, b) =
        put(&t, &admin, "/api/max-risks", json!({"value": "50, 12.5,25", "defaultValue": "25"}))
            .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b, json!({"maxRisks": [12.5, 25.0, 50.0], "defaultValue": 25.0}));
    let (_, b) = get(&t, &client, "/api/max-risks").await;
    assert_eq!(b["maxRisks"], json!([12.5, 25.0, 50.0]));
    let (s, b) = put(
        &t,
        &admin,
        "/api/position-durations",
        json!({"value": "300,60", "defaultValue": "60"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b, json!({"positionDurations": [60.0, 300.0], "defaultValue": "60"}));
    assert_eq!(audited(&t, "setting.update").await, 2);

    // bad lists are named and change nothing
    let (s, b) =
        put(&t, &admin, "/api/max-risks", json!({"value": "10,150", "defaultValue": "10"})).await;
    assert_eq!((s, fields(&b)), (422, vec!["value".to_owned()]));
    let (s, b) =
        put(&t, &admin, "/api/position-durations", json!({"value": "60", "defaultValue": "61"}))
            .await;
    assert_eq!((s, fields(&b)), (422, vec!["defaultValue".to_owned()]));
    let (_, b) = get(&t, &client, "/api/max-risks").await;
    assert_eq!(b["defaultValue"], 25.0);
    let risk = t.token_for(Role::Risk).await;
    assert_eq!(
        put(&t, &risk, "/api/max-risks", json!({"value": "10", "defaultValue": "10"})).await.0,
        403
    );
}
