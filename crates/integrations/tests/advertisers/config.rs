//! `validate_config`, `build_client` and `secret_keys`.

use brokercrm_core::Error;
use brokercrm_integrations::advertisers::{
    ExternalKind, build_client, secret_keys, validate_config,
};
use serde_json::{Value, json};

use super::env;

/// The `config.<field>` names of a validation failure, sorted.
fn bad_fields(kind: ExternalKind, config: Value, allow_private: bool) -> Vec<String> {
    match validate_config(kind, &config, allow_private) {
        Err(Error::Validation(fields)) => {
            let mut names: Vec<String> = fields.into_iter().map(|f| f.field).collect();
            names.sort();
            names
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn lead_provider_config_names_each_bad_field() {
    let fields =
        bad_fields(ExternalKind::LeadProvider, json!({"partnerId": -1, "clientId": 5}), true);
    assert_eq!(
        fields,
        [
            "config.baseUrl",
            "config.clientId",
            "config.clientSecret",
            "config.offerUuid",
            "config.partnerId",
            "config.password",
            "config.username"
        ]
    );
    let ok = json!({"baseUrl": "https://crm.example.com", "clientId": "c", "clientSecret": "s",
        "username": "u", "password": "p", "offerUuid": "8053d220-a06a-40e5-a823-045a4dbf6d93",
        "partnerId": 0});
    assert!(validate_config(ExternalKind::LeadProvider, &ok, false).is_ok());
    let mut bad = ok.clone();
    bad["offerUuid"] = json!("nope");
    bad["baseUrl"] = json!("https://10.0.0.5");
    assert_eq!(
        bad_fields(ExternalKind::LeadProvider, bad, false),
        ["config.baseUrl", "config.offerUuid"]
    );
    assert_eq!(bad_fields(ExternalKind::LeadProvider, json!([]), false), ["config"]);
}

#[test]
fn affiliate_v2_config_names_each_bad_field() {
    let fields = bad_fields(
        ExternalKind::AffiliateV2,
        json!({"baseUrl": "ftp://x.example.com", "offerId": 3, "extraFields": {"a": 1}}),
        true,
    );
    assert_eq!(
        fields,
        ["config.baseUrl", "config.extraFields.a", "config.offerId", "config.token"]
    );
    let ok = json!({"baseUrl": "https://ld.example.com", "token": "t"});
    assert!(validate_config(ExternalKind::AffiliateV2, &ok, false).is_ok());
    assert_eq!(
        bad_fields(
            ExternalKind::AffiliateV2,
            json!({"baseUrl": "http://localhost:9", "token": "t"}),
            false
        ),
        ["config.baseUrl"]
    );
}

#[test]
fn http_template_config_names_each_bad_field() {
    let fields = bad_fields(
        ExternalKind::HttpTemplate,
        json!({"method": "DELETE", "url": "not a url", "headers": {"X-A": 1, "Host": "h", "bad name": "v"},
            "successStatus": [200, 999], "successPointer": "status", "successValue": "ok",
            "externalIdPointer": "/id", "duplicatePatterns": "dup", "requiredFields": ["", "email"]}),
        true,
    );
    assert_eq!(
        fields,
        [
            "config.duplicatePatterns",
            "config.headers.Host",
            "config.headers.X-A",
            "config.headers.bad name",
            "config.method",
            "config.requiredFields",
            "config.successPointer",
            "config.successStatus",
            "config.successValue",
            "config.url"
        ]
    );
    // A templated host is checked per request, a literal one now.
    let templated = json!({"url": "https://{{aff_sub}}.example.com/{{lead_uuid}}"});
    assert!(validate_config(ExternalKind::HttpTemplate, &templated, false).is_ok());
    let internal = json!({"url": "http://169.254.169.254/{{lead_uuid}}"});
    assert_eq!(bad_fields(ExternalKind::HttpTemplate, internal, false), ["config.url"]);
}

#[test]
fn build_refuses_invalid_configs_and_secrets_are_listed() {
    assert!(matches!(
        build_client(ExternalKind::AffiliateV2, &json!({}), &env()),
        Err(Error::Validation(_))
    ));
    assert_eq!(secret_keys(ExternalKind::LeadProvider), ["clientSecret", "password"]);
    assert_eq!(secret_keys(ExternalKind::AffiliateV2), ["token"]);
    assert_eq!(secret_keys(ExternalKind::HttpTemplate), ["headers"]);
}
