//! The `bursar` binary's library: configuration, wiring of the layers, and the HTTP server.
//! Kept as a library so the integration tests and the benchmark start exactly what
//! `bursar serve` starts.
#![forbid(unsafe_code)]

pub mod config;
pub mod forwarded;
pub mod router;
pub mod serve;

pub use config::{Config, Settings};
