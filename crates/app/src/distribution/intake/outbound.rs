//! A lead as advertisers receive it (`OutboundLead`), to and from its stored profile.

use brokercrm_integrations::advertisers::OutboundLead;

/// The stored profile of a lead: every profile key, plus the password while it is needed.
pub(crate) fn profile_json(out: &OutboundLead, with_password: bool) -> String {
    let mut map = serde_json::Map::new();
    for (k, v) in &out.profile {
        map.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    if with_password && let Some(p) = &out.password {
        map.insert("password".into(), serde_json::Value::String(p.clone()));
    }
    serde_json::Value::Object(map).to_string()
}

/// Rebuilds what is sent to advertisers from a stored lead.
pub(crate) fn outbound_of(
    lead: &brokercrm_store::repo::distribution::leads::LeadRow,
    offer_name: Option<String>,
) -> OutboundLead {
    let mut profile: std::collections::BTreeMap<String, String> =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&lead.profile)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
            .collect();
    let password = profile.remove("password");
    OutboundLead {
        lead_uuid: lead.uuid.clone(),
        ip: lead.ip.clone(),
        country: lead.country.clone(),
        language: lead.language.clone(),
        is_test: lead.is_test,
        email: lead.email.clone(),
        first_name: lead.first_name.clone(),
        last_name: lead.last_name.clone(),
        phone: lead.phone.clone(),
        password,
        profile,
        offer_name,
        affiliate_id: Some(lead.affiliate_id),
    }
}
