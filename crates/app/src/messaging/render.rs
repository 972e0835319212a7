//! Renders an e-mail template: variables through minijinja (sandboxed: no file or network
//! access, no custom functions, a fuel limit against runaway loops), HTML-escaped in the MJML
//! body so a customer's name cannot inject markup, then MJML to HTML with mrml; the subject
//! and the plain-text part are rendered unescaped (they are not HTML), the subject on one line.
//! A template that does not compile is refused naming the field, the line and the reason.

use std::collections::BTreeMap;

use brokercrm_core::{Error, Result};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use mrml::prelude::render::RenderOptions;

/// Instructions a render may spend (loops over large ranges stop here).
const FUEL: u64 = 50_000;

/// The variables of one render.
pub type Vars = BTreeMap<String, String>;

/// A rendered e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub html: Option<String>,
    pub text: String,
}

/// The parts of a template.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    pub subject: &'a str,
    pub mjml: &'a str,
    pub txt: &'a str,
}

fn env(escape_html: bool) -> Environment<'static> {
    let mut env = Environment::empty();
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_auto_escape_callback(
        move |_| if escape_html { AutoEscape::Html } else { AutoEscape::None },
    );
    env
}

fn template_error(field: &str, e: &minijinja::Error) -> Error {
    let line = e.line().map(|l| format!("line {l}: ")).unwrap_or_default();
    let why = e.detail().map(str::to_owned).unwrap_or_else(|| e.kind().to_string());
    Error::field(field, format!("does not compile: {line}{why}"))
}

fn render_one(field: &str, src: &str, escape: bool, vars: &Vars) -> Result<String> {
    let env = env(escape);
    let tmpl = env.template_from_str(src).map_err(|e| template_error(field, &e))?;
    tmpl.render(vars).map_err(|e| template_error(field, &e))
}

fn mjml_to_html(mjml: &str) -> Result<String> {
    let parsed =
        mrml::parse(mjml).map_err(|e| Error::field("mjml", format!("is not valid MJML: {e}")))?;
    parsed
        .element
        .render(&RenderOptions::default())
        .map_err(|e| Error::field("mjml", format!("cannot be rendered: {e}")))
}

/// Renders `parts` with `vars`.
pub fn render(parts: Parts<'_>, vars: &Vars) -> Result<Rendered> {
    let subject = render_one("subject", parts.subject, false, vars)?
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let text = render_one("txt", parts.txt, false, vars)?;
    let html = if parts.mjml.trim().is_empty() {
        None
    } else {
        Some(mjml_to_html(&render_one("mjml", parts.mjml, true, vars)?)?)
    };
    Ok(Rendered { subject, html, text })
}

/// Checks that every part compiles (and the MJML renders with sample values); the first
/// problem is refused naming its field.
pub fn check(parts: Parts<'_>, sample: &Vars) -> Result<()> {
    for (field, src) in [("subject", parts.subject), ("mjml", parts.mjml), ("txt", parts.txt)] {
        env(false).template_from_str(src).map_err(|e| template_error(field, &e))?;
    }
    render(parts, sample).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Vars {
        [("firstname".to_owned(), name.to_owned())].into_iter().collect()
    }

    const MJML: &str = "<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{ firstname }}</mj-text></mj-column></mj-section></mj-body></mjml>";

    #[test]
    fn escapes_html_but_not_text() {
        let p = Parts {
            subject: "Hi {{ firstname }}\nBcc: x",
            mjml: MJML,
            txt: "Hello {{ firstname }}",
        };
        let r = render(p, &vars("<script>alert(1)</script>")).unwrap_or_else(|e| panic!("{e}"));
        let html = r.html.unwrap_or_default();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert_eq!(r.text, "Hello <script>alert(1)</script>");
        assert_eq!(r.subject, "Hi <script>alert(1)</script> Bcc: x");
    }

    #[test]
    fn refuses_what_does_not_compile_with_line_and_reason() {
        let p = Parts { subject: "ok", mjml: MJML, txt: "line one\n{% if x %}\nnever closed" };
        let e = check(p, &vars("A")).err().map(|e| e.public_message()).unwrap_or_default();
        assert!(e.contains("txt") && e.contains("line"), "{e}");
        let p = Parts { subject: "ok", mjml: "<mjml><mj-body><mj-nope>", txt: "" };
        assert!(check(p, &vars("A")).is_err());
        let p =
            Parts { subject: "{% for i in range(100000000) %}x{% endfor %}", mjml: "", txt: "" };
        assert!(render(p, &vars("A")).is_err(), "fuel stops runaway loops");
    }
}
