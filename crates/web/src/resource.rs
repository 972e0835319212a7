//! The one screen shape of the simple resources (users, API keys, desks, statuses, advertisers,
//! country blocks, dedup rules, goal types, affiliate tokens, transactions, ...): a filter bar,
//! a table with per-row actions, a pager and forms, each described as data and rendered by one
//! template (`resource.html`), so a screen file says only what it shows and which use case it
//! calls. Labels, `aria-invalid` and errors beside their fields come from the template.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use brokercrm_core::{Error, Money, Violations};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::error::{WebError, html_status};
use crate::form::FieldErrors;
use crate::layout::Ctx;
use crate::list::Pager;

/// A table cell: text, optionally a link or monospace.
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub code: bool,
}

impl Cell {
    pub fn text(s: impl ToString) -> Self {
        Self { text: s.to_string(), href: None, code: false }
    }
    pub fn link(s: impl ToString, href: impl Into<String>) -> Self {
        Self { text: s.to_string(), href: Some(href.into()), code: false }
    }
    pub fn code(s: impl ToString) -> Self {
        Self { text: s.to_string(), href: None, code: true }
    }
    pub fn opt(s: Option<impl ToString>) -> Self {
        Self::text(s.map(|s| s.to_string()).unwrap_or_default())
    }
    pub fn yes_no(b: bool) -> Self {
        Self::text(if b { "yes" } else { "no" })
    }
}

/// A button that posts (with the CSRF token) to `action`, asking to confirm when set.
pub struct Action {
    pub label: String,
    pub action: String,
    pub confirm: Option<String>,
}

impl Action {
    pub fn post(label: impl Into<String>, action: impl Into<String>) -> Self {
        Self { label: label.into(), action: action.into(), confirm: None }
    }
    pub fn confirm(mut self, question: impl Into<String>) -> Self {
        self.confirm = Some(question.into());
        self
    }
}

/// A table row.
pub struct Row {
    pub cells: Vec<Cell>,
    pub actions: Vec<Action>,
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Self {
        Self { cells, actions: Vec::new() }
    }
    pub fn action(mut self, a: Action) -> Self {
        self.actions.push(a);
        self
    }
}

/// A table: its element id, caption, headers, rows and what to say when it is empty.
pub struct Table {
    pub id: &'static str,
    pub caption: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Row>,
    pub empty: &'static str,
}

impl Table {
    pub fn new(id: &'static str, caption: impl Into<String>, headers: &[&'static str]) -> Self {
        Self {
            id,
            caption: caption.into(),
            headers: headers.to_vec(),
            rows: Vec::new(),
            empty: "Nothing here yet.",
        }
    }
    pub fn rows(mut self, rows: Vec<Row>) -> Self {
        self.rows = rows;
        self
    }
    /// Whether any row has actions (the table then has an Actions column).
    pub fn has_actions(&self) -> bool {
        self.rows.iter().any(|r| !r.actions.is_empty())
    }
    /// Columns in the empty row.
    pub fn width(&self) -> usize {
        self.headers.len() + usize::from(self.has_actions())
    }
}

/// One input of a form. `kind` is the HTML input type, or `select`, `textarea`, `code` (a
/// tall monospace textarea), `checkbox`, `checks` (several choices).
pub struct Field {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    /// For `checks` (several choices): the chosen values.
    pub selected: Vec<String>,
    pub required: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
}

impl Field {
    fn of(kind: &'static str, name: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            label: label.into(),
            kind,
            value: String::new(),
            options: Vec::new(),
            selected: Vec::new(),
            required: false,
            hint: None,
            error: None,
        }
    }
    pub fn text(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self::of("text", name, label)
    }
    pub fn input(kind: &'static str, name: impl Into<String>, label: impl Into<String>) -> Self {
        Self::of(kind, name, label)
    }
    pub fn checkbox(name: impl Into<String>, label: impl Into<String>) -> Self {
        Self::of("checkbox", name, label)
    }
    /// A select of `(value, label)` options.
    pub fn select<V: Into<String>, L: Into<String>>(
        name: impl Into<String>,
        label: impl Into<String>,
        options: impl IntoIterator<Item = (V, L)>,
    ) -> Self {
        let mut f = Self::of("select", name, label);
        f.options = options.into_iter().map(|(v, l)| (v.into(), l.into())).collect();
        f
    }
    /// The `demo` filter of a list: real and demo, real only or demo only.
    pub fn book() -> Self {
        Self::select("demo", "Book", [("", "real and demo"), ("false", "real"), ("true", "demo")])
    }
    /// Several choices of `(value, label)`, as checkboxes; `chosen` are ticked.
    pub fn checks(
        name: impl Into<String>,
        label: impl Into<String>,
        options: Vec<(String, String)>,
        chosen: Vec<String>,
    ) -> Self {
        let mut f = Self::of("checks", name, label);
        f.options = options;
        f.selected = chosen;
        f
    }
    /// Whether `v` is among the chosen values (`checks`).
    pub fn is_chosen(&self, v: &str) -> bool {
        self.selected.iter().any(|s| s == v)
    }
    pub fn value(mut self, v: impl ToString) -> Self {
        self.value = v.to_string();
        self
    }
    /// For a checkbox: checked or not.
    pub fn checked(self, on: bool) -> Self {
        self.value(if on { "1" } else { "" })
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
    /// The element id (unique on the page): `form-id` + `-` + name.
    pub fn id(&self, form: &str) -> String {
        format!("{form}-{}", self.name)
    }
}

/// A form: `get` forms are filter bars (their fields are the URL's query), `post` forms carry
/// the CSRF token and a once-only marker against double submits.
pub struct Form {
    pub id: &'static str,
    pub method: &'static str,
    pub action: String,
    pub legend: String,
    pub submit: String,
    pub fields: Vec<Field>,
    pub general: Vec<String>,
    pub disabled: bool,
    /// More submit buttons posting the same fields elsewhere: `(id, label, formaction)`.
    pub buttons: Vec<(String, String, String)>,
}

impl Form {
    pub fn post(id: &'static str, action: impl Into<String>, legend: impl Into<String>) -> Self {
        Self {
            id,
            method: "post",
            action: action.into(),
            legend: legend.into(),
            submit: "Save".into(),
            fields: Vec::new(),
            general: Vec::new(),
            disabled: false,
            buttons: Vec::new(),
        }
    }
    /// A filter bar over `action`, its fields filled from the query.
    pub fn filters(id: &'static str, action: impl Into<String>) -> Self {
        Self { method: "get", submit: "Filter".into(), ..Self::post(id, action, "Filters") }
    }
    pub fn submit(mut self, label: impl Into<String>) -> Self {
        self.submit = label.into();
        self
    }
    pub fn field(mut self, f: Field) -> Self {
        self.fields.push(f);
        self
    }
    /// Another submit button sending the fields to `action` (e.g. a preview).
    pub fn button(mut self, id: &str, label: &str, action: impl Into<String>) -> Self {
        self.buttons.push((id.to_owned(), label.to_owned(), action.into()));
        self
    }
    /// Greyed out (the role may read but not change).
    pub fn disabled(mut self, off: bool) -> Self {
        self.disabled = off;
        self
    }
    /// Puts back what was typed (`typed`) and each error of `e` beside its field. `names` maps
    /// the use case's field names to the form's; unknown ones go above the form.
    pub fn refused(mut self, typed: &Values, e: &Error, names: &[(&str, &str)]) -> Self {
        // An error already named by a form field (checked in `web`) maps to itself.
        let own: Vec<(&str, &str)> =
            self.fields.iter().map(|f| (f.name.as_str(), f.name.as_str())).collect();
        let all: Vec<(&str, &str)> = names.iter().copied().chain(own).collect();
        let errors = FieldErrors::from_error(e, &all);
        for f in &mut self.fields {
            if f.kind == "checks" {
                f.selected = typed.all(&f.name);
            } else if typed.has(&f.name) {
                f.value = typed.get(&f.name).to_owned();
            } else if f.kind == "checkbox" {
                f.value.clear();
            }
            f.error = errors.get(&f.name).map(str::to_owned);
        }
        self.general = errors.general;
        self
    }
    pub fn is_post(&self) -> bool {
        self.method == "post"
    }
}

/// A posted or queried form's values, in order (a field may repeat: multiple choices).
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(transparent)]
pub struct Values(pub Vec<(String, String)>);

impl Values {
    /// The trimmed first value of `name` ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
    }
    /// Whether `name` was sent at all.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
    /// Every non-blank value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        let vals = self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim());
        vals.filter(|v| !v.is_empty()).map(str::to_owned).collect()
    }
    /// The trimmed value, `None` when blank.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).to_owned()).filter(|s| !s.is_empty())
    }
    /// Whether checkbox `name` was checked.
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
    /// `(name, value)` pairs of the given fields, for links that keep the filters.
    pub fn pairs(&self, names: &[&str]) -> Vec<(String, String)> {
        names.iter().map(|n| ((*n).to_owned(), self.get(n).to_owned())).collect()
    }
    /// The list offset (`offset`, 0 when absent or not a number).
    pub fn offset(&self) -> u64 {
        self.get("offset").parse().unwrap_or(0)
    }
    /// Day `name` (`YYYY-MM-DD`) as its first or last second in UTC; blank is `None`, anything
    /// else is recorded in `v` under `name`.
    pub fn day(&self, v: &mut Violations, name: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
        let raw = self.get(name);
        if raw.is_empty() {
            return None;
        }
        let at =
            if end_of_day { NaiveTime::from_hms_opt(23, 59, 59) } else { Some(NaiveTime::MIN) };
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().zip(at) {
            Some((d, t)) => Some(d.and_time(t).and_utc()),
            None => {
                v.push(name, "must be a date (YYYY-MM-DD)");
                None
            }
        }
    }
    /// Whole number `name` above zero; blank is `None`, anything else is recorded in `v`.
    pub fn positive(&self, v: &mut Violations, name: &str) -> Option<i64> {
        let raw = self.get(name);
        if raw.is_empty() {
            return None;
        }
        let n = raw.parse::<i64>().ok().filter(|n| *n > 0);
        if n.is_none() {
            v.push(name, "must be a positive whole number");
        }
        n
    }
    /// Amount `name`; blank is `None`, a bad one is recorded in `v`.
    pub fn money(&self, v: &mut Violations, name: &str) -> Option<Money> {
        Some(self.get(name)).filter(|s| !s.is_empty()).and_then(|s| v.check(Money::parse(name, s)))
    }
    /// `?done=` of a list after a successful action.
    pub fn done(&self) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == "done").map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }
}

/// A value shown once (a new API key or token), with what it is.
pub struct Secret {
    pub label: String,
    pub value: String,
}

/// A whole resource page.
#[derive(Template)]
#[template(path = "resource.html")]
pub struct ResourcePage {
    pub ctx: Ctx,
    pub back: Option<(String, String)>,
    pub intro: Option<String>,
    pub secret: Option<Secret>,
    pub filters: Option<Form>,
    pub tables: Vec<Table>,
    pub pager: Option<Pager>,
    pub links: Vec<(String, String)>,
    pub forms: Vec<Form>,
}

impl ResourcePage {
    pub fn new(ctx: Ctx) -> Self {
        Self {
            ctx,
            back: None,
            intro: None,
            secret: None,
            filters: None,
            tables: Vec::new(),
            pager: None,
            links: Vec::new(),
            forms: Vec::new(),
        }
    }
    pub fn back(mut self, href: impl Into<String>, label: impl Into<String>) -> Self {
        self.back = Some((href.into(), label.into()));
        self
    }
    pub fn intro(mut self, s: impl Into<String>) -> Self {
        self.intro = Some(s.into());
        self
    }
    pub fn secret(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.secret = Some(Secret { label: label.into(), value: value.into() });
        self
    }
    pub fn filters(mut self, f: Form) -> Self {
        self.filters = Some(f);
        self
    }
    /// A table (several are shown in order, the pager after the last).
    pub fn table(mut self, t: Table) -> Self {
        self.tables.push(t);
        self
    }
    pub fn pager(mut self, p: Pager) -> Self {
        self.pager = Some(p);
        self
    }
    /// A link shown above the table (an export, a related screen).
    pub fn link(mut self, label: impl Into<String>, href: impl Into<String>) -> Self {
        self.links.push((label.into(), href.into()));
        self
    }
    pub fn form(mut self, f: Form) -> Self {
        self.forms.push(f);
        self
    }
    /// Adds `f` only when `show`.
    pub fn form_if(self, show: bool, f: impl FnOnce() -> Form) -> Self {
        if show { self.form(f()) } else { self }
    }
    /// 200 with the page; 422 when a form on it (or its filter bar) was refused.
    pub fn render(self) -> Result<Response, WebError> {
        let refused = (self.forms.iter().chain(&self.filters))
            .any(|f| !f.general.is_empty() || f.fields.iter().any(|x| x.error.is_some()));
        let code = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        html_status(code, &self)
    }
}
