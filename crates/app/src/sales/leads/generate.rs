//! The CRM data generator behind `brokercrm gen-crm-data`: sales statuses, desks with a
//! manager and agents each, then leads (and optionally customers) with realistic spreads of
//! countries, statuses, sales people, sources and dates, written with multi-row inserts in
//! batches of [`BATCH`] rows per transaction. For benchmarks of "List leads"; never run it
//! against a production database.

use std::time::{Duration, Instant};

use brokercrm_core::Result;
use brokercrm_store::db::{commit, now};
use brokercrm_store::repo::distribution::crm_leads::{self, GenLead, NewCrmLead};
use brokercrm_store::repo::identity::users::GenCustomer;
use brokercrm_store::repo::identity::users::{self, NewUser};
use brokercrm_store::repo::sales::{sales_desks, sales_statuses};
use chrono::Duration as Span;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::App;
use crate::identity::security::new_ref_key;

/// Rows per statement and transaction.
pub const BATCH: usize = 1000;

const STATUSES: [&str; 6] =
    ["New", "No answer", "Call back", "Interested", "Not interested", "Wrong number"];
/// (country, dialling code, weight).
const COUNTRIES: [(&str, &str, u32); 12] = [
    ("DE", "49", 18),
    ("GB", "44", 14),
    ("IT", "39", 10),
    ("ES", "34", 10),
    ("FR", "33", 9),
    ("PL", "48", 7),
    ("NL", "31", 6),
    ("CY", "357", 5),
    ("AE", "971", 6),
    ("ZA", "27", 5),
    ("BR", "55", 5),
    ("MX", "52", 5),
];
const SOURCES: [&str; 16] = [
    "google-ads",
    "facebook",
    "instagram",
    "tiktok",
    "partner-alpha",
    "partner-beta",
    "partner-gamma",
    "seo",
    "webinar",
    "referral",
    "youtube",
    "taboola",
    "outbrain",
    "newsletter",
    "expo-dubai",
    "cold-list",
];
const FIRST: [&str; 24] = [
    "Anna", "Ben", "Carla", "David", "Elena", "Felix", "Giulia", "Hans", "Ines", "Jonas", "Katrin",
    "Luca", "Maria", "Nikos", "Olga", "Pablo", "Quentin", "Rosa", "Stefan", "Tanja", "Umar",
    "Vera", "Wojciech", "Yusuf",
];
const LAST: [&str; 24] = [
    "Schmidt",
    "Smith",
    "Rossi",
    "Garcia",
    "Martin",
    "Kowalski",
    "de Vries",
    "Georgiou",
    "Al Mansouri",
    "Naidoo",
    "Silva",
    "Hernandez",
    "Muller",
    "Jones",
    "Bianchi",
    "Lopez",
    "Bernard",
    "Nowak",
    "Jansen",
    "Christou",
    "Khan",
    "Dlamini",
    "Santos",
    "Ramirez",
];
const DOMAINS: [&str; 6] =
    ["gmail.com", "yahoo.com", "outlook.com", "web.de", "hotmail.co.uk", "mail.ru"];

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub leads: u64,
    pub customers: u64,
    pub desks: usize,
    pub agents_per_desk: usize,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct GenReport {
    pub leads: u64,
    pub customers: u64,
    pub sales_people: usize,
    pub elapsed: Duration,
}

fn weighted<'a, T>(rng: &mut StdRng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut n = rng.random_range(0..total.max(1));
    for it in items {
        let w = weight(it);
        if n < w {
            return it;
        }
        n -= w;
    }
    &items[0]
}

/// Generates the data set; `progress(done, total)` is called after every batch.
pub async fn generate(app: &App, o: &GenOptions, progress: impl Fn(u64, u64)) -> Result<GenReport> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(o.seed);
    let run = &uuid::Uuid::now_v7().simple().to_string()[20..];
    let db = app.db();

    // Statuses (reused by name), desks, and their people.
    let tx = db.begin_write().await?;
    let mut status_ids = Vec::new();
    for s in STATUSES {
        let row = match sales_statuses::find_by_name(&tx, s).await? {
            Some(r) => r,
            None => sales_statuses::insert(&tx, s, "#9e9e9e").await?,
        };
        status_ids.push(row.id);
    }
    // (person id, desk id)
    let mut people: Vec<(i64, i64)> = Vec::new();
    for d in 0..o.desks.max(1) {
        let desk = sales_desks::insert(
            &tx,
            &uuid::Uuid::now_v7().to_string(),
            &format!("Generated desk {run}-{d}"),
        )
        .await?;
        let mut members = Vec::new();
        for a in 0..=o.agents_per_desk {
            let role = if a == 0 { "manager" } else { "conversion_agent" };
            let u = users::insert(
                &tx,
                NewUser {
                    uuid: uuid::Uuid::now_v7().to_string(),
                    email: format!("gen-{run}-{d}-{a}@sales.example"),
                    role: role.to_owned(),
                    firstname: Some(FIRST[(d * 7 + a) % FIRST.len()].to_owned()),
                    lastname: Some(LAST[(d * 5 + a) % LAST.len()].to_owned()),
                    ref_key: new_ref_key(),
                    ..Default::default()
                },
            )
            .await?;
            members.push(u.id);
            people.push((u.id, desk.id));
        }
        sales_desks::set_members(&tx, desk.id, &members).await?;
    }
    commit(tx).await?;
    let desk_ids: Vec<i64> = {
        let mut v: Vec<i64> = people.iter().map(|p| p.1).collect();
        v.dedup();
        v
    };

    let end = now();
    let two_years = 2 * 365 * 24 * 3600;
    let total = o.leads + o.customers;
    let mut done = 0u64;
    let mut i = 0u64;
    while i < o.leads {
        let n = (o.leads - i).min(BATCH as u64);
        let mut rows = Vec::with_capacity(n as usize);
        for k in i..i + n {
            let (cc, dial, _) = *weighted(&mut rng, &COUNTRIES, |c| c.2);
            let first = FIRST[rng.random_range(0..FIRST.len())];
            let last = LAST[rng.random_range(0..LAST.len())];
            // Newer leads are more frequent: the square skews ages towards zero.
            let age = (rng.random::<f64>().powi(2) * two_years as f64) as i64;
            let created = end - Span::seconds(age);
            let updated = created + Span::seconds(rng.random_range(0..=age.max(1)));
            let (person, desk) = match rng.random_range(0..10) {
                0..=3 => (None, None),
                4..=5 => (None, Some(desk_ids[rng.random_range(0..desk_ids.len())])),
                _ => {
                    let p = people[rng.random_range(0..people.len())];
                    (Some(p.0), Some(p.1))
                }
            };
            let local = format!("{}.{}{k}", first, last).to_lowercase().replace([' ', '\''], "");
            let lead = NewCrmLead {
                uuid: uuid::Uuid::now_v7().to_string(),
                email: (rng.random_range(0..20) != 0)
                    .then(|| format!("{local}@{}", DOMAINS[rng.random_range(0..DOMAINS.len())])),
                phone: (rng.random_range(0..10) != 0)
                    .then(|| format!("+{dial}{}", rng.random_range(100_000_000u64..999_999_999))),
                first_name: Some(first.to_owned()),
                last_name: Some(last.to_owned()),
                country: Some(cc.to_owned()),
                language: None,
                source: Some(
                    (*weighted(&mut rng, &SOURCES, |s| {
                        20 - SOURCES.iter().position(|x| x == s).unwrap_or(0) as u32
                    }))
                    .to_owned(),
                ),
                sales_desk_id: desk,
                ..NewCrmLead::default()
            };
            rows.push(GenLead {
                lead,
                sales_status_id: (rng.random_range(0..10) >= 3)
                    .then(|| status_ids[rng.random_range(0..status_ids.len())]),
                sales_person_id: person,
                last_contact_at: (person.is_some() && rng.random_range(0..2) == 0)
                    .then_some(updated),
                created_at: created,
                updated_at: updated,
            });
        }
        let tx = db.begin_write().await?;
        crm_leads::insert_generated(&tx, rows).await?;
        commit(tx).await?;
        i += n;
        done += n;
        progress(done, total);
    }

    let mut i = 0u64;
    while i < o.customers {
        let n = (o.customers - i).min(BATCH as u64);
        let mut rows = Vec::with_capacity(n as usize);
        for k in i..i + n {
            let (cc, dial, _) = *weighted(&mut rng, &COUNTRIES, |c| c.2);
            let age = (rng.random::<f64>().powi(2) * two_years as f64) as i64;
            rows.push(GenCustomer {
                uuid: uuid::Uuid::now_v7().to_string(),
                email: format!("customer-{run}-{k}@clients.example"),
                firstname: FIRST[rng.random_range(0..FIRST.len())].to_owned(),
                lastname: LAST[rng.random_range(0..LAST.len())].to_owned(),
                mobilenumber: format!("+{dial}{}", rng.random_range(100_000_000u64..999_999_999)),
                country: cc.to_owned(),
                ref_key: new_ref_key(),
                created_at: end - Span::seconds(age),
            });
        }
        let tx = db.begin_write().await?;
        users::insert_generated_customers(&tx, rows).await?;
        commit(tx).await?;
        i += n;
        done += n;
        progress(done, total);
    }
    Ok(GenReport {
        leads: o.leads,
        customers: o.customers,
        sales_people: people.len(),
        elapsed: started.elapsed(),
    })
}
