//! Payment providers (ReadPaymentProviders; changes ManagePaymentProviders): the providers in
//! their order, and a provider's page to set its keys (secrets shown masked; sending the
//! masked value keeps the stored one, a blank one unsets the key), countries, limits,
//! predefined amounts, whether it is enabled and its place in the order
//! (`money::payments::providers`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::money::payments::ProviderView;
use brokercrm_app::money::payments::providers::{self, KeyValueInput, ProviderUpdate};
use brokercrm_core::{Error, Money, Permission};

use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const BASE: &str = "/admin/payment-providers";
const LIMITS: [(&str, &str, &str); 4] = [
    ("min_deposit", "minimumDepositAmount", "Smallest deposit"),
    ("max_deposit", "maximumDepositAmount", "Largest deposit"),
    ("min_withdrawal", "minimumWithdrawalAmount", "Smallest withdrawal"),
    ("max_withdrawal", "maximumWithdrawalAmount", "Largest withdrawal"),
];

fn money(m: Option<Money>) -> String {
    m.map(|m| m.to_string()).unwrap_or_default()
}

fn form(p: &ProviderView) -> Form {
    let mut f = Form::post("provider-form", format!("{BASE}/{}", p.id), p.name.clone());
    for k in &p.keys {
        let value = p
            .key_values
            .iter()
            .find(|v| v.key == k.key)
            .map(|v| v.value.clone())
            .unwrap_or_default();
        let label = format!("{}{}", k.key, if k.secret { " (secret, shown masked)" } else { "" });
        let field = Field::text(format!("key-{}", k.key), label).value(value);
        f = f.field(if k.required { field.required() } else { field });
    }
    let l = &p.limits;
    let limits = [
        l.minimum_deposit_amount,
        l.maximum_deposit_amount,
        l.minimum_withdrawal_amount,
        l.maximum_withdrawal_amount,
    ];
    f = f.field(
        Field::text("countries", "Countries, comma separated (empty: all)")
            .value(p.enabled_country_codes.join(", ")),
    );
    for ((name, _, label), value) in LIMITS.iter().zip(limits) {
        f = f.field(Field::text(*name, *label).value(money(value)));
    }
    let amounts: Vec<String> = l.predefined_deposit_amounts.iter().map(Money::to_string).collect();
    f.field(
        Field::text("amounts", "Predefined deposit amounts, comma separated")
            .value(amounts.join(", ")),
    )
    .field(Field::input("number", "sort", "Place in the order").value(p.sort))
    .field(Field::checkbox("enabled", "Enabled").checked(p.enabled))
}

fn names(p: &ProviderView) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("enabledCountryCodes".into(), "countries".into()),
        ("predefinedDepositAmounts".into(), "amounts".into()),
        ("enabled".into(), "enabled".into()),
        ("keyValues".into(), "enabled".into()),
        ("sort".into(), "sort".into()),
    ];
    out.extend(LIMITS.iter().map(|(form, api, _)| ((*api).to_owned(), (*form).to_owned())));
    for (i, k) in p.keys.iter().enumerate() {
        out.push((format!("keyValues[{i}].value"), format!("key-{}", k.key)));
        out.push((format!("keyValues[{i}].key"), format!("key-{}", k.key)));
    }
    out.extend((0..250).map(|i| (format!("enabledCountryCodes[{i}]"), "countries".to_owned())));
    out.extend((0..50).map(|i| (format!("predefinedDepositAmounts[{i}]"), "amounts".to_owned())));
    out
}

fn list_of(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `GET /admin/payment-providers`.
pub async fn list(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let all = providers::list(&web.app, staff.principal()).await?;
    let rows = all.iter().map(|p| {
        let methods: Vec<String> =
            p.method_types.iter().map(|m| format!("{m:?}").to_lowercase()).collect();
        Row::new(vec![
            Cell::link(&p.name, format!("{BASE}/{}", p.id)),
            Cell::text(methods.join(", ")),
            Cell::yes_no(p.instant),
            Cell::yes_no(p.enabled),
            Cell::text(p.sort),
        ])
    });
    let table = Table::new(
        "payment-providers",
        "Payment providers",
        &["Provider", "Methods", "Instant", "Enabled", "Order"],
    )
    .rows(rows.collect());
    let ctx = Ctx::new(&staff, "Payment providers", "payment-providers").notice(notice(q.done()));
    ResourcePage::new(ctx).table(table).render()
}

fn page_of(staff: &Staff, p: &ProviderView, done: Option<&str>, f: Form) -> ResourcePage {
    let ctx = Ctx::new(staff, format!("Payment provider {}", p.name), "payment-providers")
        .notice(notice(done));
    ResourcePage::new(ctx).back(BASE, "All providers").form(f)
}

/// `GET /admin/payment-providers/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let p = providers::get(&web.app, staff.principal(), &id).await?;
    let can = staff.principal().role.can(Permission::ManagePaymentProviders);
    page_of(&staff, &p, q.done(), form(&p).disabled(!can)).render()
}

/// `POST /admin/payment-providers/{id}`: saves the form (and the order when it changed).
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let p = providers::get(&web.app, who, &id).await?;
    let limit = |name: &str| Some(f.opt(name));
    let update = ProviderUpdate {
        key_values: Some(
            p.keys
                .iter()
                .map(|k| KeyValueInput {
                    key: k.key.clone(),
                    value: f.opt(&format!("key-{}", k.key)),
                })
                .collect(),
        ),
        enabled_country_codes: Some(list_of(f.get("countries"))),
        minimum_deposit_amount: limit("min_deposit"),
        maximum_deposit_amount: limit("max_deposit"),
        minimum_withdrawal_amount: limit("min_withdrawal"),
        maximum_withdrawal_amount: limit("max_withdrawal"),
        predefined_deposit_amounts: Some(list_of(f.get("amounts"))),
        enabled: Some(f.checked("enabled")),
    };
    let sort =
        f.get("sort").parse::<i64>().map_err(|_| Error::field("sort", "must be a whole number"));
    let saved = match sort {
        Ok(sort) => match providers::update(&web.app, who, &id, update).await {
            Ok(_) if i64::from(p.sort) != sort => {
                providers::sort(&web.app, who, &id, sort).await.map(|_| ())
            }
            other => other.map(|_| ()),
        },
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("{BASE}/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let names = names(&p);
            let refs: Vec<(&str, &str)> =
                names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            page_of(&staff, &p, None, form(&p).refused(&f, &e, &refs)).render()
        }
        Err(e) => Err(e.into()),
    }
}
