//! The `crm_leads` table, its one home: leads delivered to the internal CRM (by distribution, a
//! staff member, a CSV upload or the data generator) with the lookups and links intake and FTD
//! need (`delivery`), the sales CRM's work on them (`work`) and its filtered list (`filter`),
//! built from the rules in `core::distribution::crm_leads`.

mod delivery;
mod filter;
mod work;

pub use delivery::{
    CrmLeadRow, GenLead, NEW, NewCrmLead, find_by_customer, find_by_customers, find_by_id,
    find_by_lead, insert_for_lead, insert_generated, insert_many, name_keys, set_customer,
    set_password_hash,
};
pub use filter::{BulkSet, bulk_update, list, scope_condition};
pub use work::{
    LeadPatch, MAX_SOURCES, assign, claim, find_by_uuid, matching, patch, set_status, sources,
    touch_contact,
};
