//! Coins and the loyalty level through the real router: settings with validation, coins
//! awarded then exchanged in the fixed lots through the ledger (a lot not allowed and more
//! coins than held are 422 on `amount` and change nothing), idempotent exchange, the coins
//! transaction list, the exchange rate with the loyalty bonus, loyalty levels and the
//! customer's standing, and the ledger verified afterwards.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::money::{assert_verified, balance, group, m, money_of, wallet};
use crate::helpers::platform::audited;
use crate::helpers::users::customer;

async fn exchange(t: &TestApp, tok: &str, body: Value, key: Option<&str>) -> (u16, Value) {
    let mut req = t.server.post("/api/coins/exchange").authorization_bearer(tok).json(&body);
    if let Some(k) = key {
        req = req.add_header("Idempotency-Key", k);
    }
    let r = req.await;
    (r.status_code().as_u16(), r.json())
}

async fn coins_of(t: &TestApp, admin: &str, customer: &str) -> i64 {
    let r = t
        .server
        .get(&format!("/api/coins/transactions?account={customer}&limit=500"))
        .authorization_bearer(admin)
        .await;
    r.assert_status_ok();
    r.json::<Value>()["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["amount"].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn coin_settings_validate_and_need_permission() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (cust, _) = customer(&t).await;
    let r = t.server.get("/api/coins/settings").authorization_bearer(&cust).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"coinsEnabled": false, "dollarsPerCoin": 0.01}));
    for bad in [json!(0), json!(-1), json!(1000.01), json!("x"), json!(0.000000001)] {
        let r = t
            .server
            .put("/api/coins/settings")
            .authorization_bearer(&admin)
            .json(&json!({"coinsEnabled": true, "dollarsPerCoin": bad}))
            .await;
        assert_eq!(r.status_code().as_u16(), 422, "{bad}");
        assert_eq!(field_of(&r.json()), "dollarsPerCoin");
    }
    let r = t
        .server
        .put("/api/coins/settings")
        .authorization_bearer(&cust)
        .json(&json!({"coinsEnabled": true, "dollarsPerCoin": 1}))
        .await;
    assert_eq!(r.status_code().as_u16(), 403);
    let r = t
        .server
        .put("/api/coins/settings")
        .authorization_bearer(&admin)
        .json(&json!({"coinsEnabled": true, "dollarsPerCoin": 0.0125}))
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    let r = t.server.get("/api/coins/settings").authorization_bearer(&admin).await;
    assert_eq!(r.json::<Value>(), json!({"coinsEnabled": true, "dollarsPerCoin": 0.0125}));
    assert_eq!(audited(&t, "coins.settings").await, 1);
    // Staff, and a customer without a wallet: the base rate in USD.
    for tok in [&admin, &cust] {
        let r = t.server.get("/api/coins/exchange-rate").authorization_bearer(tok).await;
        r.assert_status_ok();
        let want = json!({"effectiveRate": 0.0125, "rate": 0.0125, "currency": "USD"});
        assert_eq!(r.json::<Value>(), want);
    }
    let r = t.server.get("/api/coins/loyalty-levels").authorization_bearer(&cust).await;
    r.assert_status_ok();
    let levels = r.json::<Value>()["loyaltyLevels"].clone();
    assert_eq!(levels.as_array().unwrap().len(), 4, "{levels}");
    assert_eq!(levels[1]["name"], "Silver");
    assert_eq!(levels[1]["exchangeBonusPercent"], 5.0);
}

#[tokio::test]
async fn coins_exchange_through_the_ledger_exactly() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (tok, cust) = customer(&t).await;
    let g = group(&t, &admin, "USD std", "USD").await;
    let w = wallet(&t, &admin, &cust, g).await;
    // Awarding: staff only, whole coins, idempotent.
    let award = |body: Value, key: &'static str| {
        t.server
            .post(&format!("/api/customers/{cust}/coins"))
            .authorization_bearer(&admin)
            .add_header("Idempotency-Key", key)
            .json(&body)
    };
    for bad in [json!(0), json!(1.5), json!("x")] {
        let r = award(json!({"amount": bad}), "bad").await;
        assert_eq!(r.status_code().as_u16(), 422, "{bad}");
        assert_eq!(field_of(&r.json()), "amount");
    }
    let r = award(json!({"amount": 1000, "comment": "welcome"}), "a1").await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["balance"], 1000);
    let r = award(json!({"amount": 1000, "comment": "welcome"}), "a1").await;
    assert_eq!(r.json::<Value>()["balance"], 1000, "a replay awards nothing");
    let r = t
        .server
        .post(&format!("/api/customers/{cust}/coins"))
        .authorization_bearer(&tok)
        .json(&json!({"amount": 10}))
        .await;
    assert_eq!(r.status_code().as_u16(), 403);

    // Exchange is closed until enabled.
    let (s, b) = exchange(&t, &tok, json!({"amount": 300}), None).await;
    assert_eq!((s, field_of(&b)), (422, "amount".to_owned()), "{b}");
    t.server
        .put("/api/coins/settings")
        .authorization_bearer(&admin)
        .json(&json!({"coinsEnabled": true, "dollarsPerCoin": 0.01}))
        .await
        .assert_status_ok();
    // Not an allowed lot: 422 on amount, nothing moves.
    for bad in [json!(250), json!(301), json!(0), json!(300.5), json!(null)] {
        let (s, b) = exchange(&t, &tok, json!({"amount": bad}), None).await;
        assert_eq!(s, 422, "{bad}: {b}");
        assert_eq!(field_of(&b), "amount");
    }
    // More coins than held: 422 on amount, nothing moves.
    let (s, b) = exchange(&t, &tok, json!({"amount": 1200}), None).await;
    assert_eq!((s, field_of(&b)), (422, "amount".to_owned()), "{b}");
    assert_eq!(coins_of(&t, &admin, &cust).await, 1000);
    let bal = balance(&t, &admin, w).await;
    assert_eq!((money_of(&bal["balance"]), money_of(&bal["credit"])), (m("0"), m("0")));
    // Staff have no coins to exchange.
    let (s, _) = exchange(&t, &admin, json!({"amount": 300}), None).await;
    assert_eq!(s, 403);

    // 1000 coins earned this month: Silver (+5 %, paid as credit).
    let r = t
        .server
        .get(&format!("/api/customers/{cust}/loyalty-level"))
        .authorization_bearer(&admin)
        .await;
    r.assert_status_ok();
    let lvl: Value = r.json();
    assert_eq!(lvl["currentLevel"], 1, "{lvl}");
    assert_eq!(lvl["currentLevelName"], "Silver");
    assert_eq!(lvl["totalCoinsMonth"], 1000);
    assert_eq!(lvl["coinsRequiredToRetain"], 0);
    assert_eq!(lvl["coinsUntilNextLevel"], 4000);
    assert_eq!(lvl["currentLevelRealMoney"], false);
    let r = t.server.get("/api/coins/exchange-rate").authorization_bearer(&tok).await;
    r.assert_status_ok();
    assert_eq!(
        r.json::<Value>(),
        json!({"effectiveRate": 0.0105, "rate": 0.01, "currency": "USD"})
    );

    // 300 coins × 0.01 × 1.05 = 3.15, into credit; a retry with the key pays once.
    let (s, b) = exchange(&t, &tok, json!({"amount": 300}), Some("x1")).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["errors"], json!([]));
    assert_eq!(money_of(&b["amount"]), m("3.15"));
    assert_eq!(b["walletId"], w);
    assert_eq!(b["addToCredit"], true);
    let (s, b2) = exchange(&t, &tok, json!({"amount": 300}), Some("x1")).await;
    assert_eq!(s, 200, "{b2}");
    assert_eq!(b2["transferId"], b["transferId"]);
    let (s, _) = exchange(&t, &tok, json!({"amount": 600}), Some("x1")).await;
    assert_eq!(s, 409, "same key, another body");
    let bal = balance(&t, &admin, w).await;
    assert_eq!(money_of(&bal["credit"]), m("3.15"), "{bal}");
    assert_eq!(money_of(&bal["balance"]), m("0"), "{bal}");
    assert_eq!(coins_of(&t, &admin, &cust).await, 700);
    // Another customer's level is not visible to this one; their list holds only their own.
    let (tok2, cust2) = customer(&t).await;
    let r = t
        .server
        .get(&format!("/api/customers/{cust}/loyalty-level"))
        .authorization_bearer(&tok2)
        .await;
    assert_eq!(r.status_code().as_u16(), 404);
    let r = t
        .server
        .get(&format!("/api/customers/{cust2}/loyalty-level"))
        .authorization_bearer(&tok2)
        .await;
    assert_eq!(r.json::<Value>()["currentLevelName"], "Bronze");
    let r = t.server.get("/api/coins/transactions").authorization_bearer(&tok2).await;
    assert_eq!(r.json::<Value>(), json!({"transactions": [], "pages": 0}));
    let r = t
        .server
        .get("/api/coins/transactions?orderBy=createdAt:asc")
        .authorization_bearer(&tok)
        .await;
    r.assert_status_ok();
    let list: Value = r.json();
    assert_eq!(list["pages"], 1);
    let tx = list["transactions"].as_array().unwrap();
    assert_eq!(tx.len(), 2, "{list}");
    assert_eq!((tx[0]["type"].as_str(), tx[0]["amount"].as_i64()), (Some("BONUS"), Some(1000)));
    assert_eq!(
        (tx[1]["type"].as_str(), tx[1]["amount"].as_i64()),
        (Some("COINS_EXCHANGE"), Some(-300))
    );
    assert_eq!(tx[1]["customerId"], cust.as_str());
    let r = t.server.get("/api/coins/transactions?limit=0").authorization_bearer(&admin).await;
    assert_eq!(field_of(&r.json()), "limit");
    let support = t.token_for(Role::Support).await;
    let r = t.server.get("/api/coins/transactions").authorization_bearer(&support).await;
    assert_eq!(r.json::<Value>()["transactions"].as_array().unwrap().len(), 2);

    // Gold pays real money: 5000 more coins this month.
    award(json!({"amount": 5000}), "a2").await.assert_status_ok();
    let (s, b) = exchange(&t, &tok, json!({"amount": 4800}), None).await;
    assert_eq!(s, 200, "{b}");
    // 4800 × 0.01 × 1.10 = 52.8, into the balance.
    assert_eq!(money_of(&b["amount"]), m("52.8"));
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("52.8"));
    assert_eq!(coins_of(&t, &admin, &cust).await, 900);
    assert_eq!(audited(&t, "coins.exchange").await, 2);
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn a_loyalty_level_holds_one_month_then_lapses() {
    use brokercrm_core::money::coins::loyalty::month_start;
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (_, cust) = customer(&t).await;
    let r = t
        .server
        .post(&format!("/api/customers/{cust}/coins"))
        .authorization_bearer(&admin)
        .json(&json!({"amount": 5000}))
        .await;
    r.assert_status_ok();
    let now = brokercrm_store::db::now();
    let get = || async {
        let r = t
            .server
            .get(&format!("/api/customers/{cust}/loyalty-level"))
            .authorization_bearer(&admin)
            .await;
        r.assert_status_ok();
        r.json::<Value>()
    };
    let this = get().await;
    assert_eq!(this["currentLevelName"], "Gold", "{this}");
    assert_eq!(this["totalCoinsMonth"], 5000);
    assert_eq!(this["awardedAt"], json!(month_start(now, 0)));
    assert_eq!(this["validUntil"], json!(month_start(now, 2)));
    assert_eq!(this["currentLevelRealMoney"], true);
    // Next month: still Gold from last month's coins, but 5000 must be earned again.
    t.clock.set(month_start(now, 1) + chrono::Duration::days(3));
    let next = get().await;
    assert_eq!(next["currentLevelName"], "Gold", "{next}");
    assert_eq!(next["totalCoinsMonth"], 0);
    assert_eq!(next["coinsRequiredToRetain"], 5000);
    assert_eq!(next["awardedAt"], json!(month_start(now, 0)));
    assert_eq!(next["validUntil"], json!(month_start(now, 2)));
    // The month after: lapsed.
    t.clock.set(month_start(now, 2) + chrono::Duration::days(3));
    let later = get().await;
    assert_eq!(later["currentLevelName"], "Bronze", "{later}");
    assert_eq!(later["currentLevel"], 0);
    assert_eq!(later["coinsUntilNextLevel"], 1000);
}
