//! Sales: CRM leads, customers, desks, statuses, comments, communications, calls, dashboard.

pub mod calls;
pub mod customers;
pub mod customers_affiliate;
pub mod customers_filters;
pub mod dashboard;
pub mod leads;
pub mod leads_import;
pub mod leads_work;
pub mod sales_crm;
