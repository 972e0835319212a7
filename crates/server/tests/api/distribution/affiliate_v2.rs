//! Seed 001 through HTTP: push, get leads, goal types; auth, limits and every error body.

use axum::http::{HeaderName, HeaderValue};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::distribution::{self as fx, Affiliate, auth, push};

#[tokio::test]
async fn seed_push_example_is_delivered_to_the_internal_crm() {
    let t = TestApp::spawn().await;
    let (aff, _offer, adv) = fx::simple(&t).await;
    let mut body = fx::seed_body();
    body["offer_id"] = json!(_offer.id.to_string());
    body["affiliate_id"] = json!(aff.id.to_string());
    let r = push(&t, &aff, &body).await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["advertiser_uuid"], adv.uuid);
    assert_eq!(b["advertiser_name"], "House CRM");
    let lead_uuid = b["lead_uuid"].as_str().unwrap();
    uuid::Uuid::parse_str(lead_uuid).unwrap();
    let url = b["auto_login_url"].as_str().unwrap();
    assert!(url.contains("/auto-login/"), "{url}");

    let lead =
        brokercrm_store::repo::distribution::leads::find_by_uuid(t.app.db().conn(), lead_uuid)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(lead.status, "accepted");
    assert_eq!(
        lead.email.as_deref(),
        Some(body["email"].as_str().unwrap().to_lowercase().as_str())
    );
    let crm =
        brokercrm_store::repo::distribution::crm_leads::find_by_lead(t.app.db().conn(), lead.id)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(crm.country.as_deref(), Some("DE"));

    // The password is hashed by a job, then dropped from the lead.
    t.run_jobs().await;
    let crm =
        brokercrm_store::repo::distribution::crm_leads::find_by_lead(t.app.db().conn(), lead.id)
            .await
            .unwrap()
            .unwrap();
    assert!(crm.password_hash.is_some());
    let lead =
        brokercrm_store::repo::distribution::leads::find_by_uuid(t.app.db().conn(), lead_uuid)
            .await
            .unwrap()
            .unwrap();
    assert!(!lead.profile.contains("123abcDEF"), "{}", lead.profile);

    // The auto-login link opens a customer session once.
    let path = &url[url.find("/auto-login/").unwrap()..];
    let r = t
        .server
        .get(path)
        .add_header(HeaderName::from_static("accept"), HeaderValue::from_static("application/json"))
        .await;
    r.assert_status_ok();
    let s: Value = r.json();
    let me = t.server.get("/api/me").authorization_bearer(s["accessToken"].as_str().unwrap()).await;
    me.assert_status_ok();
    let r = t.server.get(path).await;
    r.assert_status(axum::http::StatusCode::UNAUTHORIZED);

    // It shows in the affiliate's list as a "Lead" conversion.
    let (k, v) = auth(&aff);
    let r = t.server.get("/api/affiliates/v2/leads").add_header(k, v).await;
    r.assert_status_ok();
    let rows: Value = r.json();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    let row = &rows[0];
    assert_eq!(row["goalType"], "Lead");
    assert_eq!(row["advertiserUuid"], adv.uuid);
    assert_eq!(row["country"], "DE");
    assert_eq!(row["countryLanguage"], "en");
    assert_eq!(row["first_name"], "Test");
    assert_eq!(row["isTest"], false);
    assert!(row.get("password").is_none());
    assert!(row["createdAt"].as_str().unwrap().ends_with('Z'));
}

fn seed_401(message: &str) -> Value {
    json!({"name": "MoleculerError", "message": message, "code": 401, "type": "ERROR_AUTHORIZATION"})
}

fn xff(ip: &'static str) -> (HeaderName, HeaderValue) {
    (HeaderName::from_static("x-forwarded-for"), HeaderValue::from_static(ip))
}

#[tokio::test]
async fn authorization_errors_have_the_seed_bodies() {
    let t = TestApp::spawn().await;
    let (aff, offer, _) = fx::simple(&t).await;

    // No Authorization header, on every operation.
    let r = t.server.post("/api/affiliates/v2/leads").json(&fx::seed_body()).await;
    assert_eq!((r.status_code().as_u16(), r.json::<Value>()), (401, seed_401("Unauthorized")));
    for path in ["/api/affiliates/v2/leads", "/api/affiliates/v2/goal-types"] {
        let r = t.server.get(path).await;
        assert_eq!(
            (r.status_code().as_u16(), r.json::<Value>()),
            (401, seed_401("Unauthorized")),
            "{path}"
        );
    }
    // A token nobody issued.
    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header(
            HeaderName::from_static("authorization"),
            HeaderValue::from_static("lt_not-a-token"),
        )
        .json(&fx::seed_body())
        .await;
    assert_eq!((r.status_code().as_u16(), r.json::<Value>()), (401, seed_401("Unauthorized")));

    // A deactivated token and a revoked one.
    use brokercrm_store::entities::affiliate_tokens;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let inactive = fx::affiliate(&t, Some(offer.id), None).await;
    let revoked = fx::affiliate(&t, Some(offer.id), None).await;
    let conn = t.app.db().conn();
    let row =
        affiliate_tokens::Entity::find_by_id(inactive.token_id).one(conn).await.unwrap().unwrap();
    let mut row: affiliate_tokens::ActiveModel = row.into();
    row.active = Set(false);
    row.update(conn).await.unwrap();
    let row =
        affiliate_tokens::Entity::find_by_id(revoked.token_id).one(conn).await.unwrap().unwrap();
    let mut row: affiliate_tokens::ActiveModel = row.into();
    row.revoked_at = Set(Some(brokercrm_store::db::now()));
    row.update(conn).await.unwrap();
    for a in [&inactive, &revoked] {
        let r = push(&t, a, &fx::seed_body()).await;
        assert_eq!(
            (r.status_code().as_u16(), r.json::<Value>()),
            (401, seed_401("Token isn't active"))
        );
        let r = fx::get(&t, a, "/api/affiliates/v2/leads").await;
        assert_eq!(
            (r.status_code().as_u16(), r.json::<Value>()),
            (401, seed_401("Token isn't active"))
        );
    }

    // A token restricted to 10.0.0.0/8.
    let fenced = fx::affiliate(&t, Some(offer.id), Some(&["10.0.0.0/8"])).await;
    let (k, v) = auth(&fenced);
    let (xk, xv) = xff("1.2.3.4");
    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header(k.clone(), v.clone())
        .add_header(xk.clone(), xv.clone())
        .json(&fx::seed_body())
        .await;
    assert_eq!(
        (r.status_code().as_u16(), r.json::<Value>()),
        (401, seed_401("IP is not authorized to proceed"))
    );
    let r = t
        .server
        .get("/api/affiliates/v2/goal-types")
        .add_header(k.clone(), v.clone())
        .add_header(xk, xv)
        .await;
    assert_eq!(
        (r.status_code().as_u16(), r.json::<Value>()),
        (401, seed_401("IP is not authorized to proceed"))
    );
    assert_eq!(fx::lead_count(&t).await, 0, "a refused push stores nothing");

    let (xk, xv) = xff("10.1.2.3");
    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header(k.clone(), v.clone())
        .add_header(xk.clone(), xv.clone())
        .json(&fx::seed_body())
        .await;
    r.assert_status_ok();
    let r = t.server.get("/api/affiliates/v2/leads").add_header(k, v).add_header(xk, xv).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>().as_array().unwrap().len(), 1);
    // The owner of every other token still works.
    push(&t, &aff, &fx::seed_body()).await.assert_status_ok();
    assert_eq!(fx::lead_count(&t).await, 2);
}

fn fixable_422(message: &str) -> Value {
    json!({
        "name": "MoleculerError",
        "message": "Validation Error",
        "code": 422,
        "type": "FIXABLE_INPUT",
        "data": {
            "lead_uuid": null,
            "errorMessage": message,
            "errorType": "FIXABLE_INPUT",
            "autoLoginUrl": "",
            "externalLeadId": "",
            "requiredResponseFields": []
        }
    })
}

#[tokio::test]
async fn push_validation_errors_have_the_seed_bodies_and_store_nothing() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let (k, v) = auth(&aff);

    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header(k, v)
        .content_type("text/plain")
        .bytes(fx::seed_body().to_string().into())
        .await;
    assert_eq!(r.status_code().as_u16(), 415);
    assert_eq!(
        r.json::<Value>(),
        json!({"name": "UnsupportedContentType", "message": "Unsupported content type", "code": 415})
    );

    let mut body = fx::seed_body();
    body["country_code"] = json!("DEU");
    let r = push(&t, &aff, &body).await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert_eq!(r.json::<Value>(), fixable_422("Country_code must be in ISO2 format"));

    let mut body = fx::seed_body();
    body.as_object_mut().unwrap().remove("ip");
    let r = push(&t, &aff, &body).await;
    assert_eq!(r.status_code().as_u16(), 422);
    let b: Value = r.json();
    assert_eq!(b["type"], "FIXABLE_INPUT");
    assert!(b["data"]["errorMessage"].as_str().unwrap().to_lowercase().contains("ip"), "{b}");
    assert_eq!(b, fixable_422(b["data"]["errorMessage"].as_str().unwrap()));

    let mut body = fx::seed_body();
    body["ip"] = json!("not-an-ip");
    let r = push(&t, &aff, &body).await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert!(
        r.json::<Value>()["data"]["errorMessage"].as_str().unwrap().to_lowercase().contains("ip")
    );

    let mut body = fx::seed_body();
    body["lead_language"] = json!("english");
    let r = push(&t, &aff, &body).await;
    assert_eq!(r.status_code().as_u16(), 422);
    let b: Value = r.json();
    assert!(
        b["data"]["errorMessage"].as_str().unwrap().to_lowercase().contains("lead_language"),
        "{b}"
    );
    assert_eq!(b, fixable_422(b["data"]["errorMessage"].as_str().unwrap()));

    let mut body = fx::seed_body();
    body["favourite_colour"] = json!("blue");
    let r = push(&t, &aff, &body).await;
    assert_eq!(r.status_code().as_u16(), 422);
    let b: Value = r.json();
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("avourite_colour"), "{b}");
    assert_eq!(b["data"]["lead_uuid"], Value::Null);

    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header(auth(&aff).0, auth(&aff).1)
        .content_type("application/json")
        .bytes("{not json".into())
        .await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert_eq!(r.json::<Value>()["type"], "FIXABLE_INPUT");

    assert_eq!(fx::lead_count(&t).await, 0, "nothing is stored after a 422 or 415");
    // The same affiliate's valid push still goes through, with or without a charset.
    push(&t, &aff, &fx::seed_body()).await.assert_status_ok();
    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header(auth(&aff).0, auth(&aff).1)
        .content_type("application/json; charset=utf-8")
        .bytes(fx::seed_body().to_string().into())
        .await;
    r.assert_status_ok();
    assert_eq!(fx::lead_count(&t).await, 2);
}

#[tokio::test]
async fn get_leads_parameter_errors_have_the_seed_body() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let r = fx::get(&t, &aff, "/api/affiliates/v2/leads?per_page=120").await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert_eq!(
        r.json::<Value>(),
        json!({
            "name": "ValidationError",
            "message": "Parameters validation error!",
            "code": 422,
            "type": "VALIDATION_ERROR",
            "data": [{
                "type": "numberMax",
                "message": "The 'per_page' field must be less than or equal to 100.",
                "field": "per_page",
                "expected": 100,
                "actual": "120"
            }]
        })
    );
    let r = fx::get(&t, &aff, "/api/affiliates/v2/leads?per_page=100&page=1").await;
    r.assert_status_ok();
    let r = fx::get(&t, &aff, "/api/affiliates/v2/leads?goal_type_uuid=nope").await;
    assert_eq!(r.status_code().as_u16(), 422);
    let b: Value = r.json();
    assert_eq!(b["type"], "VALIDATION_ERROR");
    assert_eq!(b["data"][0]["field"], "goal_type_uuid");
    assert_eq!(b["data"][0]["actual"], "nope");
}

#[tokio::test]
async fn retired_version_and_unknown_routes_have_the_seed_bodies() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let gone = json!({"name": "MoleculerError", "message": "API version V1 is not supported", "code": 410, "type": "NOT_SUPPORTED"});
    let r = t.server.get("/api/affiliates/v1/leads").await;
    assert_eq!((r.status_code().as_u16(), r.json::<Value>()), (410, gone.clone()));
    let (k, v) = auth(&aff);
    let r = t.server.post("/api/affiliates/v1/leads").add_header(k, v).json(&fx::seed_body()).await;
    assert_eq!((r.status_code().as_u16(), r.json::<Value>()), (410, gone));
    assert_eq!(fx::lead_count(&t).await, 0);

    let not_found =
        json!({"name": "NotFoundError", "message": "Not found", "code": 404, "type": "NOT_FOUND"});
    let r = t.server.get("/api/affiliates/v2/nope").await;
    assert_eq!((r.status_code().as_u16(), r.json::<Value>()), (404, not_found.clone()));
    let r = fx::get(&t, &aff, "/api/affiliates/v2/nope").await;
    assert_eq!((r.status_code().as_u16(), r.json::<Value>()), (404, not_found));
}

#[tokio::test]
async fn long_text_values_are_trimmed_to_512_characters() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let mut body = fx::seed_body();
    body["aff_sub"] = json!("ü".repeat(600));
    body["aff_sub2"] = json!("a".repeat(512));
    let (_, lead) = fx::push_accepted(&t, &aff, &body).await;
    let expected = format!("{}<..>", "ü".repeat(512));
    let profile: Value = serde_json::from_str(&lead.profile).unwrap();
    assert_eq!(profile["aff_sub"], expected.as_str());
    let rows: Value = fx::get(&t, &aff, "/api/affiliates/v2/leads").await.json();
    assert_eq!(rows[0]["aff_sub"], expected.as_str());
    assert_eq!(rows[0]["aff_sub2"], "a".repeat(512), "exactly 512 is kept as sent");
}

/// GET with a fresh rate-limit window (the clock moves 3 s first).
async fn list(t: &TestApp, a: &Affiliate, query: &str) -> Vec<Value> {
    t.clock.advance(std::time::Duration::from_secs(3));
    let r = fx::get(t, a, &format!("/api/affiliates/v2/leads{query}")).await;
    let b: Value = r.json();
    assert_eq!(r.status_code().as_u16(), 200, "{query}: {b}");
    b.as_array().unwrap().clone()
}

fn emails(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["email"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn get_leads_is_isolated_per_affiliate_and_filters() {
    let t = TestApp::spawn().await;
    let (a, offer, _) = fx::simple(&t).await;
    let b = fx::affiliate(&t, Some(offer.id), None).await;
    let mut pushed = Vec::new();
    for i in 0..3 {
        let mut body = fx::seed_body();
        body["is_test"] = json!(i == 1);
        fx::push_accepted(&t, &a, &body).await;
        pushed.push(body["email"].as_str().unwrap().to_lowercase());
    }
    let b_body = fx::seed_body();
    fx::push_accepted(&t, &b, &b_body).await;

    let all = list(&t, &a, "").await;
    let newest_first: Vec<String> = pushed.iter().rev().cloned().collect();
    assert_eq!(emails(&all), newest_first);
    let theirs = list(&t, &b, "").await;
    assert_eq!(emails(&theirs), [b_body["email"].as_str().unwrap().to_lowercase()]);
    assert!(emails(&theirs).iter().all(|e| !pushed.contains(e)));
    // Without paging parameters the first 20 are returned.
    for _ in 0..20 {
        fx::push_accepted(&t, &b, &fx::seed_body()).await;
    }
    assert_eq!(list(&t, &b, "").await.len(), 20);
    assert_eq!(list(&t, &b, "?per_page=100").await.len(), 21);
    assert_eq!(list(&t, &a, "").await.len(), 3);

    // Goal types.
    let goals: Value = fx::get(&t, &a, "/api/affiliates/v2/goal-types").await.json();
    let goal = |name: &str| {
        goals.as_array().unwrap().iter().find(|g| g["name"] == name).unwrap()["uuid"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(list(&t, &a, &format!("?goal_type_uuid={}", goal("Lead"))).await.len(), 3);
    assert!(list(&t, &a, &format!("?goal_type_uuid={}", goal("FTD"))).await.is_empty());
    assert!(list(&t, &a, &format!("?goal_type_uuid={}", uuid::Uuid::new_v4())).await.is_empty());

    // Test flag.
    assert_eq!(emails(&list(&t, &a, "?is_test=true").await), [pushed[1].clone()]);
    assert_eq!(
        emails(&list(&t, &a, "?is_test=false").await),
        [pushed[2].clone(), pushed[0].clone()]
    );
    assert!(all.iter().all(|r| r["isTest"] == (r["email"] == pushed[1].as_str())));

    // Time filters, around the rows' own creation time (UTC).
    let created = chrono::DateTime::parse_from_rfc3339(all[0]["createdAt"].as_str().unwrap())
        .unwrap()
        .to_utc();
    let oldest = chrono::DateTime::parse_from_rfc3339(all[2]["createdAt"].as_str().unwrap())
        .unwrap()
        .to_utc();
    let day = created.date_naive();
    let fmt_day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let rfc =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let one_day = chrono::Duration::days(1);
    assert_eq!(
        list(&t, &a, &format!("?created_from={}", fmt_day(oldest.date_naive()))).await.len(),
        3
    );
    assert_eq!(
        list(&t, &a, &format!("?created_to={}", fmt_day(day))).await.len(),
        3,
        "created_to is the whole day"
    );
    assert!(list(&t, &a, &format!("?created_from={}", fmt_day(day + one_day))).await.is_empty());
    assert!(
        list(&t, &a, &format!("?created_to={}", fmt_day(oldest.date_naive() - one_day)))
            .await
            .is_empty()
    );
    let hour = chrono::Duration::hours(1);
    let q = format!("?created_from={}&created_to={}", rfc(oldest - hour), rfc(created + hour));
    assert_eq!(list(&t, &a, &q).await.len(), 3);
    assert!(list(&t, &a, &format!("?created_from={}", rfc(created + hour))).await.is_empty());
    assert!(list(&t, &a, &format!("?created_to={}", rfc(oldest - hour))).await.is_empty());
    // Only the newest: from the newest row's own instant.
    assert_eq!(
        emails(&list(&t, &a, &format!("?created_from={}", rfc(created))).await)[0],
        pushed[2]
    );
    // The seed's own example format, minutes without seconds.
    let minutes = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%MZ").to_string();
    let q =
        format!("?created_from={}&created_to={}", minutes(oldest - hour), minutes(created + hour));
    assert_eq!(list(&t, &a, &q).await.len(), 3);

    // Paging.
    let page2 = list(&t, &a, "?per_page=1&page=2").await;
    assert_eq!(emails(&page2), [pushed[1].clone()]);
    assert_eq!(emails(&list(&t, &a, "?per_page=2&page=2").await), [pushed[0].clone()]);
    assert!(list(&t, &a, "?per_page=1&page=4").await.is_empty());
}

#[tokio::test]
async fn goal_types_make_a_staff_goal_named_ftd_the_system_one() {
    use brokercrm_store::repo::distribution::goal_types;
    let t = TestApp::spawn().await;
    let conn = t.app.db().conn();
    // Staff named a goal "FTD" before anything asked for the system goal types.
    goal_types::insert(conn, "staff-ftd", "FTD", false).await.unwrap();
    let (a, _, _) = fx::simple(&t).await;
    let goals: Value = fx::get(&t, &a, "/api/affiliates/v2/goal-types").await.json();
    let ftds: Vec<&Value> =
        goals.as_array().unwrap().iter().filter(|g| g["name"] == "FTD").collect();
    assert_eq!(ftds.len(), 1, "{goals}");
    assert_eq!(ftds[0]["uuid"], "staff-ftd");
    // It is the system goal now: the one FTDs are recorded against, never renamed or deleted.
    let row = goal_types::find_by_name(conn, "FTD").await.unwrap().unwrap();
    assert!(row.system);
}
