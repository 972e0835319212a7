//! Sales CRM: CRM leads and their CSV imports, customers, sales statuses, sales desks and
//! their members, customer assignments, comments, the communications log, calls, bookmarks and
//! the dashboard. One file per table or aggregate.

pub mod assignments;
pub mod bookmarks;
pub mod calls;
pub mod comments;
pub mod communications;
pub mod customers;
pub mod dashboard;
pub mod lead_imports;
pub mod sales_desks;
pub mod sales_statuses;

pub use assignments::scope_condition;
