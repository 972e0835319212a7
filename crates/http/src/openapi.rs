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

/// Documents once the 401 every authenticated CRM operation (`/api/...` with `security`,
/// except the affiliate API v2 and its own error body) answers with the CRM error body, so
/// handlers do not repeat it. A handler's own 401 entry, if any, is kept.
pub fn common_responses(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.starts_with("/api/") || path.starts_with("/api/affiliates/v2/") {
            continue;
        }
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for op in ops.into_iter().flatten() {
            if op.security.as_ref().is_none_or(|s| s.is_empty()) {
                continue;
            }
            op.responses.responses.entry("401".to_owned()).or_insert_with(|| {
                let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody")));
                let resp = ResponseBuilder::new()
                    .description("No or invalid token")
                    .content("application/json", body.build());
                RefOr::T(resp.build())
            });
        }
    }
}
