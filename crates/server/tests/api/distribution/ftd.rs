//! First-time deposits: a customer who came in as a pushed lead deposits, and the lead's
//! affiliate sees exactly one "FTD" conversion, whatever follows.

use axum::http::{HeaderName, HeaderValue};
use brokercrm_store::entities::ftds;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::distribution::fixtures as fx;
use crate::helpers::TestApp;
use crate::money::wallets::{group, manual, wallet};

#[tokio::test]
async fn the_first_deposit_of_a_pushed_lead_records_one_ftd() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let (b, lead) = fx::push_accepted(&t, &aff, &fx::seed_body()).await;
    let url = b["auto_login_url"].as_str().unwrap();
    let r = t
        .server
        .get(&url[url.find("/auto-login/").unwrap()..])
        .add_header(HeaderName::from_static("accept"), HeaderValue::from_static("application/json"))
        .await;
    r.assert_status_ok();
    let crm =
        brokercrm_store::repo::distribution::crm_leads::find_by_lead(t.app.db().conn(), lead.id)
            .await
            .unwrap()
            .unwrap();
    let customer = brokercrm_store::repo::identity::users::find_by_id(
        t.app.db().conn(),
        crm.customer_id.expect("the link created the customer"),
    )
    .await
    .unwrap()
    .unwrap();

    let admin = t.admin_token().await;
    let g = group(&t, &admin, "USD", "USD").await;
    let w = wallet(&t, &admin, &customer.uuid, g).await;
    let ftds = || async {
        ftds::Entity::find()
            .filter(ftds::Column::LeadId.eq(lead.id))
            .filter(ftds::Column::Source.eq("crm"))
            .count(t.app.db().conn())
            .await
            .unwrap()
    };
    // Credit is not a deposit.
    let credit = json!({"type": "DEPOSIT", "amount": 50, "addToCredit": true});
    assert_eq!(manual(&t, &admin, w, credit).await.0, 200);
    assert_eq!(ftds().await, 0);
    for amount in [100, 250] {
        let (s, r) = manual(&t, &admin, w, json!({"type": "DEPOSIT", "amount": amount})).await;
        assert_eq!(s, 200, "{r}");
        assert_eq!(ftds().await, 1, "one FTD however many deposits");
    }

    let (k, v) = fx::auth(&aff);
    let rows: Value = t.server.get("/api/affiliates/v2/leads").add_header(k, v).await.json();
    let goals: Vec<&str> =
        rows.as_array().unwrap().iter().map(|r| r["goalType"].as_str().unwrap()).collect();
    assert_eq!(goals.iter().filter(|g| **g == "FTD").count(), 1, "{rows}");
    assert_eq!(goals.iter().filter(|g| **g == "Lead").count(), 1, "{rows}");
}
