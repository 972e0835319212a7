//! Seed 004, the promotion-link API: the seed's own request accepted as it is, the envelope
//! and each error code, codes generated and unique per tenant, the repeat rule, tokens stored
//! hashed; the live click redirect and the attribution of the sign-up that follows.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::partners::{introducers, promo_links};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::partners::{make_ib, tenant};

const PATH: &str = "/v1/api/introduce/create";

async fn call(t: &TestApp, tenant: Option<&str>, token: Option<&str>, body: &Value) -> Value {
    let mut req = t.server.post(PATH).json(body);
    if let Some(id) = tenant {
        req = req.add_header("x-api-tenantId", id);
    }
    if let Some(tok) = token {
        req = req.add_header("x-api-token", tok);
    }
    let r = req.await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    r.json()
}

/// The seed's own request sample, as written there.
fn seed_sample(owner: &str) -> Value {
    json!({
        "entityNo": "EN03045", "name": "apiTest1234", "introduceType": "Agent",
        "visibleType": "UserPartVisible", "visibleUserId": [1, 2],
        "targetUrl": "http://www.baidu.com", "parameterType": "uid", "serverId": "428",
        "vendor": "MT4", "mtGroup": "test", "accountGroup": "group1", "leverage": "100",
        "ownerType": "Id", "ownerId": owner, "ownerName": "哈哈 steven"
    })
}

#[tokio::test]
async fn the_seed_sample_is_accepted_as_it_is() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let ib = t.user(Role::Affiliate).create().await;
    let (tid, token) = tenant(&t, &admin).await;
    let b = call(&t, Some(&tid), Some(&token), &seed_sample(&ib.id.to_string())).await;
    assert_eq!((b["result"].clone(), b["mcode"].clone()), (json!(true), json!("m0000000")), "{b}");
    let d = &b["data"];
    assert_eq!(d["entityNo"], "EN03045");
    assert_eq!(d["name"], "apiTest1234");
    assert_eq!(d["introduceType"], "Agent");
    assert_eq!(d["visibleUserId"], json!([1, 2]));
    assert_eq!(d["accountGroup"], "group1", "echoed as sent");
    assert_eq!(d["leverage"], "100");
    assert_eq!(d["vendor"], "MT4");
    assert_eq!(d["ownerName"], "哈哈 steven");
    assert_eq!(d["displayUrl"], "http://127.0.0.1:8080/introduce?iid=EN03045");
    assert!(b.get("errorMessage").is_none());
    // The token is stored hashed; the owner became an introducer.
    let stored =
        promo_links::find_tenant(t.app.db().conn(), tid.parse().unwrap()).await.unwrap().unwrap();
    assert_ne!(stored.token_hash, token);
    assert_eq!(stored.token_hash.len(), 64);
    assert!(introducers::find(t.app.db().conn(), ib.id).await.unwrap().is_some());
}

#[tokio::test]
async fn each_error_has_the_seeds_code_and_changes_nothing() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (tid, token) = tenant(&t, &admin).await;
    let (other_tid, _) = tenant(&t, &admin).await;
    let body = json!({"name": "Summer", "introduceType": "StraightGuest",
                      "visibleType": "UserAllVisible", "targetUrl": "https://broker.example/open",
                      "parameterType": "pid"});
    let code = |b: &Value| (b["result"].clone(), b["mcode"].as_str().unwrap_or("").to_owned());
    let f = |c: &str| (json!(false), c.to_owned());
    assert_eq!(code(&call(&t, Some(&tid), None, &body).await), f("BW_API_0000001"));
    assert_eq!(code(&call(&t, Some(&tid), Some(" "), &body).await), f("BW_API_0000001"));
    assert_eq!(code(&call(&t, None, Some(&token), &body).await), f("BW_API_0000003"));
    assert_eq!(code(&call(&t, Some("x9"), Some(&token), &body).await), f("BW_API_0000003"));
    assert_eq!(code(&call(&t, Some("99999"), Some(&token), &body).await), f("BW_API_0000003"));
    let wrong = call(&t, Some(&other_tid), Some(&token), &body).await;
    assert_eq!(code(&wrong), f("BW_API_0000004"));
    assert_eq!(wrong["errorMessage"], json!(["No OPENAPI Permission"]));
    let mut nameless = body.clone();
    nameless["name"] = json!("");
    assert_eq!(
        code(&call(&t, Some(&tid), Some(&token), &nameless).await),
        f("BW_USER_INRR_NAME_NULL")
    );
    let r = t
        .server
        .post(PATH)
        .add_header("x-api-tenantId", &tid)
        .add_header("x-api-token", &token)
        .add_header("x-language", "zh-CN")
        .json(&nameless)
        .await;
    assert_eq!(r.json::<Value>()["errorMessage"], json!(["用户名为空"]));
    let mut bad = body.clone();
    bad["targetUrl"] = Value::Null;
    bad["visibleType"] = json!("Everyone");
    let b = call(&t, Some(&tid), Some(&token), &bad).await;
    assert_eq!(code(&b), f("BW_USER_INRR_PARAM_ERROR"));
    let msgs = b["errorMessage"].as_array().unwrap();
    assert!(msgs.iter().any(|m| m.as_str().unwrap().starts_with("visibleType")), "{b}");
    assert!(msgs.iter().any(|m| m.as_str().unwrap().starts_with("targetUrl")), "{b}");
    // Nothing was created so far; then one link, and the same target with the same parameter
    // type again is refused.
    assert!(promo_links::by_code(t.app.db().conn(), "x", 1).await.unwrap().is_empty());
    let first = call(&t, Some(&tid), Some(&token), &body).await;
    assert_eq!(first["result"], true, "{first}");
    let again = call(&t, Some(&tid), Some(&token), &body).await;
    assert_eq!(code(&again), f("BW_USER_INRR_PARAM_ERROR"));
    assert_eq!(again["errorMessage"][0], "target link repeat with parameterType");
    let mut sid = body.clone();
    sid["parameterType"] = json!("sid");
    assert_eq!(call(&t, Some(&tid), Some(&token), &sid).await["result"], true);
    // Generated codes are unique; a given code is unique per tenant only.
    let code_of = |b: &Value| b["data"]["entityNo"].as_str().unwrap().to_owned();
    let generated = code_of(&first);
    assert!(generated.starts_with("EN") && generated.len() == 10, "{generated}");
    let mut fixed = json!({"name": "Agents", "entityNo": "IB-1", "introduceType": "Agent",
                           "visibleType": "UserNotVisible"});
    assert_eq!(call(&t, Some(&tid), Some(&token), &fixed).await["result"], true);
    let taken = call(&t, Some(&tid), Some(&token), &fixed).await;
    assert_eq!(code(&taken), f("BW_USER_INRR_PARAM_ERROR"));
    fixed["name"] = json!("Agents of the other tenant");
    let (t2, tok2) = tenant(&t, &admin).await;
    let shared = call(&t, Some(&t2), Some(&tok2), &fixed).await;
    assert_eq!(shared["result"], true, "{shared}");
    assert_eq!(
        shared["data"]["displayUrl"],
        format!("http://127.0.0.1:8080/introduce?iid=IB-1&tid={t2}"),
        "a code two tenants share names its tenant"
    );
    // An unknown owner is an invalid id; a body that is not JSON a parameter error.
    let mut owned = json!({"name": "x", "introduceType": "Agent", "visibleType": "UserNotVisible",
                           "ownerType": "Id", "ownerId": "987654"});
    assert_eq!(code(&call(&t, Some(&tid), Some(&token), &owned).await), f("BW_API_0000003"));
    owned["ownerId"] = json!(4.5);
    let r = t
        .server
        .post(PATH)
        .add_header("x-api-tenantId", &tid)
        .add_header("x-api-token", &token)
        .text("{not json")
        .await;
    assert_eq!(r.json::<Value>()["mcode"], "BW_USER_INRR_PARAM_ERROR");
}

#[tokio::test]
async fn a_click_redirects_to_the_target_and_the_signup_that_follows_is_attributed() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let ib = t.user(Role::Affiliate).create().await;
    let ref_key =
        make_ib(&t, &admin, &ib.uuid, None).await["referralKey"].as_str().unwrap().to_owned();
    let (tid, token) = tenant(&t, &admin).await;
    let body = json!({"name": "Spring", "entityNo": "SPRING", "introduceType": "StraightGuest",
                      "visibleType": "UserAllVisible",
                      "targetUrl": "https://broker.example/open?lang=en", "parameterType": "pid",
                      "ownerType": "Id", "ownerId": ib.uuid});
    assert_eq!(call(&t, Some(&tid), Some(&token), &body).await["result"], true);
    let r = t.server.get("/introduce?iid=SPRING").await;
    assert_eq!(r.status_code().as_u16(), 302);
    let to = r.header("location").to_str().unwrap().to_owned();
    assert_eq!(to, format!("https://broker.example/open?lang=en&pid={ref_key}&iid=SPRING"));
    t.server.get("/introduce?iid=SPRING").await;
    let link = promo_links::find_by_code(t.app.db().conn(), tid.parse().unwrap(), "SPRING")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.clicks, 2);
    assert_eq!(t.server.get("/introduce?iid=NOPE").await.status_code().as_u16(), 404);
    // The visitor signs up with the owner's key the redirect handed over.
    let signup = json!({"firstname": "Ann", "lastname": "Lee", "email": "ann@example.com",
                        "country": "DE", "wtreferrer": ref_key});
    t.server.post("/api/users").json(&signup).await.assert_status_success();
    let conn = t.app.db().conn();
    let ann = brokercrm_store::repo::identity::users::find_by_email(conn, "ann@example.com")
        .await
        .unwrap()
        .unwrap();
    let r = introducers::referral(conn, ann.id).await.unwrap().unwrap();
    assert_eq!((r.introducer_id, r.source.as_str()), (ib.id, "referral_code"));
    // An Agent link's code as the referrer recruits a sub-introducer under the owner.
    let agent = json!({"name": "Recruit", "entityNo": "RECRUIT", "introduceType": "Agent",
                       "visibleType": "UserAllVisible", "ownerId": ib.id.to_string()});
    assert_eq!(call(&t, Some(&tid), Some(&token), &agent).await["result"], true);
    let r = t.server.get("/introduce?iid=RECRUIT").await;
    let to = r.header("location").to_str().unwrap().to_owned();
    assert_eq!(to, format!("http://127.0.0.1:8080/register?uid={ref_key}&iid=RECRUIT"));
    let signup = json!({"firstname": "Bo", "lastname": "Ng", "email": "bo@example.com",
                        "country": "DE", "wtreferrer": "RECRUIT"});
    t.server.post("/api/users").json(&signup).await.assert_status_success();
    let bo = brokercrm_store::repo::identity::users::find_by_email(conn, "bo@example.com")
        .await
        .unwrap()
        .unwrap();
    let r = introducers::referral(conn, bo.id).await.unwrap().unwrap();
    assert_eq!((r.introducer_id, r.source.as_str()), (ib.id, "promotion_link"));
    assert_eq!(r.promotion_link_id, Some(link.id + 1));
    assert!(introducers::find(conn, bo.id).await.unwrap().is_some(), "a sub-introducer");
    assert!(introducers::find(conn, ann.id).await.unwrap().is_none());
    // A key that is nobody's introduces nobody.
    let signup = json!({"firstname": "Cy", "lastname": "Do", "email": "cy@example.com",
                        "country": "DE", "wtreferrer": "nobody"});
    t.server.post("/api/users").json(&signup).await.assert_status_success();
    let cy = brokercrm_store::repo::identity::users::find_by_email(conn, "cy@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(introducers::referral(conn, cy.id).await.unwrap().is_none());
}

#[tokio::test]
async fn the_demo_credentials_create_links() {
    let t = TestApp::spawn().await;
    let demo = brokercrm_app::demo::load(&t.app, "http://x").await.unwrap();
    let creds = serde_json::to_value(demo).unwrap();
    let tid = creds["promotion_links"]["tenant_id"].as_str().unwrap();
    let token = creds["promotion_links"]["token"].as_str().unwrap();
    let body = json!({"name": "Demo", "introduceType": "Agent", "visibleType": "UserAllVisible"});
    let b = call(&t, Some(tid), Some(token), &body).await;
    assert_eq!((b["result"].clone(), b["mcode"].clone()), (json!(true), json!("m0000000")), "{b}");
}

#[tokio::test]
async fn an_introducer_lists_the_links_it_owns_or_is_shown() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (tid, token) = tenant(&t, &admin).await;
    let [a, b, c] = [
        t.user(Role::Affiliate).create().await,
        t.user(Role::Affiliate).create().await,
        t.user(Role::Affiliate).create().await,
    ];
    make_ib(&t, &admin, &c.uuid, None).await;
    let link = |code: &str, owner: i64, visible: &str, users: Value| {
        json!({"entityNo": code, "name": code, "introduceType": "StraightGuest",
               "visibleType": visible, "visibleUserId": users, "ownerId": owner.to_string(),
               "targetUrl": format!("https://broker.test/{code}"), "parameterType": "uid"})
    };
    for body in [
        link("ALL", a.id, "UserAllVisible", json!([])),
        link("HIDDEN", a.id, "UserNotVisible", json!([])),
        link("FORC", b.id, "UserPartVisible", json!([c.id])),
    ] {
        let r = call(&t, Some(&tid), Some(&token), &body).await;
        assert_eq!(r["mcode"], "m0000000", "{r}");
    }
    let codes = |token: String| {
        let t = &t;
        async move {
            let (s, b) = get(t, &token, "/api/me/promotion-links").await;
            assert_eq!(s, 200, "{b}");
            b["links"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| (l["entityNo"].as_str().unwrap().to_owned(), l["own"].as_bool().unwrap()))
                .collect::<Vec<_>>()
        }
    };
    // The owner sees both of its own (newest first); B its own; C the public one and the one
    // shown to it by id.
    let own = |s: &str| (s.to_owned(), true);
    let other = |s: &str| (s.to_owned(), false);
    assert_eq!(codes(a.token.clone()).await, [own("HIDDEN"), own("ALL")]);
    assert_eq!(codes(b.token.clone()).await, [own("FORC"), other("ALL")]);
    assert_eq!(codes(c.token.clone()).await, [other("FORC"), other("ALL")]);
    let (_, body) = get(&t, &c.token, "/api/me/promotion-links").await;
    let url = body["links"][1]["displayUrl"].as_str().unwrap();
    assert_eq!(url, format!("http://127.0.0.1:8080/introduce?iid=ALL&tid={tid}"));
    // Not an introducer: 404; a role without commissions of its own: 403.
    let d = t.user(Role::Affiliate).create().await;
    assert_eq!(get(&t, &d.token, "/api/me/promotion-links").await.0, 404);
    let support = t.mint_token(Role::Support).await.0;
    assert_eq!(get(&t, &support, "/api/me/promotion-links").await.0, 403);
}
