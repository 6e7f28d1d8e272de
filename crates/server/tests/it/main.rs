//! Bursar's integration tests: one binary (every file in `tests/` would link separately).
//! Each test starts the real router on port 0 over its own fresh database: a temporary
//! SQLite file, or, when `BURSAR_TEST_DATABASE_URL` names a PostgreSQL server, a uniquely
//! named database created for the test and dropped after it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod api_auth;
mod api_tokens;
mod bad_input;
mod browser;
mod catalog;
mod client_list_panel;
mod client_numbers;
mod client_panel;
mod clients;
mod concurrency;
mod crash;
mod credentials;
mod discounts;
mod first_start;
mod form_errors;
mod harness;
mod history;
mod language;
mod mail;
mod migrations;
mod money;
mod nul_bytes;
mod openapi_contract;
mod panel_a11y;
mod password_reset;
mod quotes;
mod rates;
mod refusals;
mod routes_guarded;
mod schema;
mod staff;
mod staff_panel;
mod taxes;
mod webdriver;
