//! IB commission models: create, list (Coins tag), update, delete; validation naming each
//! field; the default model; references between models; permissions; audit.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::http::post;
use crate::helpers::platform::audited;
use crate::helpers::{TestApp, assert_error};

fn model(name: &str, levels: Value) -> Value {
    json!({
        "name": name,
        "greyLabelingEnabled": false,
        "subCommissionModelId": null,
        "commissionModelLevels": levels,
    })
}

fn standard_levels() -> Value {
    json!([
        {"level": 2, "cpaAmount": 50, "revSharePercent": "5"},
        {"level": 1, "cpaAmount": 250.5, "cpaMinDeposit": 200, "lotAmount": 5, "revSharePercent": 12.5}
    ])
}

async fn create(t: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    post(t, token, "/api/commission-models", body.clone()).await
}

async fn list(t: &TestApp, token: &str) -> Vec<Value> {
    let r = t.server.get("/api/commission-models").authorization_bearer(token).await;
    r.assert_status_ok();
    r.json::<Value>()["commissionModels"].as_array().unwrap().clone()
}

#[tokio::test]
async fn commission_models_are_created_listed_updated_and_deleted() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    assert!(list(&t, &admin).await.is_empty());

    let (s, body) = create(&t, &admin, &model("Standard IB", standard_levels())).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["success"], true);
    let standard = body["id"].as_i64().unwrap();
    let mut sub = model("Sub IB", json!([{"level": 1, "lotAmount": "2.25"}]));
    sub["greyLabelingEnabled"] = json!(true);
    let (s, body) = create(&t, &admin, &sub).await;
    assert_eq!(s, 200, "{body}");
    let sub_id = body["id"].as_i64().unwrap();

    let models = list(&t, &admin).await;
    assert_eq!(models.len(), 2);
    let first = &models[0];
    assert_eq!(first["id"], standard);
    assert_eq!(first["name"], "Standard IB");
    assert_eq!(first["default"], true, "the first model is the default");
    assert_eq!(first["subCommissionModelId"], Value::Null);
    assert_eq!(
        first["commissionModelLevels"],
        json!([
            {"level": 1, "cpaAmount": 250.5, "cpaMinDeposit": 200.0, "lotAmount": 5.0, "revSharePercent": 12.5},
            {"level": 2, "cpaAmount": 50.0, "cpaMinDeposit": 0.0, "lotAmount": 0.0, "revSharePercent": 5.0}
        ])
    );
    assert_eq!(models[1]["default"], false);
    assert_eq!(models[1]["greyLabelingEnabled"], true);

    // Update: point the standard model's sub-introducers at the sub model; make the sub model
    // the default.
    let mut changed = model("Standard IB v2", standard_levels());
    changed["subCommissionModelId"] = json!(sub_id);
    let r = t
        .server
        .put(&format!("/api/commission-models/{standard}"))
        .authorization_bearer(&admin)
        .json(&changed)
        .await;
    r.assert_status_ok();
    let updated: Value = r.json();
    assert_eq!(updated["name"], "Standard IB v2");
    assert_eq!(updated["subCommissionModelId"], sub_id);
    assert_eq!(updated["subCommissionModel"], json!({"id": sub_id, "name": "Sub IB"}));
    assert_eq!(updated["default"], true);
    let mut sub_default = sub.clone();
    sub_default["default"] = json!(true);
    t.server
        .put(&format!("/api/commission-models/{sub_id}"))
        .authorization_bearer(&admin)
        .json(&sub_default)
        .await
        .assert_status_ok();
    let models = list(&t, &admin).await;
    let defaults: Vec<i64> =
        models.iter().filter(|m| m["default"] == true).map(|m| m["id"].as_i64().unwrap()).collect();
    assert_eq!(defaults, [sub_id], "exactly one default");
    assert_eq!(models[0]["subCommissionModel"]["name"], "Sub IB");

    // The sub model is in use and the default: it cannot go.
    let r = t
        .server
        .delete(&format!("/api/commission-models/{sub_id}"))
        .authorization_bearer(&admin)
        .await;
    assert_eq!(r.status_code(), 409);
    assert_error(&r.json(), "conflict");
    // The standard model can.
    let r = t
        .server
        .delete(&format!("/api/commission-models/{standard}"))
        .authorization_bearer(&admin)
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    let r = t
        .server
        .delete(&format!("/api/commission-models/{standard}"))
        .authorization_bearer(&admin)
        .await;
    assert_eq!(r.status_code(), 404);
    // Now the last model, the default, can go too.
    t.server
        .delete(&format!("/api/commission-models/{sub_id}"))
        .authorization_bearer(&admin)
        .await
        .assert_status_ok();
    assert!(list(&t, &admin).await.is_empty());

    assert_eq!(audited(&t, "commission_model.create").await, 2);
    assert_eq!(audited(&t, "commission_model.update").await, 2);
    assert_eq!(audited(&t, "commission_model.delete").await, 2);
}

#[tokio::test]
async fn bad_commission_models_name_every_field_and_change_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let bad = json!({
        "name": "",
        "commissionModelLevels": [
            {"level": 1, "cpaAmount": -5, "revSharePercent": 100.5},
            {"level": 1, "lotAmount": "abc"},
            {"level": 7}
        ]
    });
    let (s, body) = create(&t, &admin, &bad).await;
    assert_eq!(s, 422, "{body}");
    assert_error(&body, "validation_failed");
    assert_eq!(
        fields(&body),
        [
            "name",
            "greyLabelingEnabled",
            "commissionModelLevels[0].cpaAmount",
            "commissionModelLevels[0].revSharePercent",
            "commissionModelLevels[1].level",
            "commissionModelLevels[1].lotAmount",
            "commissionModelLevels[2].level",
        ]
    );
    let (s, body) = create(&t, &admin, &model("Empty", json!([]))).await;
    assert_eq!((s, fields(&body)), (422, vec!["commissionModelLevels".to_owned()]));
    let (s, body) = create(&t, &admin, &model("Typed", json!([{"level": true}]))).await;
    assert_eq!((s, fields(&body)), (422, vec!["commissionModelLevels[0].level".to_owned()]));
    let mut unknown_sub = model("Orphan", standard_levels());
    unknown_sub["subCommissionModelId"] = json!(999);
    let (s, body) = create(&t, &admin, &unknown_sub).await;
    assert_eq!((s, fields(&body)), (422, vec!["subCommissionModelId".to_owned()]));
    assert!(list(&t, &admin).await.is_empty(), "nothing was created");

    let (s, body) = create(&t, &admin, &model("Standard", standard_levels())).await;
    assert_eq!(s, 200, "{body}");
    let id = body["id"].as_i64().unwrap();
    let (s, body) = create(&t, &admin, &model("  STANDARD ", standard_levels())).await;
    assert_eq!(s, 409, "names are unique regardless of case: {body}");
    let mut own_sub = model("Standard", standard_levels());
    own_sub["subCommissionModelId"] = json!(id);
    let r = t
        .server
        .put(&format!("/api/commission-models/{id}"))
        .authorization_bearer(&admin)
        .json(&own_sub)
        .await;
    assert_eq!(r.status_code(), 422);
    assert_eq!(fields(&r.json()), ["subCommissionModelId"]);
    let mut not_default = model("Standard", standard_levels());
    not_default["default"] = json!(false);
    let r = t
        .server
        .put(&format!("/api/commission-models/{id}"))
        .authorization_bearer(&admin)
        .json(&not_default)
        .await;
    assert_eq!(r.status_code(), 422);
    assert_eq!(fields(&r.json()), ["default"]);
    let r = t
        .server
        .put("/api/commission-models/12345")
        .authorization_bearer(&admin)
        .json(&model("Ghost", standard_levels()))
        .await;
    assert_eq!(r.status_code(), 404);
    let r = t
        .server
        .put("/api/commission-models/abc")
        .authorization_bearer(&admin)
        .json(&model("Ghost", standard_levels()))
        .await;
    assert_eq!(r.status_code(), 422);
    let models = list(&t, &admin).await;
    assert_eq!(models.len(), 1);
    assert_eq!(models[0]["name"], "Standard");
    assert_eq!(models[0]["default"], true);
    assert_eq!(audited(&t, "commission_model.update").await, 0);
}

#[tokio::test]
async fn only_admins_change_commission_models_and_staff_with_reports_read_them() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    create(&t, &admin, &model("Standard", standard_levels())).await;
    let manager = t.token_for(Role::Manager).await;
    assert_eq!(list(&t, &manager).await.len(), 1);
    let (s, body) = create(&t, &manager, &model("Mine", standard_levels())).await;
    assert_eq!(s, 403, "{body}");
    for role in [Role::Customer, Role::Affiliate, Role::Support] {
        let token = t.token_for(role).await;
        let r = t.server.get("/api/commission-models").authorization_bearer(&token).await;
        assert_eq!(r.status_code(), 403, "{role:?}");
    }
    let r = t.server.get("/api/commission-models").await;
    assert_eq!(r.status_code(), 401);
    assert_eq!(list(&t, &admin).await.len(), 1);
}
