//! The OpenAPI document: info, security schemes and the error schema; paths come from the
//! handlers' `#[utoipa::path]` attributes.

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "brokercrm", description = "Back office for forex/CFD brokers: CRM API (seed 002) and the affiliate, lead-provider, retail and promotion-link surfaces."),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&Security)
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let comps = openapi.components.get_or_insert_with(Default::default);
        comps.add_security_scheme(
            "BearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
        comps.add_security_scheme(
            "AffiliateToken",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "Authorization",
                    "The raw affiliate API token (seed 001), no scheme prefix",
                ),
            )),
        );
        comps.add_security_scheme(
            "BearerAuthApiKey",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("API key").build(),
            ),
        );
    }
}
