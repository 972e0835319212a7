//! Seed 002 tag Leads through the router: every filter of "List leads" checked against a
//! brute-force expectation over generated leads, ordering and paging, the ownership
//! boundaries (agent, manager, admin) and the claim race; shared fixtures for the other
//! Leads test files (`crm_leads_work`, `crm_leads_import`).

use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::crm_leads;
use brokercrm_store::repo::identity::users;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

/// A staff member: token, public id, internal id.
pub struct Staff {
    pub token: String,
    pub uuid: String,
    pub id: i64,
}

pub async fn staff(t: &TestApp, role: Role) -> Staff {
    let (token, email) = t.mint_token(role).await;
    let row = users::find_by_email(t.app.db().conn(), &email).await.unwrap().unwrap();
    Staff { token, uuid: row.uuid, id: row.id }
}

/// Two desks (A: manager, agents a1 and a2; B: agent b1), two statuses, an admin.
pub struct World {
    pub admin: Staff,
    pub manager_a: Staff,
    pub a1: Staff,
    pub a2: Staff,
    pub b1: Staff,
    pub desk_a: i64,
    pub desk_b: i64,
    pub statuses: [(i64, &'static str); 2],
}

pub async fn world(t: &TestApp) -> World {
    let admin = staff(t, Role::Admin).await;
    let manager_a = staff(t, Role::Manager).await;
    let a1 = staff(t, Role::ConversionAgent).await;
    let a2 = staff(t, Role::RetentionAgent).await;
    let b1 = staff(t, Role::ConversionAgent).await;
    let mut desks = Vec::new();
    for (name, people) in [
        ("Desk A", vec![manager_a.uuid.clone(), a1.uuid.clone(), a2.uuid.clone()]),
        ("Desk B", vec![b1.uuid.clone()]),
    ] {
        let (s, b) =
            post(t, &admin.token, "/api/sales-desks", json!({"name": name, "salesPeople": people}))
                .await;
        assert_eq!(s, 201, "{b}");
        let uuid = b["id"].as_str().unwrap();
        let row = brokercrm_store::repo::sales::sales_desks::find_by_uuid(t.app.db().conn(), uuid)
            .await
            .unwrap()
            .unwrap();
        desks.push(row.id);
    }
    let mut statuses = [(0, "New"), (0, "Call back")];
    for s in statuses.iter_mut() {
        let (code, b) = post(t, &admin.token, "/api/sales-statuses", json!({"status": s.1})).await;
        assert_eq!(code, 201, "{b}");
        s.0 = b["id"].as_i64().unwrap();
    }
    World { admin, manager_a, a1, a2, b1, desk_a: desks[0], desk_b: desks[1], statuses }
}

/// A generated lead, as the brute-force model knows it.
#[derive(Debug, Clone)]
pub struct Gen {
    pub id: i64,
    pub uuid: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first: Option<String>,
    pub last: Option<String>,
    pub country: Option<String>,
    pub source: Option<String>,
    pub status: Option<i64>,
    pub person: Option<i64>,
    pub desk: Option<i64>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

impl Gen {
    fn matches_search(&self, term: &str) -> bool {
        let t = term.to_lowercase();
        if t.contains('@') {
            return self.email.as_deref().is_some_and(|e| e.starts_with(&t));
        }
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        if t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) && digits.len() >= 3 {
            return self.phone.as_deref().is_some_and(|p| p.starts_with(&format!("+{digits}")));
        }
        let full = format!(
            "{} {}",
            self.first.as_deref().unwrap_or(""),
            self.last.as_deref().unwrap_or("")
        )
        .trim()
        .to_lowercase();
        self.email.as_deref().is_some_and(|e| e.starts_with(&t))
            || full.starts_with(&t)
            || self.last.as_deref().is_some_and(|l| l.to_lowercase().starts_with(&t))
    }
}

const FIRST: [&str; 6] = ["Anna", "Bob", "Chris", "Dana", "Eve", "Smita"];
const LAST: [&str; 5] = ["Smith", "Jones", "Smirnov", "Brown", "O'Neil"];
const COUNTRIES: [&str; 4] = ["CY", "DE", "GB", "FR"];
const SOURCES: [&str; 3] = ["google", "facebook", "partner-x"];

/// A deterministic spread: field `salt` of lead `i`, in `0..n`.
fn pick(i: usize, salt: u64, n: usize) -> usize {
    let mut z = (i as u64).wrapping_add(salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) % n as u64) as usize
}

/// Inserts `n` leads with spread fields straight into the store.
pub async fn generate(t: &TestApp, w: &World, n: usize) -> Vec<Gen> {
    let base = brokercrm_store::db::now();
    let people = [None, Some(w.a1.id), Some(w.a2.id), Some(w.b1.id), Some(w.manager_a.id)];
    let desks = [None, Some(w.desk_a), Some(w.desk_b)];
    let mut out = Vec::new();
    for i in 0..n {
        let first = (i % 7 != 0).then(|| FIRST[i % FIRST.len()].to_owned());
        let last = (i % 5 != 0).then(|| LAST[(i / 2) % LAST.len()].to_owned());
        let email = (i % 9 != 4).then(|| format!("lead{i}@example{}.com", i % 3));
        let phone = (i % 4 != 1 || email.is_none()).then(|| format!("+3579912{i:04}"));
        let (name_key, last_name_key) = brokercrm_store::repo::distribution::crm_leads::name_keys(
            first.as_deref(),
            last.as_deref(),
        );
        // Several leads share a creation time, so the id tie-break matters.
        let created = base - Duration::minutes((i / 3) as i64);
        let updated = base - Duration::hours(((i * 7) % 40) as i64);
        let g = Gen {
            id: 0,
            uuid: uuid::Uuid::now_v7().to_string(),
            email,
            phone,
            first,
            last,
            country: (i % 6 != 5).then(|| COUNTRIES[i % COUNTRIES.len()].to_owned()),
            source: (i % 8 != 7).then(|| SOURCES[pick(i, 4, SOURCES.len())].to_owned()),
            status: [None, Some(w.statuses[0].0), Some(w.statuses[1].0)][pick(i, 1, 3)],
            person: people[pick(i, 2, people.len())],
            desk: desks[pick(i, 3, desks.len())],
            created,
            updated,
        };
        let row = crm_leads::ActiveModel {
            uuid: Set(g.uuid.clone()),
            lead_id: Set(None),
            affiliate_id: Set(None),
            customer_id: Set(None),
            sales_person_id: Set(g.person),
            email: Set(g.email.clone()),
            phone: Set(g.phone.clone()),
            first_name: Set(g.first.clone()),
            last_name: Set(g.last.clone()),
            country: Set(g.country.clone()),
            language: Set(None),
            ip: Set(None),
            source: Set(g.source.clone()),
            status: Set("new".into()),
            password_hash: Set(None),
            is_test: Set(false),
            created_at: Set(created),
            updated_at: Set(updated),
            sales_desk_id: Set(g.desk),
            sales_status_id: Set(g.status),
            last_contact_at: Set(None),
            name_key: Set(name_key),
            last_name_key: Set(last_name_key),
            ..Default::default()
        }
        .insert(t.app.db().conn())
        .await
        .unwrap();
        out.push(Gen { id: row.id, ..g });
    }
    out
}

pub async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = t.server.post(path).authorization_bearer(token).json(&body).await;
    (r.status_code().as_u16(), r.json())
}

pub async fn get(t: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let r = t.server.get(path).authorization_bearer(token).await;
    (r.status_code().as_u16(), r.json())
}

pub fn field(body: &Value) -> String {
    body["error"]["details"]["fields"][0]["field"].as_str().unwrap_or_default().to_owned()
}

/// Every lead id the list returns for `filters` (+ `search`, `orderBy`), paging through.
async fn all_pages(
    t: &TestApp,
    token: &str,
    filters: &Value,
    search: Option<&str>,
    order: Option<&str>,
) -> Vec<String> {
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let mut req = t
            .server
            .get("/api/leads")
            .authorization_bearer(token)
            .add_query_param("limit", 7)
            .add_query_param("offset", offset)
            .add_query_param("filters", filters.to_string());
        if let Some(s) = search {
            req = req.add_query_param("search", s);
        }
        if let Some(o) = order {
            req = req.add_query_param("orderBy", o);
        }
        let r = req.await;
        assert_eq!(r.status_code().as_u16(), 200, "{filters} {:?}: {}", search, r.text());
        let b: Value = r.json();
        let page: Vec<String> = b["leads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect();
        let count = b["count"].as_u64().unwrap() as usize;
        assert_eq!(b["pages"].as_u64().unwrap() as usize, count.div_ceil(7));
        let done = page.len() < 7;
        ids.extend(page);
        if done {
            assert_eq!(ids.len(), count, "count matches the rows for {filters}");
            return ids;
        }
        offset += 7;
    }
}

/// A brute-force predicate over generated leads.
type Keep = Box<dyn Fn(&Gen) -> bool>;

/// The expected ids: matching, newest first with the id tie-break.
fn expect(all: &[Gen], keep: impl Fn(&Gen) -> bool) -> Vec<String> {
    let mut v: Vec<&Gen> = all.iter().filter(|g| keep(g)).collect();
    v.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
    v.into_iter().map(|g| g.uuid.clone()).collect()
}

#[tokio::test]
async fn list_filters_match_a_brute_force_expectation() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let all = generate(&t, &w, 90).await;
    let adm = &w.admin.token;
    let (s1, s2) = (w.statuses[0].0, w.statuses[1].0);
    let cut = brokercrm_store::db::now() - Duration::hours(20);
    let cut_s = cut.to_rfc3339();

    let cases: Vec<(Value, Option<&str>, Keep)> = vec![
        (json!({}), None, Box::new(|_| true)),
        (json!({"statuses": [s1.to_string()]}), None, Box::new(move |g| g.status == Some(s1))),
        (
            json!({"statuses": ["call BACK", "none"]}),
            None,
            Box::new(move |g| g.status == Some(s2) || g.status.is_none()),
        ),
        (
            json!({"salesPeople": [w.a1.uuid.clone()]}),
            None,
            Box::new({
                let id = w.a1.id;
                move |g| g.person == Some(id)
            }),
        ),
        (json!({"salesPeople": ["none"]}), None, Box::new(|g| g.person.is_none())),
        (
            json!({"sources": ["google", "partner-x"]}),
            None,
            Box::new(|g| matches!(g.source.as_deref(), Some("google" | "partner-x"))),
        ),
        (json!({"country": "CY"}), None, Box::new(|g| g.country.as_deref() == Some("CY"))),
        (json!({"modifiedBefore": cut_s.clone()}), None, Box::new(move |g| g.updated < cut)),
        (json!({"modifiedAfter": cut_s.clone()}), None, Box::new(move |g| g.updated >= cut)),
        (json!({}), Some("smi"), Box::new(|g| g.matches_search("smi"))),
        (json!({}), Some("Smith"), Box::new(|g| g.matches_search("smith"))),
        (json!({}), Some("dana s"), Box::new(|g| g.matches_search("dana s"))),
        (json!({}), Some("lead1"), Box::new(|g| g.matches_search("lead1"))),
        (json!({}), Some("LEAD2@example2"), Box::new(|g| g.matches_search("lead2@example2"))),
        (json!({}), Some("+357 9912 001"), Box::new(|g| g.matches_search("+357 9912 001"))),
        (json!({}), Some("o'n"), Box::new(|g| g.matches_search("o'n"))),
        (
            json!({"statuses": [s1.to_string(), s2.to_string()], "sources": ["google", "facebook"], "country": "DE"}),
            Some("lead"),
            Box::new(move |g| {
                matches!(g.status, Some(s) if s == s1 || s == s2)
                    && matches!(g.source.as_deref(), Some("google" | "facebook"))
                    && g.country.as_deref() == Some("DE")
                    && g.matches_search("lead")
            }),
        ),
    ];
    for (filters, search, keep) in &cases {
        let got = all_pages(&t, adm, filters, *search, None).await;
        let want = expect(&all, keep);
        assert_eq!(got, want, "filters {filters} search {search:?}");
    }
    // Each case is selective somewhere (a test that cannot fail is a defect).
    assert!(expect(&all, |g| g.matches_search("smi")).len() < all.len());

    // onlyAssignedToMe, as an agent: own leads only (within the agent's scope).
    let got = all_pages(&t, &w.a1.token, &json!({"onlyAssignedToMe": true}), None, None).await;
    assert_eq!(got, expect(&all, |g| g.person == Some(w.a1.id)));
    assert!(!got.is_empty());

    // Scopes: agent = desk + assigned; manager = desk; admin = all.
    let got = all_pages(&t, &w.a1.token, &json!({}), None, None).await;
    assert_eq!(got, expect(&all, |g| g.desk == Some(w.desk_a) || g.person == Some(w.a1.id)));
    let got = all_pages(&t, &w.manager_a.token, &json!({}), None, None).await;
    assert_eq!(got, expect(&all, |g| g.desk == Some(w.desk_a)));
    let got = all_pages(&t, &w.b1.token, &json!({"country": "GB"}), None, None).await;
    assert_eq!(
        got,
        expect(&all, |g| (g.desk == Some(w.desk_b) || g.person == Some(w.b1.id))
            && g.country.as_deref() == Some("GB"))
    );

    // Other orders: stable, nulls last, id tie-break.
    let got = all_pages(&t, adm, &json!({}), None, Some("name|ASC")).await;
    let mut want: Vec<&Gen> = all.iter().collect();
    let key = |g: &Gen| {
        let k = format!("{} {}", g.first.as_deref().unwrap_or(""), g.last.as_deref().unwrap_or(""))
            .trim()
            .to_lowercase();
        (k.is_empty(), k)
    };
    want.sort_by(|a, b| key(a).cmp(&key(b)).then(a.id.cmp(&b.id)));
    assert_eq!(got, want.iter().map(|g| g.uuid.clone()).collect::<Vec<_>>());
    let got = all_pages(&t, adm, &json!({}), None, Some("updatedAt|ASC")).await;
    let mut want: Vec<&Gen> = all.iter().collect();
    want.sort_by(|a, b| a.updated.cmp(&b.updated).then(a.id.cmp(&b.id)));
    assert_eq!(got, want.iter().map(|g| g.uuid.clone()).collect::<Vec<_>>());

    // Validation names the field and answers 422; malformed JSON is a 400.
    for (filters, f) in [
        (json!({"country": "XX"}), "country"),
        (json!({"statuses": ["Nope"]}), "statuses[0]"),
        (json!({"salesPeople": ["nobody"]}), "salesPeople[0]"),
        (json!({"modifiedAfter": "soon"}), "modifiedAfter"),
    ] {
        let r = t
            .server
            .get("/api/leads")
            .authorization_bearer(adm)
            .add_query_param("filters", filters.to_string())
            .await;
        assert_eq!((r.status_code().as_u16(), field(&r.json())), (422, f.to_owned()));
    }
    let r = t.server.get("/api/leads?orderBy=password").authorization_bearer(adm).await;
    assert_eq!((r.status_code().as_u16(), field(&r.json())), (422, "orderBy".to_owned()));
    let r = t.server.get("/api/leads?limit=201").authorization_bearer(adm).await;
    assert_eq!((r.status_code().as_u16(), field(&r.json())), (422, "limit".to_owned()));
    let r = t.server.get("/api/leads?filters=%7Bnope").authorization_bearer(adm).await;
    assert_eq!(r.status_code().as_u16(), 400);
    assert_error(&r.json(), "bad_request");

    // Affiliates and customers do not work leads; no token is a 401.
    let aff = staff(&t, Role::Affiliate).await;
    assert_eq!(get(&t, &aff.token, "/api/leads").await.0, 403);
    assert_eq!(t.server.get("/api/leads").await.status_code().as_u16(), 401);
}

#[tokio::test]
async fn get_lead_respects_every_scope_boundary() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let all = generate(&t, &w, 80).await;
    let find = |keep: &dyn Fn(&Gen) -> bool| all.iter().find(|g| keep(g)).unwrap().clone();
    let desk_a_unassigned = find(&|g| g.desk == Some(w.desk_a) && g.person.is_none());
    let desk_b_mine = find(&|g| g.desk == Some(w.desk_b) && g.person == Some(w.a1.id));
    let desk_b_other = find(&|g| g.desk == Some(w.desk_b) && g.person != Some(w.a1.id));
    let no_desk = find(&|g| g.desk.is_none() && g.person.is_none());

    let path = |g: &Gen| format!("/api/leads/{}", g.uuid);
    let cases = [
        (&w.a1, &desk_a_unassigned, 200), // own desk
        (&w.a1, &desk_b_mine, 200),       // assigned to me on another desk
        (&w.a1, &desk_b_other, 404),      // another desk, not mine
        (&w.a1, &no_desk, 404),
        (&w.manager_a, &desk_a_unassigned, 200),
        (&w.manager_a, &desk_b_mine, 404), // a desk agent's lead on another desk
        (&w.b1, &desk_a_unassigned, 404),
        (&w.admin, &no_desk, 200),
        (&w.admin, &desk_b_other, 200),
    ];
    for (who, lead, want) in cases {
        let (s, b) = get(&t, &who.token, &path(lead)).await;
        assert_eq!(s, want, "{b}");
        if s == 404 {
            let (_, unknown) =
                get(&t, &who.token, "/api/leads/00000000-0000-0000-0000-000000000000").await;
            assert_eq!(b, unknown, "out of scope looks like unknown");
        }
    }
    let (s, b) = get(&t, &w.admin.token, &path(&desk_b_mine)).await;
    assert_eq!(s, 200);
    assert_eq!(b["id"], desk_b_mine.uuid.as_str());
    assert_eq!(b["salesPersonId"], w.a1.uuid.as_str());
    assert_eq!(b["salesPerson"]["id"], w.a1.uuid.as_str());
    assert_eq!(b["email"], json!(desk_b_mine.email));
    assert_eq!(b["mobilenumber"], json!(desk_b_mine.phone));
    assert_eq!(b["canBeCalled"], json!(desk_b_mine.phone.is_some()));
    assert_eq!(b["lastContactAt"], Value::Null);
    let status = desk_b_mine.status.map(|s| w.statuses.iter().find(|x| x.0 == s).unwrap().1);
    assert_eq!(b["salesStatus"], json!(status));
}

#[tokio::test]
async fn claim_race_has_exactly_one_winner() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let all = generate(&t, &w, 90).await;
    let open: Vec<Gen> =
        all.iter().filter(|g| g.desk == Some(w.desk_a) && g.person.is_none()).cloned().collect();
    assert!(open.len() >= 3);
    for g in &open {
        let path = format!("/api/leads/{}/claim", g.uuid);
        let (r1, r2) = tokio::join!(
            t.server.post(&path).authorization_bearer(&w.a1.token),
            t.server.post(&path).authorization_bearer(&w.a2.token),
        );
        let mut codes = [r1.status_code().as_u16(), r2.status_code().as_u16()];
        codes.sort_unstable();
        assert_eq!(codes, [200, 409], "{} / {}", r1.text(), r2.text());
        let winner = if r1.status_code().as_u16() == 200 { (&r1, &w.a1) } else { (&r2, &w.a2) };
        let body: Value = winner.0.json();
        assert_eq!(body["lead"]["salesPersonId"], winner.1.uuid.as_str());
        let row =
            crm_leads::Entity::find_by_id(g.id).one(t.app.db().conn()).await.unwrap().unwrap();
        assert_eq!(row.sales_person_id, Some(winner.1.id));
        assert_eq!(row.sales_desk_id, Some(w.desk_a));
    }
    // Already claimed → 409; another desk's lead → 404; admins do not claim → 403.
    let (s, b) =
        post(&t, &w.a2.token, &format!("/api/leads/{}/claim", open[0].uuid), json!({})).await;
    assert_eq!(s, 409, "{b}");
    assert_error(&b, "conflict");
    let other = all.iter().find(|g| g.desk == Some(w.desk_b) && g.person.is_none()).unwrap();
    let (s, _) =
        post(&t, &w.a1.token, &format!("/api/leads/{}/claim", other.uuid), json!({})).await;
    assert_eq!(s, 404);
    let (s, _) =
        post(&t, &w.admin.token, &format!("/api/leads/{}/claim", other.uuid), json!({})).await;
    assert_eq!(s, 403);
    let claims = audit_count(&t, &w.admin.token, "lead.claim").await;
    assert_eq!(claims, open.len());
}

/// How many audit entries of `kind` the admin sees.
pub async fn audit_count(t: &TestApp, admin: &str, kind: &str) -> usize {
    let r = t
        .server
        .get("/api/activities")
        .add_query_param("limit", 100)
        .add_query_param("offset", 0)
        .add_query_param("filter", json!({ "type": kind }).to_string())
        .authorization_bearer(admin)
        .await;
    r.assert_status_ok();
    r.json::<Value>()["activities"].as_array().unwrap().len()
}
