//! Sales set-ups: a world of two desks with a manager, agents and statuses, and generated CRM
//! leads spread over every filterable field.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::crm_leads;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;

use super::TestApp;
use super::http::post;
use super::users::User;

/// Two desks (A: manager, agents a1 and a2; B: agent b1), two statuses, an admin.
pub struct World {
    pub admin: User,
    pub manager_a: User,
    pub a1: User,
    pub a2: User,
    pub b1: User,
    pub desk_a: i64,
    pub desk_b: i64,
    pub statuses: [(i64, &'static str); 2],
}

pub async fn world(t: &TestApp) -> World {
    let admin = t.user(Role::Admin).create().await;
    let manager_a = t.user(Role::Manager).create().await;
    let a1 = t.user(Role::ConversionAgent).create().await;
    let a2 = t.user(Role::RetentionAgent).create().await;
    let b1 = t.user(Role::ConversionAgent).create().await;
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
    pub fn matches_search(&self, term: &str) -> bool {
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

/// Makes `agent_id` the conversion agent of customer `customer_id` (no desk, no status).
pub async fn assign_conversion(t: &TestApp, customer_id: i64, agent_id: i64) {
    use brokercrm_store::repo::sales::assignments::{self, AssignmentRow};
    let row = AssignmentRow {
        customer_id,
        sales_desk_id: None,
        conversion_agent_id: Some(agent_id),
        retention_agent_id: None,
        sales_status_id: None,
        updated_at: brokercrm_store::db::now(),
    };
    assignments::upsert(t.app.db().conn(), row).await.unwrap();
}

/// Puts customer `customer_id` on sales desk `desk_id` (no agents, no status).
pub async fn on_desk(t: &TestApp, customer_id: i64, desk_id: i64) {
    use brokercrm_store::repo::sales::assignments::{self, AssignmentRow};
    let row = AssignmentRow {
        customer_id,
        sales_desk_id: Some(desk_id),
        conversion_agent_id: None,
        retention_agent_id: None,
        sales_status_id: None,
        updated_at: brokercrm_store::db::now(),
    };
    assignments::upsert(t.app.db().conn(), row).await.unwrap();
}
