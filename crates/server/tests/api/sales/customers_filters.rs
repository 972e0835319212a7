//! "Get all customers": every filter checked against a brute-force expectation computed here
//! over generated customers (countries, sources, KYC and account statuses, leaders, dates,
//! groups, assignments, risk statuses, referrals and real ledger deposits), plus sorting,
//! paging and the 422s of bad filters.

use std::collections::HashSet;

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::assignments::{self, AssignmentRow};
use brokercrm_store::repo::sales::customers as profiles;
use chrono::{DateTime, Duration, Utc};
use sea_orm::Set;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::money::{group, manual, wallet};
use crate::helpers::users::{PASSWORD, User};

/// One generated customer, as the test knows it.
#[derive(Debug, Clone)]
struct C {
    uuid: String,
    id: i64,
    email: String,
    first: String,
    last: String,
    country: Option<&'static str>,
    source: Option<&'static str>,
    kyc: &'static str,
    status: &'static str,
    leader: bool,
    created: DateTime<Utc>,
    login: Option<DateTime<Utc>>,
    group: Option<i64>,
    conv: Option<i64>,
    ret: Option<i64>,
    sales_status: Option<i64>,
    risk: Option<&'static str>,
    deposits: u64,
    affiliate: Option<i64>,
}

async fn list(t: &TestApp, token: &str, query: &str) -> (u16, Value) {
    get(t, token, &format!("/api/customers?limit=200&{query}")).await
}

fn ids(body: &Value) -> Vec<String> {
    body["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Default order: newest registration first, then id.
fn by_created_desc(mut v: Vec<&C>) -> Vec<String> {
    v.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
    v.into_iter().map(|c| c.uuid.clone()).collect()
}

#[tokio::test]
async fn every_list_filter_matches_a_brute_force_expectation() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let User { uuid: conv_uuid, id: conv_id, .. } = t.user(Role::ConversionAgent).create().await;
    let User { uuid: ret_uuid, id: ret_id, .. } = t.user(Role::RetentionAgent).create().await;
    let User { uuid: aff_uuid, id: aff_id, .. } = t.user(Role::Affiliate).create().await;
    let g_usd = group(&t, &admin, "Gold", "USD").await;
    let g_eur = group(&t, &admin, "Silver", "EUR").await;
    let r = t
        .server
        .post("/api/sales-statuses")
        .authorization_bearer(&admin)
        .json(&json!({"status": "Hot"}))
        .await;
    let hot = r.json::<Value>()["id"].as_i64().unwrap();
    let conn = t.app.db().conn();
    let now = t.app.clock().now();
    let t0 = now - Duration::days(100);
    let countries = [Some("DE"), Some("FR"), Some("HR"), None];
    let sources = [Some("FB"), Some("GG"), None];
    let kycs = ["none", "pending", "approved", "revoked"];
    let lasts = ["Smith", "Jones", "Brown", "Miller", "Novak"];
    let risks = [None, Some("LOW"), Some("REVIEW")];
    let mut all: Vec<C> = Vec::new();
    for i in 0..24u32 {
        let email = format!("c{i:02}@filters.test");
        t.create_user(Role::Customer, &email, PASSWORD).await;
        let row = users::find_by_email(conn, &email).await.unwrap().unwrap();
        let c = C {
            uuid: row.uuid.clone(),
            id: row.id,
            email: email.clone(),
            first: format!("F{:02}", (i * 7) % 24),
            last: lasts[(i % 5) as usize].to_owned(),
            country: countries[(i % 4) as usize],
            source: sources[(i % 3) as usize],
            kyc: kycs[((i / 2) % 4) as usize],
            status: if i % 7 == 3 { "disabled" } else { "active" },
            leader: i % 6 == 1,
            created: t0 + Duration::days(i as i64 * 3) + Duration::minutes(i as i64),
            login: if i % 5 == 0 {
                None
            } else {
                Some(now - Duration::days(((i * 11) % 70) as i64))
            },
            group: match i % 3 {
                0 => Some(g_usd),
                1 => Some(g_eur),
                _ => None,
            },
            conv: if i % 4 == 1 { Some(conv_id) } else { None },
            ret: if i % 4 == 2 { Some(ret_id) } else { None },
            sales_status: if i % 5 == 2 { Some(hot) } else { None },
            risk: risks[(i % 3) as usize],
            deposits: [0, 1, 2, 3][(i % 4) as usize] * u64::from(i % 2 == 1 || i % 8 == 2),
            affiliate: if i % 3 == 2 { Some(aff_id) } else { None },
        };
        let mut ch = users::changes(row);
        ch.firstname = Set(Some(c.first.clone()));
        ch.lastname = Set(Some(c.last.clone()));
        ch.country = Set(c.country.map(str::to_owned));
        ch.source = Set(c.source.map(str::to_owned));
        ch.kyc_status = Set(c.kyc.to_owned());
        ch.status = Set(c.status.to_owned());
        ch.wants_to_become_leader = Set(c.leader);
        ch.created_at = Set(c.created);
        ch.last_login_at = Set(c.login);
        users::save(conn, ch).await.unwrap();
        if let Some(g) = c.group {
            profiles::set_groups(conn, c.id, &[g]).await.unwrap();
        }
        let mut p = profiles::empty_profile(c.id);
        p.risk_status = c.risk.map(str::to_owned);
        p.affiliate_id = c.affiliate;
        profiles::save_profile(conn, p).await.unwrap();
        let a = AssignmentRow {
            customer_id: c.id,
            sales_desk_id: None,
            conversion_agent_id: c.conv,
            retention_agent_id: c.ret,
            sales_status_id: c.sales_status,
            updated_at: now,
        };
        assignments::upsert(conn, a).await.unwrap();
        if c.deposits > 0 {
            let w = wallet(&t, &admin, &c.uuid, g_usd).await;
            for _ in 0..c.deposits {
                let (s, b) = manual(
                    &t,
                    &admin,
                    w,
                    json!({"type": "DEPOSIT", "currency": "USD", "amount": 10}),
                )
                .await;
                assert_eq!(s, 200, "{b}");
            }
            // A withdrawal is not a deposit.
            let (s, b) = manual(
                &t,
                &admin,
                w,
                json!({"type": "WITHDRAWAL", "currency": "USD", "amount": 1}),
            )
            .await;
            assert_eq!(s, 200, "{b}");
        }
        all.push(c);
    }
    let fmt = |d: DateTime<Utc>| {
        d.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).replace('+', "%2B")
    };
    let since = now - Duration::days(30);
    let reg_from = t0 + Duration::days(20);
    let reg_to = t0 + Duration::days(50);
    let act_from = now - Duration::days(40);
    let act_to = now - Duration::days(10);
    type Pred = Box<dyn Fn(&C) -> bool>;
    let cases: Vec<(String, Pred)> = vec![
        (String::new(), Box::new(|_| true)),
        ("country=DE".into(), Box::new(|c| c.country == Some("DE"))),
        ("country=hr".into(), Box::new(|c| c.country == Some("HR"))),
        ("sources=FB,GG".into(), Box::new(|c| c.source.is_some())),
        ("sources[]=GG".into(), Box::new(|c| c.source == Some("GG"))),
        (
            "selectedKycStatuses=APPROVED&selectedKycStatuses=PENDING".into(),
            Box::new(|c| c.kyc == "approved" || c.kyc == "pending"),
        ),
        ("selectedStatuses=DISABLED".into(), Box::new(|c| c.status == "disabled")),
        ("roles=leader".into(), Box::new(|c| c.leader)),
        ("roles=customer,leader".into(), Box::new(|_| true)),
        ("roles=admin".into(), Box::new(|_| false)),
        (
            format!("registrationStart={}&registrationEnd={}", fmt(reg_from), fmt(reg_to)),
            Box::new(move |c| c.created >= reg_from && c.created <= reg_to),
        ),
        (
            format!("lastActivityStart={}&lastActivityEnd={}", fmt(act_from), fmt(act_to)),
            Box::new(move |c| c.login.is_some_and(|l| l >= act_from && l <= act_to)),
        ),
        ("activity=active".into(), Box::new(move |c| c.login.is_some_and(|l| l >= since))),
        ("activity=inactive".into(), Box::new(move |c| c.login.is_none_or(|l| l < since))),
        ("depositCount=0".into(), Box::new(|c| c.deposits == 0)),
        ("depositCount=2".into(), Box::new(|c| c.deposits == 2)),
        ("depositCount=1%2B".into(), Box::new(|c| c.deposits >= 1)),
        ("depositCount=0-1".into(), Box::new(|c| c.deposits <= 1)),
        ("depositCount=2-3".into(), Box::new(|c| (2..=3).contains(&c.deposits))),
        (format!("salesStatus={hot}"), Box::new(move |c| c.sales_status == Some(hot))),
        ("salesStatus=hot".into(), Box::new(move |c| c.sales_status == Some(hot))),
        ("salesStatus=Nope".into(), Box::new(|_| false)),
        ("group=Gold".into(), Box::new(move |c| c.group == Some(g_usd))),
        (format!("group={g_eur}"), Box::new(move |c| c.group == Some(g_eur))),
        ("riskStatus=review".into(), Box::new(|c| c.risk == Some("REVIEW"))),
        (format!("retentionAgents={ret_uuid}"), Box::new(move |c| c.ret == Some(ret_id))),
        (format!("conversionAgents[]={conv_uuid}"), Box::new(move |c| c.conv == Some(conv_id))),
        (format!("introducerId={aff_uuid}"), Box::new(move |c| c.affiliate == Some(aff_id))),
        ("search=NOVAK".into(), Box::new(|c| c.last == "Novak")),
        ("search=c07%40filters".into(), Box::new(|c| c.email == "c07@filters.test")),
        ("positions=open".into(), Box::new(|_| false)),
        ("positions=any".into(), Box::new(|_| true)),
        (format!("updatedSince={}", fmt(now + Duration::days(1))), Box::new(|_| false)),
        (
            "country=DE&depositCount=1%2B&activity=active".into(),
            Box::new(move |c| {
                c.country == Some("DE") && c.deposits >= 1 && c.login.is_some_and(|l| l >= since)
            }),
        ),
    ];
    for (q, pred) in &cases {
        let expected = by_created_desc(all.iter().filter(|c| pred(c)).collect());
        let (s, body) = list(&t, &admin, q).await;
        assert_eq!(s, 200, "{q}: {body}");
        assert_eq!(ids(&body), expected, "filter {q}");
        assert_eq!(body["count"], expected.len(), "count of {q}");
    }
    // A retention agent's own list is the same filter applied to its scope.
    let search = format!("retentionAgents={ret_uuid}&search=c07");
    let (_, body) = list(&t, &admin, &search).await;
    assert!(ids(&body).iter().all(|id| all.iter().any(|c| &c.uuid == id && c.ret == Some(ret_id))));

    // Deposit figures come from the ledger (withdrawals are not deposits).
    let (_, body) = list(&t, &admin, "depositCount=3").await;
    for c in body["customers"].as_array().unwrap() {
        assert_eq!((c["depositCount"].as_i64(), c["hasFTD"].as_bool()), (Some(3), Some(true)));
        assert_eq!(c["depositTotal"], "30", "{c}");
        assert_eq!(c["withdrawalTotal"], "1", "{c}");
    }

    // Sorts: stable with the id tie-break, both directions.
    let sorted = |key: &dyn Fn(&C) -> String, desc: bool| {
        let mut v: Vec<&C> = all.iter().collect();
        v.sort_by(|a, b| key(a).cmp(&key(b)).then(a.id.cmp(&b.id)));
        if desc {
            v.reverse();
        }
        v.into_iter().map(|c| c.uuid.clone()).collect::<Vec<_>>()
    };
    let (_, body) = list(&t, &admin, "sortBy=email|ASC").await;
    assert_eq!(ids(&body), sorted(&|c| c.email.clone(), false));
    let (_, body) = list(&t, &admin, "sortBy=name|DESC").await;
    assert_eq!(ids(&body), sorted(&|c| format!("{}\u{0}{}", c.first, c.last), true));
    let (_, body) = list(&t, &admin, "sortBy=country").await;
    assert_eq!(ids(&body), sorted(&|c| c.country.unwrap_or("").to_owned(), true));
    let (_, body) = list(&t, &admin, "sortBy=lastActive|DESC").await;
    let key =
        |c: &C| c.login.map(|l| format!("1{}", l.timestamp_micros())).unwrap_or_else(|| "0".into());
    assert_eq!(ids(&body), sorted(&key, true));

    // Paging is a window of the same order; limit has a maximum.
    let full = by_created_desc(all.iter().collect());
    let r = t.server.get("/api/customers?limit=5&offset=5").authorization_bearer(&admin).await;
    let body: Value = r.json();
    assert_eq!(ids(&body), full[5..10].to_vec());
    assert_eq!(body["count"], 24);
    let unique: HashSet<String> = full.iter().cloned().collect();
    assert_eq!(unique.len(), 24);

    // Bad filters are 422s naming the parameter.
    for (q, field) in [
        ("depositCount=x", "depositCount"),
        ("limit=1000", "limit"),
        ("offset=-1", "offset"),
        ("sortBy=shoeSize", "sortBy"),
        ("sortBy=name|UP", "sortBy"),
        ("country=XX", "country"),
        ("registrationStart=yesterday", "registrationStart"),
        ("selectedKycStatuses=MAYBE", "selectedKycStatuses[0]"),
        ("selectedStatuses=GONE", "selectedStatuses[0]"),
        ("activity=sometimes", "activity"),
        ("riskStatus=SPICY", "riskStatus"),
        ("positions=many", "positions"),
    ] {
        let r = t.server.get(&format!("/api/customers?{q}")).authorization_bearer(&admin).await;
        assert_eq!(r.status_code().as_u16(), 422, "{q}");
        let b: Value = r.json();
        assert_eq!(b["error"]["details"]["fields"][0]["field"], field, "{q}: {b}");
    }

    // "Get customer IDs" takes the same filters.
    let r = t.server.get("/api/customers/ids?country=DE").authorization_bearer(&admin).await;
    r.assert_status_ok();
    let got: Vec<String> = r.json::<Value>()["customersIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let mut de: Vec<&C> = all.iter().filter(|c| c.country == Some("DE")).collect();
    de.sort_by_key(|c| c.id);
    assert_eq!(got, de.iter().map(|c| c.uuid.clone()).collect::<Vec<_>>());
}
