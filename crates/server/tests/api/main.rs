//! The one integration-test binary: drives the real router in-process, each test on its own
//! database (a temp SQLite file; a fresh PostgreSQL database when `TEST_DATABASE_URL` is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod distribution;
mod helpers;
mod identity;
mod market_data;
mod messaging;
mod money;
mod onboarding;
mod partners;
mod platform;
mod sales;
mod trading;
mod web;
