//! One module per page (or family of pages). Each handler extracts its context, calls one
//! use case, and renders a template; errors go through [`error`].

pub mod clients;
pub mod dashboard;
pub mod error;
pub mod history;
pub mod home;
pub mod language;
pub mod login;
pub mod password_reset;
pub mod profile;
pub mod staff;
pub mod tokens;
