//! Bursar's domain: the types and rules of a hosting provider's billing panel, with no IO.
//!
//! Everything here is pure and deterministic so that the API, the panels, the CLI and the job
//! worker, which all call into `bursar-app`, cannot disagree about a rule. Values that can be
//! invalid (a login, an e-mail, a password) are parsed once at the edge into types that can
//! only hold valid data ("parse, don't validate").
#![forbid(unsafe_code)]

pub mod access;
pub mod accounts;
pub mod allocation;
pub mod catalog;
pub mod clients;
pub mod departments;
pub mod directory;
pub mod error_code;
pub mod functions;
pub mod history;
pub mod identity;
pub mod ids;
pub mod locale;
pub mod money;
pub mod numbers;
pub mod payments;
pub mod permissions;
pub mod pricing;
pub mod staff;
pub mod validation;

pub use access::{Audience, Rights};
pub use error_code::ErrorCode;
pub use functions::{Function, FunctionKey};
pub use ids::*;
pub use locale::Locale;
pub use numbers::{ClientNumber, ClientRef, Ref};
pub use validation::{FieldError, Invalid};
