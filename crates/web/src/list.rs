//! What every list screen shares: its filters live in the URL (so a view can be bookmarked and
//! shared), and paging links keep them.

/// Paging of a list: where this page starts, its size, the total, and links to the pages
/// before and after with every other filter kept.
pub struct Pager {
    pub from: u64,
    pub to: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// `path?query` with `offset` replaced.
fn with_offset(path: &str, query: &[(String, String)], offset: u64) -> String {
    let mut q: Vec<(String, String)> =
        query.iter().filter(|(k, v)| k != "offset" && !v.is_empty()).cloned().collect();
    if offset > 0 {
        q.push(("offset".into(), offset.to_string()));
    }
    url(path, &q)
}

/// `path` with the query `q` (empty values left out).
pub fn url(path: &str, q: &[(String, String)]) -> String {
    let q: Vec<&(String, String)> = q.iter().filter(|(_, v)| !v.is_empty()).collect();
    if q.is_empty() {
        return path.to_owned();
    }
    format!("{path}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
}

impl Pager {
    pub fn new(
        path: &str,
        query: &[(String, String)],
        offset: u64,
        limit: u64,
        shown: usize,
        total: u64,
    ) -> Self {
        let to = offset + shown as u64;
        Self {
            from: if shown == 0 { 0 } else { offset + 1 },
            to,
            total,
            prev: (offset > 0).then(|| with_offset(path, query, offset.saturating_sub(limit))),
            next: (to < total).then(|| with_offset(path, query, offset + limit)),
        }
    }
}
