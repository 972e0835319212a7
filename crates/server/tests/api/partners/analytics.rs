//! Downline statistics per level through HTTP: the introducer's own and staff's view of
//! one; an introducer sees only its own downline.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::money::manual_ok;
use crate::helpers::partners::{assign, closed, make_ib, model, publish_closed};

fn level(stats: &Value, n: usize) -> Value {
    stats["stats"][n - 1].clone()
}

#[tokio::test]
async fn downline_statistics_count_each_level_of_the_callers_own_tree() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let levels = json!([{"level": 1, "lotAmount": 5}, {"level": 2, "lotAmount": 1}]);
    let id = model(&t, &admin, "Two levels", levels).await;
    let top = t.user(Role::Affiliate).create().await;
    let mid = t.user(Role::Affiliate).create().await;
    for ib in [&top, &mid] {
        make_ib(&t, &admin, &ib.uuid, Some(id)).await;
    }
    assign(&t, &admin, &mid.uuid, &top.uuid).await;
    let deep = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(&t, &admin, &deep.uuid, &mid.uuid).await;
    let direct = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(&t, &admin, &direct.uuid, &top.uuid).await;
    let idle = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(&t, &admin, &idle.uuid, &top.uuid).await;
    manual_ok(&t, &admin, deep.wallets[0], json!({"type": "DEPOSIT", "amount": 300})).await;
    manual_ok(&t, &admin, deep.wallets[0], json!({"type": "WITHDRAWAL", "amount": 50})).await;
    manual_ok(&t, &admin, direct.wallets[0], json!({"type": "DEPOSIT", "amount": 100})).await;
    publish_closed(&t, &closed(deep.id, deep.wallets[0], "deep-1", "2", "10")).await;
    publish_closed(&t, &closed(direct.id, direct.wallets[0], "direct-1", "1", "10")).await;
    t.run_jobs().await;

    let (s, b) = get(&t, &top.token, "/api/me/downline-statistics").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["stats"].as_array().map(Vec::len), Some(2), "the model's two levels");
    assert_eq!(
        level(&b, 1),
        json!({"level": 1, "referredClients": 3, "ftds": 1, "deposits": 100.0,
               "netDeposits": 100.0, "lots": 0.0, "commissions": 5.0})
    );
    assert_eq!(
        level(&b, 2),
        json!({"level": 2, "referredClients": 1, "ftds": 1, "deposits": 300.0,
               "netDeposits": 250.0, "lots": 0.0, "commissions": 2.0})
    );
    let (_, b) = get(&t, &mid.token, "/api/me/downline-statistics").await;
    assert_eq!(level(&b, 1)["referredClients"], 1);
    assert_eq!(level(&b, 1)["commissions"], 10.0);
    assert_eq!(level(&b, 2)["referredClients"], 0);
    // Staff see any introducer's; a non-introducer is 404, a missing id 422, an IB 403.
    let (s, staff) =
        get(&t, &admin, &format!("/api/downline-statistics?userId={}", top.uuid)).await;
    assert_eq!(s, 200);
    assert_eq!(level(&staff, 2)["netDeposits"], 250.0);
    let (s, _) = get(&t, &admin, &format!("/api/downline-statistics?userId={}", deep.uuid)).await;
    assert_eq!(s, 404);
    assert_eq!(get(&t, &admin, "/api/downline-statistics").await.0, 422);
    let path = format!("/api/downline-statistics?userId={}", top.uuid);
    assert_eq!(get(&t, &mid.token, &path).await.0, 403);
    let stranger = t.user(Role::Affiliate).create().await;
    assert_eq!(get(&t, &stranger.token, "/api/me/downline-statistics").await.0, 404);
}
