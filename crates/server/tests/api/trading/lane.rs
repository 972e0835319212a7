//! The trade lane: market opens and closes sent at once are written in batches, each
//! deciding exactly as one request alone would — every fill's free margin on the wallet's
//! book with the batch's earlier fills in it, every close once — and the ledger stays
//! verified and balanced.

use brokercrm_core::Money;
use brokercrm_store::repo::trading::{orders, positions as position_repo};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::fields;
use crate::helpers::http::{json_request, put, send_concurrently};
use crate::helpers::money::{assert_verified, balance, currency_group, m, money_of};
use crate::helpers::trading::{eurusd_market, quote};
use crate::trading::positions::account_balance;

/// The USD group at `leverage` with `per_lot` USD commission on every symbol.
async fn usd_group(t: &TestApp, admin: &str, leverage: u32, per_lot: &str) {
    let group = currency_group(t, admin, "USD").await;
    let (s, b) = put(t, admin, &format!("/api/groups/{group}"), json!({
        "leverage": leverage, "markups": [], "commissions": [{"symbol": "*", "perLot": per_lot}],
        "marginCallLevel": 100, "stopOutLevel": 50, "adapterName": "neo", "disableSwapCharges": false
    })).await;
    assert_eq!(s, 200, "{b}");
}

fn buy(wallet: i64, size: &str) -> Value {
    json!({"accountId": wallet, "symbol": "EURUSD", "side": "BUY", "size": size})
}

#[tokio::test]
async fn opens_and_closes_sent_at_once_are_each_written_once() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    usd_group(&t, &admin, 100, "3.5").await;
    let c = t
        .customer()
        .admin(&admin)
        .with_wallet("USD", 10_000)
        .with_wallet("USD", 10_000)
        .with_wallet("USD", 10_000)
        .create()
        .await;
    let opens: Vec<_> = (0..24)
        .map(|i| json_request("/api/positions", &c.token, None, &buy(c.wallets[i % 3], "0.5")))
        .collect();
    let answers = send_concurrently(&t, opens).await;
    let mut ids = Vec::new();
    for (s, p) in &answers {
        assert_eq!(*s, 200, "{p}");
        assert_eq!(
            (p["status"].as_str(), p["openPrice"].as_str()),
            (Some("OPEN"), Some("1.08510"))
        );
        assert_eq!(p["commission"], json!(1.75));
        // FOREX margin: 0.5 lots × 100000 / 100 = 500 EUR = 542.5 USD
        assert_eq!(p["margin"], "542.5");
        ids.push(p["id"].as_i64().unwrap());
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 24);
    let conn = t.app.db().conn();
    let stored = position_repo::with_status(conn, "OPEN").await.unwrap();
    assert_eq!(stored.len(), 24);
    for p in &stored {
        let o = orders::of_position(conn, p.id).await.unwrap();
        assert_eq!(o.len(), 1, "one filled order per position");
        assert_eq!((o[0].purpose.as_str(), o[0].fill_price), ("OPEN", Some(108_510_000)));
    }
    for w in &c.wallets {
        // eight commissions of 1.75
        assert_eq!(money_of(&balance(&t, &admin, *w).await["balance"]), m("9986"));
    }

    quote(&t, &admin, "EURUSD", "1.08610", "1.08620").await;
    // every position closed once, a third of them asked twice
    let closes: Vec<_> = ids
        .iter()
        .chain(ids.iter().step_by(3))
        .map(|id| json_request(&format!("/api/positions/{id}/close"), &c.token, None, &json!({})))
        .collect();
    let answers = send_concurrently(&t, closes).await;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let conflicts = answers.iter().filter(|(s, _)| *s == 409).count();
    assert_eq!((ok, conflicts), (24, 8), "{answers:?}");
    for (s, p) in answers.iter().filter(|(s, _)| *s == 200) {
        assert_eq!((s, p["status"].as_str()), (&200, Some("CLOSED")));
        // (1.08610 − 1.08510) × 50000 = 50 USD
        assert_eq!(p["closedPLInAccountCurrency"], json!(50.0));
    }
    let closed = position_repo::with_status(conn, "CLOSED").await.unwrap();
    assert_eq!(closed.len(), 24);
    for p in &closed {
        assert_eq!(orders::of_position(conn, p.id).await.unwrap().len(), 2);
    }
    for w in &c.wallets {
        assert_eq!(money_of(&balance(&t, &admin, *w).await["balance"]), m("10386"));
    }
    assert_eq!(account_balance(&t, "house:trading_pnl:USD").await, m("-1158"));
    assert_verified(t.app.db()).await;
}

#[tokio::test]
async fn fills_sent_at_once_stop_where_the_free_margin_ends() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    eurusd_market(&t, &admin).await;
    usd_group(&t, &admin, 100, "0").await;
    let c = t.customer().admin(&admin).with_wallet("USD", 1_000).create().await;
    let w = c.wallets[0];
    // each 0.1 lot needs 108.5 USD of margin and opens 1 USD under water (the spread): nine
    // fit in 1,000 USD, a tenth would not
    let opens: Vec<_> =
        (0..12).map(|_| json_request("/api/positions", &c.token, None, &buy(w, "0.1"))).collect();
    let answers = send_concurrently(&t, opens).await;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(ok, 9, "{answers:?}");
    for (s, b) in answers.iter().filter(|(s, _)| *s != 200) {
        assert_eq!((*s, fields(b)), (422, vec!["size".to_owned()]), "{b}");
    }
    let conn = t.app.db().conn();
    assert_eq!(position_repo::with_status(conn, "OPEN").await.unwrap().len(), 9);
    assert_eq!(money_of(&balance(&t, &admin, w).await["balance"]), m("1000"));
    assert_eq!(account_balance(&t, "house:trading_pnl:USD").await, Money::ZERO);
    assert_verified(t.app.db()).await;
}
