//! Regression tests of issue 14's platform findings: the guarded outbound client (6), CSV
//! formula injection (8), hardening (12) and the route inventory (13).

mod csv_injection;
mod hardening;
mod inventory;
mod outbound;
