//! "Upload leads from CSV": header mapping, per-row errors with row numbers (bad e-mail, bad
//! country, duplicate in the file, existing lead, existing customer), good rows saved, the
//! upsert of existing leads, the import's progress record, and scope.

use axum_test::multipart::{MultipartForm, Part};
use brokercrm_store::entities::crm_leads;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{get, post};
use crate::helpers::platform::audits;
use crate::helpers::sales::{generate, on_desk, world};

fn form(csv: &str, mapping: Option<&str>) -> MultipartForm {
    let mut f = MultipartForm::new().add_part(
        "file",
        Part::bytes(csv.as_bytes().to_vec()).file_name("leads.csv").mime_type("text/csv"),
    );
    if let Some(m) = mapping {
        f = f.add_text("mapping", m.to_owned());
    }
    f
}

#[tokio::test]
async fn csv_upload_saves_good_rows_and_reports_bad_ones_by_row() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let existing = generate(&t, &w, 30).await;
    let old = existing.iter().find(|g| g.desk == Some(w.desk_a) && g.email.is_some()).unwrap();
    let foreign = existing
        .iter()
        .find(|g| g.desk == Some(w.desk_b) && g.person != Some(w.manager_a.id) && g.email.is_some())
        .unwrap();
    // A customer on the uploader's desk, and one on another desk the uploader may not see.
    let client = t.customer().email("client@cust.test").create().await;
    on_desk(&t, client.id, w.desk_a).await;
    let hidden = t.customer().email("hidden@cust.test").create().await;
    on_desk(&t, hidden.id, w.desk_b).await;

    let csv = format!(
        "Full Name,E-Mail,Tel,Country,Source\n\
         Ann Able,ann@new.test,+357 99 000001,cy,fair\n\
         Bad Mail,not-an-email,,DE,fair\n\
         Bad Country,bc@new.test,,ZZ,fair\n\
         Ann Again,ANN@new.test,,GB,fair\n\
         Old Updated,{},,FR,fair\n\
         Is Customer,client@cust.test,,CY,fair\n\
         Phone Only,,+44 20 7946 0000,GB,\n\
         No Contact,,,GB,fair\n\
         Foreign,{},,DE,fair\n\
         Hidden Customer,hidden@cust.test,,DE,fair\n",
        old.email.as_deref().unwrap(),
        foreign.email.as_deref().unwrap()
    );
    let r = t
        .server
        .post("/api/leads/upload")
        .authorization_bearer(&w.manager_a.token)
        .multipart(form(&csv, Some(r#"{"Tel": "mobilenumber"}"#)))
        .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    let b: Value = r.json();
    assert_eq!(
        (
            b["total"].as_i64(),
            b["processed"].as_i64(),
            b["created"].as_i64(),
            b["updated"].as_i64(),
            b["failed"].as_i64()
        ),
        (Some(10), Some(10), Some(4), Some(1), Some(5)),
        "{b}"
    );
    assert_eq!(b["saved"], "5");
    assert_eq!(b["status"], "done");
    let rows: Vec<(i64, String, Option<String>)> = b["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["code"].as_str().unwrap().to_owned(),
                e["field"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let want = vec![
        (3, "invalid".to_owned(), Some("email".to_owned())),
        (4, "invalid".to_owned(), Some("country".to_owned())),
        (5, "duplicate_in_file".to_owned(), Some("email".to_owned())),
        (6, "duplicate_lead".to_owned(), None),
        (7, "existing_customer".to_owned(), None),
        (9, "missing_contact".to_owned(), None),
    ];
    let mut got = rows.clone();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(
        b["errors"].as_array().unwrap().iter().find(|e| e["row"] == 6).unwrap()["leadId"],
        old.uuid.as_str()
    );

    // Rows matching a lead or customer out of the uploader's scope are created as new, and
    // nothing names the other record to the uploader; admins get a `lead.duplicate` each.
    let text = r.text();
    assert!(!text.contains(&foreign.uuid) && !text.contains("hidden@"), "{text}");
    let dups = audits(&t, &w.admin.token, "lead.duplicate").await;
    let details: Vec<String> =
        dups.iter().map(|a| a["details"].as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(details.len(), 2, "{details:?}");
    assert!(details.iter().any(|d| d.contains(&format!("lead {}", foreign.uuid))), "{details:?}");
    assert!(details.iter().any(|d| d.contains(&format!("customer {}", hidden.id))), "{details:?}");
    let conn = t.app.db().conn();
    for email in [foreign.email.as_deref().unwrap(), "hidden@cust.test"] {
        let mine = crm_leads::Entity::find()
            .filter(crm_leads::Column::Email.eq(email))
            .filter(crm_leads::Column::SalesDeskId.eq(w.desk_a))
            .count(conn)
            .await
            .unwrap();
        assert_eq!(mine, 1, "{email}");
    }

    // Good rows saved on the uploader's desk; the existing lead updated, not duplicated.
    let ann = crm_leads::Entity::find()
        .filter(crm_leads::Column::Email.eq("ann@new.test"))
        .all(conn)
        .await
        .unwrap();
    assert_eq!(ann.len(), 1);
    assert_eq!(
        (ann[0].first_name.as_deref(), ann[0].last_name.as_deref()),
        (Some("Ann"), Some("Able"))
    );
    assert_eq!(
        (ann[0].phone.as_deref(), ann[0].country.as_deref()),
        (Some("+35799000001"), Some("CY"))
    );
    assert_eq!(ann[0].sales_desk_id, Some(w.desk_a));
    let phone_only = crm_leads::Entity::find()
        .filter(crm_leads::Column::Phone.eq("+442079460000"))
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(phone_only.source, None);
    let olds = crm_leads::Entity::find()
        .filter(crm_leads::Column::Email.eq(old.email.clone().unwrap()))
        .all(conn)
        .await
        .unwrap();
    assert_eq!(olds.len(), 1);
    assert_eq!(
        (olds[0].first_name.as_deref(), olds[0].country.as_deref()),
        (Some("Old"), Some("FR"))
    );
    let foreign_row = crm_leads::Entity::find_by_id(foreign.id).one(conn).await.unwrap().unwrap();
    assert_eq!(foreign_row.first_name, foreign.first, "out of scope: not updated");
    for bad in ["bc@new.test", "client@cust.test"] {
        assert_eq!(
            crm_leads::Entity::find()
                .filter(crm_leads::Column::Email.eq(bad))
                .count(conn)
                .await
                .unwrap(),
            0
        );
    }
    assert_eq!(
        crm_leads::Entity::find().count(conn).await.unwrap(),
        30 + 4,
        "the four created rows"
    );
    // The search finds the new lead by name.
    let r = t
        .server
        .get("/api/leads")
        .authorization_bearer(&w.manager_a.token)
        .add_query_param("search", "ann a")
        .await;
    assert_eq!(r.json::<Value>()["count"], 1);

    // The import record: its uploader and admins see it.
    let id = b["id"].as_str().unwrap();
    let (s, g) = get(&t, &w.manager_a.token, &format!("/api/leads/imports/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(
        (g["processed"].clone(), g["saved"].clone(), g["status"].clone()),
        (json!(10), json!("5"), json!("done"))
    );
    assert_eq!(get(&t, &w.admin.token, &format!("/api/leads/imports/{id}")).await.0, 200);
    assert_eq!(get(&t, &w.a1.token, &format!("/api/leads/imports/{id}")).await.0, 404);

    // Audited.
    let r = t
        .server
        .get("/api/activities")
        .add_query_param("limit", 10)
        .add_query_param("offset", 0)
        .add_query_param("filter", json!({"type": "lead.import"}).to_string())
        .authorization_bearer(&w.admin.token)
        .await;
    assert_eq!(r.json::<Value>()["activities"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn csv_upload_rejects_unusable_files_and_changes_nothing() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let cases = [
        ("name,city\nA,B\n", None, "file"),
        ("email\na@b.co\n", Some(r#"{"email": "password"}"#), "mapping.email"),
    ];
    for (csv, mapping, f) in cases {
        let r = t
            .server
            .post("/api/leads/upload")
            .authorization_bearer(&w.admin.token)
            .multipart(form(csv, mapping))
            .await;
        assert_eq!(r.status_code().as_u16(), 422, "{}", r.text());
        assert_eq!(r.json::<Value>()["error"]["details"]["fields"][0]["field"], f);
    }
    let r = t
        .server
        .post("/api/leads/upload")
        .authorization_bearer(&w.admin.token)
        .multipart(MultipartForm::new().add_text("other", "x"))
        .await;
    assert_eq!(r.status_code().as_u16(), 422);
    let (s, _) = post(&t, &w.admin.token, "/api/leads/upload", json!({})).await;
    assert_eq!(s, 415);
    let conn = t.app.db().conn();
    assert_eq!(crm_leads::Entity::find().count(conn).await.unwrap(), 0);

    // A larger file goes through in several batches, every row saved.
    let mut csv = String::from("email,phone,country\n");
    for i in 0..2500 {
        csv.push_str(&format!("bulk{i}@load.test,+4477009{i:05},GB\n"));
    }
    let r = t
        .server
        .post("/api/leads/upload")
        .authorization_bearer(&w.admin.token)
        .multipart(form(&csv, None))
        .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    let b: Value = r.json();
    assert_eq!((b["created"].clone(), b["failed"].clone()), (json!(2500), json!(0)));
    assert_eq!(crm_leads::Entity::find().count(conn).await.unwrap(), 2500);
}
