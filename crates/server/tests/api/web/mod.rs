//! The staff portal (`crates/web`): sessions, CSRF, errors and permissions in-process
//! (`portal`, `screens`), and the main flows in a real browser (`browser`).

mod browser;
mod market_data;
mod portal;
mod screens;
