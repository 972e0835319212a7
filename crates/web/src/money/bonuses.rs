//! Bonus rules (ReadWallets; changes ManageWalletMoney, as they move money): the rules with
//! their type, amount, window and limits; one created, edited or deleted; grants already made
//! stay (`money::bonuses`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::money::bonuses::{self, BonusView};
use brokercrm_core::money::bonuses::{BonusType, RuleInput};
use brokercrm_core::{Error, Permission, Violations};

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

const BASE: &str = "/admin/bonuses";
const NAMES: [(&str, &str); 9] = [
    ("id", "id"),
    ("type", "type"),
    ("amount", "amount"),
    ("start", "start"),
    ("end", "end"),
    ("minimumDepositUSD", "min_deposit"),
    ("maximumAmountUSD", "max_amount"),
    ("methods", "methods"),
    ("minimum_deposit_usd", "min_deposit"),
];

fn form(b: Option<&BonusView>) -> Form {
    let kinds =
        BonusType::ALL.iter().map(|k| (k.as_str(), k.as_str().replace('_', " ").to_lowercase()));
    let day = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d").to_string();
    let money = |m: Option<brokercrm_core::Money>| m.map(|m| m.to_string()).unwrap_or_default();
    let (action, legend) = match b {
        Some(b) => (format!("{BASE}/{}", b.id), format!("Bonus {}", b.id)),
        None => (BASE.to_owned(), "Add a bonus rule".to_owned()),
    };
    let mut f = Form::post("bonus-form", action, legend);
    if b.is_none() {
        f = f.field(
            Field::text("id", "Id (optional)")
                .hint("Letters, digits, _ - or . (a new id when blank)."),
        );
    }
    f.field(
        Field::select("type", "Type", kinds).value(b.map_or("DEPOSIT", |b| b.rule.kind.as_str())),
    )
    .field(
        Field::text("amount", "Amount (USD, or percent for proportional)")
            .value(b.map(|b| b.amount_text()).unwrap_or_default())
            .required(),
    )
    .field(
        Field::input("date", "start", "From")
            .value(b.map(|b| day(b.rule.start)).unwrap_or_default())
            .required(),
    )
    .field(
        Field::input("date", "end", "To")
            .value(b.map(|b| day(b.rule.end)).unwrap_or_default())
            .required(),
    )
    .field(
        Field::text("min_deposit", "Smallest qualifying deposit (USD)")
            .value(money(b.and_then(|b| b.rule.minimum_deposit_usd))),
    )
    .field(
        Field::text("max_amount", "Largest grant (USD)")
            .value(money(b.and_then(|b| b.rule.maximum_amount_usd))),
    )
    .field(
        Field::text("methods", "Deposit methods, comma separated (empty: all)")
            .value(b.map(|b| b.rule.methods.join(", ")).unwrap_or_default()),
    )
    .field(
        Field::checkbox("credit", "Add to credit (not balance)")
            .checked(b.is_some_and(|b| b.rule.add_to_credit)),
    )
}

/// The rule as typed; dates and amounts that do not parse are named by their form field.
fn input(f: &Values) -> Result<RuleInput, Error> {
    let mut v = Violations::new();
    let start = f.day(&mut v, "start", false);
    let end = f.day(&mut v, "end", true);
    let min = f.money(&mut v, "min_deposit");
    let max = f.money(&mut v, "max_amount");
    v.finish()?;
    Ok(RuleInput {
        kind: f.get("type").to_owned(),
        amount: f.get("amount").to_owned(),
        start,
        end,
        minimum_deposit_usd: min,
        maximum_amount_usd: max,
        add_to_credit: f.checked("credit"),
        methods: f
            .get("methods")
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

async fn list_page(
    web: &Web,
    staff: &Staff,
    done: Option<&str>,
    new: Option<Form>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let can = who.role.can(Permission::ManageWalletMoney);
    let rows = bonuses::list(&web.app, who).await?.into_iter().map(|b| {
        let r = &b.rule;
        let row = Row::new(vec![
            if can { Cell::link(&b.id, format!("{BASE}/{}", b.id)) } else { Cell::text(&b.id) },
            Cell::text(r.kind.as_str()),
            Cell::text(b.amount_text()),
            Cell::text(format!("{} – {}", r.start.format("%Y-%m-%d"), r.end.format("%Y-%m-%d"))),
            Cell::opt(r.minimum_deposit_usd),
            Cell::opt(r.maximum_amount_usd),
            Cell::text(if r.add_to_credit { "credit" } else { "balance" }),
            Cell::text(if r.methods.is_empty() { "all".to_owned() } else { r.methods.join(", ") }),
        ]);
        if can {
            row.action(
                Action::post("Delete", format!("{BASE}/{}/delete", b.id))
                    .confirm(format!("Delete the bonus {}? Grants already made stay.", b.id)),
            )
        } else {
            row
        }
    });
    let headers = ["Id", "Type", "Amount", "Window", "Min deposit", "Max grant", "Into", "Methods"];
    let table = Table::new("bonuses", "Bonus rules", &headers).rows(rows.collect());
    let ctx = Ctx::new(staff, "Bonuses", "bonuses").notice(notice(done));
    ResourcePage::new(ctx).table(table).form_if(can, || new.unwrap_or_else(|| form(None))).render()
}

/// `GET /admin/bonuses`.
pub async fn list(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    list_page(&web, &staff, q.done(), None).await
}

/// `POST /admin/bonuses`.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let made = match input(&f) {
        Ok(i) => bonuses::create(&web.app, staff.principal(), f.opt("id").as_deref(), i).await,
        Err(e) => Err(e),
    };
    match made {
        Ok(_) => Ok(Redirect::to(&format!("{BASE}?done=created")).into_response()),
        Err(e) if is_form_error(&e) => {
            list_page(&web, &staff, None, Some(form(None).refused(&f, &e, &NAMES))).await
        }
        Err(e) => Err(e.into()),
    }
}

fn edit_page(staff: &Staff, b: &BonusView, done: Option<&str>, f: Form) -> ResourcePage {
    let ctx = Ctx::new(staff, format!("Bonus {}", b.id), "bonuses").notice(notice(done));
    ResourcePage::new(ctx).back(BASE, "All bonuses").form(f)
}

async fn find(web: &Web, staff: &Staff, id: &str) -> Result<BonusView, WebError> {
    let all = bonuses::list(&web.app, staff.principal()).await?;
    Ok(all.into_iter().find(|b| b.id == id).ok_or(Error::NotFound("bonus"))?)
}

/// `GET /admin/bonuses/{id}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let b = find(&web, &staff, &id).await?;
    let can = staff.principal().role.can(Permission::ManageWalletMoney);
    edit_page(&staff, &b, q.done(), form(Some(&b)).disabled(!can)).render()
}

/// `POST /admin/bonuses/{id}`: replaces the rule.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let saved = match input(&f) {
        Ok(i) => bonuses::update(&web.app, staff.principal(), &id, i).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("{BASE}/{id}?done=saved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let b = find(&web, &staff, &id).await?;
            edit_page(&staff, &b, None, form(Some(&b)).refused(&f, &e, &NAMES)).render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/bonuses/{id}/delete`.
pub async fn delete(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    bonuses::delete(&web.app, staff.principal(), &id).await?;
    Ok(Redirect::to(&format!("{BASE}?done=deleted")).into_response())
}
