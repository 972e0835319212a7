//! Sales: CRM leads, customers, desks, statuses, comments, communications, calls, dashboard. Its CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod bookmarks;
pub mod calls;
pub mod comments;
pub mod communications;
pub mod customers;
pub mod dashboard;
pub mod leads;
pub mod sales_desk;
pub mod sales_status;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(bookmarks::routes())
        .merge(calls::routes())
        .merge(comments::routes())
        .merge(communications::routes())
        .merge(customers::routes())
        .merge(dashboard::routes())
        .merge(leads::routes())
        .merge(sales_desk::routes())
        .merge(sales_status::routes())
}
