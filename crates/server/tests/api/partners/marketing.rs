//! Partners' marketing operations through HTTP: banners (multipart upload sniffed by
//! content, size limit, date windows, the active banner, the file with its type), grey-label
//! logos (the model's flag, the referrer's logos), the reference key, sources, affiliate keys,
//! landing pages, target groups.

use axum::http::StatusCode;
use axum_test::multipart::{MultipartForm, Part};
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::partners::marketing;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{delete, get, put};
use crate::helpers::partners::{assign, make_ib};

fn png(size: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.resize(size.max(8), 7);
    b
}

fn jpeg(size: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
    b.resize(size.max(4), 1);
    b
}

fn banner_form(name: &str, start: &str, end: &str, file: Option<Vec<u8>>) -> MultipartForm {
    let mut f = MultipartForm::new()
        .add_text("name", name.to_owned())
        .add_text("startDate", start.to_owned())
        .add_text("endDate", end.to_owned())
        .add_text("link", "https://broker.example.com/promo")
        .add_text("linkTarget", "_blank");
    if let Some(bytes) = file {
        // The declared type is a lie: the content decides.
        f = f.add_part("file", Part::bytes(bytes).file_name("b.gif").mime_type("image/gif"));
    }
    f
}

fn fields(b: &Value) -> Vec<String> {
    b["error"]["details"]["fields"]
        .as_array()
        .map(|d| d.iter().map(|e| e["field"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn banners_are_uploaded_sniffed_windowed_served_and_deleted() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let affiliate = t.user(Role::Affiliate).create().await;
    let upload = |token: &str, form: MultipartForm| {
        t.server.post("/api/banners").authorization_bearer(token).multipart(form)
    };
    let now = chrono::Utc::now();
    let (past, soon, later) = (
        (now - chrono::Duration::days(1)).to_rfc3339(),
        (now + chrono::Duration::days(1)).to_rfc3339(),
        (now + chrono::Duration::days(9)).to_rfc3339(),
    );
    // Only staff who manage commissions create.
    let r = upload(&affiliate.token, banner_form("x", &past, &soon, Some(png(100)))).await;
    r.assert_status(StatusCode::FORBIDDEN);
    // Refused by content, size, window; nothing stored.
    let r = upload(&admin, banner_form("Text", &past, &soon, Some(b"hello world".to_vec()))).await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["file"]);
    let r = upload(&admin, banner_form("Back", &soon, &past, Some(png(100)))).await;
    assert_eq!(fields(&r.json()), ["endDate"]);
    let r = upload(&admin, banner_form("None", &past, &soon, None)).await;
    assert_eq!(fields(&r.json()), ["file"]);
    upload(&admin, banner_form("Big", &past, &soon, Some(png(5 * 1024 * 1024 + 1))))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(marketing::banners(t.app.db().conn()).await.unwrap().is_empty());

    let image = png(2000);
    let r = upload(&admin, banner_form("Now", &past, &soon, Some(image.clone()))).await;
    r.assert_status(StatusCode::CREATED);
    let now_banner = r.json::<Value>()["banner"].clone();
    assert_eq!(now_banner["name"], "Now");
    assert_eq!(now_banner["contentType"], "image/png");
    assert_eq!(now_banner["linkTarget"], "_blank");
    assert_eq!(now_banner["size"], 2000);
    let r = upload(&admin, banner_form("Later", &soon, &later, Some(jpeg(500)))).await;
    r.assert_status(StatusCode::CREATED);
    let later_id = r.json::<Value>()["banner"]["id"].as_i64().unwrap();

    // Everyone signed in sees the active one; the file has its sniffed type, no sign-in.
    let client = t.customer().create().await;
    let (s, b) = get(&t, &client.token, "/api/banners/active").await;
    assert_eq!((s, b["banner"]["id"].clone()), (200, now_banner["id"].clone()), "{b}");
    let url = now_banner["url"].as_str().unwrap();
    let r = t.server.get(url).await;
    r.assert_status_ok();
    assert_eq!(r.content_type(), "image/png");
    assert_eq!(r.as_bytes().as_ref(), image.as_slice());
    t.server.get("/api/banners/files/unknown").await.assert_status_not_found();

    // The list: the latest start first; introducers see it too, customers do not.
    let (s, b) = get(&t, &admin, "/api/banners").await;
    assert_eq!(s, 200);
    let names: Vec<&str> =
        b["banners"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Later", "Now"]);
    assert_eq!(get(&t, &affiliate.token, "/api/banners").await.0, 200);

    // Update: a new image replaces the old file, which is no longer served.
    let form = banner_form("Later, renamed", &soon, &later, Some(png(300)));
    let r = t
        .server
        .put(&format!("/api/banners/{later_id}"))
        .authorization_bearer(&admin)
        .multipart(form)
        .await;
    r.assert_status_ok();
    let updated = r.json::<Value>()["banner"].clone();
    assert_eq!(
        (updated["name"].clone(), updated["contentType"].clone()),
        (json!("Later, renamed"), json!("image/png"))
    );
    let old_url = b["banners"][0]["url"].as_str().unwrap().to_owned();
    t.server.get(&old_url).await.assert_status_not_found();
    let r = t
        .server
        .put("/api/banners/999999")
        .authorization_bearer(&admin)
        .multipart(banner_form("x", &past, &soon, None))
        .await;
    r.assert_status_not_found();

    // Delete: gone, its file too; no banner is active any more.
    let (s, b) = delete(&t, &admin, &format!("/api/banners/{}", now_banner["id"])).await;
    assert_eq!((s, b), (200, json!({"success": true})));
    t.server.get(url).await.assert_status_not_found();
    let (_, b) = get(&t, &client.token, "/api/banners/active").await;
    assert_eq!(b, json!({"banner": null}));
    assert_eq!(marketing::banners(t.app.db().conn()).await.unwrap().len(), 1);
}

/// An admin, a grey-label model, an affiliate IB on it and a client of the IB.
async fn ib_with_client(
    t: &TestApp,
    grey: bool,
) -> (String, crate::helpers::users::User, crate::helpers::users::User) {
    let admin = t.admin_token().await;
    let ib = t.user(Role::Affiliate).create().await;
    let body = json!({"name": format!("Grey {grey} {}", ib.id), "greyLabelingEnabled": grey,
                      "commissionModelLevels": [{"level": 1, "lotAmount": 1}]});
    let (s, b) = crate::helpers::http::post(t, &admin, "/api/commission-models", body).await;
    assert_eq!(s, 200, "{b}");
    make_ib(t, &admin, &ib.uuid, b["id"].as_i64()).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(t, &admin, &client.uuid, &ib.uuid).await;
    (admin, ib, client)
}

fn logos_form(rect: Vec<u8>, square: Vec<u8>) -> MultipartForm {
    MultipartForm::new()
        .add_part("rectangularLogo", Part::bytes(rect).file_name("r.png"))
        .add_part("squareLogo", Part::bytes(square).file_name("s.png"))
}

#[tokio::test]
async fn grey_label_logos_follow_the_model_and_reach_the_clients() {
    let t = TestApp::spawn().await;
    let (_, plain, _) = ib_with_client(&t, false).await;
    let (_, ib, client) = ib_with_client(&t, true).await;
    let up = |token: &str, form: MultipartForm| {
        t.server.post("/api/me/grey-label-logos").authorization_bearer(token).multipart(form)
    };
    assert_eq!(get(&t, &plain.token, "/api/me/grey-labeling").await.1, json!({"enabled": false}));
    assert_eq!(get(&t, &ib.token, "/api/me/grey-labeling").await.1, json!({"enabled": true}));
    // A user who is no introducer: 404; staff: 403.
    let outsider = t.user(Role::Affiliate).create().await;
    assert_eq!(get(&t, &outsider.token, "/api/me/grey-labeling").await.0, 404);
    assert_eq!(get(&t, &t.admin_token().await, "/api/me/grey-labeling").await.0, 404);

    up(&plain.token, logos_form(png(100), png(100))).await.assert_status(StatusCode::FORBIDDEN);
    let r = up(&ib.token, logos_form(b"not an image".to_vec(), png(100))).await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["rectangularLogo"]);
    let r = up(&ib.token, MultipartForm::new().add_part("squareLogo", Part::bytes(png(10)))).await;
    assert_eq!(fields(&r.json()), ["rectangularLogo"]);
    let (rect, square) = (png(1200), jpeg(700));
    let r = up(&ib.token, logos_form(rect.clone(), square.clone())).await;
    r.assert_status_ok();
    let logos = r.json::<Value>()["logos"].clone();
    assert_eq!(get(&t, &ib.token, "/api/me/grey-label-logos").await.1, json!({"logos": logos}));
    let served = t.server.get(logos["squareLogo"].as_str().unwrap()).await;
    assert_eq!(
        (served.content_type(), served.as_bytes().to_vec()),
        ("image/jpeg".to_owned(), square)
    );
    // The client sees its introducer's logos; a client of the plain IB, none.
    let (s, b) = get(&t, &client.token, "/api/me/referrer/logos").await;
    assert_eq!((s, b), (200, json!({"logos": logos})));
    let stranger = t.customer().create().await;
    let (_, b) = get(&t, &stranger.token, "/api/me/referrer/logos").await;
    assert_eq!(b, json!({"logos": {"rectangularLogo": null, "squareLogo": null}}));
    let key = users::find_by_id(t.app.db().conn(), ib.id).await.unwrap().unwrap().ref_key;
    let (_, b) =
        get(&t, &stranger.token, &format!("/api/me/referrer/logos?wtreferrer={key}")).await;
    assert_eq!(b, json!({"logos": logos}));
    // Replaced, then deleted: the files go with them.
    let r = up(&ib.token, logos_form(png(50), png(60))).await;
    r.assert_status_ok();
    t.server.get(logos["rectangularLogo"].as_str().unwrap()).await.assert_status_not_found();
    assert_eq!(
        delete(&t, &ib.token, "/api/me/grey-label-logos").await,
        (200, json!({"success": true}))
    );
    assert_eq!(delete(&t, &ib.token, "/api/me/grey-label-logos").await.0, 404);
    assert!(marketing::logos(t.app.db().conn(), ib.id).await.unwrap().is_none());
}

#[tokio::test]
async fn the_reference_key_is_unique_regardless_of_case() {
    let t = TestApp::spawn().await;
    let a = t.user(Role::Affiliate).create().await;
    let b = t.user(Role::Affiliate).create().await;
    let set = |token: String, key: Value| {
        let t = &t;
        async move { put(t, &token, "/api/me/ref-key", json!({"refKey": key})).await }
    };
    for bad in [json!("abcd"), json!("a".repeat(21)), json!("has space"), json!(null)] {
        let (s, body) = set(a.token.clone(), bad).await;
        assert_eq!((s, fields(&body)), (422, vec!["refKey".to_owned()]), "{body}");
    }
    assert_eq!(set(a.token.clone(), json!("Joes-FX")).await, (200, json!({"success": true})));
    let stored = users::find_by_id(t.app.db().conn(), a.id).await.unwrap().unwrap().ref_key;
    assert_eq!(stored, "Joes-FX");
    assert_eq!(set(b.token.clone(), json!("joes-fx")).await.0, 409);
    // Its own key in another case is its own.
    assert_eq!(set(a.token.clone(), json!("JOES-FX")).await.0, 200);
    let customer = t.customer().create().await;
    assert_eq!(set(customer.token.clone(), json!("mykey1")).await.0, 403);
}

#[tokio::test]
async fn sources_keys_landing_pages_and_target_groups_are_the_callers() {
    let t = TestApp::spawn().await;
    let (admin, ib, client) = ib_with_client(&t, false).await;
    let other = t.customer().admin(&admin).create().await;
    assign(&t, &admin, &other.uuid, &ib.uuid).await;
    let (_, ib2, client2) = ib_with_client(&t, false).await;
    for (id, source) in [(client.id, "google"), (other.id, "facebook"), (client2.id, "tiktok")] {
        brokercrm_store::entities::users::Entity::update_many()
            .col_expr(brokercrm_store::entities::users::Column::Source, Expr::value(source))
            .filter(brokercrm_store::entities::users::Column::Id.eq(id))
            .exec(t.app.db().conn())
            .await
            .unwrap();
    }
    let (s, b) = get(&t, &ib.token, "/api/me/referred-customers/sources").await;
    assert_eq!((s, b), (200, json!(["facebook", "google"])));
    assert_eq!(
        get(&t, &ib2.token, "/api/me/referred-customers/sources").await.1,
        json!(["tiktok"])
    );
    let outsider = t.user(Role::Affiliate).create().await;
    assert_eq!(get(&t, &outsider.token, "/api/me/referred-customers/sources").await.0, 404);

    // A new affiliate key works as a bearer for the affiliate; the next one revokes it.
    let r = t.server.post("/api/me/affiliate-keys").authorization_bearer(&ib.token).await;
    r.assert_status(StatusCode::CREATED);
    let key = r.json::<Value>()["key"].as_str().unwrap().to_owned();
    assert_eq!(get(&t, &key, "/api/me/grey-labeling").await.1, json!({"enabled": false}));
    let r = t.server.post("/api/me/affiliate-keys").authorization_bearer(&ib.token).await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(get(&t, &key, "/api/me/grey-labeling").await.0, 401);
    let r = t.server.post("/api/me/affiliate-keys").authorization_bearer(&client.token).await;
    r.assert_status(StatusCode::FORBIDDEN);

    // Landing pages carry the caller's key.
    assert_eq!(put(&t, &ib.token, "/api/me/ref-key", json!({"refKey": "ib-one"})).await.0, 200);
    let (s, b) = get(&t, &ib.token, "/api/me/landing-pages").await;
    assert_eq!(s, 200, "{b}");
    let url = b["landing_pages"][0]["url"].as_str().unwrap();
    assert!(url.ends_with("/register?wtreferrer=ib-one"), "{url}");
    brokercrm_store::repo::platform::settings::put(
        t.app.db().conn(),
        "affiliate_landing_pages",
        r#"[{"name": "Gold", "url": "https://broker.example.com/gold?lang=en"}]"#,
        false,
    )
    .await
    .unwrap();
    let (_, b) = get(&t, &ib.token, "/api/me/landing-pages").await;
    assert_eq!(
        b,
        json!({"landing_pages": [{"name": "Gold", "url": "https://broker.example.com/gold?lang=en&wtreferrer=ib-one"}]})
    );
    assert_eq!(get(&t, &outsider.token, "/api/me/landing-pages").await.0, 404);

    // Target groups: the trading groups, never their markups.
    let group = crate::helpers::money::currency_group(&t, &admin, "USD").await;
    let (s, b) = get(&t, &ib.token, "/api/me/target-groups").await;
    assert_eq!(s, 200, "{b}");
    let found = b["targetGroups"].as_array().unwrap().iter().find(|g| g["id"] == group).cloned();
    assert_eq!(found, Some(json!({"id": group, "name": "USD", "currency": "USD"})));
    assert_eq!(get(&t, &outsider.token, "/api/me/target-groups").await.0, 404);
}
