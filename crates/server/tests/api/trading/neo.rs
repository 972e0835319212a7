//! NEO by invested amount: the size is `invest` over one lot's margin rounded down to the
//! size grid, the stop loss sits where the loss reaches the maximum risk, a duration closes
//! the position by itself (reason DURATION); bad choices are 422s naming the field and
//! change nothing.

use brokercrm_app::trading::triggers::Evaluator;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::fields;
use crate::helpers::http::get;
use crate::helpers::money::{assert_verified, balance, m, money_of};
use crate::helpers::trading::{eurusd_market, open};

fn neo(wallet: i64, extra: Value) -> Value {
    let mut b = json!({"accountId": wallet, "symbol": "EURUSD", "side": "BUY", "platform": "NEO"});
    if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    b
}

#[tokio::test]
async fn invest_sizes_the_position_places_the_risk_stop_and_the_duration_closes_it() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];

    let body = neo(w, json!({"invest": 1000, "maxRisk": 10, "closePositionAfterSeconds": 300}));
    let (s, p) = open(&t, &c.token, body).await;
    assert_eq!(s, 200, "{p}");
    // one lot's margin: 100000 / 200 EUR × 1.085 = 542.5 USD; 1000 / 542.5 = 1.843… → 1.84
    assert_eq!(p["size"], json!(1.84));
    assert_eq!(p["platform"], "NEO");
    assert_eq!(p["invest"], json!(1000.0));
    assert_eq!(p["closePositionAfterSeconds"], json!(300));
    assert_eq!(p["margin"], "998.2");
    // 10 % of 1000 = 100 USD over 1.84 × 100000 per price unit = 0.000543…, from the ask
    // 1.08510 rounded toward it: 1.08456 (a loss of 99.36 there)
    assert_eq!(p["stopLoss"], json!(1.08456));
    let id = p["id"].as_i64().unwrap();

    // the default risk (50 %) when none is named
    let (s, d) = open(&t, &c.token, neo(w, json!({"invest": "542.5"}))).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!((d["size"].clone(), d["stopLoss"].clone()), (json!(1.0), json!(1.08239)));
    assert_eq!(d["closePositionAfterSeconds"], Value::Null);

    // nothing expires before its time
    let mut ev = Evaluator::new("a");
    assert!(ev.pass(&t.app).await.unwrap().expired.is_empty());
    let now = brokercrm_app::platform::clock::Clock::now(&*t.clock);
    t.clock.set(now.max(chrono::Utc::now()) + chrono::Duration::seconds(301));
    let pass = ev.pass(&t.app).await.unwrap();
    assert_eq!(pass.expired, vec![id]);
    let (_, closed) = get(&t, &c.token, &format!("/api/positions/{id}")).await;
    assert_eq!(
        (closed["status"].as_str(), closed["closedReason"].as_str()),
        (Some("CLOSED"), Some("DURATION")),
        "{closed}"
    );
    assert_eq!(closed["closePrice"], "1.08500");
    // a second pass closes nothing more
    assert!(ev.pass(&t.app).await.unwrap().expired.is_empty());
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn bad_neo_choices_name_the_field_and_change_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 10_000).create().await;
    let w = c.wallets[0];
    for (extra, field) in [
        (json!({"invest": 0}), "invest"),
        (json!({"invest": -5}), "invest"),
        (json!({}), "invest"),
        (json!({"invest": 1}), "invest"),
        (json!({"invest": 100, "maxRisk": 33}), "maxRisk"),
        (json!({"invest": 100, "closePositionAfterSeconds": 77}), "closePositionAfterSeconds"),
        (json!({"invest": 100, "stopLoss": "1.08000"}), "stopLoss"),
        (json!({"invest": 100, "openPrice": "1.08000"}), "openPrice"),
        (json!({"invest": 100, "platform": "PRO", "size": 1}), "invest"),
    ] {
        let (s, b) = open(&t, &c.token, neo(w, extra.clone())).await;
        assert_eq!(s, 422, "{extra} {b}");
        assert_eq!(fields(&b), vec![field.to_owned()], "{extra} {b}");
    }
    let (_, list) = get(&t, &c.token, "/api/positions").await;
    assert_eq!(list["count"], 0);
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("10000"));
    assert_verified(t.app.db()).await;
}
