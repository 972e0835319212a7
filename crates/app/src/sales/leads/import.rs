//! "Upload leads from CSV". The header row is mapped to lead fields (known names and
//! aliases, or an explicit `mapping`); each row is checked (e-mail, phone, country), checked
//! against earlier rows of the file, and deduplicated by e-mail and phone against existing
//! leads (updated in place: an upsert, never a second lead) and customers (not imported).
//! Rows are written in batches of [`BATCH`]: one transaction per batch with one multi-row
//! insert, and the import record's counters move with each batch, so a client can follow a
//! large file through "Get lead import". Row numbers are the CSV's line numbers (the header
//! is row 1).

use std::collections::HashMap;

use brokercrm_core::validate::{CountryCode, Email, phone};
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::crm_leads::{self, LeadPatch, NewCrmLead};
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::sales::lead_imports::{self as repo, LeadImportRow, Progress};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::create::split_name;
use super::create::{record_hidden_duplicate, visible_customers};
use super::scope_of;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Rows per transaction.
pub const BATCH: usize = 1000;
/// Most data rows in one file.
pub const MAX_ROWS: usize = 200_000;
/// Most row errors kept on the import record and returned.
pub const MAX_ERRORS: usize = 1000;

/// A lead field a CSV column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    FirstName,
    LastName,
    Email,
    Phone,
    Country,
    Language,
    Source,
}

impl Field {
    /// The field a header names (case, spaces, `_` and `-` ignored), if any.
    pub fn from_header(h: &str) -> Option<Self> {
        let k: String =
            h.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
        Some(match k.as_str() {
            "name" | "fullname" => Self::Name,
            "firstname" | "first" | "givenname" => Self::FirstName,
            "lastname" | "last" | "surname" | "familyname" => Self::LastName,
            "email" | "emailaddress" | "mail" => Self::Email,
            "phone" | "mobilenumber" | "mobile" | "phonenumber" | "tel" | "telephone" => {
                Self::Phone
            }
            "country" | "countrycode" | "countryiso" | "iso" => Self::Country,
            "language" | "lang" => Self::Language,
            "source" => Self::Source,
            _ => return None,
        })
    }

    fn wire(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::FirstName => "firstName",
            Self::LastName => "lastName",
            Self::Email => "email",
            Self::Phone => "mobilenumber",
            Self::Country => "country",
            Self::Language => "language",
            Self::Source => "source",
        }
    }
}

/// One row's problem (or note, for an updated duplicate).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    pub row: u64,
    pub field: Option<String>,
    /// `invalid`, `missing_contact`, `duplicate_in_file`, `duplicate_lead` (updated),
    /// `existing_customer`. A lead or customer outside the uploader's scope is not revealed:
    /// the row is created as new and a `lead.duplicate` activity names both.
    pub code: String,
    pub message: String,
    /// The existing lead a `duplicate_lead` row updated.
    pub lead_id: Option<String>,
}

/// An import and its progress.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportView {
    pub id: String,
    pub status: String,
    pub total: i32,
    pub processed: i32,
    pub created: i32,
    pub updated: i32,
    pub failed: i32,
    pub errors: Vec<RowError>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn import_view(r: LeadImportRow) -> ImportView {
    ImportView {
        id: r.uuid,
        status: r.status,
        total: r.total,
        processed: r.processed,
        created: r.saved,
        updated: r.updated,
        failed: r.failed,
        errors: serde_json::from_str(&r.errors).unwrap_or_default(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

struct Row {
    line: u64,
    values: HashMap<Field, String>,
}

struct Parsed {
    email: Option<String>,
    phone: Option<String>,
    first: Option<String>,
    last: Option<String>,
    country: Option<String>,
    language: Option<String>,
    source: Option<String>,
}

impl Parsed {
    /// The row as an update of an existing lead (its non-empty values).
    fn patch(self) -> LeadPatch {
        LeadPatch {
            email: self.email,
            phone: self.phone,
            first_name: self.first,
            last_name: self.last,
            country: self.country,
            language: self.language,
            source: self.source,
        }
    }

    /// The row as a new lead `uuid` on `desk`.
    fn new_lead(self, uuid: String, desk: Option<i64>) -> NewCrmLead {
        let p = self.patch();
        NewCrmLead {
            uuid,
            email: p.email,
            phone: p.phone,
            first_name: p.first_name,
            last_name: p.last_name,
            country: p.country,
            language: p.language,
            source: p.source,
            sales_desk_id: desk,
            ..Default::default()
        }
    }
}

fn err(row: u64, field: Option<Field>, code: &str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        field: field.map(|f| f.wire().to_owned()),
        code: code.to_owned(),
        message: message.into(),
        lead_id: None,
    }
}

/// The column → field mapping: explicit `mapping` (header → field wire name) first, then the
/// known header names.
fn columns(
    headers: &csv::StringRecord,
    mapping: &HashMap<String, String>,
) -> Result<Vec<Option<Field>>> {
    let explicit: HashMap<String, Field> = mapping
        .iter()
        .map(|(h, f)| {
            Field::from_header(f)
                .map(|f| (h.trim().to_lowercase(), f))
                .ok_or_else(|| Error::field(format!("mapping.{h}"), "unknown lead field"))
        })
        .collect::<Result<_>>()?;
    let cols: Vec<Option<Field>> = headers
        .iter()
        .map(|h| explicit.get(&h.trim().to_lowercase()).copied().or_else(|| Field::from_header(h)))
        .collect();
    if !cols.iter().any(|c| matches!(c, Some(Field::Email | Field::Phone))) {
        return Err(Error::field("file", "the header needs an e-mail or a phone column"));
    }
    Ok(cols)
}

fn read(bytes: &[u8], mapping: &HashMap<String, String>) -> Result<Vec<Row>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let headers = rdr.headers().map_err(|_| Error::field("file", "is not a CSV file"))?.clone();
    let cols = columns(&headers, mapping)?;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::field("file", format!("row {line} is not valid CSV (or not UTF-8)"))
        })?;
        if rec.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(Error::field("file", format!("must have at most {MAX_ROWS} rows")));
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let values = cols
            .iter()
            .zip(rec.iter())
            .filter_map(|(c, v)| c.map(|c| (c, v.to_owned())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        rows.push(Row { line, values });
    }
    Ok(rows)
}

fn parse(r: &Row) -> std::result::Result<Parsed, RowError> {
    let get = |f: Field| r.values.get(&f).cloned();
    let email = match get(Field::Email) {
        Some(e) => Some(
            Email::parse("email", &e)
                .map_err(|_| {
                    err(r.line, Some(Field::Email), "invalid", "not a valid e-mail address")
                })?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let phone = match get(Field::Phone) {
        Some(p) => Some(phone("mobilenumber", &p).map_err(|_| {
            err(r.line, Some(Field::Phone), "invalid", "not a phone number of 6 to 15 digits")
        })?),
        None => None,
    };
    if email.is_none() && phone.is_none() {
        return Err(err(r.line, None, "missing_contact", "an e-mail or a phone is required"));
    }
    let country = match get(Field::Country) {
        Some(c) => Some(
            CountryCode::parse("country", &c)
                .map_err(|_| {
                    err(r.line, Some(Field::Country), "invalid", "not an ISO 3166-1 alpha-2 code")
                })?
                .as_str()
                .to_owned(),
        ),
        None => None,
    };
    let language = match get(Field::Language) {
        Some(l) if l.len() == 2 && l.chars().all(|c| c.is_ascii_alphabetic()) => {
            Some(l.to_ascii_lowercase())
        }
        Some(_) => {
            return Err(err(r.line, Some(Field::Language), "invalid", "not a 2-letter code"));
        }
        None => None,
    };
    let (mut first, mut last) = match get(Field::Name) {
        Some(n) => split_name(&n),
        None => (None, None),
    };
    first = get(Field::FirstName).or(first);
    last = get(Field::LastName).or(last);
    let cut = |s: Option<String>, n: usize| s.map(|s| s.chars().take(n).collect::<String>());
    Ok(Parsed {
        email,
        phone,
        first: cut(first, 600),
        last: cut(last, 600),
        country,
        language,
        source: cut(get(Field::Source), 255),
    })
}

/// Imports `bytes` (a CSV file) for `actor`; `mapping` maps header names to lead fields.
/// Answers the finished import.
pub async fn upload(
    app: &App,
    actor: &Principal,
    bytes: &[u8],
    mapping: &HashMap<String, String>,
) -> Result<ImportView> {
    start(app, actor, bytes, mapping).await?.run().await
}

/// An import whose file was read and whose record exists (status `running`, 0 processed);
/// [`Started::run`] processes its rows. The portal runs it in the background and shows
/// the progress ("Get lead import") while it runs.
pub struct Started {
    app: App,
    actor: Principal,
    scope: brokercrm_core::distribution::crm_leads::LeadScope,
    desk: Option<i64>,
    rows: Vec<Row>,
    total: i32,
    uuid: String,
    import_id: i64,
}

/// Checks the caller and the file and records the import; nothing is processed yet.
pub async fn start(
    app: &App,
    actor: &Principal,
    bytes: &[u8],
    mapping: &HashMap<String, String>,
) -> Result<Started> {
    let (scope, desk) = scope_of(app.db().conn(), actor).await?;
    let rows = read(bytes, mapping)?;
    let total = i32::try_from(rows.len()).map_err(Error::internal)?;
    let uuid = uuid::Uuid::now_v7().to_string();
    let tx = app.db().begin_write().await?;
    let import = repo::insert(&tx, &uuid, actor.user_id, total).await?;
    commit(tx).await?;
    Ok(Started {
        app: app.clone(),
        actor: actor.clone(),
        scope,
        desk,
        rows,
        total,
        uuid,
        import_id: import.id,
    })
}

impl Started {
    /// The import's public id.
    pub fn id(&self) -> &str {
        &self.uuid
    }

    /// Processes every row in batches, recording the progress after each; answers the
    /// finished import.
    pub async fn run(self) -> Result<ImportView> {
        let Started { app, actor, scope, desk, rows, total, uuid, import_id } = self;
        process(&app, &actor, scope, desk, rows, total, uuid, import_id).await
    }
}

#[allow(clippy::too_many_arguments)]
async fn process(
    app: &App,
    actor: &Principal,
    scope: brokercrm_core::distribution::crm_leads::LeadScope,
    desk: Option<i64>,
    rows: Vec<Row>,
    total: i32,
    uuid: String,
    import_id: i64,
) -> Result<ImportView> {
    let mut progress = Progress { status: "running", ..Default::default() };
    let mut errors: Vec<RowError> = Vec::new();
    let mut failed_total = 0i32;
    // First row of the file with each e-mail / phone.
    let mut seen_email: HashMap<String, u64> = HashMap::new();
    let mut seen_phone: HashMap<String, u64> = HashMap::new();
    let push = |errors: &mut Vec<RowError>, e: RowError| {
        if errors.len() < MAX_ERRORS {
            errors.push(e);
        }
    };

    for chunk in rows.chunks(BATCH) {
        let mut good: Vec<(u64, Parsed)> = Vec::with_capacity(chunk.len());
        for r in chunk {
            let p = match parse(r) {
                Ok(p) => p,
                Err(e) => {
                    failed_total += 1;
                    push(&mut errors, e);
                    continue;
                }
            };
            let dup = p
                .email
                .as_ref()
                .and_then(|e| seen_email.get(e).map(|l| (Field::Email, *l)))
                .or_else(|| {
                    p.phone.as_ref().and_then(|ph| seen_phone.get(ph).map(|l| (Field::Phone, *l)))
                });
            if let Some((f, first)) = dup {
                failed_total += 1;
                push(
                    &mut errors,
                    err(
                        r.line,
                        Some(f),
                        "duplicate_in_file",
                        format!("same {} as row {first}", f.wire()),
                    ),
                );
                continue;
            }
            if let Some(e) = &p.email {
                seen_email.insert(e.clone(), r.line);
            }
            if let Some(ph) = &p.phone {
                seen_phone.insert(ph.clone(), r.line);
            }
            good.push((r.line, p));
        }

        let tx = app.db().begin_write().await?;
        let emails: Vec<String> = good.iter().filter_map(|(_, p)| p.email.clone()).collect();
        let phones: Vec<String> = good.iter().filter_map(|(_, p)| p.phone.clone()).collect();
        let existing = crm_leads::matching(&tx, &emails, &phones).await?;
        let customers = users::customers_matching(&tx, &emails, &phones).await?;
        let ids: Vec<i64> = customers.iter().map(|(id, ..)| *id).collect();
        let visible = visible_customers(&tx, actor, &ids).await?;
        let mut inserts = Vec::new();
        // Rows created over records the caller may not see: (new lead's uuid, those records).
        let mut hidden_dups: Vec<(String, Vec<String>)> = Vec::new();
        for (line, p) in good {
            let same = |email: Option<&str>, phone: Option<&str>| {
                (p.email.is_some() && email == p.email.as_deref())
                    || (p.phone.is_some() && phone == p.phone.as_deref())
            };
            let matched: Vec<i64> = customers
                .iter()
                .filter(|(_, e, ph)| same(Some(e), ph.as_deref()))
                .map(|(id, ..)| *id)
                .collect();
            let mut hidden: Vec<String> = Vec::new();
            if matched.iter().any(|id| visible.contains(id)) {
                failed_total += 1;
                push(
                    &mut errors,
                    err(
                        line,
                        None,
                        "existing_customer",
                        "a customer with this e-mail or phone exists",
                    ),
                );
                continue;
            }
            hidden.extend(matched.iter().map(|id| format!("customer {id}")));
            let leads: Vec<&crm_leads::CrmLeadRow> =
                existing.iter().filter(|l| same(l.email.as_deref(), l.phone.as_deref())).collect();
            let in_scope =
                leads.iter().find(|l| scope.allows(l.sales_desk_id, l.sales_person_id)).copied();
            hidden.extend(
                leads
                    .iter()
                    .filter(|l| !scope.allows(l.sales_desk_id, l.sales_person_id))
                    .map(|l| format!("lead {}", l.uuid)),
            );
            if let Some(lead) = in_scope {
                crm_leads::patch(&tx, lead, p.patch()).await?;
                progress.updated += 1;
                let mut e = err(line, None, "duplicate_lead", "an existing lead was updated");
                e.lead_id = Some(lead.uuid.clone());
                push(&mut errors, e);
                continue;
            }
            let uuid = uuid::Uuid::now_v7().to_string();
            if !hidden.is_empty() {
                hidden_dups.push((uuid.clone(), hidden));
            }
            inserts.push(p.new_lead(uuid, desk));
        }
        progress.saved += i32::try_from(inserts.len()).map_err(Error::internal)?;
        crm_leads::insert_many(&tx, inserts).await?;
        for (uuid, hidden) in &hidden_dups {
            record_hidden_duplicate(&tx, actor, uuid, hidden).await?;
        }
        progress.processed += i32::try_from(chunk.len()).map_err(Error::internal)?;
        progress.failed = failed_total;
        progress.errors = serde_json::to_string(&errors).map_err(Error::internal)?;
        repo::set_progress(&tx, import_id, &progress).await?;
        commit(tx).await?;
    }

    progress.status = "done";
    progress.failed = failed_total;
    progress.errors = serde_json::to_string(&errors).map_err(Error::internal)?;
    let tx = app.db().begin_write().await?;
    repo::set_progress(&tx, import_id, &progress).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("lead.import", "lead_import", uuid.clone()).details(format!(
            "CSV upload: {total} rows, {} created, {} updated, {} failed",
            progress.saved, progress.updated, progress.failed
        )),
    )
    .await?;
    commit(tx).await?;
    get(app, actor, &uuid).await
}

/// "Get lead import": an import's progress; only its uploader or an admin sees it.
pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<ImportView> {
    let conn = app.db().conn();
    scope_of(conn, actor).await?;
    let row = repo::find_by_uuid(conn, uuid.trim())
        .await?
        .filter(|r| actor.is_admin() || r.created_by == Some(actor.user_id))
        .ok_or(Error::NotFound("lead import"))?;
    Ok(import_view(row))
}
