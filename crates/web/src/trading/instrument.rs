//! One instrument: its page (every field "Update instrument by symbol" takes — currencies,
//! category, decimals, calculation modes, contract size, margin percentages, order sizes and
//! size presets, trading hours and their time zone, swap settings, stake mode, status, sort,
//! icon — with its latest quote and the manual quote form, posted to `quote`), saving it, a
//! new one and creating it. Read with ReadInstruments, changed with ManageInstruments
//! (`app::trading::instruments`); a refusal is shown beside its field with what was typed kept.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::instruments::{InstrumentView, manage, read};
use brokercrm_app::trading::prices::manual;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::trading::instruments::{
    Category, InstrumentInput, InstrumentStatus, Mode, SwapMode,
};
use brokercrm_core::{Error, FieldError};
use serde_json::{Value, json};

use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

pub const BASE: &str = "/admin/instruments";
/// The menu key of the instrument screens.
pub const KEY: &str = "instruments";

/// `app` field names → form field names.
const NAMES: [(&str, &str); 24] = [
    ("symbol", "symbol"),
    ("marginCurrency", "margin_currency"),
    ("currency", "currency"),
    ("category", "category"),
    ("decimals", "decimals"),
    ("profitCalcMode", "profit_calc_mode"),
    ("marginCalcMode", "margin_calc_mode"),
    ("sizes", "sizes"),
    ("marginPercentage", "margin_percentage"),
    ("hedgedMarginPercentage", "hedged_margin_percentage"),
    ("tradingHours", "trading_hours"),
    ("timezone", "timezone"),
    ("swapMode", "swap_mode"),
    ("swapLong", "swap_long"),
    ("swapShort", "swap_short"),
    ("swap3DayWeekday", "swap_3day_weekday"),
    ("stakeMode", "stake_mode"),
    ("contractSize", "contract_size"),
    ("minOrderSize", "min_order_size"),
    ("maxOrderSize", "max_order_size"),
    ("status", "status"),
    ("sort", "sort"),
    ("filename", "filename"),
    ("file", "file"),
];

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

fn options<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<(String, String)> {
    all.iter().map(|v| (name(*v).to_owned(), name(*v).to_owned())).collect()
}

/// The trading hours as lines `Mon 09:00-17:00`.
pub fn hours_text(sessions: &Value) -> String {
    let line = |s: &Value| {
        let day = s["weekday"].as_u64().and_then(|d| DAYS.get(d as usize)).copied().unwrap_or("?");
        let t = |k: &str| s[k].as_str().unwrap_or_default().to_owned();
        format!("{day} {}-{}", t("from"), t("to"))
    };
    sessions
        .as_array()
        .map(|a| a.iter().map(line).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

/// A weekday: a name (`Mon`, `monday`, any case, at least three letters) or `0`..`6`.
fn weekday(raw: &str) -> Option<u8> {
    if let Ok(n) = raw.parse::<u8>() {
        return (n <= 6).then_some(n);
    }
    const NAMES: [&str; 7] =
        ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    let lower = raw.to_ascii_lowercase();
    let i = NAMES.iter().position(|n| lower.len() >= 3 && n.starts_with(lower.as_str()))?;
    u8::try_from(i).ok()
}

/// Lines `Mon 09:00-17:00` (or `1 09:00 17:00`) as the sessions the use case takes; the first
/// line that is not one is named.
pub fn parse_hours(text: &str) -> Result<Value, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let words: Vec<&str> =
            line.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
        match words.as_slice() {
            [day, from, to] if weekday(day).is_some() => {
                out.push(json!({"weekday": weekday(day), "from": from, "to": to}));
            }
            _ => return Err(format!("line {}: write a session as \"Mon 09:00-17:00\"", i + 1)),
        }
    }
    Ok(Value::Array(out))
}

/// A number as typed; blank or not a number is NaN (the use case names the field).
fn number(raw: &str) -> f64 {
    raw.trim().parse().unwrap_or(f64::NAN)
}

/// The form as the use case's input; `hours_error` when the trading hours could not be read
/// (the use case is then given none, so it still decides who may save).
fn input_of(f: &Values) -> (InstrumentInput, Option<String>) {
    let (trading_hours, hours_error) = match parse_hours(f.get("trading_hours")) {
        Ok(v) => (v, None),
        Err(e) => (Value::Null, Some(e)),
    };
    let sizes = match f.get("sizes") {
        "" => json!([]),
        raw => serde_json::from_str(raw).unwrap_or(Value::String(raw.to_owned())),
    };
    let input = InstrumentInput {
        symbol: f.get("symbol").to_owned(),
        margin_currency: f.get("margin_currency").to_uppercase(),
        currency: f.get("currency").to_uppercase(),
        category: f.get("category").to_owned(),
        decimals: number(f.get("decimals")),
        profit_calc_mode: f.get("profit_calc_mode").to_owned(),
        margin_calc_mode: f.get("margin_calc_mode").to_owned(),
        sizes,
        margin_percentage: number(f.get("margin_percentage")),
        hedged_margin_percentage: number(f.get("hedged_margin_percentage")),
        trading_hours,
        timezone: f.opt("timezone"),
        swap_mode: f.get("swap_mode").to_owned(),
        swap_long: number(f.get("swap_long")),
        swap_short: number(f.get("swap_short")),
        swap_3day_weekday: f.opt("swap_3day_weekday").map(|d| number(&d)),
        stake_mode: f.get("stake_mode").to_owned(),
        contract_size: number(f.get("contract_size")),
        min_order_size: f.get("min_order_size").to_owned(),
        max_order_size: f.get("max_order_size").to_owned(),
        status: f.get("status").to_owned(),
        sort: f.opt("sort").map(|s| number(&s)),
        filename: f.opt("filename"),
        file: f.opt("file"),
    };
    (input, hours_error)
}

/// `e` with a taken symbol beside `symbol`, each trading-hours error under `tradingHours` (`session 2 to: ...`), and the
/// form's own reading error in place of the use case's.
fn with_hours(e: Error, hours_error: Option<String>) -> Error {
    let list = match e {
        Error::Validation(list) => list,
        // A taken symbol belongs beside the symbol.
        Error::Conflict(m) => return Error::field("symbol", m),
        other => return other,
    };
    let mut out: Vec<FieldError> = Vec::with_capacity(list.len());
    for f in list {
        let Some(rest) = f.field.strip_prefix("tradingHours") else {
            out.push(f);
            continue;
        };
        let message = match (&hours_error, rest.strip_prefix('[')) {
            (Some(own), _) => own.clone(),
            (None, Some(r)) => {
                let (n, k) = r.split_once("].").unwrap_or((r, ""));
                let n = n.parse::<usize>().map_or(0, |n| n + 1);
                format!("session {n} ({k}): {}", f.message)
            }
            (None, None) => f.message,
        };
        out.push(FieldError { field: "tradingHours".into(), message });
    }
    Error::Validation(out)
}

/// The form, filled from `i` (or the defaults of a new FOREX pair).
pub fn form(i: Option<&InstrumentView>, can_edit: bool) -> Form {
    let d = |v: &rust_decimal::Decimal| v.normalize().to_string();
    let pick = |a: Option<String>, b: &str| a.unwrap_or_else(|| b.to_owned());
    let (action, legend) = match i {
        Some(i) => (format!("{BASE}/{}", i.symbol), format!("Instrument {}", i.symbol)),
        None => (BASE.to_owned(), "New instrument".to_owned()),
    };
    let days = std::iter::once((String::new(), "none".to_owned()))
        .chain(DAYS.iter().enumerate().map(|(n, d)| (n.to_string(), (*d).to_owned())));
    let sizes = i.map(|i| serde_json::to_string_pretty(&i.sizes).unwrap_or_default());
    Form::post("instrument-form", action, legend)
        .submit(if i.is_some() { "Save" } else { "Create instrument" })
        .disabled(!can_edit)
        .field(Field::text("symbol", "Symbol").value(pick(i.map(|i| i.symbol.clone()), "")).required())
        .field(
            Field::select("category", "Category", options(Category::ALL, Category::as_str))
                .value(pick(i.map(|i| i.category.clone()), "currencies")),
        )
        .field(Field::text("margin_currency", "Margin currency").value(pick(i.map(|i| i.margin_currency.clone()), "")).required())
        .field(Field::text("currency", "Profit currency").value(pick(i.map(|i| i.currency.clone()), "")).required())
        .field(Field::input("number", "decimals", "Price decimals (0-8)").value(pick(i.map(|i| i.decimals.to_string()), "5")).required())
        .field(
            Field::select("profit_calc_mode", "Profit calculation", options(Mode::ALL, Mode::as_str))
                .value(pick(i.map(|i| i.profit_calc_mode.clone()), "FOREX")),
        )
        .field(
            Field::select("margin_calc_mode", "Margin calculation", options(Mode::ALL, Mode::as_str))
                .value(pick(i.map(|i| i.margin_calc_mode.clone()), "FOREX")),
        )
        .field(Field::text("contract_size", "Contract size").value(pick(i.map(|i| d(&i.contract_size)), "100000")).required())
        .field(Field::text("margin_percentage", "Margin %").value(pick(i.map(|i| d(&i.margin_percentage)), "100")).required())
        .field(
            Field::text("hedged_margin_percentage", "Hedged margin %")
                .value(pick(i.map(|i| d(&i.hedged_margin_percentage)), "50"))
                .required(),
        )
        .field(Field::text("min_order_size", "Minimum order (lots)").value(pick(i.map(|i| d(&i.min_order_size)), "0.01")).hint("Its decimals set the lot step.").required())
        .field(Field::text("max_order_size", "Maximum order (lots)").value(pick(i.map(|i| d(&i.max_order_size)), "100")).required())
        .field(
            Field::input("code", "sizes", "Size presets (JSON)")
                .value(pick(sizes, "[{\"size\": \"0.01\"}, {\"size\": \"0.1\"}, {\"size\": \"1\"}]"))
                .hint("A list of objects offered to clients, e.g. [{\"size\": \"0.1\"}]."),
        )
        .field(
            Field::input("textarea", "trading_hours", "Trading hours")
                .value(i.map(|i| hours_text(&i.trading_hours)).unwrap_or_default())
                .hint("One session per line, e.g. \"Mon 09:00-17:30\"; 24:00 ends a day. None: open around the clock."),
        )
        .field(Field::text("timezone", "Time zone of the hours").value(pick(i.map(|i| i.timezone.clone()), "UTC")).hint("An IANA name such as Europe/London."))
        .field(
            Field::select("swap_mode", "Swap mode", options(SwapMode::ALL, SwapMode::as_str))
                .value(pick(i.map(|i| i.swap_mode.clone()), "POINTS")),
        )
        .field(Field::text("swap_long", "Swap long (points per lot per night)").value(pick(i.map(|i| d(&i.swap_long)), "0")))
        .field(Field::text("swap_short", "Swap short (points per lot per night)").value(pick(i.map(|i| d(&i.swap_short)), "0")))
        .field(
            Field::select("swap_3day_weekday", "Triple swap day", days)
                .value(i.and_then(|i| i.swap_3day_weekday).map(|d| d.to_string()).unwrap_or_default()),
        )
        .field(Field::text("stake_mode", "Stake mode").value(pick(i.map(|i| i.stake_mode.clone()), "LOTS")).required())
        .field(
            Field::select("status", "Status", options(InstrumentStatus::ALL, InstrumentStatus::as_str))
                .value(pick(i.map(|i| i.status.clone()), "ACTIVE")),
        )
        .field(Field::input("number", "sort", "Sort").value(pick(i.map(|i| i.sort.to_string()), "0")))
        .field(Field::text("filename", "Icon file name").value(pick(i.and_then(|i| i.filename.clone()), "")))
        .field(Field::text("file", "Icon URL or file key").value(pick(i.and_then(|i| i.file.clone()), "")))
}

/// The manual quote form of `symbol` (posted to `quote`), greyed out unless `can_set`.
pub fn quote_form(symbol: &str, can_set: bool) -> Form {
    Form::post("quote-form", format!("{BASE}/{symbol}/quote"), "Manual quote")
        .submit("Set quote")
        .disabled(!can_set)
        .field(Field::text("bid", "Bid").required())
        .field(Field::text("ask", "Ask").required().hint("Not below the bid."))
}

/// The page of `i` (`None`: a new instrument) around `f`; `quote`: its quote form sent back
/// with its errors.
pub async fn render(
    web: &Web,
    staff: &Staff,
    i: Option<&InstrumentView>,
    f: Form,
    quote: Option<Form>,
    done: Option<&str>,
) -> Result<Response, WebError> {
    let title =
        i.map_or_else(|| "New instrument".to_owned(), |i| format!("Instrument {}", i.symbol));
    let can_edit = staff.principal().role.can(Permission::ManageInstruments);
    let mut page = ResourcePage::new(Ctx::new(staff, title, KEY).notice(notice(done)))
        .back(BASE, "Instruments");
    if let Some(i) = i {
        let q = manual::latest(&web.app, &i.symbol).await?;
        let mut row = Row::new(vec![
            Cell::opt(q.as_ref().map(|q| q.bid.clone())),
            Cell::opt(q.as_ref().map(|q| q.ask.clone())),
            Cell::opt(q.as_ref().map(|q| q.time.format("%Y-%m-%d %H:%M:%S").to_string())),
            Cell::opt(q.as_ref().map(|q| q.source.clone())),
            Cell::text(i.updated_at.format("%Y-%m-%d %H:%M")),
        ]);
        if can_edit {
            row = row.action(
                Action::post("Delete instrument", format!("{BASE}/{}/delete", i.symbol))
                    .confirm(format!("Delete the instrument {}?", i.symbol)),
            );
        }
        let headers = ["Bid", "Ask", "Quoted at", "Source", "Changed"];
        let mut t = Table::new("quote", "Latest quote", &headers).rows(vec![row]);
        t.empty = "No quote yet.";
        page = page.table(t).link("Positions", format!("/admin/positions?symbol={}", i.symbol));
        page = page.form(quote.unwrap_or_else(|| quote_form(&i.symbol, can_edit)));
    }
    if f.fields.iter().any(|x| x.error.is_some()) {
        page = page.intro("Not saved: each problem is shown beside its field below.");
    }
    page.form(f).render()
}

/// `GET /admin/instruments/new`.
pub async fn new_page(State(web): State<Web>, staff: Staff) -> Result<Response, WebError> {
    // Only a form: creating is refused by the use case; this spares other roles a dead form.
    if !staff.principal().role.can(Permission::ManageInstruments) {
        return Err(Error::Forbidden.into());
    }
    render(&web, &staff, None, form(None, true), None, None).await
}

/// `POST /admin/instruments`: creates one.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let (input, hours_error) = input_of(&f);
    match manage::create(&web.app, staff.principal(), input).await {
        Ok(i) => Ok(Redirect::to(&format!("{BASE}/{}?done=created", i.symbol)).into_response()),
        Err(e) if is_form_error(&e) => {
            let e = with_hours(e, hours_error);
            render(&web, &staff, None, form(None, true).refused(&f, &e, &NAMES), None, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/instruments/{symbol}`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(symbol): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let i = read::get(&web.app, staff.principal(), &symbol).await?;
    let can_edit = staff.principal().role.can(Permission::ManageInstruments);
    render(&web, &staff, Some(&i), form(Some(&i), can_edit), None, q.done()).await
}

/// `POST /admin/instruments/{symbol}`: replaces every field (the symbol may change).
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(symbol): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let (input, hours_error) = input_of(&f);
    match manage::update(&web.app, staff.principal(), &symbol, input).await {
        Ok(i) => Ok(Redirect::to(&format!("{BASE}/{}?done=saved", i.symbol)).into_response()),
        Err(e) if is_form_error(&e) => {
            let i = read::get(&web.app, staff.principal(), &symbol).await?;
            let e = with_hours(e, hours_error);
            let f = form(Some(&i), true).refused(&f, &e, &NAMES);
            render(&web, &staff, Some(&i), f, None, None).await
        }
        Err(e) => Err(e.into()),
    }
}
