//! E-mail triggers of trading and partners: a margin call (once per fall) and a stop-out
//! reach the wallet's owner with their figures; a payout decision reaches the introducer with
//! the amount and, for a rejection, the reason.

use brokercrm_app::trading::triggers::Evaluator;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{get, post};
use crate::helpers::money::{enable_test_provider, manual_ok};
use crate::helpers::partners::{assign, make_ib, model};
use crate::helpers::trading::{eurusd_market, margin_levels, open, quote};

fn template(trigger: &str, subject: &str, txt: &str) -> Value {
    json!({"enabled": true, "title": trigger, "subject": subject, "txt": txt,
           "mjml": "<mjml><mj-body><mj-section><mj-column><mj-text>{{ walletId }}</mj-text></mj-column></mj-section></mj-body></mjml>",
           "trigger": trigger, "conditions": {}})
}

async fn add(t: &TestApp, admin: &str, body: Value) {
    let (s, b) = post(t, admin, "/api/emails", body).await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn a_margin_call_and_a_stop_out_send_their_templates() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    enable_test_provider(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 1000).create().await;
    let (cust, email, w) = (c.token.clone(), c.email.clone(), c.wallets[0]);
    eurusd_market(&t, &admin).await;
    add(
        &t,
        &admin,
        template(
            "trading.margin_call",
            "Margin call {{ marginLevel }}",
            "equity {{ equity }} {{ currency }} margin {{ margin }} wallet {{ walletId }}",
        ),
    )
    .await;
    add(
        &t,
        &admin,
        template(
            "trading.stop_out",
            "Stop-out on {{ walletId }}",
            "{{ positionsClosed }} closed, equity {{ equity }}",
        ),
    )
    .await;
    margin_levels(&t, &admin, 100, 50).await;
    // three half lots at 1.08510: margin 3 × 271.25 = 813.75
    for _ in 0..3 {
        let body = json!({"accountId": w, "symbol": "EURUSD", "side": "BUY", "size": "0.5"});
        assert_eq!(open(&t, &cust, body).await.0, 200);
    }
    let mut ev = Evaluator::new("a");
    ev.pass(&t.app).await.unwrap();
    t.run_jobs().await;
    assert!(t.emails.take().is_empty());
    // equity 1000 − 3 × 0.5 × 100000 × 0.0018 = 730: 89.70 % (truncated), a margin call, once
    quote(&t, &admin, "EURUSD", "1.08330", "1.08340").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().margin_calls, [w]);
    quote(&t, &admin, "EURUSD", "1.08320", "1.08330").await;
    assert!(ev.pass(&t.app).await.unwrap().margin_calls.is_empty());
    t.run_jobs().await;
    let sent = t.emails.take();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (sent[0].to.as_str(), sent[0].subject.as_str()),
        (email.as_str(), "Margin call 89.70")
    );
    assert_eq!(sent[0].text, format!("equity 730 USD margin 813.75 wallet {w}"));
    // at 1.08000 the equity is 235 (28.9 %): two positions close to recover the level
    quote(&t, &admin, "EURUSD", "1.08000", "1.08010").await;
    assert_eq!(ev.pass(&t.app).await.unwrap().stopped_out.len(), 2);
    t.run_jobs().await;
    let sent = t.emails.take();
    let stop: Vec<_> = sent.iter().filter(|m| m.subject.starts_with("Stop-out")).collect();
    assert_eq!(stop.len(), 1, "{sent:?}");
    assert_eq!(
        (stop[0].subject.clone(), stop[0].text.clone()),
        (format!("Stop-out on {w}"), "2 closed, equity 235".to_owned())
    );
}

/// The introducer asks for a payout into `wallet`; the request's id.
async fn request(t: &TestApp, token: &str, wallet: i64) -> i64 {
    let (s, b) = post(t, token, "/api/me/payout-requests", json!({"payoutWalletId": wallet})).await;
    assert_eq!(s, 200, "{b}");
    let (_, b) = get(t, token, "/api/me/payout-requests?order=DESC").await;
    b["payoutRequests"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn payout_decisions_send_their_templates_to_the_introducer() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    add(
        &t,
        &admin,
        template(
            "payout.approved",
            "Paid: {{ amount }} {{ currency }}",
            "to wallet {{ walletId }}",
        ),
    )
    .await;
    add(&t, &admin, template("payout.rejected", "Payout refused", "{{ amount }}: {{ reason }}"))
        .await;
    let id = model(&t, &admin, "CPA", json!([{"level": 1, "cpaAmount": 100}])).await;
    let ib = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    make_ib(&t, &admin, &ib.uuid, Some(id)).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(&t, &admin, &client.uuid, &ib.uuid).await;
    manual_ok(&t, &admin, client.wallets[0], json!({"type": "DEPOSIT", "amount": 10})).await;
    t.run_jobs().await;
    t.emails.take();
    let first = request(&t, &ib.token, ib.wallets[0]).await;
    let body = json!({"rejectReason": "documents <missing>"});
    let (s, b) = post(&t, &admin, &format!("/api/payout-requests/{first}/reject"), body).await;
    assert_eq!(s, 200, "{b}");
    t.run_jobs().await;
    let sent = t.emails.take();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        (sent[0].to.as_str(), sent[0].subject.as_str(), sent[0].text.as_str()),
        (ib.email.as_str(), "Payout refused", "100: documents <missing>")
    );
    let second = request(&t, &ib.token, ib.wallets[0]).await;
    let (s, b) =
        post(&t, &admin, &format!("/api/payout-requests/{second}/approve"), json!({})).await;
    assert_eq!(s, 200, "{b}");
    t.run_jobs().await;
    t.run_jobs().await;
    let sent = t.emails.take();
    assert_eq!(sent.len(), 1, "the approval only, once: {sent:?}");
    assert_eq!(
        (sent[0].subject.as_str(), sent[0].text.clone()),
        ("Paid: 100 USD", format!("to wallet {}", ib.wallets[0]))
    );
}
