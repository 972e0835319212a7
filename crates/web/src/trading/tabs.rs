//! The tabs above the position screens (positions, pending orders, exposures).

/// The tabs of the position screens: label, URL, key.
pub const TABS: [(&str, &str, &str); 3] = [
    ("Positions", "/admin/positions", "positions"),
    ("Pending orders", "/admin/orders", "orders"),
    ("Exposures", "/admin/risk", "risk"),
];

/// The links to the other position screens (all but `current`).
pub fn tabs(current: &str) -> Vec<(String, String)> {
    TABS.iter()
        .filter(|(_, _, key)| *key != current)
        .map(|(label, href, _)| ((*label).to_owned(), (*href).to_owned()))
        .collect()
}
