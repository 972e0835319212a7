//! "Customers - Admin APIs" through the router: create, get (the seed's shape), update,
//! bulk update (all or nothing), e-mail (queued and recorded as a communication), documents
//! (type and size checks), KYC transitions, the audit log, and who sees which customer
//! (agent, manager, admin; out of scope is a 404).

use axum_test::multipart::{MultipartForm, Part};
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::assignments::{self, AssignmentRow};
use serde_json::{Value, json};

use crate::helpers::assert::field_of;
use crate::helpers::http::{get, post, post_empty, put};
use crate::helpers::money::group;
use crate::helpers::platform::audits;
use crate::helpers::users::User;
use crate::helpers::{TestApp, assert_error};

async fn create(t: &TestApp, token: &str, email: &str) -> String {
    let (s, b) = post(
        t,
        token,
        "/api/customers",
        json!({
            "fullname": "Ana Maria Horvat", "mobilenumber": "+385911234567", "country": "hr",
            "email": email, "currency": "EUR", "wants_to_become_leader": true
        }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["success"], true);
    b["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn create_get_update_bulk_and_email_customers_with_audit() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let id = create(&t, &admin, "ana@cust.test").await;

    // Validation names the field and creates nothing; a taken e-mail is a 409.
    let (s, b) = post(&t, &admin, "/api/customers", json!({
        "fullname": "X", "mobilenumber": "+385911234567", "country": "HR", "email": "bad", "currency": "EUR"
    })).await;
    assert_eq!((s, field_of(&b)), (422, "email".into()), "{b}");
    let (s, b) = post(&t, &admin, "/api/customers", json!({
        "mobilenumber": "+385911234567", "country": "HR", "email": "x@cust.test", "currency": "eur"
    })).await;
    assert_eq!(s, 422);
    let named: Vec<&str> = b["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, ["fullname", "currency"], "{b}");
    assert!(users::find_by_email(t.app.db().conn(), "x@cust.test").await.unwrap().is_none());
    let (s, b) = post(&t, &admin, "/api/customers", json!({
        "fullname": "Dup", "mobilenumber": "+385911234567", "country": "HR", "email": "ANA@cust.test", "currency": "EUR"
    })).await;
    assert_eq!(s, 409, "{b}");
    assert_error(&b, "conflict");

    // The new customer got an e-mail to confirm its address and set a password.
    t.run_jobs().await;
    assert!(t.emails.sent().iter().any(|m| m.to == "ana@cust.test"));

    let (s, c) = get(&t, &admin, &format!("/api/customers/{id}")).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["id"], id.as_str());
    assert_eq!(
        (c["firstname"].as_str(), c["lastname"].as_str()),
        (Some("Ana"), Some("Maria Horvat"))
    );
    assert_eq!(c["name"], "Ana Maria Horvat");
    assert_eq!((c["country"].as_str(), c["countryName"].as_str()), (Some("HR"), Some("Croatia")));
    assert_eq!((c["currency"].as_str(), c["depositTotal"].as_str()), (Some("EUR"), Some("0")));
    assert_eq!(c["roles"], json!(["customer", "leader"]));
    assert_eq!(c["status"], "ACTIVE");
    assert_eq!(c["kycStatus"], "NONE");
    assert_eq!(c["hasFTD"], false);
    assert_eq!(c["availableContactMethods"], json!(["email", "phone"]));
    for k in ["positionsCount", "totalVolumeTraded", "commissionsEarned", "level", "documentCount"]
    {
        assert_eq!(c[k], 0, "{k}");
    }
    for k in
        ["commissionScheme", "sumSubDetails", "affiliateBalance", "salesDesk", "conversionAgent"]
    {
        assert!(c[k].is_null(), "{k}");
    }
    assert!(c["accountId"].as_str().unwrap().parse::<i64>().is_ok());

    // Update: only the fields sent; groups, notes, risk status and the assignment too.
    let g = group(&t, &admin, "VIP", "EUR").await;
    let r = t
        .server
        .post("/api/sales-desks")
        .authorization_bearer(&admin)
        .json(&json!({"name": "Zagreb"}))
        .await;
    let desk = r.json::<Value>()["id"].as_str().unwrap().to_owned();
    let conv_uuid = t.user(Role::ConversionAgent).create().await.uuid;
    let (s, c) = put(&t, &admin, &format!("/api/customers/{id}"), json!({
        "fullname": "Ana Novak", "groups": ["VIP"], "notes": "calls after 5", "riskStatus": "review",
        "salesDesk": desk, "conversionAgent": conv_uuid, "roles": ["customer"]
    })).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(
        (c["lastname"].as_str(), c["email"].as_str()),
        (Some("Novak"), Some("ana@cust.test"))
    );
    assert_eq!(c["groups"], json!([{"id": g, "name": "VIP"}]));
    assert_eq!(
        (c["notes"].as_str(), c["riskStatus"].as_str()),
        (Some("calls after 5"), Some("REVIEW"))
    );
    assert_eq!(c["salesDesk"]["name"], "Zagreb");
    assert_eq!(c["conversionAgent"]["id"], conv_uuid.as_str());
    assert_eq!(c["roles"], json!(["customer"]));
    // null clears; absent keeps.
    let (s, c) = put(
        &t,
        &admin,
        &format!("/api/customers/{id}"),
        json!({"conversionAgent": null, "notes": null}),
    )
    .await;
    assert_eq!(s, 200);
    assert!(c["conversionAgent"].is_null() && c["notes"].is_null());
    assert_eq!(c["salesDesk"]["name"], "Zagreb");
    for (body, f) in [
        (json!({"email": "nope"}), "email"),
        (json!({"country": "XX"}), "country"),
        (json!({"groups": ["Nope"]}), "groups[0]"),
        (json!({"roles": ["admin"]}), "roles[0]"),
        (json!({"riskStatus": "SPICY"}), "riskStatus"),
        (json!({"conversionAgent": desk}), "conversionAgent"),
        (json!({"salesStatusId": 999}), "salesStatusId"),
    ] {
        let (s, b) = put(&t, &admin, &format!("/api/customers/{id}"), body.clone()).await;
        assert_eq!((s, field_of(&b)), (422, f.to_owned()), "{body}: {b}");
    }
    let (s, _) = put(
        &t,
        &admin,
        "/api/customers/00000000-0000-7000-8000-000000000000",
        json!({"notes": "x"}),
    )
    .await;
    assert_eq!(s, 404);

    // Bulk: all or nothing.
    let other = create(&t, &admin, "ivo@cust.test").await;
    let (s, b) = put(
        &t,
        &admin,
        "/api/customers",
        json!({"customers": [
            {"id": other, "country": "DE"}, {"id": id, "email": "broken"}
        ]}),
    )
    .await;
    assert_eq!((s, field_of(&b)), (422, "customers[1].email".into()), "{b}");
    let (_, c) = get(&t, &admin, &format!("/api/customers/{other}")).await;
    assert_eq!(c["country"], "HR", "nothing changed");
    let (s, b) = put(
        &t,
        &admin,
        "/api/customers",
        json!({"customers": [
            {"id": other, "country": "DE"}, {"id": id, "mobilenumber": "+385919999999"}
        ]}),
    )
    .await;
    assert_eq!((s, b), (200, json!({"success": true})));
    let (_, c) = get(&t, &admin, &format!("/api/customers/{other}")).await;
    assert_eq!(c["country"], "DE");
    let (s, b) = put(&t, &admin, "/api/customers", json!({"customers": [{"country": "DE"}]})).await;
    assert_eq!((s, field_of(&b)), (422, "customers[0].id".into()));
    let (s, b) = put(&t, &admin, "/api/customers", json!({"customers": []})).await;
    assert_eq!((s, field_of(&b)), (422, "customers".into()));

    // E-mail: queued, delivered, and in the customer's communications.
    let (s, b) = post(
        &t,
        &admin,
        &format!("/api/customers/{id}/email"),
        json!({"subject": "Hello", "body": "Welcome aboard"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["message"], "Email queued");
    let (s, b) =
        post(&t, &admin, &format!("/api/customers/{id}/email"), json!({"body": "x"})).await;
    assert_eq!((s, field_of(&b)), (422, "subject".into()));
    t.run_jobs().await;
    assert!(
        t.emails
            .sent()
            .iter()
            .any(|m| m.to == "ana@cust.test" && m.subject == "Hello" && m.text == "Welcome aboard")
    );
    let (_, comms) = get(&t, &admin, &format!("/api/customers/{id}/communications")).await;
    let first = &comms["communications"][0];
    assert_eq!(
        (first["type"].as_str(), first["subject"].as_str()),
        (Some("email"), Some("Hello")),
        "{comms}"
    );
    let (_, c) = get(&t, &admin, &format!("/api/customers/{id}")).await;
    assert!(c["lastContactDate"].is_string(), "{c}");

    // Every write is in the audit log.
    assert_eq!(audits(&t, &admin, "customer.create").await.len(), 2);
    assert_eq!(audits(&t, &admin, "customer.update").await.len(), 4);
    assert_eq!(audits(&t, &admin, "customer.email").await.len(), 1);
    let upd = audits(&t, &admin, "customer.update").await;
    assert!(upd.iter().any(|a| a["details"].as_str().unwrap_or("").contains("ana@cust.test")));
}

#[tokio::test]
async fn agents_managers_and_admins_see_only_their_customers() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let User { token: manager, uuid: manager_uuid, .. } = t.user(Role::Manager).create().await;
    let User { token: agent, id: agent_id, .. } = t.user(Role::ConversionAgent).create().await;
    let affiliate = t.user(Role::Affiliate).create().await.token;
    let r = t
        .server
        .post("/api/sales-desks")
        .authorization_bearer(&admin)
        .json(&json!({"name": "North", "salesPeople": [manager_uuid]}))
        .await;
    let desk_uuid = r.json::<Value>()["id"].as_str().unwrap().to_owned();
    let desk =
        brokercrm_store::repo::sales::sales_desks::find_by_uuid(t.app.db().conn(), &desk_uuid)
            .await
            .unwrap()
            .unwrap()
            .id;
    let a = create(&t, &admin, "a@scope.test").await;
    let b = create(&t, &admin, "b@scope.test").await;
    let c = create(&t, &admin, "c@scope.test").await;
    let conn = t.app.db().conn();
    let row = |u: &str| {
        let u = u.to_owned();
        async move { users::find_by_uuid(conn, &u).await.unwrap().unwrap().id }
    };
    let assignment = |cid: i64, desk: Option<i64>, conv: Option<i64>| AssignmentRow {
        customer_id: cid,
        sales_desk_id: desk,
        conversion_agent_id: conv,
        retention_agent_id: None,
        sales_status_id: None,
        updated_at: brokercrm_store::db::now(),
    };
    assignments::upsert(conn, assignment(row(&a).await, Some(desk), None)).await.unwrap();
    assignments::upsert(conn, assignment(row(&b).await, None, Some(agent_id))).await.unwrap();
    let listed = |token: String| {
        let t = &t;
        async move {
            let (s, body) = get(t, &token, "/api/customers").await;
            assert_eq!(s, 200, "{body}");
            let mut v: Vec<String> = body["customers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_owned())
                .collect();
            v.sort();
            v
        }
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(listed(admin.clone()).await, sorted(vec![a.clone(), b.clone(), c.clone()]));
    assert_eq!(listed(manager.clone()).await, vec![a.clone()]);
    assert_eq!(listed(agent.clone()).await, vec![b.clone()]);
    for (tok, visible, hidden) in [(&manager, &a, &b), (&agent, &b, &c)] {
        let (s, _) = get(&t, tok, &format!("/api/customers/{visible}")).await;
        assert_eq!(s, 200);
        let (s, body) = get(&t, tok, &format!("/api/customers/{hidden}")).await;
        assert_eq!(s, 404, "out of scope is not found");
        let (_, unknown) =
            get(&t, tok, "/api/customers/00000000-0000-7000-8000-000000000000").await;
        assert_eq!(body, unknown, "same body as an unknown id");
        let (s, _) = get(&t, tok, &format!("/api/customers/{hidden}/documents")).await;
        assert_eq!(s, 404);
        let (s, _) = post(
            &t,
            tok,
            &format!("/api/customers/{hidden}/email"),
            json!({"subject": "s", "body": "b"}),
        )
        .await;
        assert_eq!(s, 404);
    }
    let (s, ids) = get(&t, &agent, "/api/customers/ids").await;
    assert_eq!((s, ids["customersIds"].clone()), (200, json!([b])));
    // Managers edit their desk's customers; agents cannot edit; out of scope stays 404.
    let (s, _) = put(&t, &manager, &format!("/api/customers/{a}"), json!({"notes": "ok"})).await;
    assert_eq!(s, 200);
    let (s, _) = put(&t, &manager, &format!("/api/customers/{c}"), json!({"notes": "no"})).await;
    assert_eq!(s, 404);
    let (s, _) = put(&t, &agent, &format!("/api/customers/{b}"), json!({"notes": "no"})).await;
    assert_eq!(s, 403);
    // A manager's new customer lands on its desk, so it stays visible to it.
    let d = create(&t, &manager, "d@scope.test").await;
    assert_eq!(listed(manager.clone()).await, sorted(vec![a.clone(), d]));
    // Affiliates and customers never use the staff API.
    let (s, _) = get(&t, &affiliate, "/api/customers").await;
    assert_eq!(s, 403);
    let (s, _) = get(&t, &affiliate, &format!("/api/customers/{a}")).await;
    assert_eq!(s, 403);
}

fn form(bytes: Vec<u8>, name: &str, mime: &str) -> MultipartForm {
    MultipartForm::new().add_part("file", Part::bytes(bytes).file_name(name).mime_type(mime))
}

#[tokio::test]
async fn documents_are_type_and_size_checked_and_kyc_moves_through_its_states() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let User { token: risk, uuid: risk_uuid, .. } = t.user(Role::Risk).create().await;
    let manager = t.user(Role::Manager).create().await.token;
    let id = create(&t, &admin, "doc@cust.test").await;
    let path = format!("/api/customers/{id}/documents");
    let up = |f: MultipartForm, p: String| {
        let t = &t;
        let admin = admin.clone();
        async move {
            let r = t.server.post(&p).authorization_bearer(&admin).multipart(f).await;
            (r.status_code().as_u16(), r.json::<Value>())
        }
    };
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(&[7u8; 1000]);
    let (s, b) = up(form(pdf.clone(), "../passport.pdf", "application/pdf"), path.clone()).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["documents"][0]["filename"], "passport.pdf");
    assert_eq!(b["documents"][0]["contentType"], "application/pdf");
    assert_eq!(b["documents"][0]["size"], pdf.len());
    assert_eq!(b["customer"]["kycStatus"], "PENDING", "first document starts KYC");
    assert_eq!(b["customer"]["documentCount"], 1);
    // A declared type does not matter: the content does.
    let (s, b) =
        up(form(b"MZ\x90\x00 not a pdf".to_vec(), "x.pdf", "application/pdf"), path.clone()).await;
    assert_eq!((s, field_of(&b)), (422, "file".into()), "{b}");
    let big = {
        let mut v = b"%PDF-".to_vec();
        v.resize(10 * 1024 * 1024 + 1, b'a');
        v
    };
    let (s, b) = up(form(big, "big.pdf", "application/pdf"), path.clone()).await;
    assert_eq!((s, field_of(&b)), (422, "file".into()), "{b}");
    let (s, b) = up(form(Vec::new(), "e.pdf", "application/pdf"), path.clone()).await;
    assert_eq!((s, field_of(&b)), (422, "file".into()));
    let (s, b) = up(MultipartForm::new().add_text("other", "x"), path.clone()).await;
    assert_eq!((s, field_of(&b)), (422, "file".into()));
    let (s, b) =
        up(form(pdf.clone(), "p.pdf", "application/pdf"), format!("{path}?userId=someone-else"))
            .await;
    assert_eq!((s, field_of(&b)), (422, "userId".into()));
    let (s, _) = up(form(pdf.clone(), "p.png", "image/png"), format!("{path}?userId={id}")).await;
    assert_eq!(s, 201);
    let (s, docs) = get(&t, &admin, &path).await;
    assert_eq!(s, 200);
    assert_eq!(docs.as_array().unwrap().len(), 2, "rejected uploads stored nothing");
    let r = t
        .server
        .post(&path)
        .authorization_bearer(&manager)
        .multipart(form(pdf.clone(), "p.pdf", "application/pdf"))
        .await;
    assert_eq!(r.status_code().as_u16(), 404, "out of scope");

    // KYC: approve -> revoke -> approve -> reset; wrong transitions are 409.
    let kyc = |action: &str, tok: &str| {
        let p = format!("/api/customers/{id}/kyc/{action}");
        let t = &t;
        let tok = tok.to_owned();
        async move { post_empty(t, &tok, &p).await }
    };
    let (s, b) = kyc("revoke", &risk).await;
    assert_eq!(s, 409, "{b}");
    let (s, b) = kyc("approve", &risk).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["customer"]["kycStatus"], "APPROVED");
    assert_eq!(b["customer"]["kycReviewedById"], risk_uuid.as_str());
    assert!(b["customer"]["kycReviewedAt"].is_string());
    let (s, _) = kyc("approve", &risk).await;
    assert_eq!(s, 409);
    let (s, b) = kyc("revoke", &admin).await;
    assert_eq!((s, b["customer"]["kycStatus"].as_str()), (200, Some("REVOKED")));
    let (s, b) = kyc("approve", &admin).await;
    assert_eq!((s, b["customer"]["kycStatus"].as_str()), (200, Some("APPROVED")));
    let (s, b) = kyc("reset", &admin).await;
    assert_eq!((s, b["customer"]["kycStatus"].as_str()), (200, Some("NONE")));
    assert!(b["customer"]["kycReviewedById"].is_null());
    let (s, _) = kyc("reset", &admin).await;
    assert_eq!(s, 409);
    let (s, _) = kyc("approve", &manager).await;
    assert_eq!(s, 403, "managers do not review KYC");
    let row = users::find_by_uuid(t.app.db().conn(), &id).await.unwrap().unwrap();
    assert_eq!(row.kyc_status, "none");
    assert_eq!(audits(&t, &admin, "customer.kyc_approve").await.len(), 2);
    assert_eq!(audits(&t, &admin, "customer.kyc_revoke").await.len(), 1);
    assert_eq!(audits(&t, &admin, "customer.kyc_reset").await.len(), 1);
    assert_eq!(audits(&t, &admin, "customer.document_upload").await.len(), 2);
}
