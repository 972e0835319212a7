//! Seed 002 tag Leads: the sales CRM's leads — list with FetchLeadFilters, get, sales
//! people, sources, signup-code check, CSV upload, comments, communications, claim, bulk
//! edit, assign, e-mail and create. A lead outside the caller's scope is a 404.

mod dto;
mod import;
mod notes;
mod reads;
mod writes;

use axum::extract::DefaultBodyLimit;
use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use dto::FetchLeadFilters;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(reads::list_leads, writes::create_lead))
        .routes(routes!(reads::get_sales_people))
        .routes(routes!(reads::check_signup_code))
        .routes(routes!(reads::get_lead_sources))
        .routes(routes!(reads::get_lead))
        .routes(routes!(notes::list_comments, notes::create_comment))
        .routes(routes!(notes::list_communications))
        .routes(routes!(writes::claim_lead))
        .routes(routes!(writes::bulk_edit_leads))
        .routes(routes!(writes::assign_sales_person))
        .routes(routes!(notes::send_email))
        .routes(routes!(import::get_lead_import))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import::upload_leads))
                .layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES)),
        )
}
