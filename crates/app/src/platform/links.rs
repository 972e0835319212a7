//! Links into the public client portal (`public_url`), for e-mails and redirects.

use crate::App;

/// `public_url` joined with `path` (which starts with '/').
pub fn public_link(app: &App, path: &str) -> String {
    format!("{}{path}", app.cfg().public_url.trim_end_matches('/'))
}
