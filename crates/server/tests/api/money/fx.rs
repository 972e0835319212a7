//! Exchange rates and conversions: every operation over HTTP, validation naming fields, 404s,
//! permission boundaries, the audit trail, and `app::fx::convert` along a two-leg path.

use brokercrm_app::money::fx;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::{Currency, Error, Money};
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::platform::latest_audits;
use crate::helpers::{TestApp, assert_error};

async fn create_rate(
    t: &TestApp,
    token: &str,
    from: &str,
    to: &str,
    source: &str,
    rate: Value,
) -> Value {
    let r = t
        .server
        .post("/api/exchange-rates")
        .authorization_bearer(token)
        .json(&json!({"fromCurrency": from, "toCurrency": to, "source": source, "rate": rate}))
        .await;
    r.assert_status_ok();
    r.json()
}

#[tokio::test]
async fn rates_are_created_listed_updated_and_audited() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let created = create_rate(&t, &admin, "EUR", "USD", "ECB", json!(1.0850)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(created["fromCurrency"], "EUR");
    assert_eq!(created["toCurrency"], "USD");
    assert_eq!(created["source"], "ecb");
    assert_eq!(created["rate"], json!(1.085));
    assert!(created["createdAt"].is_string() && created["updatedAt"].is_string());

    create_rate(&t, &admin, "BTC", "USD", "manual", json!("50000")).await;
    let list: Value = t.server.get("/api/exchange-rates").authorization_bearer(&admin).await.json();
    let pairs: Vec<(&str, &str, f64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["fromCurrency"].as_str().unwrap(),
                r["toCurrency"].as_str().unwrap(),
                r["rate"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs, vec![("BTC", "USD", 50000.0), ("EUR", "USD", 1.085)]);

    // No rate on update keeps the current one; a string rate is taken exactly.
    let url = format!("/api/exchange-rates/{id}");
    let r = t
        .server
        .put(&url)
        .authorization_bearer(&admin)
        .json(&json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "manual"}))
        .await;
    r.assert_status_ok();
    let body: Value = r.json();
    assert_eq!(
        (body["id"].as_str(), &body["source"], &body["rate"]),
        (Some(id.as_str()), &json!("manual"), &json!(1.085))
    );
    let r = t
        .server
        .put(&url)
        .authorization_bearer(&admin)
        .json(&json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "manual", "rate": "1.08561234567891"}))
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["rate"], json!(1.08561234567891));
    let out = fx::convert(&t.app, Money::from_units(1).unwrap(), &Currency::EUR, &Currency::USD)
        .await
        .unwrap();
    assert_eq!(out.amount, "1.08561235".parse().unwrap());

    let (acts, kinds) = latest_audits(&t, &admin, 10).await;
    assert_eq!(
        kinds,
        vec![
            "exchange_rate.update",
            "exchange_rate.update",
            "exchange_rate.create",
            "exchange_rate.create"
        ]
    );
    assert_eq!(acts["activities"][0]["before"]["rate"], "1.085");
    assert_eq!(acts["activities"][0]["after"]["rate"], "1.08561234567891");
}

#[tokio::test]
async fn rate_validation_conflicts_and_404() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let post =
        |body: Value| t.server.post("/api/exchange-rates").authorization_bearer(&admin).json(&body);
    let r =
        post(json!({"fromCurrency": "eur", "toCurrency": "USD", "source": "", "rate": -1})).await;
    r.assert_status_unprocessable_entity();
    let body: Value = r.json();
    assert_error(&body, "validation_failed");
    assert_eq!(fields(&body), vec!["fromCurrency", "source", "rate"]);
    let r =
        post(json!({"fromCurrency": "EUR", "toCurrency": "EUR", "source": "ecb", "rate": 2})).await;
    assert_eq!(fields(&r.json()), vec!["toCurrency"]);
    let r = post(json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "ecb"})).await;
    assert_eq!(fields(&r.json()), vec!["rate"]);
    let r = post(json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "ecb", "rate": "1.1234567890123456"})).await;
    let body: Value = r.json();
    assert_eq!(body["error"]["message"], "rate: must have at most 15 significant digits");
    let r =
        post(json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "ecb", "rate": true}))
            .await;
    r.assert_status_bad_request();
    assert!(r.json::<Value>()["error"]["message"].as_str().unwrap().starts_with("rate"));
    let r = post(json!({"toCurrency": "USD", "source": "ecb", "rate": 1})).await;
    r.assert_status_bad_request();
    assert!(r.json::<Value>()["error"]["message"].as_str().unwrap().contains("fromCurrency"));

    create_rate(&t, &admin, "EUR", "USD", "ecb", json!(1.1)).await;
    let r =
        post(json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "other", "rate": 1.2}))
            .await;
    r.assert_status(axum::http::StatusCode::CONFLICT);
    assert_eq!(
        r.json::<Value>()["error"]["message"],
        "an exchange rate from EUR to USD already exists"
    );
    let gbp = create_rate(&t, &admin, "GBP", "USD", "ecb", json!(1.3)).await;
    let r = t
        .server
        .put(&format!("/api/exchange-rates/{}", gbp["id"].as_str().unwrap()))
        .authorization_bearer(&admin)
        .json(&json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "ecb"}))
        .await;
    r.assert_status(axum::http::StatusCode::CONFLICT);
    let r = t
        .server
        .put("/api/exchange-rates/no-such-id")
        .authorization_bearer(&admin)
        .json(&json!({"fromCurrency": "EUR", "toCurrency": "JPY", "source": "ecb", "rate": 160}))
        .await;
    r.assert_status_not_found();
    assert_error(&r.json(), "not_found");
    // Nothing changed by the refused requests.
    let list: Value = t.server.get("/api/exchange-rates").authorization_bearer(&admin).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn quote_for_a_payment_method() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let (customer, _) = t.mint_token(Role::Customer).await;
    create_rate(&t, &admin, "USD", "BTC", "bitstamp", json!(0.0000158)).await;
    let r = t
        .server
        .get("/api/exchange-rates/quote?method=bitstamp&amount=100")
        .authorization_bearer(&customer)
        .await;
    r.assert_status_ok();
    assert_eq!(
        r.json::<Value>(),
        json!({"exchangeRate": 0.0000158, "fromCurrency": "USD", "toCurrency": "BTC",
               "source": "bitstamp", "amount": "100", "convertedAmount": "0.00158"})
    );
    let get = |q: &str| {
        t.server.get(&format!("/api/exchange-rates/quote?{q}")).authorization_bearer(&customer)
    };
    let r = get("method=trustology&amount=100").await;
    r.assert_status_not_found();
    let r = get("method=bitstamp&amount=-1").await;
    assert_eq!(fields(&r.json()), vec!["amount"]);
    let r = get("amount=abc").await;
    assert_eq!(fields(&r.json()), vec!["method", "amount"]);
    create_rate(&t, &admin, "EUR", "BTC", "bitstamp", json!(0.000017)).await;
    let r = get("method=bitstamp&amount=1").await;
    assert_eq!(fields(&r.json()), vec!["method"]);
    let r = get("method=bitstamp&amount=1&fromCurrency=EUR").await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["convertedAmount"], "0.000017");
    t.server
        .get("/api/exchange-rates/quote?method=bitstamp&amount=1")
        .await
        .assert_status_unauthorized();
}

#[tokio::test]
async fn permissions_of_rates_and_conversions() {
    let t = TestApp::spawn().await;
    let (customer, _) = t.mint_token(Role::Customer).await;
    let (affiliate, _) = t.mint_token(Role::Affiliate).await;
    let (manager, _) = t.mint_token(Role::Manager).await;
    for token in [&customer, &affiliate] {
        for path in ["/api/exchange-rates", "/api/conversions", "/api/conversions/1"] {
            let r = t.server.get(path).authorization_bearer(token).await;
            r.assert_status_forbidden();
            assert_error(&r.json(), "forbidden");
        }
    }
    t.server.get("/api/exchange-rates").authorization_bearer(&manager).await.assert_status_ok();
    t.server.get("/api/conversions").authorization_bearer(&manager).await.assert_status_ok();
    let body = json!({"fromCurrency": "EUR", "toCurrency": "USD", "source": "ecb", "rate": 1.1});
    for token in [&customer, &manager] {
        let r = t.server.post("/api/exchange-rates").authorization_bearer(token).json(&body).await;
        r.assert_status_forbidden();
        let r = t
            .server
            .post("/api/conversions")
            .authorization_bearer(token)
            .json(&json!({"source": "EUR", "target": "BTC", "path": "EUR,USD,BTC"}))
            .await;
        r.assert_status_forbidden();
        t.server
            .delete("/api/conversions/1")
            .authorization_bearer(token)
            .await
            .assert_status_forbidden();
    }
    t.server.get("/api/exchange-rates").await.assert_status_unauthorized();
    t.server.get("/api/conversions").await.assert_status_unauthorized();
}

#[tokio::test]
async fn conversions_crud_and_two_leg_conversion() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    create_rate(&t, &admin, "EUR", "USD", "ecb", json!(1.085)).await;
    create_rate(&t, &admin, "BTC", "USD", "bitstamp", json!(50000)).await;

    let post =
        |body: Value| t.server.post("/api/conversions").authorization_bearer(&admin).json(&body);
    let r = post(json!({"source": "EUR", "target": "BTC", "path": "EUR → USD → BTC"})).await;
    r.assert_status_ok();
    let c: Value = r.json();
    let id = c["id"].as_i64().unwrap();
    assert_eq!(
        (&c["source"], &c["target"], &c["path"]),
        (&json!("EUR"), &json!("BTC"), &json!("EUR,USD,BTC"))
    );
    assert!(c["createdAt"].is_string() && c["updatedAt"].is_string());

    // 100 EUR → USD at 1.085 → BTC at 1/50000 = 0.00217 BTC; one half-even rounding at the end.
    let eur = |s: &str| s.parse::<Money>().unwrap();
    let out = fx::convert(&t.app, eur("100"), &Currency::EUR, &Currency::BTC).await.unwrap();
    assert_eq!(out.amount.minor(), 217_000);
    assert_eq!(out.path, vec![Currency::EUR, Currency::USD, Currency::BTC]);
    assert_eq!(out.rate.to_string(), "0.0000217");
    // 123.45678901 × 1.085 / 50000 = 0.002679012321517… → 0.00267901
    let out =
        fx::convert(&t.app, eur("123.45678901"), &Currency::EUR, &Currency::BTC).await.unwrap();
    assert_eq!(out.amount.minor(), 267_901);
    // The reverse pair walks the configured path backwards: 0.00217 BTC → 100 EUR exactly.
    let back = fx::convert(&t.app, eur("0.00217"), &Currency::BTC, &Currency::EUR).await.unwrap();
    assert_eq!(back.amount, eur("100"));
    assert_eq!(back.path, vec![Currency::BTC, Currency::USD, Currency::EUR]);
    // A pair without a conversion uses the direct rate or its inverse.
    let usd = fx::convert(&t.app, eur("1.085"), &Currency::USD, &Currency::EUR).await.unwrap();
    assert_eq!((usd.amount, usd.path.len()), (eur("1"), 2));
    let same = fx::convert(&t.app, eur("5"), &Currency::USD, &Currency::USD).await.unwrap();
    assert_eq!(same.amount, eur("5"));
    // No path: a validation error naming the currencies.
    let jpy = Currency::parse("c", "JPY").unwrap();
    match fx::convert(&t.app, eur("1"), &Currency::USD, &jpy).await {
        Err(Error::Validation(f)) => {
            assert_eq!(f[0].field, "currency");
            assert_eq!(f[0].message, "no exchange rate or conversion path from USD to JPY");
        }
        other => panic!("{other:?}"),
    }

    let got: Value =
        t.server.get(&format!("/api/conversions/{id}")).authorization_bearer(&admin).await.json();
    assert_eq!(got, c);
    let list: Value = t.server.get("/api/conversions").authorization_bearer(&admin).await.json();
    assert_eq!(list, json!([c]));

    // Validation: each bad field named; a leg without a rate names the pair.
    let r = post(json!({"source": "eur", "target": "BTC", "path": ""})).await;
    r.assert_status_unprocessable_entity();
    assert_eq!(fields(&r.json()), vec!["source", "path"]);
    let r = post(json!({"source": "GBP", "target": "BTC", "path": "GBP,USD,BTC"})).await;
    let body: Value = r.json();
    assert_eq!(
        body["error"]["message"],
        "path: no exchange rate between GBP and USD (in either direction)"
    );
    let r = post(json!({"source": "EUR", "target": "BTC", "path": "USD,BTC"})).await;
    assert_eq!(
        r.json::<Value>()["error"]["message"],
        "path: must start with the source currency EUR"
    );
    let r = post(json!({"source": "EUR", "target": "BTC", "path": "EUR,USD,BTC"})).await;
    r.assert_status(axum::http::StatusCode::CONFLICT);

    let url = format!("/api/conversions/{id}");
    let r =
        t.server.put(&url).authorization_bearer(&admin).json(&json!({"path": "EUR,GBP,BTC"})).await;
    assert_eq!(fields(&r.json()), vec!["path"]);
    create_rate(&t, &admin, "EUR", "GBP", "ecb", json!(0.85)).await;
    create_rate(&t, &admin, "GBP", "BTC", "manual", json!(0.00002)).await;
    let r =
        t.server.put(&url).authorization_bearer(&admin).json(&json!({"path": "EUR>GBP>BTC"})).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["path"], "EUR,GBP,BTC");
    // 100 × 0.85 × 0.00002 = 0.0017
    let out = fx::convert(&t.app, eur("100"), &Currency::EUR, &Currency::BTC).await.unwrap();
    assert_eq!(out.amount.minor(), 170_000);
    let r = t.server.put(&url).authorization_bearer(&admin).json(&json!({})).await;
    assert_eq!(r.json::<Value>()["path"], "EUR,GBP,BTC");

    let r = t.server.delete(&url).authorization_bearer(&admin).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    for path in [url.as_str(), "/api/conversions/abc", "/api/conversions/999"] {
        let r = t.server.get(path).authorization_bearer(&admin).await;
        r.assert_status_not_found();
        assert_error(&r.json(), "not_found");
    }
    t.server.delete(&url).authorization_bearer(&admin).await.assert_status_not_found();
    t.server
        .put(&url)
        .authorization_bearer(&admin)
        .json(&json!({"path": "EUR,BTC"}))
        .await
        .assert_status_not_found();
    // Without the conversion, EUR → BTC has no direct rate.
    assert!(fx::convert(&t.app, eur("1"), &Currency::EUR, &Currency::BTC).await.is_err());

    let (_, kinds) = latest_audits(&t, &admin, 3).await;
    assert_eq!(kinds, vec!["conversion.delete", "conversion.update", "exchange_rate.create"]);
}
